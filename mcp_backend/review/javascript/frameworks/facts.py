"""The per-file walk shared by Express, Hono and Fastify (NestJS has its own, nestjs.py).

Facts (all JSON):
- imports: {local: {"source": "./auth", "name": "default" | "*" | exported name}}
- exports: {exported name: local name}; "default" for `module.exports =` / `export default`
- defs: {name: {"kinds": [...], "handler": {...}, "line": n}} for functions defined here
- apps: {var: {"kind": "express"|"router"|"hono"|"fastify"|"koa"|"koa_router"|"plugin"|"unknown",
  "line": n, "base": path prefix of every route}}
- ops: ordered registrations: use / route / register / hook / apply, each with its target var
- plugins: {plugin key: {"name": function name, "fp": wrapped in fastify-plugin}}
- decorations: {name: kinds} for `fastify.decorate('authenticate', fn)`
- error_handlers, global_items, test_paths
- loads: project modules required or imported anywhere in the file (relative or aliased)
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from tree_sitter import Node

from mcp_backend.review.facts import JsApp, JsPlugin
from mcp_backend.review.javascript.astutil import local_value, unwrap
from mcp_backend.review.javascript.context import FUNCTION_TYPES, JsFileContext, unwrap_sequence
from mcp_backend.review.javascript.frameworks import (
    classes,
    common,
    express,
    fastify,
    hono,
    koa,
    packages,
)
from mcp_backend.review.javascript.frameworks.regex_paths import regex_route_path

_STRING_TYPES = frozenset({"string", "template_string"})
# A route name without a leading '/': `documents.info`, `users/:id` (RPC and relative paths).
_RPC_PATH = re.compile(r"^[A-Za-z_][\w.\-]*(/[\w.\-:]*)*$")
# A route method called on something, or a method chosen at run time (`r[verb](`).
_ROUTE_METHOD_CALL = re.compile(r"(?:\[\s*[\w$]+\s*\]|\.(?:get|post|put|patch|delete|all))\s*\(")
_TRAILING_NAME = re.compile(r"([\w$]+)\s*$")


def _registers_on_param(body: str, params: list[str]) -> bool:
    """Whether a function calls a route method on one of its parameters (cheap first test)."""
    names = {p for p in params if p}
    for match in _ROUTE_METHOD_CALL.finditer(body):
        before = _TRAILING_NAME.search(body, max(0, match.start() - 40), match.start())
        if before is not None and before.group(1) in names:
            return True
    return False


_HELPER_VALUE_TYPES = FUNCTION_TYPES | {
    "array",
    "identifier",
    "member_expression",
    "call_expression",
}
# A loop over a table registers at most this many routes we list one by one.
_MAX_TABLE_ROUTES = 64
# The page a script runs in: only browsers have these.
_BROWSER_API = re.compile(
    r"\bdocument\.(getElementById|querySelector(All)?|createElement|body|addEventListener|cookie)\b"
    r"|\bwindow\.(location|addEventListener|localStorage|sessionStorage)\b"
)
# A server package loaded anywhere, bound or not: a webpack bundle of a server writes
# `module.exports = require("@nestjs/core")` inside its module table.
_REQUIRES_SERVER = re.compile(
    rb"""\brequire\(\s*["'](?:express|koa|fastify|hono|@nestjs/core|@nestjs/common)["']\s*\)"""
)
_PATHLIKE = re.compile(r"^/[\w\-/:.{}$*@?=&%+~]*$")
_NOT_APP_OBJECTS = re.compile(
    r"^(axios|http|https|api|client|request|fetch|supertest|agent|cy|map|params|cache|redis|"
    r"headers|searchParams|query|store|storage|localStorage|config|router\.query|\$http|this\.http|"
    r"httpClient|ky|got|superagent|nock|msw|rest|server\.use)$",
    re.IGNORECASE,
)
_HANDLER_WRAPPERS = re.compile(
    r"^(asyncHandler|catchAsync|wrapAsync|asyncWrap|tryCatch|use|wrap|handle\w*|async\w*)$", re.I
)
_READS_BODY = re.compile(
    r"\b(req|request)\s*\.\s*(body|query|files?)\b|\bc\s*\.\s*req\s*\.\s*(json|parseBody|query|queries|formData|text)\s*\("
    r"|\bctx\s*\.\s*request\s*\.\s*body\b"
)
_LOADS_BY_ID = re.compile(
    r"\b(findById|findByPk|findUnique\w*|findOne\w*|findFirst\w*|getById|get\w*ById|findOneBy|findOneOrFail)\s*\("
    r"|\bwhere\s*\(\s*['\"]?id['\"]?\s*,|\bwhere\s*:\s*\{\s*id\b|\beq\(\s*\w+\.id\s*,"
    r"|\bWHERE\s+\w*\.?id\s*=",
)
_USES_ROUTE_ID = re.compile(
    r"\b(req|request)\s*\.\s*params\b|\bc\s*\.\s*req\s*\.\s*param\s*\(|\bparams\s*\.\s*\w*id\b|@Param\("
    r"|\bvalid\(\s*['\"]param",
    re.IGNORECASE,
)
# Hand-written checks that reject bad input: `if (!title) return res.status(400).json(...)`.
_MANUAL_VALIDATION = re.compile(
    r"(status|code)\(\s*(400|422)\s*\)|,\s*(400|422)\s*\)|BadRequest(Exception|Error)?\b"
    r"|UnprocessableEntity|HTTPException\(\s*(400|422)"
)
_CAST_READ = re.compile(
    r"\b(parseInt|parseFloat|Number|Boolean|Math\.\w+)\(\s*(req|request)\.query(\.\w+|\[[^\]]+\])"
    # `req.query.nocache !== '1'`: a flag compared to a literal yields only true or false
    r"|\b(req|request)\.query(\.\w+|\[\s*['\"]\w+['\"]\s*\])\s*[!=]==?\s*(['\"][^'\"]*['\"]|true|false|\d+)"
)
_RETURNS_NAME = re.compile(r"\breturn\s+([A-Za-z_$][\w$]*)\s*;?\s*\}\s*$")
# `sshkeys: function () { return sshkeys.app(); }`: a factory handing on another's router.
_RETURNS_CALL = re.compile(
    r"\breturn\s+([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\(\s*\)\s*;?\s*\}\s*$"
)
# Where raw request data does harm when used unchecked: a database call (by the client,
# a query builder chain or a Model), a file path, a shell command, code built at run time.
_DB_ROOT = re.compile(
    r"^(this\.|fastify\.|app\.|server\.)?(prisma|db|pg|mysql|mongo|knex|pool|client|conn|"
    r"connection|sequelize|tx|trx|mongoose|supabase|"
    r"em|entityManager|dataSource|collection|\w*[Rr]epo(sitory)?|\w*Model|get\w*Db\(\))\b"
)
_MODEL_CALL = re.compile(
    r"^[A-Z]\w*(?<!Service)(?<!Controller)(?<!Helper)(?<!Utils)\.(find\w*|create\w*|insert\w*|"
    r"update\w*|upsert\w*|delete\w*|destroy|remove|save|aggregate|count\w*|where|bulk\w*)$"
)
_FILE_OR_COMMAND = frozenset(
    {
        "sendFile",
        "download",
        "createReadStream",
        "createWriteStream",
        "readFile",
        "readFileSync",
        "writeFile",
        "writeFileSync",
        "appendFile",
        "appendFileSync",
        "unlink",
        "unlinkSync",
        "rm",
        "rmSync",
        "readdir",
        "readdirSync",
        "exec",
        "execSync",
        "spawn",
        "spawnSync",
        "execFile",
        "execFileSync",
        "eval",
        "Function",
    }
)
_PATH_CALL = re.compile(r"^path\.(join|resolve)$")
_SPREAD_REQUEST = re.compile(
    r"\.\.\.\s*(\(?\s*await\s+)?((req|request)\.(body|query)\b|c\.req\.(json|parseBody|query)\(|"
    r"ctx\.request\.body\b)"
)
_DB_CALL = re.compile(
    r"\b(prisma|db|knex|pool|client|connection|sequelize|repository|repo|Model|mongoose|collection)\b[\w.]*\s*\("
    r"|\.(find\w*|create|insert\w*|update\w*|delete\w*|destroy|save|query|execute|aggregate|count\w*)\s*\(",
)


# `(req, res, next) => service.middleware.update(req, res, next)`: the handler is elsewhere.
_DELEGATES = re.compile(
    r"^(?:async\s+)?(?:function\s*[\w$]*\s*)?\(\s*req\s*,\s*res\s*(?:,\s*next\s*)?\)\s*(?:=>)?\s*"
    r"\{?\s*(?:return\s+)?(?:await\s+)?([\w$.]+)\(\s*req\s*,\s*res\s*(?:,\s*next\s*)?\)\s*;?\s*\}?\s*$"
)
# A handler that runs a function it picks from a table by a path parameter
# (`FUNCTIONS[routeName](...)`, `requestHandler(req, reply, FUNCTIONS[routeName])`): the picked
# function, not this dispatcher, decides who may call it.
_TABLE_PICK = r"[A-Za-z_$][\w$]*\[\s*((?:(?:req|request)\.params\.)?[A-Za-z_$][\w$]*)\s*\]"
_DISPATCH = re.compile(
    _TABLE_PICK + r"\s*\("
    r"|\(\s*(?:req|request)\s*,\s*(?:res|reply|response)\s*,\s*" + _TABLE_PICK + r"\s*\)"
)
_PARAM_NAMES = re.compile(
    r"\{([^{}]*)\}\s*=\s*(?:req|request)\.params\b"
    r"|\b([A-Za-z_$][\w$]*)\s*=\s*(?:req|request)\.params\.\2\b"
)
_INTEROP_HELPERS = frozenset(
    {
        "_interopRequireDefault",
        "_interopRequireWildcard",
        "__importDefault",
        "__importStar",
        "__toESM",
    }
)
# Objects bigger than this are configuration or data, not a set of middleware.
_MAX_OBJECT_MEMBERS = 32
_CONSTANT_HOLDERS = frozenset(
    {"lexical_declaration", "enum_declaration", "export_statement", "expression_statement"}
)
_ERROR_HANDLER_NAME = re.compile(
    r"^(error_?handler|handle_?errors?|on_?error|catch_?errors?|error_?middleware)$", re.I
)
# Middleware and handlers are short; scanning whole bundles' bodies with the classifiers'
# regular expressions would cost more than parsing them.
MAX_CLASSIFIED_BODY = 12_000
_REQUEST_PARAMS = frozenset({"req", "request", "c", "ctx", "context", "err", "error", "_req"})


_NEXT_AND_REQUEST = re.compile(r"\(\s*(req|request|ctx|c)\s*[,:)][^)]*\)\s*(=>|\{)")


_APP_PACKAGES = frozenset({"express", "fastify", "hono", "koa"})
_APP_FACTORIES = frozenset(
    {"express", "Router", "Fastify", "fastify", "Hono", "OpenAPIHono", "basePath", "Koa"}
)
# app.get(path, ...handlers), Hono's app.on(method, path, handler).
_ROUTE_CALLS = frozenset(
    {"get", "post", "put", "patch", "delete", "del", "head", "options", "all", "on"}
)
_REGISTRATION_NAMES = _ROUTE_CALLS | {
    "openapi",
    "use",
    "route",
    "register",
    "addHook",
    "onError",
    "setErrorHandler",
    "decorate",
}


def _middleware_like(params: list[str], body: str) -> bool:
    """Worth classifying: (req, res, next)-style functions, or factories that return one."""
    if len(body) > MAX_CLASSIFIED_BODY:
        return False
    if params and params[0] in _REQUEST_PARAMS:
        return True
    return _NEXT_AND_REQUEST.search(body) is not None


_OPENAPI_PARAM = re.compile(r"\{(\w+)\}")
# createRoute, and bundlers' renamed copies of it (createRoute3).
_CREATE_ROUTE = re.compile(r"^createRoute\d*$")
_RETURNED_CALL = re.compile(r"\breturn\s+(?:await\s+)?([\w$.]+)\s*\(")
# A factory that only builds a schema and hands it to a validator is short.
MAX_VALIDATOR_FACTORY = 4_000
_CALLED_NAME = re.compile(r"([A-Za-z_$][\w$]*)\s*\(")
# a middleware body that may hand the request to an authenticating helper of its file
_AUTH_HINT = re.compile(r"auth|token|session|verify|credential|login")
# Substrings every VALIDATION_NAME match contains (lowercased): a cheap test before the search.
_VALIDATION_WORDS = ("valid", "schema", "sanitiz", "celebrate", "zod", "joi", "yup")


def _dispatches_by_path_param(body: str) -> bool:
    """`const { routeName } = req.params; ... FUNCTIONS[routeName](event)`."""
    params: set[str] = set()
    for match in _PARAM_NAMES.finditer(body):
        if match.group(1) is not None:
            params.update(
                part.split(":")[-1].split("=")[0].strip() for part in match.group(1).split(",")
            )
        else:
            params.add(match.group(2))
    for match in _DISPATCH.finditer(body):
        picked = match.group(1) or match.group(2) or ""
        if picked.startswith(("req.params.", "request.params.")) or picked in params:
            return True
    return False


def _returns_validator(ctx: JsFileContext, function: Node, body: str) -> bool:
    """A factory handing back a validation middleware built by a library:
    `return auth.joiValidator.body(Joi.object({...}))`, `() => celebrate({...})`."""
    if len(body) > MAX_VALIDATOR_FACTORY:
        return False
    lowered = body.lower()
    if not any(word in lowered for word in _VALIDATION_WORDS):
        return False
    callees = _RETURNED_CALL.findall(body)
    expression = function.child_by_field_name("body")
    if expression is not None and expression.type == "call_expression":
        callees.append(ctx.text(expression.child_by_field_name("function")))
    return any(
        common.VALIDATION_NAME.search(segment)
        for callee in callees
        for segment in "".join(callee.split()).split(".")
    )


def _string_value(ctx: JsFileContext, node: Node | None) -> str | None:
    if node is None:
        return None
    if node.type == "string":
        return ctx.text(node)[1:-1]
    if node.type == "template_string":
        # `/${prefix}/users` keeps its shape; the linker treats ${...} as an unknown segment.
        return ctx.text(node)[1:-1]
    return None


class FactExtractor:
    def __init__(self, ctx: JsFileContext) -> None:
        self.ctx = ctx
        self.imports: dict[str, dict[str, str]] = {}
        self.exports: dict[str, str] = {}
        self.defs: dict[str, dict[str, Any]] = {}
        self.apps: dict[str, JsApp] = {}
        self.ops: list[dict[str, Any]] = []
        self.plugins: dict[str, JsPlugin] = {}
        self.decorations: dict[str, list[str]] = {}
        self.constants: dict[str, str] = {}
        self.error_handlers: list[int] = []
        self.frameworks: set[str] = set()
        self.dynamic_loading = False
        self._function_names: dict[int, str] = {}
        self._top_functions: dict[str, Node] | None = None
        self._helper_kinds: dict[tuple[str, str], bool] = {}
        self._exports_alias = ""
        # Names bound by the loop around the registration being read (see _loop_envs).
        self._env: dict[str, Node | str | None] = {}

    # ---- module structure -----------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        ctx = self.ctx
        statements = ctx.root.named_children
        for statement in statements:
            if statement.type in _CONSTANT_HOLDERS:
                self._constants(statement)
        for statement in statements:
            self._top_level(statement)
        self._late_assigned_functions(statements)
        # Apps created inside functions: `function build() { const app = Fastify() ... }`.
        for call in ctx.calls_named(_APP_FACTORIES | {"default"}):
            if call.name in _APP_FACTORIES or (
                # Compiled `(0, import_fastify.default)(opts)`: a framework's default export.
                call.name == "default"
                and self.imports.get(call.callee.split(".")[0], {}).get("source") in _APP_PACKAGES
            ):
                holder = call.node.parent
                while holder is not None and holder.type in {
                    "await_expression",
                    "parenthesized_expression",
                }:
                    holder = holder.parent
                if holder is not None and holder.type == "variable_declarator":
                    name_node = holder.child_by_field_name("name")
                    if name_node is not None and name_node.type == "identifier":
                        name = ctx.text(name_node)
                        if name not in self.apps:
                            self._bind_value(name, holder.child_by_field_name("value"))
        # require(path.join(dir, file)): routers loaded in a way we cannot follow. Project
        # modules loaded anywhere (a require inside a function too) are listed for the linker.
        loads: set[str] = set()
        for call in ctx.calls_named(frozenset({"require", "import"})):
            if call.args and call.args[0].type not in {"string"}:
                self.dynamic_loading = True
            elif call.args:
                source = _string_value(ctx, call.args[0])
                if source is not None and source.startswith((".", "@/", "~/", "#/")):
                    loads.add(source)
        # Calls are collected once for the detectors; registrations are filtered by name.
        for call in ctx.calls if self.apps else ctx.calls_named(_REGISTRATION_NAMES):
            if call.name in _REGISTRATION_NAMES or self.apps:
                self._registration(call.node)
        class_routers = classes.read_classes(self)
        facts: dict[str, Any] = {}
        if class_routers:
            facts["classes"] = class_routers
        if self.constants:
            facts["constants"] = self.constants  # imported path constants, for the linker
        for key in ("imports", "exports", "defs", "ops", "decorations", "error_handlers"):
            if value := getattr(self, key):
                facts[key] = value
        if self.apps:
            facts["apps"] = {k: v.model_dump(exclude_defaults=True) for k, v in self.apps.items()}
        if self.plugins:
            facts["plugins"] = {
                k: v.model_dump(exclude_defaults=True) for k, v in self.plugins.items()
            }
        if self.frameworks:
            facts["frameworks"] = sorted(self.frameworks)
        if ctx.has(b"__webpack_require__", b"__webpack_modules__"):
            facts["bundle"] = True  # its modules may also lie beside it, compiled one by one
        if ctx.has(b"document.", b"window.") and _BROWSER_API.search(
            ctx.source.decode("utf-8", "replace")
        ):
            servers = (
                express.PACKAGES
                | koa.APP_PACKAGES
                | koa.ROUTER_PACKAGES
                | fastify.PACKAGES
                | hono.PACKAGES
                | {"@nestjs/core", "@nestjs/common"}
            )
            if not any(
                packages.package_name(entry["source"]) in servers for entry in self.imports.values()
            ) and not _REQUIRES_SERVER.search(ctx.source):
                facts["browser"] = True  # a page's script: it uses the document, no server
        if self.dynamic_loading:
            facts["dynamic_loading"] = True
        if loads:
            facts["loads"] = sorted(loads)
        return facts

    def _constants(self, node: Node) -> None:
        """Module-level strings used as paths: `const PREFIX = '/api'`, `enum P { WEB = '/-/web' }`,
        `const ROUTES = { users: '/users' }`."""
        ctx = self.ctx
        if node.type == "export_statement":
            declaration = node.child_by_field_name("declaration")
            if declaration is not None:
                self._constants(declaration)
            return
        if node.type == "enum_declaration":
            name = ctx.text(node.child_by_field_name("name"))
            body = node.child_by_field_name("body")
            for member in body.named_children if body is not None else []:
                if member.type == "enum_assignment":
                    member_value = _string_value(ctx, member.child_by_field_name("value"))
                    if member_value is not None:
                        key = ctx.text(member.child_by_field_name("name"))
                        self.constants[f"{name}.{key}"] = member_value
            return
        if node.type == "expression_statement":
            self._compiled_enum(node)
            return
        first = node.child(0) if node.type == "lexical_declaration" else None
        if first is None or first.type != "const":
            return
        for declarator in node.named_children:
            target = declarator.child_by_field_name("name")
            value = unwrap(declarator.child_by_field_name("value"))
            if target is None or value is None or target.type != "identifier":
                continue
            name = ctx.text(target)
            if value.type == "string":
                self.constants[name] = ctx.text(value)[1:-1]
            elif value.type == "template_string":
                # `${PATH_FEATURE}/environments/:environment`: earlier constants filled in; an
                # imported one stays `{NAME}` for the linker to resolve.
                built = self._path(value)
                if built is not None:
                    self.constants[name] = built
            elif value.type == "object":
                self._object_constants(name, value, 3)

    def _compiled_enum(self, node: Node) -> None:
        """tsc's output of a string enum: `(function (P) { P["WEB"] = "/-/web"; })(P || (P =
        {}));` gives P.WEB like `enum P { WEB = '/-/web' }`."""
        ctx = self.ctx
        call = unwrap(node.named_children[0]) if node.named_children else None
        if call is None or call.type != "call_expression":
            return
        function = unwrap(call.child_by_field_name("function"))
        if function is None or function.type not in {"function_expression", "function"}:
            return
        params = ctx.param_names(function)
        body = function.child_by_field_name("body")
        if len(params) != 1 or not params[0] or body is None:
            return
        name = params[0]
        for statement in body.named_children:
            assignment = statement.named_children[0] if statement.named_children else None
            if assignment is None or assignment.type != "assignment_expression":
                continue
            left = assignment.child_by_field_name("left")
            value = _string_value(ctx, assignment.child_by_field_name("right"))
            if left is None or value is None:
                continue
            if left.type == "subscript_expression":
                obj, key_node = (
                    left.child_by_field_name("object"),
                    left.child_by_field_name("index"),
                )
                key = _string_value(ctx, key_node) if key_node is not None else None
            elif left.type == "member_expression":
                obj, key = (
                    left.child_by_field_name("object"),
                    ctx.text(left.child_by_field_name("property")),
                )
            else:
                continue
            if key is not None and ctx.text(obj) == name:
                self.constants[f"{name}.{key}"] = value

    def _object_constants(self, prefix: str, obj: Node, depth: int) -> None:
        """`const ROUTES = { users: '/users', memory: { list: { path: '/memory' } } }`:
        ROUTES.users and ROUTES.memory.list.path (objects nest a few levels in route tables)."""
        ctx = self.ctx
        if obj.named_child_count > 64:
            return
        for pair in obj.named_children:
            if pair.type != "pair":
                continue
            key = ctx.text(pair.child_by_field_name("key")).strip("'\"")
            value = unwrap(pair.child_by_field_name("value"))
            text = _string_value(ctx, value)
            if text is not None and "${" not in text:
                self.constants[f"{prefix}.{key}"] = text
            elif value is not None and value.type == "object" and depth > 1:
                self._object_constants(f"{prefix}.{key}", value, depth - 1)

    def _path(self, node: Node | None) -> str | None:
        """A string literal, a module or local constant holding one, an element of the table
        a loop runs over (`self._env`), or a template whose holes are any of those; a hole
        that is none of them is shown as `{expression}`."""
        node = unwrap(node)
        if node is None:
            return None
        if node.type == "regex":  # app.get(/^\/nodes\/([^\/]+)$/, h): Express takes a RegExp
            pattern = node.child_by_field_name("pattern")
            return regex_route_path(self.ctx.text(pattern)) if pattern is not None else None
        if node.type == "template_string":
            parts: list[str] = []
            for child in node.named_children:
                if child.type == "template_substitution":
                    expression = unwrap(child.named_children[0]) if child.named_children else None
                    value = self._path(expression) if expression is not None else None
                    parts.append(
                        value
                        if value is not None
                        else "{" + "".join(self.ctx.text(expression).split()) + "}"
                    )
                else:
                    parts.append(self.ctx.text(child))
            return "".join(parts) if node.named_children else self.ctx.text(node)[1:-1]
        value = _string_value(self.ctx, node)
        if value is not None:
            return value
        if node.type not in {"identifier", "member_expression"}:
            return None
        text = "".join(self.ctx.text(node).split())
        member = self._env_member(node)
        if member is not None:
            return self._path(member)  # `r.path` of `routes.forEach((r) => ...)`
        if text in self._env:
            bound = self._env[text]
            if bound is None:
                return "{" + text + "}"  # an element of a table we cannot read
            if isinstance(bound, str):
                return bound
            return self._path(bound) if bound.type in _STRING_TYPES else None
        if text in self.constants:
            return self.constants[text]
        if node.type == "identifier":
            local = self._local_value(node, text)
            if local is not None and local.type in _STRING_TYPES:
                return _string_value(self.ctx, local)
        return None

    def _env_member(self, node: Node) -> Node | None:
        """`r.handler` where the loop binds `r` to an object literal of the table."""
        if node.type != "member_expression" or not self._env:
            return None
        obj = node.child_by_field_name("object")
        bound = self._env.get(self.ctx.text(obj)) if obj is not None else None
        if isinstance(bound, Node) and bound.type == "object":
            return self._pair_value(bound, self.ctx.text(node.child_by_field_name("property")))
        return None

    def _local_value(self, at: Node, name: str) -> Node | None:
        """The value `name` is declared with in a function around `at`, before it, if any."""
        ctx = self.ctx
        function = ctx.enclosing_function(at)
        scopes = [function] if function is not None else []
        for scope in scopes:
            for binding in reversed(ctx.bindings_in(scope)):
                if binding.type != "variable_declarator" or binding.end_byte > at.start_byte:
                    continue
                target = binding.child_by_field_name("name")
                if target is not None and target.type == "identifier" and ctx.text(target) == name:
                    return unwrap(binding.child_by_field_name("value"))
        return unwrap(self._module_const(name))

    def _module_const(self, name: str) -> Node | None:
        """The value a top-level `const`/`let`/`var NAME = …` (exported or not) is given."""
        for statement in self.ctx.root.named_children:
            declaration = statement
            if statement.type == "export_statement":
                declaration = statement.child_by_field_name("declaration") or statement
            if declaration.type not in {"lexical_declaration", "variable_declaration"}:
                continue
            for declarator in declaration.named_children:
                target = declarator.child_by_field_name("name")
                if (
                    target is not None
                    and target.type == "identifier"
                    and self.ctx.text(target) == name
                ):
                    return declarator.child_by_field_name("value")
        return None

    def _loop_envs(self, call: Node) -> list[dict[str, Node | str | None]]:
        """For a registration inside a loop over a table (`for (const n of ['a', 'b'])`,
        `Object.entries(routes).forEach(([p, h]) => ...)`): one binding of the loop's names per
        element when the table is a literal in reach, else one binding to None (unknown)."""
        ctx = self.ctx
        loop = ctx.inside_loop(call, None)
        if loop is None:
            return []
        pattern: Node | None
        iterable: Node | None
        keys_only = False
        if loop.type == "for_in_statement":
            pattern = loop.child_by_field_name("left")
            iterable = unwrap(loop.child_by_field_name("right"))
            operator = loop.child_by_field_name("operator")
            keys_only = operator is not None and ctx.text(operator) == "in"
        elif loop.type in FUNCTION_TYPES:
            params = loop.child_by_field_name("parameters")
            first = (
                params.named_children[0] if params is not None and params.named_children else None
            )
            pattern = loop.child_by_field_name("parameter") or first
            if pattern is not None and pattern.type in {"required_parameter", "optional_parameter"}:
                pattern = pattern.child_by_field_name("pattern")
            holder = loop.parent.parent if loop.parent is not None else None
            callee = holder.child_by_field_name("function") if holder is not None else None
            iterable = unwrap(callee.child_by_field_name("object")) if callee is not None else None
        else:
            return []
        if pattern is None or iterable is None:
            return []
        names = ctx.bound_names(pattern)
        if not names:
            return []
        elements = self._table_elements(iterable, keys_only, 0)
        if elements is None:
            return [dict.fromkeys(names)]
        envs: list[dict[str, Node | str | None]] = []
        for element in elements[:_MAX_TABLE_ROUTES]:
            env: dict[str, Node | str | None] = dict.fromkeys(names)
            self._bind_element(pattern, element, env)
            envs.append(env)
        return envs

    def _table_elements(
        self, node: Node, keys_only: bool, depth: int
    ) -> list[Node | str | tuple[Node | str, ...]] | None:
        """The elements of a literal table: an array's items, an object's keys (for-in,
        Object.keys), values (Object.values) or [key, value] pairs (Object.entries)."""
        ctx = self.ctx
        node = unwrap(node) or node
        if depth > 3:
            return None
        if node.type == "identifier":
            value = self._local_value(node, ctx.text(node))
            return self._table_elements(value, keys_only, depth + 1) if value is not None else None
        if node.type == "array":
            return [e for e in node.named_children if e.type != "comment"]
        if node.type == "object":
            pairs = [p for p in node.named_children if p.type == "pair"]
            keys = [ctx.text(p.child_by_field_name("key")).strip("'\"`") for p in pairs]
            if keys_only:
                return list(keys)
            return None
        if node.type == "call_expression":
            callee = "".join(ctx.text(node.child_by_field_name("function")).split())
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            if callee not in {"Object.entries", "Object.keys", "Object.values"} or first is None:
                return None
            table = unwrap(first)
            if table is not None and table.type == "identifier":
                table = self._local_value(table, ctx.text(table))
            if table is None or table.type != "object":
                return None
            pairs = [p for p in table.named_children if p.type == "pair"]
            out: list[Node | str | tuple[Node | str, ...]] = []
            for pair in pairs:
                key = ctx.text(pair.child_by_field_name("key")).strip("'\"`")
                value = pair.child_by_field_name("value")
                if callee == "Object.keys" or value is None:
                    out.append(key)
                elif callee == "Object.values":
                    out.append(value)
                else:
                    out.append((key, value))
            return out
        return None

    def _bind_element(
        self,
        pattern: Node,
        element: Node | str | tuple[Node | str, ...],
        env: dict[str, Node | str | None],
    ) -> None:
        ctx = self.ctx
        if pattern.type == "identifier" and not isinstance(element, tuple):
            env[ctx.text(pattern)] = element
        elif pattern.type == "array_pattern":
            parts: list[Node | str] = (
                list(element)
                if isinstance(element, tuple)
                else [e for e in element.named_children]
                if not isinstance(element, str) and element.type == "array"
                else []
            )
            for sub, part in zip(pattern.named_children, parts, strict=False):
                self._bind_element(sub, part, env)
        elif (
            pattern.type == "object_pattern"
            and not isinstance(element, (str, tuple))
            and element.type == "object"
        ):
            for sub in pattern.named_children:
                if sub.type == "shorthand_property_identifier_pattern":
                    value = self._pair_value(element, ctx.text(sub))
                    if value is not None:
                        env[ctx.text(sub)] = value
                elif sub.type == "pair_pattern":
                    key = ctx.text(sub.child_by_field_name("key"))
                    local = sub.child_by_field_name("value")
                    value = self._pair_value(element, key)
                    if local is not None and value is not None:
                        self._bind_element(local, value, env)

    def _top_level(self, node: Node) -> None:
        ctx = self.ctx
        kind = node.type
        if kind == "import_statement":
            self._import(node)
        elif kind == "export_statement":
            self._export(node)
        elif kind in {"lexical_declaration", "variable_declaration"}:
            for declarator in node.named_children:
                if declarator.type == "variable_declarator":
                    self._declarator(declarator)
        elif kind == "function_declaration":
            name = ctx.text(node.child_by_field_name("name"))
            self._define(name, node)
        elif kind in {"class_declaration", "abstract_class_declaration"}:
            self._class(node)
        elif kind == "expression_statement" and node.named_children:
            expression = node.named_children[0]
            if expression.type == "assignment_expression":
                self._assignment(expression)

    def _late_assigned_functions(self, statements: list[Node]) -> None:
        """`var handler;` at module level, assigned a function later inside an initialiser
        (bundlers such as esbuild wrap each module in one): the function is the definition."""
        ctx = self.ctx
        pending: set[str] = set()
        for statement in statements:
            if statement.type != "variable_declaration":
                continue
            for declarator in statement.named_children:
                name_node = declarator.child_by_field_name("name")
                if (
                    declarator.type == "variable_declarator"
                    and declarator.child_by_field_name("value") is None
                    and name_node is not None
                    and name_node.type == "identifier"
                    and ctx.text(name_node) not in self.defs
                ):
                    pending.add(ctx.text(name_node))
        if not pending:
            return
        for assignment in ctx.descendants(
            ctx.root, "(assignment_expression left: (identifier) @name) @a", "a"
        ):
            name = ctx.text(assignment.child_by_field_name("left"))
            right = unwrap(assignment.child_by_field_name("right"))
            if name in pending and right is not None and right.type in FUNCTION_TYPES:
                pending.discard(name)
                self._define(name, right)

    def _import(self, node: Node) -> None:
        ctx = self.ctx
        source_node = node.child_by_field_name("source")
        source = _string_value(ctx, source_node)
        if source is None:
            return
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    self.imports[ctx.text(part)] = {"source": source, "name": "default"}
                elif part.type == "namespace_import":
                    for ident in part.named_children:
                        self.imports[ctx.text(ident)] = {"source": source, "name": "*"}
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = ctx.text(spec.child_by_field_name("name"))
                        alias = spec.child_by_field_name("alias")
                        self.imports[ctx.text(alias) if alias else name] = {
                            "source": source,
                            "name": name,
                        }

    def _require_source(self, node: Node | None) -> tuple[str, str] | None:
        """`require('x')` -> ('x', 'default'); `require('x').y` -> ('x', 'y')."""
        node = unwrap(node)
        if node is None:
            return None
        member = None
        if node.type == "member_expression":
            member = self.ctx.text(node.child_by_field_name("property"))
            node = node.child_by_field_name("object")
        if node is None or node.type != "call_expression":
            return None
        callee = node.child_by_field_name("function")
        if callee is not None and self.ctx.text(callee) in _INTEROP_HELPERS and member is None:
            # Babel's `_interopRequireDefault(require('./x'))`, tsc's `__importDefault(...)`:
            # the module's namespace, its default export read as `.default`.
            args = node.child_by_field_name("arguments")
            inner = args.named_children[0] if args is not None and args.named_children else None
            required = self._require_source(inner)
            return (required[0], "*") if required is not None and required[1] == "default" else None
        if (
            callee is None
            or callee.type not in {"identifier", "import"}
            or self.ctx.text(callee) not in {"require", "import"}
        ):
            return None
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        source = _string_value(self.ctx, first)
        if source is None:
            return None
        return source, member or "default"

    def _declarator(self, declarator: Node, exported: bool = False) -> None:
        ctx = self.ctx
        name_node = declarator.child_by_field_name("name")
        value = declarator.child_by_field_name("value")
        if name_node is None:
            return
        if (
            value is not None
            and value.type == "assignment_expression"
            and ctx.text(value.child_by_field_name("left")).startswith(
                ("exports.", "module.exports.")
            )
        ):
            # Babel: `var _default = exports.default = ClassesRouter;` exports it too.
            self._assignment(value)
        required = self._require_source(value)
        if required is not None:
            source, member = required
            if name_node.type == "identifier":
                self.imports[ctx.text(name_node)] = {"source": source, "name": member}
            elif name_node.type == "object_pattern":
                for child in name_node.named_children:
                    if child.type == "shorthand_property_identifier_pattern":
                        self.imports[ctx.text(child)] = {"source": source, "name": ctx.text(child)}
                    elif child.type == "pair_pattern":
                        key = ctx.text(child.child_by_field_name("key"))
                        local = child.child_by_field_name("value")
                        if local is not None and local.type == "identifier":
                            self.imports[ctx.text(local)] = {"source": source, "name": key}
            return
        source_object = unwrap(value)
        if (
            name_node.type == "object_pattern"
            and source_object is not None
            and source_object.type == "identifier"
        ):
            # `const { setupApiRoute } = routeHelpers`: names of an imported module.
            imported = self.imports.get(ctx.text(source_object))
            if imported is not None and imported["name"] in {"default", "*"}:
                for child in name_node.named_children:
                    key_node = (
                        child.child_by_field_name("key") if child.type == "pair_pattern" else child
                    )
                    local_node = (
                        child.child_by_field_name("value")
                        if child.type == "pair_pattern"
                        else child
                    )
                    if key_node is not None and local_node is not None:
                        self.imports[ctx.text(local_node)] = {
                            "source": imported["source"],
                            "name": ctx.text(key_node),
                        }
            return
        if name_node.type != "identifier":
            return
        name = ctx.text(name_node)
        if exported:
            self.exports[name] = name
        if source_object is not None and "".join(ctx.text(source_object).split()) in {
            "module.exports",
            "exports",
        }:
            self._exports_alias = name  # `const helpers = module.exports;`
            return
        alias = unwrap(value)
        if alias is not None and alias.type == "member_expression":
            # `const middleware = membersService.middleware`: a name from an imported module.
            root = ctx.text(alias.child_by_field_name("object"))
            imported = self.imports.get(root)
            if imported is not None and imported["name"] in {"default", "*"}:
                member = ctx.text(alias.child_by_field_name("property"))
                self.imports[name] = {"source": imported["source"], "name": member}
                return
        self._bind_value(name, value)

    def _bind_value(self, name: str, value: Node | None) -> None:
        value = unwrap(value)
        if value is None:
            return
        if value.type in FUNCTION_TYPES:
            self._define(name, value)
            return
        if value.type == "assignment_expression":  # `const app = module.exports = express()`
            self._bind_value(name, value.child_by_field_name("right"))
            return
        if value.type == "identifier" and self.ctx.text(value) in self.apps:
            original = self.ctx.text(value)
            # `var auth_default = router; export default auth_default` (bundler output): one
            # router under two names; the linker reads both as the first.
            self.apps[name] = self.apps[original].model_copy(
                update={"alias_of": self.apps[original].alias_of or original}
            )
            return
        if value.type == "object" and value.named_child_count <= _MAX_OBJECT_MEMBERS:
            # `const auth = { required: jwt({...}), optional: ... }`: each member is a name
            # (`auth.required`) other modules reach through the object.
            for pair in value.named_children:
                if pair.type == "pair":
                    key = self.ctx.text(pair.child_by_field_name("key")).strip("'\"")
                    member = unwrap(pair.child_by_field_name("value"))
                    if (
                        key
                        and member is not None
                        and f"{name}.{key}" not in self.defs
                        and (member.type not in FUNCTION_TYPES or self._may_be_middleware(member))
                    ):
                        self._bind_value(f"{name}.{key}", member)
                elif pair.type == "method_definition":
                    key = self.ctx.text(pair.child_by_field_name("name"))
                    if self._may_be_middleware(pair):
                        self._define(f"{name}.{key}", pair)
            return
        if value.type == "array" and value.named_children:
            # `const authAdmin = [authenticate, authorize('admin')]`: a chain used as one item.
            items = self._items(list(value.named_children))
            if any(item.get("kinds") or "ref" in item or "call" in item for item in items):
                self.defs[name] = {"kinds": [], "items": items, "line": value.start_point[0] + 1}
            return
        app = self._app_creation(value)
        if app is not None:
            kind, base, parent = app
            self.apps[name] = JsApp(kind=kind, line=value.start_point[0] + 1)
            if parent is not None:
                # `const api = app.basePath('/api')` is app's sub-app under /api.
                self.ops.append(
                    {
                        "op": "use",
                        "target": parent,
                        "path": base,
                        "items": [{"ref": name}],
                        "line": value.start_point[0] + 1,
                    }
                )
            elif base:
                self.apps[name].base = base
            return
        if value.type in {"call_expression"}:
            callee = value.child_by_field_name("function")
            args = value.child_by_field_name("arguments")
            functions = [a for a in args.named_children if a.type in FUNCTION_TYPES] if args else []
            callee_text = self.ctx.text(callee)
            if functions and (
                _HANDLER_WRAPPERS.match(callee_text.split(".")[-1])
                or callee_text in fastify.PLUGIN_WRAPPERS
            ):
                self._define(name, functions[-1], fp=callee_text in fastify.PLUGIN_WRAPPERS)
                return
            wrapped = self._fp_wrapped(value)
            if wrapped is not None:
                self._mark_fp(name, wrapped)
                return
            # A middleware factory's product: `const limiter = rateLimit({...})`.
            flat = "".join(callee_text.split())
            package = self._from_package(flat, self.ctx.text(args))
            if package is not None and (package["kinds"] or not package.get("by_name")):
                self.defs[name] = {
                    **package,
                    "line": value.start_point[0] + 1,
                    "detail": package.pop("symbol", flat),
                }
                return
            kinds = common.classify_call(callee_text)
            if kinds:
                self.defs[name] = {
                    "kinds": list(kinds),
                    "line": value.start_point[0] + 1,
                    "detail": callee_text,
                }
            elif callee_text in self.imports or callee_text in self.defs:
                self.defs[name] = {
                    "made_by": callee_text,
                    "line": value.start_point[0] + 1,
                    "kinds": [],
                }

    def _app_creation(self, node: Node) -> tuple[str, str, str | None] | None:
        """(kind, base path, parent var) if `node` creates an app/router."""
        ctx = self.ctx
        node = unwrap(node) or node
        base = ""
        # Peel `.basePath('/api')` and Hono chains `new Hono().get(...).post(...)`.
        while node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is None:
                return None
            if callee.type == "member_expression":
                method = ctx.text(callee.child_by_field_name("property"))
                inner = unwrap(callee.child_by_field_name("object"))
                if method == "basePath":
                    args = node.child_by_field_name("arguments")
                    first = args.named_children[0] if args and args.named_children else None
                    base = (self._path(first) or "") + base
                    if (
                        inner is not None
                        and inner.type == "identifier"
                        and ctx.text(inner) in self.apps
                    ):
                        return self.apps[ctx.text(inner)].kind, base, ctx.text(inner)
                    if inner is None:
                        return None
                    node = inner
                    continue
                if method in {"Router"} or ctx.text(callee) == "express.Router":
                    break
                if (
                    inner is not None
                    and inner.type in {"call_expression", "new_expression"}
                    and (method in hono.ROUTE_METHODS or method in {"use", "route", "basePath"})
                ):
                    node = inner
                    continue
            break
        if node.type not in {"call_expression", "new_expression"}:
            return None
        is_new = node.type == "new_expression"
        callee_node = node.child_by_field_name("constructor" if is_new else "function")
        if callee_node is not None:
            callee_node = unwrap_sequence(callee_node)  # `(0, import_fastify.default)(opts)`
        callee_name = "".join(ctx.text(callee_node).split())
        root_name = callee_name.split(".")[0]
        source = self.imports.get(root_name, {}).get("source")
        required = self._require_source(callee_node) if callee_node is not None else None
        if required is not None:
            source = required[0]
        for framework, module in (
            ("express", express),
            ("hono", hono),
            ("fastify", fastify),
            ("koa", koa),
        ):
            kind = module.app_kind(callee_name, source, is_new)
            if kind is not None:
                self.frameworks.add(framework)
                if kind == "koa_router":  # new Router({ prefix: '/orders' })
                    args = node.child_by_field_name("arguments")
                    options = args.named_children[0] if args and args.named_children else None
                    if options is not None and options.type == "object":
                        base = (self._path(self._pair_value(options, "prefix")) or "") + base
                return kind, base, None
        return None

    def _export(self, node: Node) -> None:
        ctx = self.ctx
        declaration = node.child_by_field_name("declaration")
        value = node.child_by_field_name("value")
        is_default = any(child.type == "default" for child in node.children)
        if declaration is not None:
            if declaration.type in {"lexical_declaration", "variable_declaration"}:
                for declarator in declaration.named_children:
                    if declarator.type == "variable_declarator":
                        self._declarator(declarator, exported=True)
            elif declaration.type in {"function_declaration", "generator_function_declaration"}:
                name = ctx.text(declaration.child_by_field_name("name"))
                self._define(name, declaration)
                self.exports["default" if is_default else name] = name
            elif declaration.type in {"class_declaration", "abstract_class_declaration"}:
                name = self._class(declaration)
                self.exports["default" if is_default else name] = name
            return
        if value is not None:
            value = unwrap(value)
            if value is None:
                return
            if value.type == "identifier":
                self.exports["default"] = ctx.text(value)
            elif value.type in FUNCTION_TYPES:
                name_node = value.child_by_field_name("name")
                name = ctx.text(name_node) if name_node is not None else "default"
                self._define(name, value)
                self.exports["default"] = name
            elif value.type in {"class", "class_declaration"}:
                self.exports["default"] = self._class(value) or "default"
            elif value.type == "call_expression" and (wrapped := self._fp_wrapped(value)):
                self._mark_fp(wrapped, wrapped)
                self.exports["default"] = wrapped
            else:
                self._bind_value("default", value)
                self.exports["default"] = "default"
            return
        source = _string_value(ctx, node.child_by_field_name("source"))
        for clause in node.named_children:
            if clause.type == "export_clause":
                for spec in clause.named_children:
                    name = ctx.text(spec.child_by_field_name("name"))
                    alias = spec.child_by_field_name("alias")
                    exported = ctx.text(alias) if alias else name
                    if source is None:
                        self.exports[exported] = name
                    else:
                        # `export { default as x } from './y'`: x is y's `default`, under the
                        # name x here (several such lines each re-export a different module).
                        self.exports[exported] = exported
                        self.imports[exported] = {"source": source, "name": name}

    def _assignment(self, node: Node) -> None:
        ctx = self.ctx
        left = node.child_by_field_name("left")
        right = unwrap(node.child_by_field_name("right"))
        if left is None or right is None:
            return
        target = "".join(ctx.text(left).split())
        if self._exports_alias and target.startswith(self._exports_alias + "."):
            target = "module.exports" + target[len(self._exports_alias) :]
        elif (
            left.type == "member_expression"
            and right.type in FUNCTION_TYPES
            and target.count(".") == 1
            and not target.startswith(("module.", "exports.", "this."))
        ):
            # `helpers.setupApiRoute = function (...) {...}`, exported with `helpers`.
            self._define(target, right)
            return
        if target in {"module.exports", "exports"}:
            if right.type == "identifier":
                self.exports["default"] = ctx.text(right)
            elif right.type == "object":
                for pair in right.named_children:
                    if pair.type == "shorthand_property_identifier":
                        self.exports[ctx.text(pair)] = ctx.text(pair)
                    elif pair.type == "pair":
                        key = ctx.text(pair.child_by_field_name("key")).strip("'\"")
                        value = unwrap(pair.child_by_field_name("value"))
                        required = self._require_source(value)
                        if value is not None and value.type == "identifier":
                            self.exports[key] = ctx.text(value)
                        elif required is not None:
                            self.imports.setdefault(
                                key, {"source": required[0], "name": required[1]}
                            )
                            self.exports[key] = key
                        elif value is not None:
                            self._bind_value(key, value)
                            self.exports[key] = key
                    elif pair.type == "method_definition":
                        key = ctx.text(pair.child_by_field_name("name"))
                        self._define(key, pair)
                        self.exports[key] = key
            elif right.type == "assignment_expression":
                self._assignment(right)
                inner = ctx.text(right.child_by_field_name("left"))
                if inner in self.apps or inner in self.defs:
                    self.exports["default"] = inner
            else:
                required = self._require_source(right)
                if required is not None:
                    self.imports["default"] = {"source": required[0], "name": required[1]}
                else:
                    self._bind_value("default", right)
                self.exports["default"] = "default"
        elif target.startswith(("module.exports.", "exports.")):
            name = target.split(".")[-1]
            required = self._require_source(right)
            if right.type == "identifier":
                self.exports[name] = ctx.text(right)
            elif required is not None:
                # `module.exports.middleware = require('./middleware')`: a re-export.
                self.imports[name] = {"source": required[0], "name": required[1]}
                self.exports[name] = name
            else:
                self._bind_value(name, right)
                self.exports[name] = name

    def _class(self, node: Node) -> str:
        ctx = self.ctx
        name = ctx.text(node.child_by_field_name("name"))
        body = node.child_by_field_name("body")
        for member in body.named_children if body is not None else []:
            if member.type == "method_definition":
                method = ctx.text(member.child_by_field_name("name"))
                if method != "constructor":
                    self._define(f"{name}.{method}", member)
                    self.defs.setdefault(method, self.defs[f"{name}.{method}"])
            elif member.type in {"public_field_definition", "field_definition"}:
                value = unwrap(member.child_by_field_name("value"))
                prop = ctx.text(
                    member.child_by_field_name("name") or member.child_by_field_name("property")
                )
                if value is not None and value.type in FUNCTION_TYPES and prop:
                    self._define(f"{name}.{prop}", value)
                    self.defs.setdefault(prop, self.defs[f"{name}.{prop}"])
        return name

    def _fp_wrapped(self, value: Node) -> str | None:
        """`fp(authPlugin, {...})` over a plugin function defined above: its name."""
        callee = value.child_by_field_name("function")
        args = value.child_by_field_name("arguments")
        if callee is None or args is None or not args.named_children:
            return None
        wrapped = args.named_children[0]
        name = self.ctx.text(wrapped)
        if (
            self.ctx.text(callee) in fastify.PLUGIN_WRAPPERS
            and wrapped.type == "identifier"
            and name in self.defs
        ):
            return name
        return None

    def _mark_fp(self, name: str, plugin: str) -> None:
        """`export default fp(authPlugin)`: the plugin's hooks and decorations are shared with
        the instance that registers it, as if it had been written inside fp(...)."""
        entry = self.defs[plugin]
        if "plugin_param" in entry:
            entry["fp"] = True
            for found in self.plugins.values():
                if found.name == plugin:
                    found.fp = True
        if name != plugin:
            self.defs[name] = entry

    def _define(self, name: str, function: Node, fp: bool = False) -> None:
        if not name:
            return
        ctx = self.ctx
        self._function_names[function.id] = name
        params = ctx.param_names(function)
        size = function.end_byte - function.start_byte
        # Whole-module wrappers and big library functions are neither middleware nor handlers.
        body = ctx.text(function) if size <= MAX_CLASSIFIED_BODY else ""
        kinds = self._classify(body, params, name) if _middleware_like(params, body) else []
        if not kinds and body and _returns_validator(ctx, function, body):
            kinds = ["validation"]
        entry: dict[str, Any] = {"kinds": kinds, "line": function.start_point[0] + 1}
        if not kinds and body and len(params) <= 2:
            produced = self._returned_middleware(function)
            if produced is not None:
                entry.update(produced)
                kinds = entry["kinds"]
        if body and (
            ctx.is_handler(function) or (params and params[0] in {"req", "request", "c", "ctx"})
        ):
            entry["handler"] = self.handler_facts(function)
        tail = ctx.source[max(function.start_byte, function.end_byte - 300) : function.end_byte]
        returned = _RETURNS_NAME.search(tail.decode("utf-8", "replace"))
        if returned:
            entry["returns"] = returned.group(1)  # router factories: `return router;`
        elif len(params) <= 1:
            delegated = _RETURNS_CALL.search(tail.decode("utf-8", "replace"))
            if delegated:
                entry["returns_call"] = delegated.group(1)
        if (
            body
            and len(params) >= 3
            and not kinds
            and _registers_on_param(body, params)
            and not ctx.is_handler(function)
        ):
            registers = self._registers(function, params)
            if registers is not None:
                entry["registers"] = registers
        if params and params[0] in fastify.INSTANCE_PARAMS and not ctx.is_handler(function):
            entry["plugin_param"] = params[0]
            if fp:
                entry["fp"] = True
        self.defs[name] = entry

    def _may_be_middleware(self, function: Node) -> bool:
        """A member of an object worth reading as middleware or a handler: it takes the
        request, or it builds a function (a factory). Utility methods of big objects are not."""
        params = self.ctx.param_names(function)
        if params and params[0] in _REQUEST_PARAMS:
            return True
        body = function.child_by_field_name("body")
        if body is not None and body.type != "statement_block":
            return body.type in FUNCTION_TYPES | {"call_expression"}
        if body is None or function.end_byte - function.start_byte > MAX_VALIDATOR_FACTORY:
            return False
        inner = self.ctx.source[body.start_byte : body.end_byte]
        # A factory: it builds a function, or it only returns what a call makes.
        return b"=>" in inner or b"function" in inner or body.named_child_count == 1

    def _returned_middleware(self, function: Node) -> dict[str, Any] | None:
        """A factory returning middleware: `() => rateLimit({...})` (what the package does),
        `() => (req, res, next) => {...}` (what that function's body does)."""
        ctx = self.ctx
        body = function.child_by_field_name("body")
        returned: Node | None = None
        if body is not None and body.type != "statement_block":
            returned = unwrap(body)
        elif body is not None:
            for statement in reversed(body.named_children):
                if statement.type == "return_statement":
                    returned = (
                        unwrap(statement.named_children[0]) if statement.named_children else None
                    )
                    break
        if returned is None:
            return None
        if returned.type in FUNCTION_TYPES:
            params = ctx.param_names(returned)
            text = ctx.text(returned)
            if not _middleware_like(params, text):
                return None
            kinds = self._classify(text, params, "")
            return {"kinds": kinds} if kinds else None
        if returned.type != "call_expression":
            return None
        callee = "".join(ctx.text(returned.child_by_field_name("function")).split())
        package = self._from_package(callee, ctx.text(returned.child_by_field_name("arguments")))
        if package is None or not package["kinds"]:
            return None
        package.pop("symbol", None)
        return {**package, "detail": callee}

    def _classify(self, body: str, params: list[str], name: str) -> list[str]:
        """classify_body, plus validation or authentication done by a function of this file
        that the middleware calls: `ctx.request.body = check(schema, ...)`."""
        kinds = list(common.classify_body(body, params))
        lowered = body.lower()
        # The middleware hands a schema (or something named for validation) to the helper.
        if (
            "validation" not in kinds
            and ("schema" in lowered or "valid" in lowered)
            and self._calls_helper_that(body, name, "validation")
        ):
            kinds.append("validation")
        # The hook hands the request to a function of this file that authenticates it:
        # `addHook('preHandler', async (request, reply) => { await authenticate(request, ...) })`
        if (
            "auth" not in kinds
            and _AUTH_HINT.search(lowered)
            and self._calls_helper_that(body, name, "auth")
        ):
            kinds.append("auth")
        return kinds

    def _calls_helper_that(self, body: str, name: str, kind: str) -> bool:
        """Whether `body` calls a function of this file (other than `name`) whose own body
        does `kind` and rejects: validates input (safeParse, 400), checks a credential (401)."""
        functions = self._file_functions()
        for helper in set(_CALLED_NAME.findall(body)) & functions.keys() - {name}:
            cached = self._helper_kinds.get((helper, kind))
            if cached is None:
                function = functions[helper]
                text = self.ctx.text(function)
                cached = self._helper_kinds[(helper, kind)] = len(text) <= MAX_CLASSIFIED_BODY and (
                    kind in common.classify_body(text, self.ctx.param_names(function))
                )
            if cached:
                return True
        return False

    def _file_functions(self) -> dict[str, Node]:
        """The top-level functions of this file by name (declarations and `const f = () =>`)."""
        if self._top_functions is None:
            ctx = self.ctx
            found: dict[str, Node] = {}
            for statement in ctx.root.named_children:
                node = statement
                if node.type == "export_statement":
                    node = node.child_by_field_name("declaration") or node
                if node.type == "function_declaration":
                    name_node = node.child_by_field_name("name")
                    if name_node is not None:
                        found[ctx.text(name_node)] = node
                elif node.type in {"lexical_declaration", "variable_declaration"}:
                    for declarator in node.named_children:
                        value = unwrap(declarator.child_by_field_name("value"))
                        name_node = declarator.child_by_field_name("name")
                        if value is not None and value.type in FUNCTION_TYPES and name_node:
                            found[ctx.text(name_node)] = value
            self._top_functions = found
        return self._top_functions

    def handler_facts(self, function: Node) -> dict[str, Any]:
        ctx = self.ctx
        body = ctx.text(function)
        facts: dict[str, Any] = {
            "lines": function.end_point[0] - function.start_point[0] + 1,
            # where the handler's code is: findings inside it are judged with its routes
            "span": [function.start_point[0] + 1, function.end_point[0] + 1],
        }
        if len(body) > MAX_CLASSIFIED_BODY:
            return facts
        # `parseInt(req.query.page)` is converted on the spot: not raw data flowing on.
        if _READS_BODY.search(_CAST_READ.sub("", body)):
            facts["reads"] = True
            if self._raw_use(function, body):
                facts["raw_use"] = True
        if _LOADS_BY_ID.search(body) and _USES_ROUTE_ID.search(body):
            facts["loads_by_id"] = True
        if common.ownership_in(body):
            facts["ownership"] = True
        if common.role_check_in(body):
            facts["role_check"] = True
        if common.validation_in(body) or _MANUAL_VALIDATION.search(body):
            facts["validation"] = True
        if common.auth_check_in(body):
            facts["auth_check"] = True
        if _DB_CALL.search(body):
            facts["db"] = True
        delegate = _DELEGATES.match(body)
        if delegate:
            facts["delegates"] = "".join(delegate.group(1).split())
        elif "params" in body and _dispatches_by_path_param(body):
            facts["dispatches"] = True
        if self._fixed_response(function):
            facts["fixed_response"] = True
        return facts

    def _fixed_response(self, function: Node) -> bool:
        """`(_req, res) => { res.setHeader(...); res.send(indexHtml); }`: the request is never
        read and every call is on the response, with nothing but names or literals: each
        caller gets the same bytes (a single-page app's shell, a fixed document)."""
        ctx = self.ctx
        params = ctx.param_names(function)
        if len(params) < 2 or len(params) > 3 or "await" in ctx.text(function):
            return False
        request, response = params[0], params[1]
        body = function.child_by_field_name("body")
        if body is None or body.type not in {"statement_block", "call_expression"}:
            return False
        text = ctx.text(body)
        if (
            request
            and not request.startswith("_")
            and re.search(rf"\b{re.escape(request)}\b", text)
        ):
            return False
        calls = ctx.call_expressions_in(body)
        if not calls:
            return False
        for call in calls:
            callee = call.child_by_field_name("function")
            if callee is None or callee.type != "member_expression":
                return False
            holder = ctx.text(callee.child_by_field_name("object"))
            if holder.split(".")[0] != response:
                return False
            args = call.child_by_field_name("arguments")
            for arg in args.named_children if args is not None else []:
                if arg.type not in {"string", "identifier", "number", "template_string"}:
                    return False
                if arg.type == "template_string" and arg.named_children:
                    return False
        return True

    def _raw_use(self, function: Node, body: str) -> bool:
        """Request data used as-is: in a database call, a file path, a command, code, or
        spread into a record. Handed whole to a project function, it may be checked there."""
        ctx = self.ctx
        if _SPREAD_REQUEST.search(body):
            return True
        tainted = ctx.tainted_names(function)
        calls = ctx.calls
        start = bisect.bisect_left(calls, function.start_byte, key=lambda c: c.node.start_byte)
        for call in calls[start:]:
            if call.node.start_byte >= function.end_byte:
                break
            callee = call.callee
            if not (
                call.name in _FILE_OR_COMMAND
                or _PATH_CALL.match(callee)
                or _DB_ROOT.match(callee)
                or _MODEL_CALL.match(callee)
            ):
                continue
            args = call.node.child_by_field_name("arguments")
            if args is not None and ctx.mentions_request_data(ctx.text(args), tainted):
                return True
        return False

    # ---- registrations --------------------------------------------------------------------

    def _target(self, obj: Node) -> tuple[str, str] | None:
        """The app/router var a registration is made on, and a path prefix from chains."""
        ctx = self.ctx
        obj = unwrap(obj) or obj
        prefix = ""
        while obj.type == "call_expression":
            callee = obj.child_by_field_name("function")
            if callee is None or callee.type != "member_expression":
                return None
            method = ctx.text(callee.child_by_field_name("property"))
            args = obj.child_by_field_name("arguments")
            arg_nodes = args.named_children if args is not None else []
            if method == "route" and len(arg_nodes) == 1:  # Express router.route('/x')
                prefix = self._path(arg_nodes[0]) or ""
            elif method not in express.ROUTE_METHODS | hono.ROUTE_METHODS | {
                "use",
                "route",
                "basePath",  # Hono RPC style: `new Hono().basePath('/api').route('/x', x)`;
            }:  # the app's base already holds the path
                return None
            inner = callee.child_by_field_name("object")
            if inner is None:
                return None
            obj = unwrap(inner) or inner
        text = "".join(ctx.text(obj).split())
        if obj.type == "identifier" or (
            obj.type == "member_expression" and text.startswith("this.")
        ):
            plugin = self._plugin_of(obj, text)
            if plugin is not None:
                return plugin, prefix
            return text, prefix
        if obj.type in {"new_expression", "call_expression"}:
            # Chained definition: `const auth = new Hono().post('/login', ...)`.
            holder = obj.parent
            while holder is not None and holder.type not in {
                "variable_declarator",
                "export_statement",
                "statement_block",
                "program",
            }:
                holder = holder.parent
            if holder is not None and holder.type == "variable_declarator":
                name = ctx.text(holder.child_by_field_name("name"))
                if name in self.apps:
                    return name, prefix
            elif (
                holder is not None and holder.type == "export_statement" and "default" in self.apps
            ):
                return "default", prefix
        return None

    def _plugin_of(self, node: Node, name: str) -> str | None:
        """If `name` is the instance parameter of an enclosing plugin function, its key."""
        if name in _REQUEST_PARAMS:  # `ctx.get('Authorization')` in Koa middleware: a request
            return None
        function = self.ctx.enclosing_function(node)
        while function is not None:
            params = self.ctx.param_names(function)
            if params and params[0] == name:
                key = f"plugin@{function.start_point[0] + 1}"
                if key not in self.plugins:
                    fn_name = self._function_names.get(function.id, "")
                    wrapper = function.parent.parent if function.parent is not None else None
                    fp = False
                    if wrapper is not None and wrapper.type == "call_expression":
                        fp = (
                            self.ctx.text(wrapper.child_by_field_name("function"))
                            in fastify.PLUGIN_WRAPPERS
                        )
                    self.plugins[key] = JsPlugin(
                        name=fn_name, fp=fp or bool(self.defs.get(fn_name, {}).get("fp"))
                    )
                    self.apps.setdefault(
                        key, JsApp(kind="plugin", line=function.start_point[0] + 1)
                    )
                return key
            function = self.ctx.enclosing_function(function)
        return None

    def _registration(self, node: Node) -> None:
        ctx = self.ctx
        if node.type != "call_expression":
            return
        callee = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        if callee is None or args_node is None or args_node.type != "arguments":
            return
        args = [a for a in args_node.named_children if a.type != "comment"]
        if callee.type == "identifier":
            self._helper_call(node, ctx.text(callee), args)
            self._plain_call(node, ctx.text(callee), args)
            return
        if callee.type != "member_expression":
            return
        prop = callee.child_by_field_name("property")
        method = ctx.text(prop)
        obj = callee.child_by_field_name("object")
        if obj is None or prop is None:
            return
        if method not in _REGISTRATION_NAMES:
            self._helper_call(node, "".join(ctx.text(callee).split()), args)
            return
        # The method's line: in `router.get(...)\n  .post(...)` the post is not on the first.
        line = prop.start_point[0] + 1
        if method in _ROUTE_CALLS:
            self._route_call(node, method, obj, args, line)
        elif method == "openapi" and len(args) >= 2:
            self._openapi_route(obj, args, line)
        elif method == "use" and args:
            if any(self._is_error_middleware(a) for a in args):
                # `args.app.use((err, req, res, next) => ...)`: whatever the app is called.
                self.error_handlers.append(line)
            target = self._target(obj)
            if target is None or not self._is_app_like(target[0]):
                return
            mounted = self._mount_call(args[0]) if len(args) == 1 else None
            use_path: str | None
            if mounted is not None:  # app.use(mount('/api', api)): api under /api
                use_path, items = mounted
            else:
                use_path = self._path(args[0])
                items = args[1:] if use_path is not None else args
            described = self._items(items)
            record: dict[str, Any] = {
                "op": "use",
                "target": target[0],
                "path": use_path,
                "items": described,
                "line": line,
            }
            condition = self._condition_of(node)
            if condition:
                record["condition"] = condition
            self.ops.append(record)
            for item in described:
                if "error_handler" in item.get("kinds", []):
                    self.error_handlers.append(line)
        elif method == "route" and len(args) == 2:  # Hono app.route('/prefix', sub)
            target = self._target(obj)
            path = self._path(args[0])
            if target is not None and path is not None:
                self.ops.append(
                    {
                        "op": "use",
                        "target": target[0],
                        "path": path,
                        "items": self._items(args[1:]),
                        "line": line,
                    }
                )
        elif method == "route" and len(args) == 1 and args[0].type == "object":
            self._fastify_route_object(node, obj, args[0], line)
        elif method == "register" and args:
            target = self._target(obj)
            if target is None:
                return
            prefix = None
            if len(args) > 1 and args[1].type == "object":
                prefix = self._path(self._pair_value(args[1], "prefix"))
            plugin_items = self._items(args[:1])
            options = self._describe_register_options(args[1] if len(args) > 1 else None)
            self.ops.append(
                {
                    "op": "register",
                    "target": target[0],
                    "path": prefix,
                    "items": plugin_items,
                    "line": line,
                    **options,
                }
            )
        elif method == "addHook" and len(args) >= 2:
            hook = _string_value(ctx, args[0])
            target = self._target(obj)
            if target is not None and hook in fastify.GUARD_HOOKS:
                self.ops.append(
                    {
                        "op": "hook",
                        "target": target[0],
                        "hook": hook,
                        "items": self._items(args[1:]),
                        "line": line,
                    }
                )
        elif (
            method in {"onError", "setErrorHandler", "setNotFoundHandler"}
            and method != "setNotFoundHandler"
        ):
            self.error_handlers.append(line)
        elif method == "decorate" and len(args) >= 2:
            name = _string_value(ctx, args[0])
            value = unwrap(args[1])
            if name and value is not None:
                if value.type in FUNCTION_TYPES:
                    kinds = common.classify_body(ctx.text(value), ctx.param_names(value))
                else:
                    kinds = tuple(self._describe(value).get("kinds", []))
                self.decorations[name] = list(kinds)

    def _condition_of(self, node: Node) -> str:
        """The condition a registration runs under in its function or module
        (`if (env === 'production') app.use(limiter)`), or ""."""
        child = node
        current = node.parent
        while current is not None and current.type not in FUNCTION_TYPES | {"program"}:
            condition = current.child_by_field_name("condition")
            if current.type in {"if_statement", "ternary_expression"} and condition is not None:
                if child != condition:
                    return " ".join(self.ctx.text(condition).split()).strip("()")[:80]
            elif current.type == "binary_expression" and child == current.child_by_field_name(
                "right"
            ):
                operator = current.child_by_field_name("operator")
                if operator is not None and self.ctx.text(operator) == "&&":
                    return " ".join(self.ctx.text(current.child_by_field_name("left")).split())[:80]
            child = current
            current = current.parent
        return ""

    def _helper_call(self, node: Node, callee: str, args: list[Node]) -> None:
        """`setupApiRoute(router, 'put', '/users/:uid', [mw], controller.fn)`: a call handing
        an app or router of this file to a function, with a path among its arguments. Whether
        the function registers a route, and with which arguments, is read from its definition
        by the linker (the function may live in another module)."""
        if len(args) < 3 or not any(
            a.type == "identifier" and self.ctx.text(a) in self.apps for a in args
        ):
            return
        described: list[dict[str, Any]] = []
        for arg in args:
            value = unwrap(arg) or arg
            entry: dict[str, Any] = {}
            if value.type == "identifier" and self.ctx.text(value) in self.apps:
                entry["app"] = self.ctx.text(value)
            else:
                text = self._path(value)
                if text is not None:
                    entry["text"] = text
                elif value.type in _HELPER_VALUE_TYPES:
                    entry["items"] = self._items([value])
                    entry["handler"] = self._handler(value)
            described.append(entry)
        target = next(e["app"] for e in described if "app" in e)
        self.ops.append(
            {
                "op": "helper",
                "target": target,
                "callee": callee,
                "args": described,
                "line": node.start_point[0] + 1,
            }
        )

    def _registers(self, function: Node, params: list[str]) -> dict[str, Any] | None:
        """For a function that registers a route on its parameter (`router[verb](name, mws,
        controller)`, `app.get(path, ...handlers)`): which of its parameters are the router,
        the method, the path, the middleware and the handler."""
        ctx = self.ctx
        index = {name: i for i, name in enumerate(params) if name}
        calls = ctx.calls
        start = bisect.bisect_left(calls, function.start_byte, key=lambda c: c.node.start_byte)
        for call in calls[start:]:
            if call.node.start_byte >= function.end_byte:
                break
            callee = call.callee_node
            if callee is None or call.is_new or len(call.args) < 2:
                continue
            method: Any
            if callee.type == "subscript_expression":
                obj = callee.child_by_field_name("object")
                key = unwrap(callee.child_by_field_name("index"))
                if key is None or ctx.text(key) not in index:
                    continue
                method = {"param": index[ctx.text(key)]}
            elif callee.type == "member_expression":
                obj = callee.child_by_field_name("object")
                method = ctx.text(callee.child_by_field_name("property"))
                if method not in express.ROUTE_METHODS:
                    continue
                method = method.upper()
            else:
                continue
            if obj is None or ctx.text(obj) not in index:
                continue
            path_node = unwrap(call.args[0]) or call.args[0]
            path: Any = self._path(path_node)
            if path is None:
                if ctx.text(path_node) not in index:
                    continue
                path = {"param": index[ctx.text(path_node)]}
            specs = [self._helper_arg(function, a, index) for a in call.args[1:]]
            return {
                "target": index[ctx.text(obj)],
                "method": method,
                "path": path,
                "items": [item for spec in specs[:-1] for item in spec],
                "handler": specs[-1],
            }
        return None

    def _helper_arg(
        self, function: Node, node: Node, index: dict[str, int]
    ) -> list[dict[str, Any]]:
        """An argument of the route call inside a helper: the helper's parameter, an array
        mixing its own middleware with a spread parameter, or a call wrapping a parameter."""
        ctx = self.ctx
        node = unwrap(node) or node
        text = ctx.text(node)
        if node.type == "identifier" and text in index:
            # `middlewares = [logRequest, ...middlewares]` reassigns it before the call.
            for binding in reversed(ctx.bindings_in(function)):
                if binding.end_byte > node.start_byte:
                    continue  # not done before this use (`mws = [a, ...mws]` reads the old one)
                target = binding.child_by_field_name(
                    "name" if binding.type == "variable_declarator" else "left"
                )
                value = unwrap(
                    binding.child_by_field_name(
                        "value" if binding.type == "variable_declarator" else "right"
                    )
                )
                if target is not None and ctx.text(target) == text and value is not None:
                    if value.type == "array":
                        return self._helper_arg(function, value, index)
                    break
            return [{"param": index[text]}]
        if node.type == "array":
            out: list[dict[str, Any]] = []
            for element in node.named_children:
                if element.type == "spread_element" and element.named_children:
                    out.extend(self._helper_arg(function, element.named_children[0], index))
                else:
                    out.extend(self._helper_arg(function, element, index))
            return out
        if node.type == "call_expression":
            args = node.child_by_field_name("arguments")
            for arg in args.named_children if args is not None else []:
                if arg.type == "identifier" and ctx.text(arg) in index:
                    return [{"param": index[ctx.text(arg)]}]  # tryRoute(controller, ...)
        return [{"item": item} for item in self._items([node])]

    def _plain_call(self, node: Node, callee: str, args: list[Node]) -> None:
        """`require('./routes')(app)` / `registerRoutes(app)`: a function applied to an app."""
        ctx = self.ctx
        if not args:
            return
        first = unwrap(args[0])
        if first is None or first.type != "identifier" or ctx.text(first) not in self.apps:
            return
        self.ops.append(
            {
                "op": "apply",
                "target": ctx.text(first),
                "items": [{"ref": callee}],
                "line": node.start_point[0] + 1,
            }
        )

    def _is_app_like(self, name: str) -> bool:
        if name in self.apps:
            return True
        if _NOT_APP_OBJECTS.match(name):
            return False
        return name in self.imports or bool(
            re.search(r"app|router|server|api|routes?$", name, re.I)
        )

    def _is_error_middleware(self, node: Node) -> bool:
        """`(err, req, res, next) => ...`, or a function named or defined as one."""
        node = unwrap(node) or node
        if node.type in FUNCTION_TYPES:
            return common.is_error_middleware(self.ctx.param_names(node))
        if node.type in {"identifier", "member_expression"}:
            text = "".join(self.ctx.text(node).split())
            local = self.defs.get(text)
            if local is not None and "error_handler" in local.get("kinds", []):
                return True
            return _ERROR_HANDLER_NAME.match(text.rsplit(".", maxsplit=1)[-1]) is not None
        return False

    def _route_call(self, node: Node, method: str, obj: Node, args: list[Node], line: int) -> None:
        """One route per element of the table a loop around the call runs over."""
        envs = self._loop_envs(node) if args and self.ctx.inside_loop(node, None) else []
        if not envs:
            self._route_call_once(node, method, obj, args, line)
            return
        for env in envs:
            self._env = env
            bound = [
                value if isinstance(value, Node) and value.type not in _STRING_TYPES else arg
                for arg in args
                for value in [
                    env.get(self.ctx.text(arg))
                    if arg.type == "identifier"
                    else self._env_member(arg)
                ]
            ]
            try:
                self._route_call_once(node, method, obj, bound, line)
            finally:
                self._env = {}

    def _route_call_once(
        self, node: Node, method: str, obj: Node, args: list[Node], line: int
    ) -> None:
        target = self._target(obj)
        if target is None:
            return
        name, prefix = target
        path: str | None
        if prefix and (not args or self._path(args[0]) is None):
            path, rest = prefix, args
        else:
            if not args:
                return
            path = self._path(args[0])
            rest = args[1:]
            if method == "on":
                # Hono's app.on('GET', path, h); `emitter.on('event', h)` is a listener.
                if path is None or len(args) < 3 or not path.isalpha():
                    return
                method = path.lower()
                path = self._path(args[1])
                rest = args[2:]
        if path and name in self.apps and _RPC_PATH.match(path):
            # `router.post("documents.info", ...)` on a router of a known framework: RPC-style
            # routes are served under the router's prefix as /documents.info.
            path = "/" + path
        if (
            path is None
            or not rest
            or ((path and not path.startswith(("/", "*", "$", "{"))) and path != "")
        ):
            return
        if name not in self.apps and not self._is_app_like(name):
            return
        if name not in self.apps and rest[-1].type not in FUNCTION_TYPES | {
            "identifier",
            "member_expression",
            "call_expression",
        }:
            return
        if method == "all" and "*" in path:
            # app.all('/api/*', requireAuth): middleware on a path, not a route.
            described = self._items(rest)
            scope = path.replace("*", "").rstrip("/") or None
            self.ops.append(
                {"op": "use", "target": name, "path": scope, "items": described, "line": line}
            )
            return
        if "*" in path and method != "all":
            # app.put('/api/v1/*', writeAuth()): whatever answers PUT under /api/v1 passes
            # through it first, so it guards those routes as middleware for that method (and
            # stays a route of its own, as Express lists it, guarded by itself)
            self.ops.append(
                {
                    "op": "use",
                    "target": name,
                    "path": path.replace("*", "").rstrip("/") or None,
                    "items": self._items(rest),
                    "line": line,
                    "methods": ["DELETE" if method == "del" else method.upper()],
                }
            )
        if len(rest) >= 2 and self._is_error_middleware(rest[-1]):
            # router.get('/x', auth, handler, errorHandler): the handler comes before it.
            self.error_handlers.append(line)
            rest = rest[:-1]
        options: dict[str, Any] = {}
        if len(rest) >= 2 and rest[0].type == "object":  # Fastify: get(path, opts, handler)
            options = self._route_options(rest[0])
            rest = rest[1:]
        handler = rest[-1]
        if handler.type == "object":  # Fastify: get(path, { handler, ...opts })
            options = self._route_options(handler)
            handler_node = self._pair_value(handler, "handler")
            if handler_node is None:
                return
            handler = handler_node
        record: dict[str, Any] = {
            "op": "route",
            "target": name,
            "method": "ANY"
            if method == "all"
            else ("DELETE" if method == "del" else method.upper()),
            "path": path,
            "items": self._items(rest[:-1]) + options.pop("items", []),
            "handler": self._handler(handler),
            "line": line,
        }
        record.update(options)
        self.ops.append(record)

    def _openapi_route(self, obj: Node, args: list[Node], line: int) -> None:
        """@hono/zod-openapi: `app.openapi(createRoute({ method, path, middleware, request }),
        handler)`, the route given inline or as a constant of this file. Its `request` schemas
        are validated before the handler runs."""
        ctx = self.ctx
        target = self._target(obj)
        spec = self._openapi_spec(args[0])
        if target is None or spec is None:
            return
        method = _string_value(ctx, self._pair_value(spec, "method"))
        path = self._path(self._pair_value(spec, "path"))
        if not method or path is None:
            return
        middleware = self._pair_value(spec, "middleware")
        record: dict[str, Any] = {
            "op": "route",
            "target": target[0],
            "method": method.upper(),
            "path": _OPENAPI_PARAM.sub(r":\1", path),  # OpenAPI's {id} is Hono's :id
            "items": self._items([middleware]) if middleware is not None else [],
            "handler": self._handler(args[-1]),
            "line": line,
        }
        request = self._pair_value(spec, "request")
        if request is not None and (
            request.type != "object"
            or re.search(r"\b(body|params|query|headers|cookies)\b", ctx.text(request))
        ):
            record["schema"] = True
        self.ops.append(record)

    def _openapi_spec(self, node: Node) -> Node | None:
        """The object given to createRoute(), inline or in a module-level constant."""
        node = unwrap(node) or node
        if node.type == "identifier":
            value = self._module_const(self.ctx.text(node))
            return self._openapi_spec(value) if value is not None else None
        if node.type != "call_expression":
            return None
        callee = self.ctx.text(node.child_by_field_name("function"))
        args = node.child_by_field_name("arguments")
        spec = args.named_children[0] if args is not None and args.named_children else None
        if _CREATE_ROUTE.match(callee.rsplit(".", maxsplit=1)[-1]) and spec is not None:
            return spec if spec.type == "object" else None
        return None

    def _fastify_route_object(self, node: Node, obj: Node, spec: Node, line: int) -> None:
        ctx = self.ctx
        target = self._target(obj)
        if target is None:
            return
        method_node = self._pair_value(spec, "method")
        url = self._path(self._pair_value(spec, "url") or self._pair_value(spec, "path"))
        handler = self._pair_value(spec, "handler")
        if url is None or handler is None:
            return
        methods: list[str] = []
        if method_node is not None and method_node.type == "array":
            methods = [(_string_value(ctx, m) or "ANY").upper() for m in method_node.named_children]
        else:
            methods = [(_string_value(ctx, method_node) or "ANY").upper()]
        options = self._route_options(spec)
        for method in methods:
            self.ops.append(
                {
                    "op": "route",
                    "target": target[0],
                    "method": method,
                    "path": url,
                    "items": list(options.get("items", [])),
                    "handler": self._handler(handler),
                    "line": line,
                    **{k: v for k, v in options.items() if k != "items"},
                }
            )

    def _pair_value(self, obj: Node, key: str) -> Node | None:
        for pair in obj.named_children:
            if (
                pair.type == "pair"
                and self.ctx.text(pair.child_by_field_name("key")).strip("'\"") == key
            ):
                return pair.child_by_field_name("value")
            if pair.type == "shorthand_property_identifier" and self.ctx.text(pair) == key:
                return pair
            if (
                pair.type == "method_definition"
                and self.ctx.text(pair.child_by_field_name("name")) == key
            ):
                return pair
        return None

    def _route_options(self, obj: Node) -> dict[str, Any]:
        """Fastify route options: hooks, schema, config.rateLimit."""
        items: list[dict[str, Any]] = []
        for hook in fastify.GUARD_HOOKS:
            value = self._pair_value(obj, hook)
            if value is not None:
                items.extend(self._items([value]))
        out: dict[str, Any] = {"items": items}
        schema = self._pair_value(obj, "schema")
        if schema is not None:
            text = self.ctx.text(schema)
            if schema.type != "object" or re.search(r"\b(body|querystring|query|params)\b", text):
                out["schema"] = True
        config = self._pair_value(obj, "config")
        if config is not None and config.type == "object":
            limit = self._pair_value(config, "rateLimit")
            if limit is not None:
                out["rate_limit"] = self.ctx.text(limit) != "false"
        return out

    def _describe_register_options(self, options: Node | None) -> dict[str, Any]:
        if options is None or options.type != "object":
            return {}
        out: dict[str, Any] = {}
        text = self.ctx.text(options)
        if re.search(r"\bglobal\s*:\s*false", text):
            out["global"] = False
        return out

    # ---- middleware items -----------------------------------------------------------------

    def _items(self, nodes: list[Node]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for raw in nodes:
            node = unwrap(raw) or raw
            if node.type == "array":
                items.extend(self._items(list(node.named_children)))
            elif node.type not in _STRING_TYPES:
                items.append(self._describe(node))
        return items

    def _describe(self, node: Node) -> dict[str, Any]:
        ctx = self.ctx
        line = node.start_point[0] + 1
        if node.type in FUNCTION_TYPES:
            body = ctx.text(node)
            params = ctx.param_names(node)
            kinds = self._classify(body, params, "") if _middleware_like(params, body) else []
            inline: dict[str, Any] = {"inline": True, "kinds": kinds, "line": line}
            if params and params[0] in fastify.INSTANCE_PARAMS and not ctx.is_handler(node):
                # fastify.register(async (instance) => { instance.get(...) }, { prefix })
                inline["plugin"] = f"plugin@{line}"
            return inline
        if node.type == "member_expression":
            instance = unwrap(node.child_by_field_name("object"))
            constructor = (
                instance.child_by_field_name("constructor")
                if instance is not None and instance.type == "new_expression"
                else None
            )
            if constructor is not None and constructor.type in {"identifier", "member_expression"}:
                # `new AdminApi(config).router`: the router the class builds (classes.py).
                ref = "".join(ctx.text(constructor).split())
                described: dict[str, Any] = {
                    "ref": ref,
                    "kinds": [],
                    "line": line,
                    "instance": True,
                }
                args = instance.child_by_field_name("arguments") if instance else None
                literals = [
                    ctx.text(a)[1:-1] if a.type == "string" else None
                    for a in (args.named_children if args is not None else [])
                ]
                if literals:
                    # `new ContextController(config, services, 'project')`: the constructor
                    # may choose this instance's paths from them (classes.py).
                    described["new_args"] = literals
                return described
        text = "".join(ctx.text(node).split())
        if node.type == "identifier" and not (
            text in self.defs or text in self.imports or text in self.apps
        ):
            loaded = self._loaded_in_function(node, text)
            if loaded is not None:  # `const { api } = await import('./ui')` in this function
                return {"require": loaded[0], "name": loaded[1], "kinds": [], "line": line}
        if node.type in {"identifier", "member_expression"}:
            local = self.defs.get(text)
            package = self._from_package(text, "") if local is None else None
            if package is not None:
                return {"ref": text, "line": line, "local": False, **package}
            kinds = list(local["kinds"]) if local is not None else list(common.classify_name(text))
            if text.startswith(("fastify.", "app.", "server.", "this.")):
                return {"ref": text, "decorated": text.split(".")[-1], "kinds": kinds, "line": line}
            return {"ref": text, "kinds": kinds, "line": line, "local": local is not None}
        if node.type == "call_expression":
            callee_node = node.child_by_field_name("function")
            callee = "".join(ctx.text(callee_node).split())
            if self._uses_koa() and callee.endswith(".allowedMethods"):
                return {"call": callee, "kinds": [], "line": line}  # answers 405/501; no routes
            mounted = self._koa_mount(node, callee)
            if mounted is not None:
                return self._describe(mounted)
            required = self._require_source(node)
            if (
                required is None
                and callee_node is not None
                and callee_node.type == "call_expression"
            ):
                required = self._require_source(callee_node)  # require('./routes')(deps)
            if required is not None:
                return {"require": required[0], "name": required[1], "kinds": [], "line": line}
            if callee.endswith(".auth") and callee.split(".")[0] in {
                "fastify",
                "app",
                "server",
                "this",
            }:
                # @fastify/auth: fastify.auth([fastify.verifyJWT, ...])
                args = node.child_by_field_name("arguments")
                inner = self._items(list(args.named_children) if args is not None else [])
                kinds = sorted({k for item in inner for k in item.get("kinds", [])} | {"auth"})
                return {"call": callee, "kinds": kinds, "line": line, "inner": inner}
            root = callee.split("(")[0].split(".")[0]
            local = self.defs.get(callee)
            arguments_text = ctx.text(node.child_by_field_name("arguments"))
            package = (
                self._from_package(callee.split("(")[0], arguments_text) if local is None else None
            )
            if package is not None:
                return {
                    "call": callee.split("(")[0],
                    "args": arguments_text[:120],
                    "line": line,
                    **package,
                }
            if local is not None:
                kinds = list(local["kinds"])
            else:
                kinds = list(common.classify_call(callee.split("(")[0]))
            args_text = arguments_text[:120]
            if not kinds and re.search(r"\b(body|param|query|check)\(", callee):
                kinds = ["validation"]  # express-validator chains: body('email').isEmail()
            item: dict[str, Any] = {
                "call": callee.split("(")[0],
                "args": args_text,
                "kinds": kinds,
                "line": line,
            }
            if root in self.imports or local is not None:
                item["resolvable"] = root
            elif "." in item["call"] and not kinds:
                # `projects.app()` with `var projects = require('./projects')` in this function:
                # the router that module's `app` factory returns.
                head, _, member = item["call"].partition(".")
                loaded = self._loaded_in_function(node, head)
                if loaded is not None and loaded[1] == "default" and "." not in member:
                    item["require"], item["name"] = loaded[0], member
            return item
        return {"text": ctx.text(node)[:80], "kinds": [], "line": line}

    def _from_package(self, text: str, args: str) -> dict[str, Any] | None:
        """For a name or callee imported from a package: what the package table says it
        does, or, for a package we do not know, the kinds its name suggests as a `hint` only
        (the linker reports those `unknown` unless the source turns out to be a project
        module reached through a path alias)."""
        root, _, rest = text.partition(".")
        imported = self.imports.get(root)
        if imported is None or not packages.is_package(imported["source"]):
            return None
        source = imported["source"]
        exported = imported["name"]
        member = rest.rsplit(".", maxsplit=1)[-1] if rest else ""
        kinds = packages.package_kinds(source, exported, member, args)
        if kinds is not None:
            symbol = text if exported in {"default", "*"} else ".".join([exported, rest]).strip(".")
            return {"kinds": list(kinds), "package": source, "symbol": symbol}
        hint = common.classify_call(text)
        if not hint and exported not in {"default", "*"}:
            hint = common.classify_call(f"{exported}.{rest}" if rest else exported)
        return {"kinds": list(hint), "package": source, "by_name": True}

    def _mount_call(self, node: Node) -> tuple[str, list[Node]] | None:
        """`mount('/api', api)` with `mount` imported from koa-mount: (path, [api])."""
        node = unwrap(node) or node
        if node.type != "call_expression":
            return None
        callee = "".join(self.ctx.text(node.child_by_field_name("function")).split())
        imported = self.imports.get(callee)
        if imported is None or imported["source"] not in packages.MOUNT_PACKAGES:
            return None
        args = node.child_by_field_name("arguments")
        arg_nodes = [a for a in args.named_children if a.type != "comment"] if args else []
        path = self._path(arg_nodes[0]) if arg_nodes else None
        if path is None:
            return ("", arg_nodes) if arg_nodes else None  # mount(app): no prefix
        return path, arg_nodes[1:]

    def _koa_mount(self, node: Node, callee: str) -> Node | None:
        """`app.use(orders.routes())`: the router `orders` itself is what Koa mounts."""
        if not callee.endswith(tuple(koa.MOUNT_METHODS)) or not self._uses_koa():
            return None
        function = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if function is None or function.type != "member_expression" or args is None:
            return None
        method = self.ctx.text(function.child_by_field_name("property"))
        router = unwrap(function.child_by_field_name("object"))
        if method not in koa.MOUNT_METHODS or args.named_child_count or router is None:
            return None
        return router if router.type in {"identifier", "member_expression"} else None

    def _loaded_in_function(self, node: Node, name: str) -> tuple[str, str] | None:
        """(module, exported name) if `name` is bound by a require/import inside the function
        around `node`: `const api = require('./api')`, `const { api } = await import('./x')`."""
        ctx = self.ctx
        function = ctx.enclosing_function(node)
        if function is None:
            return None
        for binding in ctx.bindings_in(function):
            if binding.type != "variable_declarator" or binding.start_byte > node.start_byte:
                continue
            required = self._require_source(binding.child_by_field_name("value"))
            target = binding.child_by_field_name("name")
            if required is None or target is None:
                continue
            if target.type == "identifier" and ctx.text(target) == name:
                return required
            if target.type == "object_pattern" and required[1] == "default":
                for part in target.named_children:
                    key = part.child_by_field_name("key") if part.type == "pair_pattern" else part
                    value = (
                        part.child_by_field_name("value") if part.type == "pair_pattern" else part
                    )
                    if value is not None and ctx.text(value) == name and key is not None:
                        return required[0], ctx.text(key)
        return None

    def _uses_koa(self) -> bool:
        """A Koa app or router here, or a Koa package imported (a file given the app)."""
        return "koa" in self.frameworks or any(
            entry["source"] in koa.APP_PACKAGES | koa.ROUTER_PACKAGES
            for entry in self.imports.values()
        )

    def _handler(self, node: Node) -> dict[str, Any]:
        ctx = self.ctx
        node = unwrap(node) or node
        if node.type in FUNCTION_TYPES:
            return {"inline": True, "line": node.start_point[0] + 1, **self.handler_facts(node)}
        if node.type == "call_expression":  # asyncHandler(async (req, res) => ...)
            args = node.child_by_field_name("arguments")
            inner = [a for a in args.named_children if a.type in FUNCTION_TYPES] if args else []
            if inner:
                return {
                    "inline": True,
                    "line": inner[-1].start_point[0] + 1,
                    **self.handler_facts(inner[-1]),
                }
            refs = (
                [a for a in args.named_children if a.type in {"identifier", "member_expression"}]
                if args
                else []
            )
            if refs:
                return self._handler(refs[-1])
        text = "".join(ctx.text(node).split())
        local = self.defs.get(text)
        if local is not None and "handler" in local:
            return {"ref": text, "line": local["line"], **local["handler"]}
        if local is None and node.type == "identifier" and ctx.enclosing_function(node):
            # `const sendHtml = (_req, res) => {...}` in the function that registers it.
            value = unwrap(local_value(ctx, node))
            if value is not None and value.type in FUNCTION_TYPES:
                return {"ref": text, "line": value.start_point[0] + 1, **self.handler_facts(value)}
        return {"ref": text}


def extract_facts(ctx: JsFileContext) -> dict[str, Any]:
    return FactExtractor(ctx).run()


_QUOTED_PATH = re.compile(r"""['"`](?:\$\{[^}`]*\})?(/[\w\-/:.{}$*@?=&%+~]*)['"`]""")


def test_paths(ctx: JsFileContext) -> list[str]:
    """URL paths a test file refers to (`request(app).post('/login')`, `inject({url})`)."""
    found: set[str] = set()
    text = ctx.source.decode("utf-8", "replace")
    for match in _QUOTED_PATH.finditer(text):
        path = match.group(1).split("?")[0]
        if len(path) > 1 and _PATHLIKE.match(path):
            found.add(path)
        if len(found) >= 500:
            break
    return sorted(found)
