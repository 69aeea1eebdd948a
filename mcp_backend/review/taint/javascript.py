"""JS/TS front end of the taint engine: one parsed file in, its function summaries out.

The same model as python.py (labels, summaries as JSON under facts["taint"], linked by
link.py): each top-level function, class method and object method is interpreted once,
statement by statement, over an environment name -> labels. Functions written inside another
(route callbacks, `.map` callbacks, local helpers) are interpreted in place with the enclosing
environment (closures), so a route registered with an inline handler is part of the function
or module body that registers it (the module's top level is the unit `<module>`).

JS-only labels: ``Q`` is the request object itself (`req`, `ctx`, Hono's `c`, a Next.js
`request`): not data, but its accessors (`req.body`, `c.req.json()`, `ctx.request.body`) are
request data ``R@<line>``. ``R@<line>~<Type>`` is request data parsed into a validated type
(a class-validator DTO, a zod/joi/yup object schema) and ``R@<line>~<Type>.<field>`` one of its
fields: the linker drops it when the type, wherever it is defined, constrains that field
(a number, a boolean, an enum, a UUID, a value from a list).

The summary's extra keys (besides python.py's): "classes" (class -> {field: type} of its
injected services), "schemas" (validated type -> constrained fields), "star" (modules
re-exported with `export * from`), "instances" (module-level `new ProjectClass()`).

Cost: interpreting every function of a file costs several times its parse, so a function is
interpreted only when its bytes show it can matter (found with the shared name index and a few
byte patterns, no extra tree walk): it reads request data, or it takes parameters and calls a
sink or returns SQL/markup it builds. A function that only hands its parameters to project code
(a service method calling a repository) is summarised from its text (`_forward_summary`: which
parameter goes to which argument of which call, a constant local-path/host prefix and
`encodeURIComponent` kept); in a file with neither sources nor sinks, only its exports and
injected services are. Anything else is a project function through which nothing flows.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from tree_sitter import Node

from mcp_backend.review.javascript.context import FUNCTION_TYPES, JsFileContext
from mcp_backend.review.taint import model as m

Labels = frozenset[str]
EMPTY: Labels = frozenset()
_CONST_LABELS = frozenset({"H", "S", "Q"})
_MAX_INLINE = 3  # nested helpers interpreted at their call sites, at most this deep

_REQUEST_NAMES = frozenset({"req", "request", "_req"})
_CONTEXT_NAMES = frozenset({"ctx", "c", "context"})
# Accessors of a request object that hold what the client sent.
_REQUEST_FIELDS = frozenset(
    {
        "body",
        "query",
        "params",
        "headers",
        "cookies",
        "signedCookies",
        "files",
        "file",
        "rawBody",
        "nextUrl",
        "searchParams",
        "queries",
    }
)
# The request's own URL: the client picks its text, not where it points.
_URL_FIELDS = frozenset({"url", "originalUrl", "path", "href", "pathname", "search"})
_URL_ONLY_FOR = frozenset({m.REDIRECT, m.SSRF, m.PATH, m.SQL, m.CMD, m.DESER})
_REQUEST_OBJECTS = frozenset({"request", "req", "raw"})  # ctx.request, c.req, c.req.raw
_REQUEST_METHODS = frozenset(
    {
        "param",
        "get",
        "header",
        "json",
        "query",
        "queries",
        "parseBody",
        "formData",
        "text",
        "valid",
        "arrayBuffer",
        "blob",
        "cookie",
    }
)
_NEST_SOURCES = frozenset({"Body", "Query", "Param", "Headers", "Args", "UploadedFile"})
_NEST_OBJECTS = frozenset({"Req", "Request"})
_CLEAN_PIPES = re.compile(r"Parse(Int|Float|Bool|UUID|Enum)Pipe|DefaultValuePipe\(\s*\d")
_PARENT_NAMES = frozenset(
    {"_", "__", "parent", "root", "obj", "_parent", "_root", "source", "_obj"}
)

# Calls whose result carries none of its arguments' text.
_CLEANING = frozenset(
    {
        "Number",
        "parseInt",
        "parseFloat",
        "Boolean",
        "BigInt",
        "Number.parseInt",
        "Number.parseFloat",
        "Number.isInteger",
        "isNaN",
        "Math.floor",
        "Math.ceil",
        "Math.round",
        "Math.abs",
        "Math.min",
        "Math.max",
        "Date",
        "Date.parse",
        "uuid",
        "uuidv4",
        "v4",
        "randomUUID",
        "crypto.randomUUID",
        "Array.isArray",
        "ObjectId",
        "Types.ObjectId",
        "mongoose.Types.ObjectId",
        "JSON.stringify",
    }
)
_CLEANING_METHODS = frozenset(
    {
        "length",
        "indexOf",
        "includes",
        "startsWith",
        "endsWith",
        "test",
        "has",
        "some",
        "every",
        "findIndex",
        "digest",
        "hash",
        "compare",
        "sign",
        "verify",
        "toFixed",
        "getTime",
        "valueOf",
        "count",
        "localeCompare",
        "isValid",
        "isValidObjectId",
    }
)
# Calls that sanitise for some sink kinds only (by the callee's last segment).
_KIND_SANITIZERS: dict[str, frozenset[str]] = {
    "basename": frozenset({m.PATH}),
    "sanitizeFilename": frozenset({m.PATH}),
    "sanitize-filename": frozenset({m.PATH}),
    "encodeURIComponent": frozenset({m.XSS, m.PATH, m.CMD, m.REDIRECT}),
    "escapeHtml": frozenset({m.XSS}),
    "escape-html": frozenset({m.XSS}),
    "escapeHTML": frozenset({m.XSS}),
    "encodeHTML": frozenset({m.XSS}),
    "htmlEscape": frozenset({m.XSS}),
    "sanitizeHtml": frozenset({m.XSS}),
    "sanitize-html": frozenset({m.XSS}),
    "xss": frozenset({m.XSS}),
    "filterXSS": frozenset({m.XSS}),
    "sanitize": frozenset({m.XSS}),  # DOMPurify.sanitize
    "encode": frozenset({m.XSS}),  # he.encode / entities.encode
    "escapeLiteral": frozenset({m.SQL}),
    "escapeIdentifier": frozenset({m.SQL}),
    "escapeId": frozenset({m.SQL}),
    "quote": frozenset({m.CMD}),  # shell-quote
    "shellescape": frozenset({m.CMD}),
    "shellEscape": frozenset({m.CMD}),
}
# Deep getters: get(object, path, default) answers what the object holds at the path.
_PATH_GETTERS = frozenset({"get", "result"})
_PATH_GETTER_PACKAGES = frozenset(
    {"lodash", "lodash.get", "lodash.result", "lodash-es", "dot-prop", "object-path", "underscore"}
)
# `escape` means HTML escaping in lodash/validator/he and SQL quoting in mysql/sqlstring.
_ESCAPE_SQL_PACKAGES = ("mysql", "mysql2", "sqlstring", "pg-format", "sequelize")
_STRING_METHODS = frozenset(
    {
        "trim",
        "trimStart",
        "trimEnd",
        "toLowerCase",
        "toUpperCase",
        "toLocaleLowerCase",
        "toLocaleUpperCase",
        "toString",
        "slice",
        "substring",
        "substr",
        "split",
        "normalize",
        "padStart",
        "padEnd",
        "repeat",
        "at",
        "charAt",
        "get",
        "getAll",
        "find",
        "filter",
        "map",
        "flat",
        "flatMap",
        "pop",
        "shift",
        "values",
        "entries",
        "keys",
        "then",
        "reverse",
        "sort",
        "toJSON",
        "trimLeft",
        "trimRight",
    }
)
_ARGS_FLOW = frozenset({"concat", "replace", "replaceAll", "join", "format", "assign", "resolve"})
# `path.normalize(x).replace(/^(\.\.(\/|\\|$))+/, '')`, whitespace removed: the Node idiom
# that keeps a relative path inside the folder it is joined to
_STRIPS_PARENT_DIRS = re.compile(
    r"^(path\.(posix\.)?)?normalize\(.*\)\.replace\(/\^\(\\\.\\\..*\)\+/g?,(''|\"\")\)$"
)
_MUTATORS = frozenset({"push", "unshift", "set", "append", "add", "splice"})
_CALLBACK_ELEMENT = frozenset(
    {"map", "forEach", "filter", "find", "some", "every", "flatMap", "findIndex", "then"}
)
_PASS_THROUGH = frozenset(
    {
        "String",
        "decodeURIComponent",
        "decodeURI",
        "JSON.parse",
        "Buffer.from",
        "Object.assign",
        "Object.values",
        "Object.keys",
        "Object.entries",
        "structuredClone",
        "util.format",
        "format",
        "path.join",
        "path.resolve",
        "path.normalize",
        "path.posix.join",
        "path.win32.join",
        "join",
        "resolve",
        "normalize",
        "Array.from",
        "encodeURI",
        "Promise.resolve",
        "URL",
        "new URL",
        "Buffer.concat",
    }
)

# --- sinks
_SQL_ALWAYS = frozenset({"$queryRawUnsafe", "$executeRawUnsafe", "unsafe"})
_SQL_FRAGMENT = frozenset(
    {"whereRaw", "orderByRaw", "havingRaw", "joinRaw", "selectRaw", "fromRaw", "groupByRaw"}
)
_SQL_METHODS = frozenset({"query", "execute", "raw", "prepare", "exec", "all", "get", "run"})
_SQL_RECEIVER = re.compile(
    r"(^|\.)(db|database|knex|trx|tx|pool|client|conn|connection|sequelize|dataSource|"
    r"datasource|manager|entityManager|queryRunner|pg|mysql|sqlite|sql|prisma|repo\w*|"
    r"\w*[Rr]epository|\w*[Dd]b|\w*[Pp]ool|\w*[Cc]onnection|\w*[Cc]lient|\w*[Kk]nex)$"
)
_SQL_TEXT = re.compile(
    r"^\s*(select\s|insert\s+into\b|update\s+\S+\s+set\b|delete\s+from\b|with\s+\w+\s+as\b"
    r"|replace\s+into\b|create\s+(table|index)\b|drop\s+table\b|alter\s+table\b)"
    r"|\b(select\s.+\sfrom|where\s+\w+\s*(=|like|in\b|<|>)|order\s+by|group\s+by|values\s*\(|"
    r"limit\s|set\s+\w+\s*=)",
    re.IGNORECASE | re.DOTALL,
)
_SQL_PIECE = re.compile(
    r"(=|<|>)\s*'?$|\b(like|ilike|in\s*\(|and|or|where|order\s+by|limit|offset)\s*'?%?$",
    re.IGNORECASE,
)
_CHILD_PROCESS = frozenset({"child_process", "node:child_process"})
_SHELL_CALLS = frozenset({"exec", "execSync"})
_ARGV_CALLS = frozenset({"spawn", "spawnSync", "execFile", "execFileSync", "fork"})
_FS_PACKAGES = frozenset(
    {"fs", "node:fs", "fs/promises", "node:fs/promises", "fs-extra", "graceful-fs", "original-fs"}
)
_FS_METHODS = frozenset(
    {
        "readFile",
        "readFileSync",
        "writeFile",
        "writeFileSync",
        "appendFile",
        "appendFileSync",
        "createReadStream",
        "createWriteStream",
        "unlink",
        "unlinkSync",
        "rm",
        "rmSync",
        "rmdir",
        "rmdirSync",
        "readdir",
        "readdirSync",
        "open",
        "openSync",
        "rename",
        "renameSync",
        "copyFile",
        "copyFileSync",
        "mkdir",
        "mkdirSync",
        "remove",
        "removeSync",
        "outputFile",
        "readJson",
        "readJSON",
        "readJsonSync",
        "writeJson",
        "move",
        "copy",
    }
)
_FILE_RESPONSES = frozenset({"sendFile", "download", "sendfile"})
_RESPONSE_NAMES = frozenset({"res", "response", "reply", "resp", "ctx", "c", "h", "context"})
_REDIRECTS = frozenset({"redirect", "permanentRedirect"})
_HTTP_PACKAGES = frozenset(
    {
        "axios",
        "got",
        "node-fetch",
        "undici",
        "superagent",
        "needle",
        "request",
        "ky",
        "http",
        "https",
        "node:http",
        "node:https",
        "cross-fetch",
        "isomorphic-fetch",
        "phin",
        "bent",
    }
)
_HTTP_VERBS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "fetch", "stream"}
)
_HTML_SENDS = frozenset({"send", "write", "end"})
_HTML_TEXT = re.compile(r"<\s*/?\s*[a-zA-Z!]")
_FIXED_HOST = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#{}$]+[/?#]")
_FIXED_LOCAL = re.compile(r"^/[^/\\]")
_GUARD_WORDS = re.compile(
    r"(safe|allowed|valid|whitelist|allowlist|permitted|trusted|inside|within|contain|isUUID|"
    r"isUuid|isInt|isNumeric|isAlphanumeric|isMongoId|isEmail)",
    re.IGNORECASE,
)
# Headers the victim's browser fills: Referer (the page that linked here) and Host (the name it
# connected to). Sending the user back to either is no redirect an attacker chooses.
_BROWSER_SET = re.compile(r"^['\"`]?(referr?er|host|hostname)['\"`]?$", re.I)
_BROWSER_SET_SAFE_FOR = frozenset({m.REDIRECT})
_CHECKED_RESULT = re.compile(
    r"^_?(validate|saniti[sz]e|safe|resolve\w*(Redirect|Url|URL|Path))\w*$|\w*Safe(Url|URL|Path|"
    r"Redirect)\w*$"
)
# Fields of an uploaded file that the upload middleware chose (express-fileupload's
# tempFilePath, multer's path/filename/destination), unlike `name`/`originalname`.
_SERVER_FILE_FIELDS = frozenset({"tempFilePath", "path", "filename", "destination"})
_UPLOAD_OBJECT = re.compile(r"\bfiles?\b|[Uu]pload|\.file\b|\]$")
_LOCAL_URL_WORDS = re.compile(r"(relative|isLocal|local_?url|sameOrigin|same_origin)", re.I)
_ANCHORED = re.compile(r"^/\^.*\$/[a-z]*$", re.DOTALL)
_UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")

# Validation libraries: calls that make a field constrained.
_CONSTRAINED_ZOD = re.compile(
    r"\b(z|zod|Joi|joi|yup|t|v|Type)\s*\.\s*(number|boolean|bigint|date|enum|nativeEnum|literal|"
    r"coerce\s*\.\s*(number|boolean|date|bigint)|uuid|int|integer|picklist)\b"
    r"|\.\s*(uuid|guid|int|integer|datetime|oneOf|valid|isoDate)\s*\("
)
_CONSTRAINED_DECORATORS = frozenset(
    {
        "IsInt",
        "IsNumber",
        "IsBoolean",
        "IsUUID",
        "IsEnum",
        "IsIn",
        "IsDate",
        "IsPositive",
        "IsNegative",
        "IsDateString",
        "IsISO8601",
        "IsMongoId",
        "IsNumberString",
        "IsBooleanString",
        "IsAlphanumeric",
        "IsAlpha",
        "IsHexadecimal",
        "IsLatLong",
        "IsPort",
        "Min",
        "Max",
    }
)
_PARSE_METHODS = frozenset(
    {"parse", "parseAsync", "validate", "validateAsync", "validateSync", "cast", "assert"}
)


_cap = m.cap


def _mark_all(labels: Labels, kinds: frozenset[str]) -> Labels:
    if not kinds or not labels:
        return labels
    return frozenset(lab if lab in _CONST_LABELS else m.mark(lab, kinds) for lab in labels)


def _data(labels: Labels) -> Labels:
    """Labels without the request object marker (what an expression's text carries)."""
    return labels - {"Q"} if "Q" in labels else labels


def _may_carry(label: str) -> bool:
    core = m.marks_of(label)[1]
    return "R@" in core or core.startswith("P") or ":P" in core


def _field(labels: Labels, name: str) -> Labels:
    """`dto.email` of a validated value `R@3~Dto`: `R@3~Dto.email`."""
    if not any("~" in lab for lab in labels) or name in {"data", "value"}:
        return labels  # `safeParse(x).data`, joi's `{ value }`: the parsed object itself
    out = set()
    for label in labels:
        marks, core = m.marks_of(label)
        if core.startswith("R@") and "~" in core and "." not in core.partition("~")[2]:
            core = f"{core}.{name}"
            out.add(m.mark(core, marks) if marks else core)
        else:
            out.add(label)
    return frozenset(out)


def _typed(labels: Labels, type_name: str) -> Labels:
    """Request data parsed by a validated type: `R@3` -> `R@3~Type`."""
    out = set()
    for label in labels:
        marks, core = m.marks_of(label)
        if core.startswith("R@") and "~" not in core:
            core = f"{core}~{type_name}"
            out.add(m.mark(core, marks) if marks else core)
        else:
            out.add(label)
    return frozenset(out)


_EXPR_KEY = "\x00"
_CHECKED = "X"  # an expression key's mark: the expression was checked (held even when clean)


def _set(env: dict[str, Labels], name: str, labels: Labels) -> None:
    """Environments hold only names that carry something (copied at every branch)."""
    if labels:
        env[name] = labels
    else:
        env.pop(name, None)


def _join(envs: list[dict[str, Labels] | None]) -> dict[str, Labels] | None:
    return m.join_envs(envs, _EXPR_KEY)


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type in {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    }:
        children = [c for c in node.named_children if c.type != "comment"]
        if not children:
            return None
        node = children[0] if node.type != "type_assertion" else children[-1]
    return node


class _Module:
    """What the interpreter needs from the file: imports, constants, classes, schemas."""

    def __init__(self, ctx: JsFileContext, facts: dict[str, Any]) -> None:
        self.ctx = ctx
        self.file = ctx.file
        imports = facts.get("imports") or {}
        self.imports: dict[str, tuple[str, str]] = {
            local: (entry.get("source", ""), entry.get("name", ""))
            for local, entry in imports.items()
            if isinstance(entry, dict)
        }
        self.exports: dict[str, str] = dict(facts.get("exports") or {})
        self.functions: dict[str, Node] = {}  # qualified name -> function node
        self.classes: dict[str, dict[str, str]] = {}  # class -> {field: type}
        self.class_nodes: dict[str, Node] = {}
        self.objects: set[str] = set()  # module-level object literals holding methods
        self.consts: dict[str, object] = {}
        self.collections: set[str] = set()  # module-level constant arrays / sets / maps
        self.schemas: dict[str, list[str]] = {}
        self.star: list[str] = []
        self.seen: set[tuple[str, int]] = set()
        self.callees: set[str] = set()
        self.aliases: dict[str, str] = {}  # `const execAsync = promisify(exec)` -> exec
        self.instances: dict[str, str] = {}  # `export const users = new UsersService()`
        self.unit_ids: set[int] = set()  # functions summarised on their own, never inlined

    # --- imports
    def package_of(self, name: str) -> str | None:
        """The package a local name is imported from (None for a project module or no import)."""
        entry = self.imports.get(name)
        if entry is None:
            return None
        source = entry[0]
        if is_project_source(source):
            return None
        return source

    def is_project_import(self, name: str) -> bool:
        entry = self.imports.get(name)
        return entry is not None and is_project_source(entry[0])

    def imported_symbol(self, name: str) -> str:
        entry = self.imports.get(name)
        return entry[1] if entry is not None else ""


def is_project_source(source: str) -> bool:
    return source.startswith((".", "@/", "~/", "#/", "src/")) or (
        source.startswith("@")
        and "/" in source
        and not re.match(
            r"^@(nestjs|prisma|aws-sdk|types|hono|fastify|trpc|apollo|graphql-tools|koa|"
            r"sentry|google-cloud|azure|opentelemetry|mikro-orm|supabase|vercel|remix-run|"
            r"sveltejs|angular|babel|typescript-eslint|node-rs|napi-rs|redis|elastic|sendgrid|"
            r"slack|octokit|tanstack|medusajs|keystone-6|directus|strapi|n8n|backstage)/",
            source,
        )
    )


class _Function:
    """Interprets one function body (and, in place, the functions written inside it)."""

    def __init__(self, mod: _Module, node: Node, owner: str | None) -> None:
        self.mod = mod
        self.ctx = mod.ctx
        self.node = node
        self.owner = owner
        self.ret: set[str] = set()
        self.sinks: dict[tuple[str, int, int], list[Any]] = {}
        self.calls: dict[tuple[str, str, int], set[str]] = {}
        self.consts: dict[str, object] = {}
        self.local_fns: dict[str, Node] = {}
        self.local_ret: dict[int, Labels] = {}  # what a local helper returns given nothing
        self.inline_budget = 64
        self.instances: dict[str, str] = {}  # local name -> project class it holds
        self.dead = False
        self.inline_depth = 0
        self.checked_exprs = False  # set once an expression (not a name) has been checked
        self.query_objects: set[str] = set()  # names holding a URLSearchParams
        self.trpc_schema = ""
        self.handler = False
        self.params: list[str] = []
        self.env: dict[str, Labels] = {}
        if node.type in FUNCTION_TYPES:
            self.params = _param_names(self.ctx, node)
            self.env = self.bind_params(node, outer=None, element=None)
            self.handler = self.handler or self.ctx.is_handler(node)

    # ---------------------------------------------------------------- parameters / sources
    def bind_params(
        self, fn: Node, outer: dict[str, Labels] | None, element: Labels | None
    ) -> dict[str, Labels]:
        """The environment a function starts with: the closure's, its parameters bound to what
        its caller passes (`P<name>` for a summarised function), request sources for handlers."""
        ctx = self.ctx
        env: dict[str, Labels] = dict(outer) if outer is not None else {}
        params = _param_nodes(fn)
        names = _param_names(ctx, fn)
        is_handler = ctx.is_handler(fn)
        request_like = bool(names) and (
            names[0] in _REQUEST_NAMES or (names[0] in _CONTEXT_NAMES and is_handler)
        )
        nest = fn.type == "method_definition" and ctx.has(b"@nestjs", b"nestjs/", b"__param")
        nest_params: dict[int, tuple[list[Node], str]] = {}
        if nest:
            for index, (_param, decorators, type_text) in enumerate(
                ctx.method_param_decorators(fn)
            ):
                nest_params[index] = (decorators, type_text)
        trpc = self.trpc_callback(fn)
        resolver = (
            len(names) >= 2
            and names[0] in _PARENT_NAMES
            and (names[1] in {"args", "_args", "input", "variables"} or not names[1])
            and fn.type != "method_definition"
        )
        line = fn.start_point[0] + 1
        for index, param in enumerate(params):
            pattern = _param_pattern(param)
            name = names[index] if index < len(names) else ""
            labels: Labels
            if outer is None:
                labels = frozenset({f"P{name}"}) if name else EMPTY
            elif element is not None and index == 0:
                labels = element
            else:
                labels = EMPTY
            if index == 0 and request_like:
                labels = frozenset({"Q"})
                self.handler = self.handler or is_handler or names[0] in _REQUEST_NAMES
            elif index in nest_params:
                decorators, type_text = nest_params[index]
                source = self.nest_source(decorators, type_text, line)
                if source is not None:
                    labels = source
                    self.handler = True
            elif trpc is not None and index == 0:
                labels = frozenset({"T"})
                self.trpc_schema = trpc
            elif resolver and index == 1:
                labels = frozenset({f"R@{line}"})
                self.handler = True
            if index == 1 and self.next_route(fn) and pattern is not None:
                labels = frozenset({f"R@{line}"})  # ({ params }) of a Next.js route handler
            if pattern is not None:
                self.bind_pattern(pattern, labels, env)
            if (
                param.type in {"required_parameter", "optional_parameter"}
                and outer is None
                and fn.parent is not None
                and ctx.text(fn.child_by_field_name("name")) == "constructor"
            ):
                self.constructor_field(param)
        return env

    def nest_source(self, decorators: list[Node], type_text: str, line: int) -> Labels | None:
        ctx = self.ctx
        for decorator in decorators:
            name = ctx.decorator_name(decorator)
            if name in _NEST_OBJECTS:
                return frozenset({"Q"})
            if name not in _NEST_SOURCES:
                continue
            args = ctx.decorator_args(decorator)
            if any(_CLEAN_PIPES.search(ctx.text(a)) for a in args):
                return EMPTY
            base = type_text.split("<", 1)[0].strip()
            if base in {"number", "boolean", "Date"} and any("Pipe" in ctx.text(a) for a in args):
                return EMPTY
            if base and base[0].isupper() and base not in {"String", "Record", "Object", "Array"}:
                return frozenset({f"R@{line}~{base}"})
            return frozenset({f"R@{line}"})
        return None

    def trpc_callback(self, fn: Node) -> str | None:
        """`.input(schema).query(({ input }) => ...)` (or `.mutation`) of a tRPC procedure
        builder: the name of the input's schema ("" when not an object schema we read)."""
        parent = fn.parent
        if parent is None or parent.type != "arguments":
            return None
        call = parent.parent
        callee = call.child_by_field_name("function") if call is not None else None
        if callee is None or callee.type != "member_expression":
            return None
        ctx = self.ctx
        method = ctx.text(callee.child_by_field_name("property"))
        if method not in {"query", "mutation", "subscription"}:
            return None
        builder = _unwrap(callee.child_by_field_name("object"))
        while builder is not None and builder.type == "call_expression":
            if _method(ctx, builder) == "input":
                args = _args(builder)
                if not args:
                    return ""
                if args[0].type == "identifier":
                    return ctx.text(args[0])
                name = f"input@{args[0].start_point[0] + 1}"
                _schema_fields(self.mod, ctx, name, args[0])
                return name if name in self.mod.schemas else ""
            inner = builder.child_by_field_name("function")
            builder = _unwrap(inner.child_by_field_name("object")) if inner is not None else None
        return None

    def next_route(self, fn: Node) -> bool:
        """`export async function GET(request, { params })` in a Next.js `route.ts`."""
        if not re.search(r"(^|/)route\.[jt]sx?$", self.mod.file):
            return False
        name = self.ctx.text(fn.child_by_field_name("name"))
        return name in {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

    def constructor_field(self, param: Node) -> None:
        """`constructor(private readonly users: UsersService)`: `this.users` is a UsersService."""
        ctx = self.ctx
        if not any(
            c.type in {"accessibility_modifier", "readonly"} or ctx.text(c) == "readonly"
            for c in param.children
        ):
            return
        pattern = param.child_by_field_name("pattern")
        annotation = param.child_by_field_name("type")
        if pattern is None or annotation is None or self.owner is None:
            return
        type_name = ctx.text(annotation).lstrip(":").strip().split("<", 1)[0]
        if type_name and type_name[0].isupper():
            self.mod.classes.setdefault(self.owner, {})[ctx.text(pattern)] = type_name

    def field_type(self, left: Node, value: Node) -> None:
        """`this.users = new UsersService()` in a class: `this.users` is a UsersService."""
        ctx = self.ctx
        if left.type != "member_expression" or value.type != "new_expression" or not self.owner:
            return
        obj = left.child_by_field_name("object")
        if obj is None or obj.type != "this":
            return
        cls = ctx.text(value.child_by_field_name("constructor"))
        if cls in self.mod.class_nodes or self.mod.is_project_import(cls):
            field = ctx.text(left.child_by_field_name("property"))
            self.mod.classes.setdefault(self.owner, {})[field] = cls

    # ---------------------------------------------------------------- running
    def run(self) -> dict[str, Any]:
        body = self.node.child_by_field_name("body")
        if body is None:
            pass
        elif body.type in {"statement_block", "class_body"}:
            self.block(body.named_children, self.env)
        else:  # `x => expr`
            self.ret |= self.expr(body, self.env)
        return self.run_result()

    def run_result(self) -> dict[str, Any]:
        return {
            "line": self.node.start_point[0] + 1,
            "handler": self.handler,
            "params": self.params,
            "ret": sorted(lab for lab in self.ret if lab not in {"Q", "T"}),
            "sinks": list(self.sinks.values()),
            "calls": [
                [c, a, line, kept]
                for (c, a, line), labels in self.calls.items()
                if (kept := sorted(lab for lab in labels if _may_carry(lab)))
            ],
        }

    def block(self, stmts: list[Node], env: dict[str, Labels]) -> dict[str, Labels] | None:
        current: dict[str, Labels] | None = env
        for stmt in stmts:
            if current is None:
                return None
            current = self.stmt(stmt, current)
        return current

    def stmt(self, node: Node, env: dict[str, Labels]) -> dict[str, Labels] | None:
        kind = node.type
        if kind == "expression_statement":
            inner = node.named_children[0] if node.named_children else None
            if inner is not None:
                self.expr(inner, env)
                called = (
                    _unwrap(inner.named_children[0])
                    if inner.type == "await_expression" and inner.named_children
                    else inner
                )
                if called is not None and called.type == "call_expression":
                    self.validator_statement(called, env)
            return env
        if kind in {"lexical_declaration", "variable_declaration"}:
            for declarator in node.named_children:
                if declarator.type != "variable_declarator":
                    continue
                target = declarator.child_by_field_name("name")
                value = declarator.child_by_field_name("value")
                if target is None:
                    continue
                if value is None:
                    self.bind_pattern(target, EMPTY, env)
                    continue
                fn_value = _unwrap(value)
                if fn_value is not None and fn_value.type in FUNCTION_TYPES:
                    if target.type == "identifier" and fn_value.id not in self.mod.unit_ids:
                        self.local_fns[self.ctx.text(target)] = fn_value
                    self.local_ret[fn_value.id] = self.closure(fn_value, env)
                    continue
                labels = self.expr(value, env)
                self.bind_value(target, value, labels, env)
            return env
        if kind == "return_statement":
            value = node.named_children[0] if node.named_children else None
            if value is not None:
                self.ret |= self.expr(value, env)
            return None
        if kind == "throw_statement":
            for child in node.named_children:
                self.expr(child, env)
            return None
        if kind == "if_statement":
            return self.if_stmt(node, env)
        if kind == "statement_block":
            return self.block(node.named_children, env)
        if kind == "for_in_statement":
            right = node.child_by_field_name("right")
            left = node.child_by_field_name("left")
            labels = self.expr(right, env) if right is not None else EMPTY
            if left is not None:
                self.bind_pattern(left, labels, env)
            return self.loop(node.child_by_field_name("body"), env)
        if kind in {"for_statement", "while_statement", "do_statement"}:
            condition = node.child_by_field_name("condition")
            if (
                kind == "while_statement"
                and condition is not None
                and self.const_test(condition, env) is False
            ):
                return env
            for field_name in ("initializer", "condition", "increment"):
                part = node.child_by_field_name(field_name)
                if part is not None:
                    self.stmt(part, env) if part.type.endswith(
                        ("declaration", "statement")
                    ) else self.expr(part, env)
            return self.loop(node.child_by_field_name("body"), env)
        if kind == "try_statement":
            body = node.child_by_field_name("body")
            body_env = self.block(body.named_children, dict(env)) if body is not None else env
            tried: list[dict[str, Labels] | None] = [body_env]
            handler = node.child_by_field_name("handler")
            if handler is not None:
                start = _join([dict(env), body_env]) or dict(env)
                param = handler.child_by_field_name("parameter")
                if param is not None:
                    self.bind_pattern(param, EMPTY, start)
                handler_body = handler.child_by_field_name("body")
                if handler_body is not None:
                    tried.append(self.block(handler_body.named_children, start))
            joined = _join(tried)
            final = node.child_by_field_name("finalizer")
            if final is not None:
                final_body = final.child_by_field_name("body") or final
                after = self.block(final_body.named_children, joined or dict(env))
                return after if joined is not None else None
            return joined
        if kind == "switch_statement":
            value = node.child_by_field_name("value")
            if value is not None:
                self.expr(value, env)
            body = node.child_by_field_name("body")
            outs: list[dict[str, Labels] | None] = [env]
            for case in body.named_children if body is not None else []:
                start = dict(env)
                statements = [
                    c
                    for c in case.named_children
                    if c != case.child_by_field_name("value") and c.type != "comment"
                ]
                outs.append(self.block(statements, start))
            return _join(outs) or env
        if kind in {"function_declaration", "generator_function_declaration"}:
            name = self.ctx.text(node.child_by_field_name("name"))
            if name and node.id not in self.mod.unit_ids:
                self.local_fns[name] = node
            self.local_ret[node.id] = self.closure(node, env)
            return env
        if kind == "export_statement":
            declaration = node.child_by_field_name("declaration")
            if declaration is not None:
                return self.stmt(declaration, env)
            for child in node.named_children:
                if child.type not in {"export_clause", "string", "decorator", "comment"}:
                    self.expr(child, env)
            return env
        if kind == "labeled_statement":
            body = node.child_by_field_name("body")
            return self.stmt(body, env) if body is not None else env
        if kind in {"break_statement", "continue_statement"}:
            return None
        if kind in {"class_declaration", "abstract_class_declaration"}:
            return env
        return env

    def loop(self, body: Node | None, env: dict[str, Labels]) -> dict[str, Labels]:
        if body is None:
            return env
        first = self.stmt(body, dict(env))
        merged = _join([env, first]) or env
        if merged != env:
            second = self.stmt(body, dict(merged))
            merged = _join([merged, second]) or merged
        return merged

    def if_stmt(self, node: Node, env: dict[str, Labels]) -> dict[str, Labels] | None:
        condition = _unwrap(node.child_by_field_name("condition"))
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        else_body: Node | None = None
        if alternative is not None:
            parts = [c for c in alternative.named_children if c.type != "comment"]
            else_body = parts[0] if parts else None
        decided = self.const_test(condition, env) if condition is not None else None
        if decided is not None:
            dead = else_body if decided else consequence
            live = consequence if decided else else_body
            if dead is not None:
                self.dead_stmt(dead, env)
            return self.stmt(live, env) if live is not None else env
        if condition is not None:
            self.expr(condition, env)
        body_env, else_env = dict(env), dict(env)
        if condition is not None:
            self.guard(condition, body_env, negate=False)
            self.guard(condition, else_env, negate=True)
        out_body = self.stmt(consequence, body_env) if consequence is not None else body_env
        out_else = self.stmt(else_body, else_env) if else_body is not None else else_env
        return _join([out_body, out_else])

    def dead_stmt(self, node: Node, env: dict[str, Labels]) -> None:
        saved = (self.dead, self.ret, self.calls)
        self.dead, self.ret, self.calls = True, set(), {}
        try:
            self.stmt(node, dict(env))
        finally:
            self.dead, self.ret, self.calls = saved

    def const_value(self, node: Node | None, env: dict[str, Labels]) -> tuple[bool, object]:
        node = _unwrap(node)
        if node is None:
            return False, None
        kind = node.type
        if kind in {"true", "false"}:
            return True, kind == "true"
        if kind in {"null", "undefined"}:
            return True, None
        if kind == "number":
            try:
                return True, float(self.ctx.text(node).replace("_", ""))
            except ValueError:
                return False, None
        if kind == "string":
            return True, self.ctx.text(node)[1:-1]
        if kind == "identifier":
            name = self.ctx.text(node)
            if name in self.consts:
                return True, self.consts[name]
            if name not in env and name in self.mod.consts:
                return True, self.mod.consts[name]
        return False, None

    def const_test(self, test: Node | None, env: dict[str, Labels]) -> bool | None:
        test = _unwrap(test)
        if test is None:
            return None
        known, value = self.const_value(test, env)
        if known:
            return bool(value)
        if (
            test.type == "unary_expression"
            and self.ctx.text(test.child_by_field_name("operator")) == "!"
        ):
            inner = self.const_test(test.child_by_field_name("argument"), env)
            return None if inner is None else not inner
        if test.type == "binary_expression":
            op = self.ctx.text(test.child_by_field_name("operator"))
            left = test.child_by_field_name("left")
            right = test.child_by_field_name("right")
            if op in {"&&", "||"}:
                a, b = self.const_test(left, env), self.const_test(right, env)
                if op == "&&":
                    return False if False in (a, b) else True if a and b else None
                return True if True in (a, b) else False if a is False and b is False else None
            if op in {"===", "==", "!==", "!="}:
                known_left, lv = self.const_value(left, env)
                known_right, rv = self.const_value(right, env)
                if known_left and known_right:
                    return (lv == rv) if op in {"===", "=="} else (lv != rv)
        return None

    # ---------------------------------------------------------------- guards
    def guard(self, test: Node, env: dict[str, Labels], *, negate: bool) -> None:
        """Cleans names the test proves safe on this side of the branch."""
        ctx = self.ctx
        test = _unwrap(test) or test
        if (
            test.type == "unary_expression"
            and ctx.text(test.child_by_field_name("operator")) == "!"
        ):
            argument = test.child_by_field_name("argument")
            if argument is not None:
                self.guard(argument, env, negate=not negate)
            return
        if test.type == "binary_expression":
            op = ctx.text(test.child_by_field_name("operator"))
            left = _unwrap(test.child_by_field_name("left"))
            right = _unwrap(test.child_by_field_name("right"))
            if left is None or right is None:
                return
            if (op == "&&" and not negate) or (op == "||" and negate):
                self.guard(left, env, negate=negate)
                self.guard(right, env, negate=negate)
                return
            if op in {"===", "==", "!==", "!="}:
                holds_eq = (op in {"===", "=="}) != negate
                # ALLOWED.indexOf(x) !== -1 / === -1
                for side, other in ((left, right), (right, left)):
                    if (
                        side.type == "call_expression"
                        and ctx.text(other).replace(" ", "") in {"-1"}
                        and _method(ctx, side) == "indexOf"
                    ):
                        self.guard(side, env, negate=holds_eq)
                        return
                    if (
                        side.type == "unary_expression"
                        and ctx.text(side.child_by_field_name("operator")) == "typeof"
                        and other.type == "string"
                        and ctx.text(other)[1:-1] in {"number", "boolean"}
                        and holds_eq
                    ):
                        target = _guarded_name(ctx, side.child_by_field_name("argument"))
                        if target is not None:
                            env.pop(target, None)
                        return
                if holds_eq:
                    for side, other in ((left, right), (right, left)):
                        target = _guarded_name(ctx, side)
                        if target is not None and other.type in {"string", "number"}:
                            env.pop(target, None)
                    # path.relative(base, p).startsWith('..') === false etc. are left alone
                return
            return
        if test.type == "call_expression":
            self.guard_call(test, env, negate=negate)
            return
        if negate and test.type in {"identifier", "member_expression"}:
            # where `if (x)` fails, x is empty, null or undefined: no text gets through
            target = _guarded_name(ctx, test)
            if target is not None:
                env.pop(target, None)

    def guard_call(self, test: Node, env: dict[str, Labels], *, negate: bool) -> None:
        ctx = self.ctx
        callee = test.child_by_field_name("function")
        args = _args(test)
        method = _method(ctx, test)
        callee_text = ctx.text(callee).replace(" ", "") if callee is not None else ""
        receiver = (
            _unwrap(callee.child_by_field_name("object"))
            if callee is not None and callee.type == "member_expression"
            else None
        )
        if negate:
            return
        if method in {"includes", "has", "indexOf"} and receiver is not None and args:
            if self.is_constant_collection(receiver, env):
                self.clean_arg(args[0], env, frozenset(m.ALL_KINDS))
            return
        if method in {"startsWith"} and receiver is not None:
            target = _guarded_name(ctx, receiver)
            if target is not None and target in env:
                env[target] = _mark_all(env[target], frozenset({m.PATH, m.REDIRECT, m.SSRF}))
            return
        if method == "test" and receiver is not None and args:
            if (receiver.type == "regex" and _ANCHORED.match(ctx.text(receiver))) or (
                receiver.type == "identifier" and _UPPER.match(ctx.text(receiver))
            ):
                self.clean_arg(args[0], env, frozenset(m.ALL_KINDS))
            return
        if method in {"isInteger", "isSafeInteger", "isFinite"} and args:
            self.clean_arg(args[0], env, frozenset(m.ALL_KINDS))
            return
        if _LOCAL_URL_WORDS.search(method or callee_text) and args:
            # is_relative_url(x), isLocalUrl(x): a path on this site, for redirects and fetches
            self.clean_arg(args[0], env, frozenset({m.REDIRECT, m.SSRF}))
            return
        if _GUARD_WORDS.search(method or callee_text) and args:
            if method in {"isEmail", "isURL", "isUrl"}:
                return
            self.clean_arg(args[0], env, frozenset(m.ALL_KINDS))

    def clean_arg(self, node: Node, env: dict[str, Labels], kinds: frozenset[str]) -> None:
        node = _unwrap(node) or node
        ctx = self.ctx
        if node.type in {"binary_expression", "template_string"}:
            # check("/" + x), check(`/${x}`): what was spliced is what was checked
            for piece in _dynamic_pieces(ctx, node):
                # only strictly smaller pieces: a comparison (`a === b`) yields itself
                if piece.end_byte - piece.start_byte < node.end_byte - node.start_byte:
                    self.clean_arg(piece, env, kinds)
            return
        if node.type in {"member_expression", "subscript_expression", "call_expression"}:
            # `req.query.next` checked in place: remembered by its text while the check holds
            key = _EXPR_KEY + "".join(ctx.text(node).split())
            self.checked_exprs = True
            labels = self.expr(node, dict(env))
            env[key] = (
                frozenset({_CHECKED})
                if kinds == m.ALL_KINDS
                else _mark_all(labels, kinds) | {_CHECKED}
            )
        if node.type == "member_expression":
            prop = ctx.text(node.child_by_field_name("property"))
            base = _guarded_name(ctx, node.child_by_field_name("object"))
            if prop in {"hostname", "host", "origin", "protocol"} and base is not None:
                if base in env:
                    env[base] = _mark_all(env[base], frozenset({m.SSRF, m.REDIRECT}))
                return
        if node.type in {"member_expression", "call_expression"}:
            inner = node
            if node.type == "member_expression":
                obj = _unwrap(node.child_by_field_name("object"))
                if obj is not None and obj.type == "new_expression":
                    url_args = _args(obj)
                    base = _guarded_name(ctx, url_args[0]) if url_args else None
                    if base is not None and base in env:
                        env[base] = _mark_all(env[base], frozenset({m.SSRF, m.REDIRECT}))
                    return
            target = _guarded_name(ctx, inner)
        else:
            target = _guarded_name(ctx, node)
        if target is None or target not in env:
            return
        if kinds == m.ALL_KINDS:
            env.pop(target, None)
        else:
            env[target] = _mark_all(env[target], kinds)

    def validator_statement(self, call: Node, env: dict[str, Labels]) -> None:
        """`assertSafePath(p)`, `validateUrl(u)`, `schema.parse(body)` as a statement: it throws
        on bad input, so what it was given is checked afterwards (only when the checker's name
        says it validates)."""
        ctx = self.ctx
        callee = call.child_by_field_name("function")
        name = ctx.text(callee).rsplit(".", 1)[-1] if callee is not None else ""
        if not re.match(r"^_?(validate|check|ensure|assert|verify|sanitize)", name, re.I):
            return
        if not _GUARD_WORDS.search(ctx.text(callee) or "") and not re.search(
            r"(path|url|uuid|id|file|name|host|dir)", name, re.I
        ):
            return
        for arg in _args(call)[:1]:
            target = _guarded_name(ctx, arg)
            if target is not None and target in env:
                env.pop(target, None)

    def is_constant_collection(self, node: Node, env: dict[str, Labels]) -> bool:
        ctx = self.ctx
        node = _unwrap(node) or node
        if node.type == "array":
            return all(c.type in {"string", "number"} for c in node.named_children)
        text = ctx.text(node)
        last = text.rsplit(".", 1)[-1]
        if _UPPER.match(last) or text in self.mod.collections:
            return True
        if node.type == "call_expression" and _method(ctx, node) in {"keys", "values"}:
            args = _args(node)
            return bool(args) and self.is_constant_collection(args[0], env)
        if node.type == "identifier" and text in self.params:
            return False
        if node.type in {"identifier", "member_expression"}:
            return not _data(self.expr(node, env)) and text not in {"req", "request"}
        return False

    # ---------------------------------------------------------------- binding
    def bind_value(
        self, target: Node, value: Node | None, labels: Labels, env: dict[str, Labels]
    ) -> None:
        ctx = self.ctx
        if target.type == "identifier":
            name = ctx.text(target)
            _set(env, name, labels)
            known, const = self.const_value(value, env) if value is not None else (False, None)
            if known:
                self.consts[name] = const
            else:
                self.consts.pop(name, None)
            inner = _unwrap(value)
            if inner is not None and inner.type == "new_expression":
                constructor = inner.child_by_field_name("constructor")
                cls = ctx.text(constructor)
                if cls == "URLSearchParams":
                    self.query_objects.add(name)
                if cls in self.mod.class_nodes or self.mod.is_project_import(cls):
                    self.instances[name] = cls
            if inner is not None and inner.type == "call_expression":
                callee = ctx.text(inner.child_by_field_name("function"))
                args = _args(inner)
                if callee.endswith("promisify") and args:
                    self.mod.aliases[name] = ctx.text(args[0])
            return
        self.bind_pattern(target, labels, env)

    def bind_pattern(self, pattern: Node, labels: Labels, env: dict[str, Labels]) -> None:
        ctx = self.ctx
        kind = pattern.type
        if kind in {"identifier", "shorthand_property_identifier_pattern"}:
            name = ctx.text(pattern)
            _set(env, name, labels)
            self.consts.pop(name, None)
            return
        if kind == "object_pattern":
            for child in pattern.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    name = ctx.text(child)
                    _set(env, name, self.member(labels, name, child))
                    self.consts.pop(name, None)
                elif child.type == "pair_pattern":
                    key = ctx.text(child.child_by_field_name("key")).strip("'\"")
                    value = child.child_by_field_name("value")
                    if value is not None:
                        self.bind_pattern(value, self.member(labels, key, child), env)
                elif child.type == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    if left is not None:
                        name = ctx.text(left)
                        default = child.child_by_field_name("right")
                        extra = self.expr(default, env) if default is not None else EMPTY
                        _set(env, name, _cap(self.member(labels, name, child) | extra))
                elif child.type == "rest_pattern":
                    for inner in child.named_children:
                        self.bind_pattern(inner, _data(labels), env)
            return
        if kind == "array_pattern":
            for child in pattern.named_children:
                self.bind_pattern(child, _data(labels), env)
            return
        if kind in {"assignment_pattern"}:
            left = pattern.child_by_field_name("left")
            right = pattern.child_by_field_name("right")
            extra = self.expr(right, env) if right is not None else EMPTY
            if left is not None:
                self.bind_pattern(left, _cap(labels | extra), env)
            return
        if kind == "rest_pattern":
            for inner in pattern.named_children:
                self.bind_pattern(inner, labels, env)
            return
        if kind in {"member_expression", "subscript_expression"}:
            self.weak_update(pattern, labels, env)

    def weak_update(self, target: Node, labels: Labels, env: dict[str, Labels]) -> None:
        base = target
        while base.type in {"member_expression", "subscript_expression"}:
            obj = base.child_by_field_name("object")
            if obj is None:
                return
            base = obj
        if base.type == "identifier" and _data(labels):
            name = self.ctx.text(base)
            env[name] = _cap(env.get(name, EMPTY) | _data(labels))

    # ---------------------------------------------------------------- expressions
    def member(self, labels: Labels, prop: str, node: Node) -> Labels:
        """`obj.prop` for an object carrying `labels`."""
        if "T" in labels and prop == "input":
            source = f"R@{node.start_point[0] + 1}"  # tRPC's parsed input
            return frozenset({f"{source}~{self.trpc_schema}" if self.trpc_schema else source})
        if "Q" in labels:
            line = node.start_point[0] + 1
            if prop in _REQUEST_FIELDS:
                return frozenset({f"R@{line}"})
            if prop in _URL_FIELDS:
                return frozenset({m.mark(f"R@{line}", _URL_ONLY_FOR)})
            if prop in _REQUEST_OBJECTS:
                return frozenset({"Q"})
            return EMPTY
        if not labels:
            return EMPTY
        if prop in {"length", "size"} or _UPPER.match(prop):
            return EMPTY
        if prop in _SERVER_FILE_FIELDS and _UPLOAD_OBJECT.search(
            self.ctx.text(node.child_by_field_name("object"))
        ):
            return EMPTY  # where the upload middleware stored the file, not a name it was sent
        if _BROWSER_SET.match(prop) and _of_headers(self.ctx, node):
            return _mark_all(labels, _BROWSER_SET_SAFE_FOR)
        return _field(labels, prop)

    def expr(self, node: Node | None, env: dict[str, Labels]) -> Labels:
        if node is None:
            return EMPTY
        ctx = self.ctx
        kind = node.type
        if kind == "identifier":
            return env.get(ctx.text(node), EMPTY)
        if kind in {"string", "number", "true", "false", "null", "undefined", "regex", "this"}:
            return EMPTY
        if kind in {
            "parenthesized_expression",
            "await_expression",
            "as_expression",
            "satisfies_expression",
            "non_null_expression",
            "spread_element",
            "type_assertion",
        }:
            children = [c for c in node.named_children if c.type != "comment"]
            if not children:
                return EMPTY
            return self.expr(children[-1] if kind == "type_assertion" else children[0], env)
        if kind == "member_expression":
            if self.checked_exprs:
                checked = env.get(_EXPR_KEY + "".join(ctx.text(node).split()))
                if checked is not None:
                    return checked - {_CHECKED}
            obj = node.child_by_field_name("object")
            prop = ctx.text(node.child_by_field_name("property"))
            return self.member(self.expr(obj, env), prop, node)
        if kind == "subscript_expression":
            index = node.child_by_field_name("index")
            self.expr(index, env)
            obj_labels = self.expr(node.child_by_field_name("object"), env)
            key = ctx.text(index).strip("'\"`") if index is not None else ""
            if "Q" in obj_labels or "T" in obj_labels or _BROWSER_SET.match(key):
                return self.member(obj_labels, key, node)
            return _data(obj_labels)
        if kind == "template_string":
            spliced: set[str] = set()
            text = []
            for child in node.named_children:
                if child.type == "template_substitution":
                    for inner in child.named_children:
                        spliced |= _data(self.expr(inner, env))
                    text.append("\x00")
                else:
                    text.append(ctx.text(child))
            return self.string_build(spliced, text, node)
        if kind == "binary_expression":
            op = ctx.text(node.child_by_field_name("operator"))
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            left_labels = _data(self.expr(left, env))
            if op in {"&&", "||"} and left is not None and right is not None:
                # `ok(x) && x`: the right side runs only where the left holds (or fails, for ||)
                guarded = dict(env)
                self.guard(left, guarded, negate=op == "||")
                right_labels = _data(self.expr(right, guarded))
                if op == "&&":
                    return right_labels
                return _cap(left_labels | right_labels)
            right_labels = _data(self.expr(right, env))
            if op == "+":
                pieces = _concat_pieces(ctx, node)
                return self.string_build(set(left_labels | right_labels), pieces, node)
            if op in {"||", "??", "&&"}:
                return _cap(left_labels | right_labels) if op != "&&" else right_labels
            return EMPTY  # comparisons and arithmetic other than +
        if kind == "ternary_expression":
            condition = node.child_by_field_name("condition")
            decided = self.const_test(condition, env)
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            if decided is True:
                return self.expr(consequence, env)
            if decided is False:
                return self.expr(alternative, env)
            self.expr(condition, env)
            body_env, else_env = dict(env), dict(env)
            if condition is not None:
                self.guard(condition, body_env, negate=False)
                self.guard(condition, else_env, negate=True)
            return _cap(self.expr(consequence, body_env) | self.expr(alternative, else_env))
        if kind in {"unary_expression", "update_expression"}:
            for child in node.named_children:
                self.expr(child, env)
            return EMPTY
        if kind == "assignment_expression":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            fn_value = _unwrap(right)
            if fn_value is not None and fn_value.type in FUNCTION_TYPES:
                self.closure(fn_value, env)
                return EMPTY
            labels = self.expr(right, env)
            if left is not None and self.owner is not None and fn_value is not None:
                self.field_type(left, fn_value)
            if (
                left is not None
                and left.type == "member_expression"
                and ctx.text(left.child_by_field_name("property")) in {"search", "hash"}
            ):
                labels = _mark_all(labels, frozenset({m.SSRF, m.REDIRECT}))  # url.search = q
            if left is not None:
                self.assignment_sink(left, right, labels)
                if left.type == "identifier":
                    self.bind_value(left, right, labels, env)
                elif left.type in {"object_pattern", "array_pattern"}:
                    self.bind_pattern(left, labels, env)
                else:
                    self.weak_update(left, labels, env)
            return labels
        if kind == "augmented_assignment_expression":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            labels = _data(self.expr(right, env))
            if left is not None and left.type == "identifier":
                name = ctx.text(left)
                appended = ["\x00", *(_concat_pieces(ctx, right) if right is not None else [])]
                built = self.string_build(set(env.get(name, EMPTY) | labels), appended, node)
                _set(env, name, built)
                self.consts.pop(name, None)
                return built
            if left is not None:
                self.weak_update(left, labels, env)
            return labels
        if kind in {"array", "object"}:
            members: set[str] = set()
            for child in node.named_children:
                if child.type == "pair":
                    key_node = child.child_by_field_name("key")
                    if key_node is not None and key_node.type == "computed_property_name":
                        self.expr(key_node, env)
                    value = child.child_by_field_name("value")
                    fn_value = _unwrap(value)
                    if fn_value is not None and fn_value.type in FUNCTION_TYPES:
                        self.closure(fn_value, env)
                        continue
                    members |= _data(self.expr(value, env))
                elif child.type == "shorthand_property_identifier":
                    members |= _data(env.get(ctx.text(child), EMPTY))
                elif child.type in FUNCTION_TYPES or child.type == "method_definition":
                    self.closure(child, env)
                else:
                    members |= _data(self.expr(child, env))
            return _cap(members)
        if kind == "call_expression":
            if self.checked_exprs:
                checked = env.get(_EXPR_KEY + "".join(ctx.text(node).split()))
                if checked is not None:
                    return checked - {_CHECKED}
            return self.call(node, env)
        if kind == "new_expression":
            return self.new(node, env)
        if kind in FUNCTION_TYPES or kind == "class":
            if kind != "class":
                self.closure(node, env)
            return EMPTY
        if kind == "sequence_expression":
            out = EMPTY
            for child in node.named_children:
                out = self.expr(child, env)
            return out
        if kind == "tagged_template_expression":  # not in every grammar version
            return EMPTY
        for child in node.named_children:
            self.expr(child, env)
        return EMPTY

    def string_build(self, labels: set[str], pieces: list[str], node: Node) -> Labels:
        """Text built from constant pieces and values: markup (H) and SQL (S) marks, and the
        kinds a fixed prefix sanitises (a fixed host, a local path)."""
        text = "".join(p for p in pieces if p != "\x00")
        if not labels:
            return EMPTY
        first = _first_value(self.ctx, node)
        if (
            len(pieces) > 1
            and pieces[0] == "\x00"
            and pieces[1].startswith("/")
            and first is not None
            and self.is_base_url(first)
        ):
            pieces = ["https://configured.host", *pieces[1:]]  # `${API_URL}/items/${id}`
        out = set(labels)
        if text:
            if _HTML_TEXT.search(text):
                out.add("H")
            before = ""
            for piece in pieces:
                if piece == "\x00" and (_SQL_PIECE.search(before) or _SQL_TEXT.search(text)):
                    out.add("S")
                    break
                before += piece
        prefix = ""
        for piece in pieces:
            if piece == "\x00":
                break
            prefix += piece
        marks: frozenset[str] = frozenset()
        if (
            pieces
            and pieces[0] != "\x00"
            and (_FIXED_HOST.match(prefix) or _FIXED_LOCAL.match(prefix))
        ):
            marks = frozenset({m.REDIRECT, m.SSRF})
        if "?" in prefix and pieces and pieces[0] != "\x00":
            marks = marks | frozenset({m.REDIRECT, m.SSRF})
        return _mark_all(_cap(out), marks)

    def is_base_url(self, node: Node) -> bool:
        """A base URL the operator or the code fixed: an UPPER_CASE constant or setting named for
        a URL or host (`API_URL`, `process.env.BASE_URL`), or a module constant holding one."""
        text = self.ctx.text(node)
        name = text.rsplit(".", 1)[-1].rstrip("$0123456789")
        if not _UPPER.match(name or "_"):
            return False
        value = self.mod.consts.get(text)
        if isinstance(value, str) and _FIXED_HOST.match(value + "/"):
            return True
        return any(word in name for word in ("URL", "HOST", "ENDPOINT", "BASE", "API", "ORIGIN"))

    def closure(self, fn: Node, env: dict[str, Labels], element: Labels | None = None) -> Labels:
        """A function written here: interpreted now with the enclosing environment (what it
        reads of it is what it closes over); its return labels are the result."""
        if self.inline_depth > _MAX_INLINE or fn.id in self.mod.unit_ids:
            return EMPTY
        saved_ret, saved_consts = self.ret, dict(self.consts)
        self.ret = set()
        self.inline_depth += 1
        try:
            inner_env = self.bind_params(fn, outer=env, element=element)
            body = fn.child_by_field_name("body")
            if body is None:
                return EMPTY
            if body.type == "statement_block":
                self.block(body.named_children, inner_env)
            elif body.type == "class_body":
                for member in body.named_children:
                    if member.type == "method_definition":
                        self.closure(member, env)
            else:
                self.ret |= self.expr(body, inner_env)
            return _cap(_data(frozenset(self.ret)))
        finally:
            self.ret = saved_ret
            self.consts = saved_consts
            self.inline_depth -= 1

    def inline_call(
        self, fn: Node, args: list[tuple[str, Labels]], env: dict[str, Labels]
    ) -> Labels:
        """A helper defined in this function, called here: run with the arguments' labels
        (with none, what it returned when it was declared: what it closes over)."""
        if not any(_data(labels) for _, labels in args):
            return self.local_ret.get(fn.id, EMPTY)
        self.inline_budget -= 1
        if self.inline_depth > _MAX_INLINE or self.inline_budget < 0:
            return _cap(set().union(*(_data(labels) for _, labels in args)))
        saved_ret, saved_consts = self.ret, dict(self.consts)
        self.ret = set()
        self.inline_depth += 1
        try:
            inner_env = dict(env)
            for index, param in enumerate(_param_nodes(fn)):
                pattern = _param_pattern(param)
                labels = args[index][1] if index < len(args) else EMPTY
                if pattern is not None:
                    self.bind_pattern(pattern, labels, inner_env)
            body = fn.child_by_field_name("body")
            if body is None:
                return EMPTY
            if body.type == "statement_block":
                self.block(body.named_children, inner_env)
            else:
                self.ret |= self.expr(body, inner_env)
            return _cap(_data(frozenset(self.ret)))
        finally:
            self.ret = saved_ret
            self.consts = saved_consts
            self.inline_depth -= 1

    # ---------------------------------------------------------------- calls
    def arg_labels(
        self, call: Node, env: dict[str, Labels], receiver: Labels
    ) -> list[tuple[str, Labels]]:
        ctx = self.ctx
        out: list[tuple[str, Labels]] = []
        method = _method(ctx, call)
        for index, arg in enumerate(_args(call)):
            inner = _unwrap(arg)
            if inner is not None and inner.type in FUNCTION_TYPES:
                element = _data(receiver) if method in _CALLBACK_ELEMENT else None
                out.append((str(index), self.closure(inner, env, element)))
                continue
            if arg.type == "spread_element":
                out.append(("*", _data(self.expr(arg, env))))
                continue
            out.append((str(index), self.expr(arg, env)))
        return out

    def new(self, node: Node, env: dict[str, Labels]) -> Labels:
        ctx = self.ctx
        constructor = node.child_by_field_name("constructor")
        name = ctx.text(constructor).replace(" ", "")
        args = self.arg_labels(node, env, EMPTY)
        union = _cap(set().union(*(_data(labels) for _, labels in args)) if args else set())
        short = name.rsplit(".", 1)[-1]
        if short == "Function" and name in {"Function", "global.Function", "globalThis.Function"}:
            if args:
                self.sink(m.CODE, node, "new Function()", args[-1][1])
            return EMPTY
        if short == "Script" and (
            name == "vm.Script" or self.mod.package_of(name) in {"vm", "node:vm"}
        ):
            self.sink(m.CODE, node, "new vm.Script()", args[0][1] if args else EMPTY)
            return EMPTY
        if short == "Response" and name in {"Response", "NextResponse"} and args:
            options = _args(node)[1] if len(_args(node)) > 1 else None
            if options is not None and "text/html" in ctx.text(options):
                self.sink(m.XSS, node, f"new {name}() text/html", args[0][1])
            return EMPTY
        if name == "URLSearchParams":
            return _mark_all(union, frozenset({m.SSRF, m.REDIRECT}))  # a query string
        if name in {"URL", "String", "Array", "Set", "Map", "Buffer"}:
            return union
        if short in {"Date", "Number", "Boolean", "ObjectId"}:
            return EMPTY
        if name in self.mod.class_nodes or self.mod.is_project_import(name.split(".", 1)[0]):
            return EMPTY  # an instance of a project class: not the client's text
        return union

    def call(self, node: Node, env: dict[str, Labels]) -> Labels:
        ctx = self.ctx
        callee = node.child_by_field_name("function")
        if callee is None:
            return EMPTY
        callee = _unwrap_sequence(callee)
        arguments = node.child_by_field_name("arguments")
        if arguments is not None and arguments.type == "template_string":
            # a tagged template (sql`...`, Prisma.sql`...`): the library binds the values
            self.mod.seen.add((m.SQL, node.start_point[0] + 1))
            return EMPTY
        dotted = ctx.text(callee).replace(" ", "").replace("\n", "").replace("?.", ".")
        method = ""
        receiver: Labels = EMPTY
        receiver_node: Node | None = None
        if callee.type == "member_expression":
            method = ctx.text(callee.child_by_field_name("property"))
            receiver_node = callee.child_by_field_name("object")
            receiver = self.expr(receiver_node, env)
        args = self.arg_labels(node, env, receiver)
        sank = self.check_sinks(node, dotted, method, args, receiver, receiver_node, env)
        if sank in {m.PATH, m.CMD}:
            return EMPTY  # a file's contents, a command's output: not the text that named them
        union: set[str] = set()
        for _, labels in args:
            union |= _data(labels)
        head = dotted.split(".", 1)[0]
        short = method or dotted
        package = self.mod.package_of(head)

        # request accessors: req.get('x'), c.req.json(), request.formData()
        if "Q" in receiver and method:
            if method in _REQUEST_METHODS:
                source = f"R@{node.start_point[0] + 1}"
                first = _args(node)[0] if _args(node) else None
                if first is not None and _BROWSER_SET.match(ctx.text(first)):
                    return frozenset({m.mark(source, _BROWSER_SET_SAFE_FOR)})
                return frozenset({source})
            return EMPTY
        if "T" in receiver:
            return EMPTY
        # cleaning and sanitising calls
        if dotted in _CLEANING or (method in _CLEANING_METHODS):
            return EMPTY
        if callee.type == "identifier" and dotted in _CLEANING and dotted not in self.local_fns:
            return EMPTY
        if method in _PARSE_METHODS and receiver_node is not None:
            schema = ctx.text(receiver_node)
            if _CONSTRAINED_ZOD.search(schema) and "object(" not in schema.replace(" ", ""):
                return EMPTY  # z.number().parse(x), Joi.number().validate(x)
            if re.match(r"^[A-Za-z_$][\w$]*$", schema) and (
                schema in self.mod.schemas or self.mod.is_project_import(schema)
            ):
                return _typed(_cap(union), schema)
        if short in {"plainToInstance", "plainToClass"} and args:
            type_node = _args(node)[0]
            if type_node.type == "identifier" and len(args) > 1:
                return _typed(_cap(_data(args[1][1])), ctx.text(type_node))
        sanitised = self.sanitizer_kinds(dotted, short, package)
        if sanitised is None and _CHECKED_RESULT.match(short):
            # validateAppId(x), resolveLoginRedirect(x), getSafeUrl(x): what the name promises
            # for paths and URLs (its result, not its argument: see validator_statement)
            sanitised = frozenset({m.PATH, m.REDIRECT, m.SSRF})
        if sanitised is not None:
            if target_of := self.project_target(callee, dotted, method):
                return _mark_all(self.project_call(target_of, args, node), sanitised)
            return _mark_all(_cap(union), sanitised)
        if method == "safeParse" and receiver_node is not None:
            schema = ctx.text(receiver_node)
            if schema in self.mod.schemas or self.mod.is_project_import(schema):
                return _typed(_cap(union), schema)

        if short in _PATH_GETTERS and (package or "").split("/")[0] in _PATH_GETTER_PACKAGES:
            # get(config, `splash_${type}`): the value stored in the object, not the key's text
            kept = [labels for key, labels in args if key in {"0", "2"}]
            return _cap(set().union(*(_data(labels) for labels in kept)) if kept else set())
        # project functions
        local = self.local_fns.get(head) if callee.type == "identifier" else None
        if local is not None:
            return self.inline_call(local, args, env)
        target = self.project_target(callee, dotted, method)
        if target is not None:
            return self.project_call(target, args, node)
        if dotted in _PASS_THROUGH:
            return _cap(union | set(_data(receiver)) if method in _ARGS_FLOW else union)
        # methods of values
        if method:
            if method in {"set", "append"} and (
                ctx.text(receiver_node).endswith("searchParams")
                or ctx.text(receiver_node) in self.query_objects
            ):
                # url.searchParams.set(k, v): the value is the query string's, not the host's
                union = set(_mark_all(_cap(union), frozenset({m.SSRF, m.REDIRECT})))
            if method in _MUTATORS and receiver_node is not None:
                self.weak_update(receiver_node, _cap(union), env) if receiver_node.type in {
                    "identifier",
                    "member_expression",
                } else None
                return EMPTY
            if method in _STRING_METHODS:
                text = set(_data(receiver))
                if method in {"then", "map", "flatMap", "find", "filter"}:
                    text |= union
                return _cap(text)
            if method in _ARGS_FLOW:
                if method == "replace" and _STRIPS_PARENT_DIRS.match(
                    "".join(ctx.text(node).split())
                ):
                    # path.normalize(p).replace(/^(\.\.(\/|\\|$))+/, ''): normalising first
                    # leaves every `..` at the start, and those are stripped
                    return _mark_all(_cap(set(_data(receiver)) | union), frozenset({m.PATH}))
                return _cap(set(_data(receiver)) | union)
            if package is not None and dotted.count(".") == 1:
                return _cap(union)  # library.function(x): carries its input by default
            return _data(receiver)
        if package is not None or dotted in _PASS_THROUGH:
            return _cap(union)
        if callee.type == "identifier":
            return _cap(union)  # globals and unknown functions keep their input
        return _cap(union | set(_data(receiver)))

    def sanitizer_kinds(
        self, dotted: str, short: str, package: str | None
    ) -> frozenset[str] | None:
        if short == "escape":
            head = dotted.split(".", 1)[0]
            pkg = self.mod.package_of(head) or ""
            if pkg in _ESCAPE_SQL_PACKAGES or head in {
                "mysql",
                "connection",
                "pool",
                "db",
                "SqlString",
            }:
                return frozenset({m.SQL})
            return frozenset({m.XSS})
        kinds = _KIND_SANITIZERS.get(short)
        if kinds is not None:
            if short == "quote" and package not in {"shell-quote", "shlex"}:
                return None
            return kinds
        if package is not None:
            kinds = _KIND_SANITIZERS.get(package)
            if kinds is not None:
                return kinds
        return None

    def project_target(self, callee: Node, dotted: str, method: str) -> str | None:
        """The name link.py resolves for a call to project code, or None."""
        ctx = self.ctx
        mod = self.mod
        if callee.type == "identifier":
            if dotted in mod.functions or dotted in mod.class_nodes:
                return dotted
            if mod.is_project_import(dotted):
                return dotted
            return None
        if callee.type != "member_expression":
            return None
        obj = _unwrap(callee.child_by_field_name("object"))
        if obj is None:
            return None
        if obj.type == "this" and self.owner is not None:
            return f"{self.owner}.{method}"
        if obj.type == "member_expression":
            base = _unwrap(obj.child_by_field_name("object"))
            field = ctx.text(obj.child_by_field_name("property"))
            if base is not None and base.type == "this" and self.owner is not None:
                type_name = mod.classes.get(self.owner, {}).get(field)
                if type_name is not None and (
                    type_name in mod.class_nodes or mod.is_project_import(type_name)
                ):
                    return f"{type_name}.{method}"
                return None
        if obj.type == "identifier":
            name = ctx.text(obj)
            if name in self.instances:
                return f"{self.instances[name]}.{method}"
            cls = mod.instances.get(name)
            if cls is not None and (cls in mod.class_nodes or mod.is_project_import(cls)):
                return f"{name}.{method}"
            if f"{name}.{method}" in mod.functions:
                return f"{name}.{method}"
            if mod.is_project_import(name):
                return f"{name}.{method}"
        return None

    def project_call(self, callee: str, args: list[tuple[str, Labels]], node: Node) -> Labels:
        out: set[str] = set()
        self.mod.callees.add(callee)
        line = node.start_point[0] + 1
        for arg, written in args:
            labels = _data(written)
            if not labels:
                continue
            if not self.dead:
                self.calls.setdefault((callee, arg, line), set()).update(labels)
            for label in labels:
                wrapped = m.call_label(callee, arg, label)
                if wrapped is not None:
                    out.add(wrapped)
        out.add(f"C{callee}#-:-")
        return _cap(out)

    # ---------------------------------------------------------------- sinks
    def sink(self, kind: str, node: Node, what: str, labels: Labels, *, needs: str = "") -> None:
        line = node.start_point[0] + 1
        self.mod.seen.add((kind, line))
        labels = _data(labels) - {"T"}
        if not labels or self.dead:
            return
        if needs and needs not in labels and not any(lab[:1] in {"C", "P"} for lab in labels):
            return
        clean = sorted(lab for lab in labels if lab not in _CONST_LABELS or lab == needs)
        if not clean or all(lab in _CONST_LABELS for lab in clean):
            return
        col = node.start_point[1]
        key = (kind, line, col)
        existing = self.sinks.get(key)
        if existing is None:
            lines = self.ctx.lines
            text = lines[line - 1].strip()[:200] if line <= len(lines) else ""
            self.sinks[key] = [kind, line, col, node.end_point[0] + 1, what, clean, text, needs]
        else:
            existing[5] = sorted(set(existing[5]) | set(clean))

    def assignment_sink(self, left: Node, right: Node | None, labels: Labels) -> None:
        """`ctx.body = html` (Koa), `res.body = ...`: the response's HTML."""
        ctx = self.ctx
        if left.type != "member_expression":
            return
        prop = ctx.text(left.child_by_field_name("property"))
        obj = ctx.text(left.child_by_field_name("object"))
        if prop == "body" and obj in {"ctx", "this", "context"} and self.handler:
            self.sink(m.XSS, left, f"{obj}.body", labels, needs="H")
        if prop in {"innerHTML", "outerHTML"}:
            return  # the browser's DOM: not a server response

    def check_sinks(
        self,
        node: Node,
        dotted: str,
        method: str,
        args: list[tuple[str, Labels]],
        receiver: Labels,
        receiver_node: Node | None,
        env: dict[str, Labels],
    ) -> str:
        """Records the sink this call is, if any; returns its kind ("" for none)."""
        ctx = self.ctx
        mod = self.mod
        by_key = dict(args)
        arg_nodes = _args(node)

        def arg(index: int) -> Labels:
            return by_key.get(str(index), EMPTY)

        head = dotted.split(".", 1)[0]
        short = method or dotted
        receiver_text = (
            ctx.text(receiver_node).replace(" ", "") if receiver_node is not None else ""
        )
        aliased = mod.aliases.get(dotted, "")
        head_package = mod.package_of(head) or ""
        # --- OS commands
        cp_call = ""
        if head_package in _CHILD_PROCESS:
            cp_call = method or mod.imported_symbol(head)
            if mod.imported_symbol(head) not in {"*", "default"} and method:
                cp_call = ""
        elif receiver_text in {"child_process", "cp", "childProcess"} or dotted.startswith(
            "require('child_process')"
        ):
            cp_call = method
        elif aliased:
            alias_head = aliased.split(".", 1)[0]
            if (mod.package_of(alias_head) or "") in _CHILD_PROCESS or alias_head in {
                "child_process",
                "cp",
            }:
                cp_call = aliased.rsplit(".", 1)[-1]
                if cp_call == alias_head:
                    cp_call = mod.imported_symbol(alias_head)
        if cp_call in _SHELL_CALLS:
            self.sink(m.CMD, node, f"{cp_call}()", arg(0))
            return m.CMD
        if cp_call in _ARGV_CALLS:
            options = arg_nodes[-1] if len(arg_nodes) > 1 else None
            shell = (
                options is not None
                and options.type == "object"
                and re.search(r"\bshell\s*:\s*(true|['\"`/])", ctx.text(options))
            )
            if shell:
                command = set(arg(0))
                if len(arg_nodes) > 2 or (len(arg_nodes) == 2 and arg_nodes[1].type == "array"):
                    command |= arg(1)
                self.sink(m.CMD, node, f"{cp_call}(shell: true)", frozenset(command))
            else:
                self.sink(m.CMD, node, f"{cp_call}() program", arg(0))
            return m.CMD
        if head_package in {"shelljs"} and method == "exec":
            self.sink(m.CMD, node, "shelljs.exec()", arg(0))
            return m.CMD
        if (head_package == "execa" or head in {"execa", "$"}) and short in {
            "execaCommand",
            "execaCommandSync",
            "command",
            "commandSync",
        }:
            self.sink(m.CMD, node, f"{short}()", arg(0))
            return m.CMD
        # --- code
        if dotted in {"eval", "global.eval", "globalThis.eval", "window.eval"} and (
            "eval" not in self.local_fns and "eval" not in mod.functions
        ):
            self.sink(m.CODE, node, "eval()", arg(0))
            return m.CODE
        if dotted == "Function" and args:
            self.sink(m.CODE, node, "Function()", args[-1][1])
            return m.CODE
        if (head == "vm" or head_package in {"vm", "node:vm"}) and short.startswith("run"):
            self.sink(m.CODE, node, f"vm.{short}()", arg(0))
            return m.CODE
        if (
            dotted in {"setTimeout", "setInterval"}
            and arg_nodes
            and arg_nodes[0].type not in FUNCTION_TYPES
        ):
            if arg_nodes[0].type in {"template_string", "binary_expression", "string"}:
                self.sink(m.CODE, node, f"{dotted}() with a string", arg(0))
            return m.CODE
        # --- deserialisation
        if short in {"unserialize", "deserialize"} and (
            head_package in {"node-serialize", "serialize-to-js", "funcster"}
            or head in {"serialize", "nodeSerialize"}
        ):
            self.sink(m.DESER, node, f"{short}()", arg(0))
            return m.DESER
        if head_package in {"js-yaml", "yaml"} and short in {"load", "loadAll"}:
            option_text = ctx.text(arg_nodes[1]) if len(arg_nodes) > 1 else ""
            if re.search(r"FULL_SCHEMA|DEFAULT_FULL|js-types|unsafe", option_text):
                self.sink(m.DESER, node, f"yaml.{short}() with the full schema", arg(0))
            else:
                mod.seen.add((m.DESER, node.start_point[0] + 1))
            return m.DESER
        if head_package == "cryo" and short == "parse":
            self.sink(m.DESER, node, "cryo.parse()", arg(0))
            return m.DESER
        # --- SQL
        if (
            method in _SQL_ALWAYS
            or method in _SQL_FRAGMENT
            or (method in {"literal"} and head in {"sequelize", "Sequelize"})
        ):
            if method == "unsafe" and not _SQL_RECEIVER.search(receiver_text or "sql"):
                return ""
            # raw fragments are SQL whatever their text: no need to see it look like SQL
            self.sink(m.SQL, node, f"{method}()", arg(0))
            return m.SQL
        if (
            method in _SQL_METHODS
            and receiver_node is not None
            and not self.http_call(dotted, method, head, head_package)
            and self.sql_call(node, method, receiver_text, arg_nodes, env)
        ):
            self.sink(m.SQL, node, f"{method}()", arg(0), needs="S")
            return m.SQL
        # --- paths
        if method in _FS_METHODS or (not method and mod.imported_symbol(head) in _FS_METHODS):
            fs_package = head_package or mod.package_of(receiver_text.split(".", 1)[0]) or ""
            if fs_package in _FS_PACKAGES or receiver_text in {
                "fs",
                "fsp",
                "fs.promises",
                "fse",
                "fsPromises",
                "fsExtra",
            }:
                paths = set(arg(0))
                if method in {"rename", "renameSync", "copyFile", "copyFileSync", "move", "copy"}:
                    paths |= arg(1)
                self.sink(m.PATH, node, f"fs.{short}()", frozenset(paths))
                return m.PATH
        if method in _FILE_RESPONSES and receiver_text.split(".", 1)[0] in _RESPONSE_NAMES:
            option_text = ctx.text(arg_nodes[1]) if len(arg_nodes) > 1 else ""
            if re.search(r"\broot\s*:", option_text):
                mod.seen.add((m.PATH, node.start_point[0] + 1))
                return m.PATH  # sendFile(name, { root }): send rejects paths that leave the root
            self.sink(m.PATH, node, f"{receiver_text}.{method}()", arg(0))
            return m.PATH
        # --- redirects
        if method in _REDIRECTS and (
            receiver_text.split(".", 1)[0] in _RESPONSE_NAMES
            or receiver_text in {"NextResponse", "Response"}
        ):
            labels = (
                arg(len(arg_nodes) - 1)
                if len(arg_nodes) == 2 and arg_nodes[0].type == "number"
                else arg(0)
            )
            self.sink(m.REDIRECT, node, f"{receiver_text}.{method}()", labels)
            return m.REDIRECT
        if (
            not method
            and dotted in {"redirect", "permanentRedirect"}
            and (
                head_package.startswith("next")
                or head_package in {"@remix-run/node", "react-router"}
            )
        ):
            self.sink(m.REDIRECT, node, f"{dotted}()", arg(0))
            return m.REDIRECT
        # --- SSRF
        if self.http_call(dotted, method, head, head_package):
            labels = arg(0)
            if arg_nodes and arg_nodes[0].type == "object":
                labels = self.url_in_options(arg_nodes[0], env)
            elif method == "request" and head_package in {"undici"}:
                labels = arg(0)
            self.sink(m.SSRF, node, f"{dotted}()", labels)
            return m.SSRF
        # --- XSS
        if method in _HTML_SENDS and self.handler:
            base = receiver_text.split(".", 1)[0]
            if base in {"res", "response", "reply", "resp"} and arg_nodes:
                if re.search(r"type\(['\"](application/)?json", receiver_text):
                    return ""
                html = "html" in receiver_text.lower()
                self.sink(
                    m.XSS, node, f"{receiver_text}.{method}()", arg(0), needs="" if html else "H"
                )
            return ""
        if method == "html" and receiver_text in {"c", "ctx", "context"} and self.handler:
            self.sink(m.XSS, node, "c.html()", arg(0), needs="")
            return m.XSS
        return ""

    def sql_call(
        self,
        node: Node,
        method: str,
        receiver_text: str,
        arg_nodes: list[Node],
        env: dict[str, Labels],
    ) -> bool:
        """`x.query(text)` is SQL when the receiver is a database handle or the text is SQL."""
        if not arg_nodes:
            return False
        if method in {"all", "get", "run", "prepare", "exec"} and not self.sql_text(
            arg_nodes[0], env
        ):
            return False
        if (
            method == "exec"
            and self.mod.package_of(receiver_text.split(".", 1)[0]) in _CHILD_PROCESS
        ):
            return False
        base = receiver_text.rsplit(".", 1)[-1] if receiver_text else ""
        if re.search(
            r"^(req|request|res|app|router|ctx|c|axios|graphql|apollo|client\.graphql)$",
            receiver_text,
        ):
            return False
        return bool(
            _SQL_RECEIVER.search(receiver_text) or _SQL_RECEIVER.search(base)
        ) or self.sql_text(arg_nodes[0], env)

    def sql_text(self, node: Node, env: dict[str, Labels]) -> bool:
        node = _unwrap(node) or node
        ctx = self.ctx
        if node.type == "identifier":
            return "S" in env.get(ctx.text(node), EMPTY)
        if node.type in {"template_string", "binary_expression", "string"}:
            return bool(_SQL_TEXT.search(ctx.text(node)))
        return False

    def http_call(self, dotted: str, method: str, head: str, package: str) -> bool:
        if not method:
            if (
                dotted == "fetch"
                and "fetch" not in self.mod.functions
                and "fetch" not in self.local_fns
            ):
                return not self.mod.is_project_import("fetch")
            return package in _HTTP_PACKAGES and package not in {
                "http",
                "https",
                "node:http",
                "node:https",
            }
        if dotted.count(".") != 1:
            return False
        if method not in _HTTP_VERBS:
            return False
        if package in _HTTP_PACKAGES:
            return True
        return head in {
            "axios",
            "got",
            "superagent",
            "needle",
            "http",
            "https",
            "undici",
            "ky",
        } and not self.mod.is_project_import(head)

    def url_in_options(self, options: Node, env: dict[str, Labels]) -> Labels:
        ctx = self.ctx
        labels: set[str] = set()
        for child in options.named_children:
            if child.type == "pair":
                key = ctx.text(child.child_by_field_name("key")).strip("'\"")
                if key in {"url", "baseURL", "uri", "host", "hostname"}:
                    labels |= self.expr(child.child_by_field_name("value"), dict(env))
            elif child.type == "shorthand_property_identifier" and ctx.text(child) in {
                "url",
                "uri",
                "host",
                "hostname",
            }:
                labels |= env.get(ctx.text(child), EMPTY)
        return _cap(_data(frozenset(labels)))


# --------------------------------------------------------------------------- helpers
def _unwrap_sequence(node: Node) -> Node:
    while node.type in {"parenthesized_expression", "sequence_expression"}:
        children = [c for c in node.named_children if c.type != "comment"]
        if not children:
            break
        node = children[-1]
    return node


def _args(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None or arguments.type == "template_string":
        return []
    return [a for a in arguments.named_children if a.type != "comment"]


def _method(ctx: JsFileContext, call: Node) -> str:
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "member_expression":
        return ""
    return ctx.text(callee.child_by_field_name("property"))


def _guarded_name(ctx: JsFileContext, node: Node | None) -> str | None:
    node = _unwrap(node)
    if node is None:
        return None
    if node.type == "identifier":
        return ctx.text(node)
    if node.type == "call_expression" and _method(ctx, node) in {
        "toLowerCase",
        "toUpperCase",
        "trim",
        "toString",
    }:
        callee = node.child_by_field_name("function")
        return _guarded_name(ctx, callee.child_by_field_name("object") if callee else None)
    return None


def _param_nodes(fn: Node) -> list[Node]:
    params = fn.child_by_field_name("parameters")
    if params is None:
        single = fn.child_by_field_name("parameter")
        return [single] if single is not None else []
    return [p for p in params.named_children if p.type not in {"comment", "decorator"}]


def _param_pattern(param: Node) -> Node | None:
    if param.type in {"required_parameter", "optional_parameter"}:
        return param.child_by_field_name("pattern")
    return param


def _param_names(ctx: JsFileContext, fn: Node) -> list[str]:
    names: list[str] = []
    for param in _param_nodes(fn):
        target = _param_pattern(param)
        if target is not None and target.type == "assignment_pattern":
            target = target.child_by_field_name("left")
        if target is not None and target.type == "rest_pattern" and target.named_children:
            target = target.named_children[0]
        names.append(ctx.text(target) if target is not None and target.type == "identifier" else "")
    return names


def _of_headers(ctx: JsFileContext, node: Node) -> bool:
    """`req.headers.referer`, `headers['host']`: a member of a headers object."""
    obj = node.child_by_field_name("object")
    return obj is not None and ctx.text(obj).replace(" ", "").endswith("headers")


def _first_value(ctx: JsFileContext, node: Node) -> Node | None:
    """The value a template literal or `+` chain starts with, when it starts with one."""
    node = _unwrap(node) or node
    while (
        node.type == "binary_expression" and ctx.text(node.child_by_field_name("operator")) == "+"
    ):
        left = _unwrap(node.child_by_field_name("left"))
        if left is None:
            return None
        node = left
    if node.type == "template_string":
        children = node.named_children
        if children and children[0].type == "template_substitution" and children[0].named_children:
            return children[0].named_children[0]
        return None
    return None if node.type == "string" else node


def _dynamic_pieces(ctx: JsFileContext, node: Node) -> list[Node]:
    """The values spliced into a `+` chain or a template literal."""
    node = _unwrap(node) or node
    if node.type == "binary_expression" and ctx.text(node.child_by_field_name("operator")) == "+":
        out: list[Node] = []
        for side in (node.child_by_field_name("left"), node.child_by_field_name("right")):
            if side is not None:
                out.extend(_dynamic_pieces(ctx, side))
        return out
    if node.type == "template_string":
        return [
            inner
            for child in node.named_children
            if child.type == "template_substitution"
            for inner in child.named_children
        ]
    if node.type in {"string", "number"}:
        return []
    return [node]


def _concat_pieces(ctx: JsFileContext, node: Node | None) -> list[str]:
    """A `+` chain as constant texts and "\\x00" for each value, in order."""
    node = _unwrap(node)
    if node is None:
        return []
    if node.type == "binary_expression" and ctx.text(node.child_by_field_name("operator")) == "+":
        return _concat_pieces(ctx, node.child_by_field_name("left")) + _concat_pieces(
            ctx, node.child_by_field_name("right")
        )
    if node.type == "string":
        return [ctx.text(node)[1:-1]]
    if node.type == "template_string":
        out = []
        for child in node.named_children:
            out.append("\x00" if child.type == "template_substitution" else ctx.text(child))
        return out
    return ["\x00"]


# --------------------------------------------------------------------------- module level
def _collect(mod: _Module, ctx: JsFileContext) -> list[tuple[str, Node, str | None]]:
    """The units to summarise: (qualified name, function node, owning class)."""
    units: list[tuple[str, Node, str | None]] = []
    root = ctx.root
    for stmt in root.named_children:
        node = stmt
        kind = node.type  # read once: each read of a node's type builds a new string
        if kind == "export_statement":
            declaration = node.child_by_field_name("declaration")
            value = node.child_by_field_name("value")
            if declaration is not None:
                node = declaration
                kind = node.type
            elif value is not None:
                inner = _unwrap(value)
                if inner is not None and inner.type in FUNCTION_TYPES:
                    units.append(("default", inner, None))
                elif inner is not None and inner.type == "object":
                    _object_units(mod, ctx, "default", inner, units)
                continue
            else:
                for child in node.named_children:
                    if child.type == "string":
                        source = ctx.text(child)[1:-1]
                        if not any(c.type == "export_clause" for c in node.named_children):
                            mod.star.append(source)
                continue
        if kind in {"function_declaration", "generator_function_declaration"}:
            name = ctx.text(node.child_by_field_name("name"))
            if name:
                units.append((name, node, None))
                mod.functions[name] = node
        elif kind in {"class_declaration", "abstract_class_declaration"}:
            _class_units(mod, ctx, node, units)
        elif kind in {"lexical_declaration", "variable_declaration"}:
            for declarator in node.named_children:
                if declarator.type != "variable_declarator":
                    continue
                target = declarator.child_by_field_name("name")
                value = _unwrap(declarator.child_by_field_name("value"))
                if target is None or target.type != "identifier" or value is None:
                    continue
                name = ctx.text(target)
                value_kind = value.type
                if value_kind in FUNCTION_TYPES:
                    units.append((name, value, None))
                    mod.functions[name] = value
                elif value_kind == "class":
                    _class_units(mod, ctx, value, units, name)
                elif value_kind == "object":
                    _object_units(mod, ctx, name, value, units)
                    _schema_fields(mod, ctx, name, value)
                elif value_kind in {"string", "number", "true", "false"}:
                    text = ctx.text(value)
                    mod.consts[name] = (
                        text[1:-1]
                        if value_kind == "string"
                        else value_kind == "true"
                        if value_kind in {"true", "false"}
                        else text
                    )
                elif value_kind == "array" or (
                    value_kind == "new_expression"
                    and ctx.text(value.child_by_field_name("constructor")) in {"Set", "Map"}
                ):
                    mod.collections.add(name)
                elif value_kind == "call_expression":
                    _schema_fields(mod, ctx, name, value)
                elif value_kind == "new_expression":
                    cls = ctx.text(value.child_by_field_name("constructor"))
                    if re.match(r"^[A-Z][\w$]*$", cls) and cls not in {"Set", "Map", "URL"}:
                        mod.instances[name] = cls
        elif kind == "expression_statement":
            expression = node.named_children[0] if node.named_children else None
            if expression is not None and expression.type == "assignment_expression":
                left = ctx.text(expression.child_by_field_name("left")).replace(" ", "")
                value = _unwrap(expression.child_by_field_name("right"))
                name = ""
                if left in {"module.exports", "exports"}:
                    name = "default"
                elif left.startswith(("module.exports.", "exports.")):
                    name = left.rsplit(".", 1)[-1]
                if name and value is not None:
                    if value.type in FUNCTION_TYPES:
                        units.append((name, value, None))
                        mod.functions[name] = value
                    elif value.type == "object" and name == "default":
                        _object_units(mod, ctx, "default", value, units, top=True)
                    elif value.type == "call_expression" and name != "default":
                        _schema_fields(mod, ctx, name, value)
    return units


def _class_units(
    mod: _Module,
    ctx: JsFileContext,
    node: Node,
    units: list[tuple[str, Node, str | None]],
    name: str = "",
) -> None:
    name = name or ctx.text(node.child_by_field_name("name"))
    if not name:
        return
    mod.class_nodes[name] = node
    mod.classes.setdefault(name, {})
    body = node.child_by_field_name("body")
    fields: dict[str, list[str]] = {}
    for member in body.named_children if body is not None else []:
        if member.type == "method_definition":
            method = ctx.text(member.child_by_field_name("name"))
            if method == "constructor":
                units.insert(0, (f"{name}.constructor", member, name))
            else:
                units.append((f"{name}.{method}", member, name))
                mod.functions[f"{name}.{method}"] = member
        elif member.type in {"public_field_definition", "field_definition"}:
            field = ctx.text(
                member.child_by_field_name("name") or member.child_by_field_name("property")
            )
            decorators = [
                ctx.decorator_name(d) for d in member.named_children if d.type == "decorator"
            ]
            annotation = member.child_by_field_name("type")
            type_text = ctx.text(annotation).lstrip(":").strip() if annotation is not None else ""
            fields[field] = decorators
            if (
                decorators
                and type_text.split("<", 1)[0] in {"number", "boolean", "Date"}
                and (any(d in _CONSTRAINED_DECORATORS for d in decorators) or "Type" in decorators)
            ):
                mod.schemas.setdefault(name, []).append(field)
                continue
            if any(d in _CONSTRAINED_DECORATORS for d in decorators):
                mod.schemas.setdefault(name, []).append(field)
            # `@Inject() private readonly users: UsersService` property injection
            if type_text[:1].isupper() and any(
                d in {"Inject", "InjectRepository", "Autowired"} for d in decorators
            ):
                mod.classes[name][field] = type_text.split("<", 1)[0]


def _object_units(
    mod: _Module,
    ctx: JsFileContext,
    name: str,
    node: Node,
    units: list[tuple[str, Node, str | None]],
    top: bool = False,
    depth: int = 0,
) -> None:
    """Functions held by an object literal, and by the objects inside it (a GraphQL resolver
    map's `Query.user`), as units named by their path."""
    for child in node.named_children:
        key = ""
        value: Node | None = None
        if child.type == "method_definition":
            key = ctx.text(child.child_by_field_name("name"))
            value = child
        elif child.type == "pair":
            key = ctx.text(child.child_by_field_name("key")).strip("'\"")
            value = _unwrap(child.child_by_field_name("value"))
        if not key or value is None:
            continue
        qualified = key if top else f"{name}.{key}"
        if value.type == "object" and depth < 2:
            _object_units(mod, ctx, qualified, value, units, depth=depth + 1)
            continue
        if value.type not in FUNCTION_TYPES:
            continue
        units.append((qualified, value, None))
        mod.functions[qualified] = value
        mod.objects.add(name)


def _schema_fields(mod: _Module, ctx: JsFileContext, name: str, value: Node) -> None:
    """`const Q = z.object({ id: z.string().uuid(), n: z.number() })`: id and n are
    constrained; the same for joi/yup object schemas."""
    # the object schema call is the value or a call it chains on (`z.object({...}).strict()`)
    obj: Node | None = None
    current: Node | None = value
    for _ in range(6):
        if current is None or current.type != "call_expression":
            return
        callee = current.child_by_field_name("function")
        if callee is None or callee.type != "member_expression":
            return
        if ctx.text(callee.child_by_field_name("property")) in {"object", "keys", "shape"}:
            args = _args(current)
            obj = args[0] if args and args[0].type == "object" else None
            break
        current = _unwrap(callee.child_by_field_name("object"))
    if obj is None:
        return
    fields = []
    for pair in obj.named_children:
        if pair.type != "pair":
            continue
        key = ctx.text(pair.child_by_field_name("key")).strip("'\"")
        field_value = pair.child_by_field_name("value")
        if field_value is not None and _CONSTRAINED_ZOD.search(ctx.text(field_value)):
            fields.append(key)
    mod.schemas[name] = fields


# What makes a function worth interpreting (checked on its bytes, in C, before any tree walk):
# it reads request data, calls a sink, or builds text it returns. The others are interpreted
# only when they hand their parameters to project code (service layers); everything else
# (most of a library) is a project function through which nothing flows.
# Each pattern starts with a literal, so that re finds its candidates by a fast search for it
# rather than trying the pattern at every byte (as a leading alternation, `\b` or lookbehind
# makes it do): a lookbehind comes after the literal, and the alternation of the request
# accessors is two patterns, one per first letter, matched as one by _leftmost.
_REQUEST_FIELD = (
    rb"\s*\.\s*(?:body|query|params|headers|cookies|req|request|nextUrl|json|formData|param|"
    rb"get|header|files?)\b"
)
_REQUEST_BYTES = (
    re.compile(rb"req(?:uest)?" + _REQUEST_FIELD),
    re.compile(rb"c(?:tx|ontext)" + _REQUEST_FIELD),
)
_HONO_BYTES = re.compile(
    rb"c(?<![\w$.]c)\s*\.\s*req\s*\.\s*(?:json|param|query|queries|parseBody|formData|text|"
    rb"valid|header)\b"
)
_NEST_BYTES = re.compile(rb"@(?:Body|Query|Param|Headers|Args|Req|Request|UploadedFile)\s*\(")
_TRPC_BYTES = re.compile(rb"input\b[^}()]*\}\s*\)\s*=>")
_RESOLVER_ARGS = rb"\s*,\s*(args|\{[^}()]*\})\s*(,[^()]*)?\)\s*(=>|\{)"
_RESOLVER_BYTES = (
    re.compile(rb"\(_(?:_|parent|root)?" + _RESOLVER_ARGS),
    re.compile(rb"\(parent" + _RESOLVER_ARGS),
    re.compile(rb"\(root" + _RESOLVER_ARGS),
)


def _leftmost(source: bytes, patterns: tuple[re.Pattern[bytes], ...]) -> list[int]:
    """Where finditer of the patterns' alternation matches (the leftmost match, the next one
    from its end...), each pattern searched on its own so that each keeps its literal start;
    no two of them match at one position."""
    found: list[int] = []
    ahead = [pattern.search(source) for pattern in patterns]
    while True:
        first = min((match for match in ahead if match is not None), key=_start, default=None)
        if first is None:
            return found
        found.append(first.start())
        end = first.end()
        ahead = [
            pattern.search(source, end) if match is not None and match.start() < end else match
            for pattern, match in zip(patterns, ahead, strict=True)
        ]


def _start(match: re.Match[bytes]) -> int:
    return match.start()


def _source_offsets(source: bytes) -> list[int]:
    """Where the file may read request data (request accessors, NestJS parameter decorators,
    tRPC's `({ input }) =>`, a GraphQL resolver's `(parent, args)`). A pattern that can match
    without a literal of the file's (`req .body`) counts only where the file has one (`req.`):
    that check scans the whole file when it fails, so it comes after the pattern's search."""
    found: list[int] = []
    accessors = _leftmost(source, _REQUEST_BYTES)
    if accessors and (
        b"req." in source or b"request." in source or b"ctx." in source or b"context." in source
    ):
        found.extend(accessors)
    if b"c.req" in source:
        found.extend(m_.start() for m_ in _HONO_BYTES.finditer(source))
    if b"@" in source:
        found.extend(m_.start() for m_ in _NEST_BYTES.finditer(source))
    found.extend(m_.start() for m_ in _TRPC_BYTES.finditer(source))
    found.extend(_leftmost(source, _RESOLVER_BYTES))
    found.sort()
    return found


# Sinks by the callee's last name, from the name index the rules share (no extra tree walk);
# the names that are also common methods count only on an object of the right kind.
# Sinks when called bare (an import) or on a child_process-like object: `exec` and `spawn` are
# also common methods (RegExp.prototype.exec).
_BARE_SINK_NAMES = frozenset(
    {
        "exec",
        "execSync",
        "spawn",
        "spawnSync",
        "execFile",
        "execFileSync",
        "eval",
        "fetch",
        "Function",
        "execaCommand",
        "execaCommandSync",
    }
)
_PROCESS_OBJECTS = frozenset({b"cp", b"child_process", b"childProcess", b"shell", b"shelljs"})
_SINK_NAMES = frozenset(
    {
        "unserialize",
        "redirect",
        "permanentRedirect",
        "runInNewContext",
        "runInThisContext",
        "runInContext",
        "Script",
        "whereRaw",
        "orderByRaw",
        "havingRaw",
        "joinRaw",
        "selectRaw",
        "fromRaw",
        "groupByRaw",
        "sendFile",
        "sendfile",
        "download",
        "query",
        "execute",
        "raw",
        "unsafe",
        "prepare",
        "$queryRawUnsafe",
        "$executeRawUnsafe",
        "axios",
        "got",
    }
)
_FS_OBJECTS = frozenset({b"fs", b"fsp", b"fse", b"fsPromises", b"fsExtra", b"promises"})
_HTTP_OBJECTS = frozenset(
    {b"axios", b"got", b"superagent", b"needle", b"http", b"https", b"undici", b"ky"}
)
_YAML_OBJECTS = frozenset({b"yaml", b"YAML", b"jsyaml", b"jsYaml"})
_SINK_ON = {
    "get": _HTTP_OBJECTS,
    "post": _HTTP_OBJECTS,
    "put": _HTTP_OBJECTS,
    "patch": _HTTP_OBJECTS,
    "delete": _HTTP_OBJECTS,
    "request": _HTTP_OBJECTS,
    "load": _YAML_OBJECTS,
    "loadAll": _YAML_OBJECTS,
    "literal": frozenset({b"sequelize", b"Sequelize"}),
}
_CTX_BODY = re.compile(rb"ctx\.body\s*=")
# A return of text built from values that looks like SQL or markup (what a caller's sink needs
# to see was built: `return \`status = '${s}'\``); error messages and the like need no look.
# Matched on the lowercased source, for any case: re.IGNORECASE would lose the search for the
# literal `return` and try the pattern at every byte (twice as slow).
_BUILDS_BYTES = re.compile(
    rb"return\b(?=[^;\n]*(`[^`]*\$\{|['\"`]\s*\+|\+\s*['\"`]))(?=[^;\n]*(\b(select|insert|"
    rb"update|delete|where|and|or|order|limit|values|set|from)\b|[=<>]\s*['\"`(]|<[a-z/]))"
)


_CALL_BYTES = re.compile(rb"(?<![\w$.])(this|[A-Za-z_$][\w$]*)\s*(\.\s*[\w$]+\s*){0,2}\(")


_WORD_BYTES = re.compile(rb"[A-Za-z_$][\w$]*")
# The bytes that continue a name (as `chr(byte).isalnum()` or `_$` says), looked up in a set.
_NAME_BYTES = frozenset(byte for byte in range(256) if chr(byte).isalnum() or byte in b"_$")


def _marked_offsets(
    ctx: JsFileContext, sources: list[int], imports: dict[str, tuple[str, str]]
) -> list[int]:
    """Where the file reads request data, calls a sink or returns built text."""
    source = ctx.source
    offsets = list(sources)
    if b"return" in source:
        offsets.extend(match.start() for match in _BUILDS_BYTES.finditer(source.lower()))
    if b"ctx.body" in source:
        offsets.extend(match.start() for match in _CTX_BODY.finditer(source))
    names = ctx._names()
    for name in _SINK_NAMES.intersection(names):
        offsets.extend(node.start_byte for node in names[name])
    fs_imported = {
        local
        for local, (package, _) in imports.items()
        if package in {"fs", "node:fs", "fs/promises", "node:fs/promises", "fs-extra"}
    }
    for name in _FS_METHODS.intersection(names):
        if name in fs_imported:
            offsets.extend(node.start_byte for node in names[name])
    for name in _BARE_SINK_NAMES.intersection(names):
        for node in names[name]:
            parent = node.parent
            if parent is not None and parent.type != "member_expression":
                offsets.append(node.start_byte)
    checks = [(name, _SINK_ON[name]) for name in _SINK_ON.keys() & names.keys()]
    checks += [(name, _PROCESS_OBJECTS) for name in _BARE_SINK_NAMES.intersection(names)]
    checks += [(name, _FS_OBJECTS) for name in _FS_METHODS.intersection(names)]
    for name, objects in checks:
        for node in names[name]:
            # `axios.get(`: the name is preceded by the object and a dot
            start = node.start_byte - 1
            while start > 0 and source[start] in b" \t\n.":
                start -= 1
            begin = start
            while begin > 0 and source[begin - 1] in _NAME_BYTES:
                begin -= 1
            if source[begin : start + 1] in objects:
                offsets.append(node.start_byte)
    offsets.sort()
    return offsets


def _relevant(
    start: int, end: int, marks: list[int], sources: list[int], ctx: JsFileContext, node: Node
) -> bool:
    """Whether a function must be interpreted: it reads request data, or it calls a sink or
    returns built text given parameters (one that takes nothing and reads no request data
    cannot see any: fields of `this` carry none here)."""
    if not _marked(marks, start, end):
        return False
    return _marked(sources, start, end) or any(_param_names(ctx, node))


_RETURN_BYTES = re.compile(rb"return(?<!\wreturn)\s+([^;\n]+)")  # `\breturn`, literal first
_PASSED_ON = re.compile(
    rb"^\s*(?:await\s+)?([A-Za-z_$][\w$]*)((\s*\??\.\s*(trim|trimStart|trimEnd|toLowerCase|"
    rb"toUpperCase|normalize|replace|replaceAll|slice|substring|toString|concat)\s*\([^()]*\))*"
    rb"|(\s*\??\.\s*[\w$]+)*)\s*;?\s*$"
)
_CLEANING_PREFIX = re.compile(
    rb"^\s*(Number|parseInt|parseFloat|Boolean|BigInt|Math\.\w+|Number\.\w+|isNaN)\s*\("
)


def _text_marks(arg: bytes) -> frozenset[str]:
    """The kinds an argument's constant prefix sanitises: `/accounts/${id}` (a local path),
    `https://api.example.com/${x}` (a fixed host)."""
    text = arg.strip()
    if text[:1] in {b"`", b"'", b'"'}:
        prefix = text[1:].split(b"${", 1)[0].split(text[:1], 1)[0].decode("utf-8", "replace")
        if _FIXED_LOCAL.match(prefix) or _FIXED_HOST.match(prefix):
            return frozenset({m.REDIRECT, m.SSRF})
    return frozenset()


_DELIMITERS = re.compile(rb"[()\[\]{},'\"`]")


def _split_args(text: bytes) -> tuple[list[bytes], bool]:
    """The top-level arguments of a call from just after its `(`; False when not closed.
    Only the delimiters are visited (strings are skipped whole, not byte by byte)."""
    depth = 0
    args: list[bytes] = []
    start = 0
    quote = 0
    for match in _DELIMITERS.finditer(text):
        byte = text[match.start()]
        if quote:
            if byte == quote:
                quote = 0
            continue
        if byte in b"'\"`":
            quote = byte
        elif byte in b"([{":
            depth += 1
        elif byte in b")]}":
            if depth == 0:
                args.append(text[start : match.start()])
                return args, True
            depth -= 1
        elif depth == 0:  # ","
            args.append(text[start : match.start()])
            start = match.end()
    return args, False


_CALLEE_REVERSED = re.compile(rb"\(\s*(?:[\w$]+\s*\.\s*){0,2}[\w$]+")


def _calls_given(text: bytes, named: dict[bytes, str]) -> list[tuple[str, int, int]]:
    """The calls (callee up to its `(`) that one of the parameters is written in as an
    argument, found from the parameters' occurrences rather than from every call."""
    opens: set[int] = set()
    for param in named:
        for lead in (b"(", b", ", b","):
            needle = lead + param
            at = text.find(needle)
            while at != -1:
                after = at + len(needle)
                if after < len(text) and text[after] in _NAME_BYTES:
                    at = text.find(needle, at + 1)  # `(error` is not the parameter `e`
                    continue
                if lead == b"(":
                    opens.add(at)
                else:
                    # the call's `(`: the nearest one before with what follows it balanced
                    index = at
                    for _ in range(4):
                        index = text.rfind(b"(", max(0, at - 400), index)
                        if index == -1:
                            break
                        between = text[index + 1 : at]
                        if between.count(b"(") == between.count(b")"):
                            opens.add(index)
                            break
                at = text.find(needle, at + 1)
    found = []
    for index in sorted(opens):
        # read the callee backwards from its `(` (an anchored match, not a scan)
        backwards = text[index : max(0, index - 120) - 1 if index >= 120 else None : -1]
        match = _CALLEE_REVERSED.match(backwards)
        if match is None:
            continue
        start = index - match.end() + 1
        if start > 0 and (text[start - 1] in _NAME_BYTES or text[start - 1] == ord(".")):
            continue
        found.append((text[start:index].decode("utf-8", "replace"), start, index + 1))
    return found


def _forward_summary(
    mod: _Module,
    ctx: JsFileContext,
    node: Node,
    owner: str | None,
    project: frozenset[str],
    managed: bool,
) -> dict[str, Any] | None:
    """A function that only hands its parameters to project code (a service method calling a
    repository), summarised from its text without interpreting it: which parameter goes to
    which argument of which call, and what it returns of those calls. Arguments wrapped in a
    numeric conversion are left out; so is any call given a callback."""
    params = _param_names(ctx, node)
    named = {p.encode(): p for p in params if p}
    if not named:
        return None
    source = ctx.source
    text = source[node.start_byte : node.end_byte]
    fields = mod.classes.get(owner, {}) if owner is not None else {}
    calls: dict[tuple[str, str, int], set[str]] = {}
    ret: set[str] = set()
    for written, call_start, call_end in _calls_given(text, named):
        callee_text = "".join(written.split())
        parts = callee_text.split(".")
        head = parts[0]
        callee = ""
        if head == "this":
            if not managed or owner is None:
                continue
            if len(parts) == 2:
                callee = f"{owner}.{parts[1]}"
            elif len(parts) == 3:
                type_name = fields.get(parts[1])
                if type_name is None or not (
                    type_name in mod.class_nodes or mod.is_project_import(type_name)
                ):
                    continue
                callee = f"{type_name}.{parts[2]}"
        elif head in project and len(parts) <= 2:
            callee = callee_text
        if not callee:
            continue
        args, closed = _split_args(text[call_end : call_end + 400])
        if not closed or any(b"=>" in arg or b"function" in arg for arg in args):
            continue
        line = node.start_point[0] + 1 + text.count(b"\n", 0, call_start)
        before = text[max(0, call_start - 24) : call_start].rstrip()
        if before.endswith(b"await"):
            before = before[:-5].rstrip()
        returned = before.endswith((b"return", b"=>"))
        for index, arg in enumerate(args):
            if _CLEANING_PREFIX.match(arg):
                continue
            kinds = _text_marks(arg)
            for word in set(_WORD_BYTES.findall(arg)):
                param = named.get(word)
                if param is None:
                    continue
                label = f"P{param}"
                if b"encodeURIComponent(" + word in arg:
                    label = m.mark(label, kinds | _KIND_SANITIZERS["encodeURIComponent"])
                elif kinds:
                    label = m.mark(label, kinds)
                calls.setdefault((callee, str(index), line), set()).add(label)
                if returned:
                    wrapped = m.call_label(callee, str(index), label)
                    if wrapped is not None:
                        ret.add(wrapped)
        mod.callees.add(callee)
    body = node.child_by_field_name("body")
    if body is not None and body.type != "statement_block":
        returns = [source[body.start_byte : body.end_byte]]
    else:
        returns = [m_.group(1) for m_ in _RETURN_BYTES.finditer(text)] if b"return" in text else []
    for value in returns:
        # `return name.trim().toLowerCase()`: the parameter's own text, transformed
        passed = _PASSED_ON.match(value)
        if passed is not None and passed.group(1) in named:
            ret.add(f"P{named[passed.group(1)]}")
    if not calls and not ret:
        return None
    return {
        "line": node.start_point[0] + 1,
        "handler": False,
        "params": params,
        "ret": sorted(ret),
        "sinks": [],
        "calls": [[c, a, line, sorted(labels)] for (c, a, line), labels in calls.items()],
    }


def _managed(mod: _Module, ctx: JsFileContext, owner: str) -> bool:
    """A class whose instances a framework makes and injects (it takes typed services in its
    constructor, or is decorated: @Injectable, @Controller, @Resolver...): calls between its
    methods and into its services carry request data from controllers to queries."""
    if mod.classes.get(owner):
        return True
    node = mod.class_nodes.get(owner)
    return node is not None and bool(ctx.class_decorator_nodes(node))


def _marked(marks: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(marks, start)
    return index < len(marks) and marks[index] < end


def _project_names(mod: _Module, units: list[tuple[str, Node, str | None]]) -> frozenset[str]:
    names = {name for name in mod.imports if mod.is_project_import(name)}
    names |= {name.split(".", 1)[0] for name, _, _ in units if name != "default"}
    names |= set(mod.instances)
    return frozenset(names)


def _registers(stmt: Node) -> bool:
    """A top-level statement that may register a handler written in it: a call
    (`app.get('/x', (req, res) => ...)`), or a name or export bound to a call's result
    (`export const POST = withAuth(async (req) => ...)`). Assignments of functions to members
    (`req.get = function () {...}`, a library extending the request) are not."""
    node: Node | None = stmt
    if stmt.type == "export_statement":
        node = stmt.child_by_field_name("declaration") or stmt.child_by_field_name("value")
    if node is None:
        return False
    if node.type == "expression_statement":
        node = node.named_children[0] if node.named_children else None
    node = _unwrap(node)
    if node is not None and node.type == "await_expression" and node.named_children:
        node = node.named_children[0]
    if node is None:
        return False
    if node.type in {"call_expression", "new_expression"}:
        return True
    if node.type in {"lexical_declaration", "variable_declaration"}:
        return any(
            (value := _unwrap(d.child_by_field_name("value"))) is not None
            and value.type in {"call_expression", "await_expression", "new_expression"}
            for d in node.named_children
            if d.type == "variable_declarator"
        )
    return False


def _wrapper(stmt: Node) -> bool:
    """`(function () { ... })()`, `!function () {...}()`, a UMD wrapper: a bundled library."""
    node = (
        stmt.named_children[0]
        if stmt.type == "expression_statement" and stmt.named_children
        else None
    )
    while node is not None and node.type in {"unary_expression", "parenthesized_expression"}:
        node = node.named_children[-1] if node.named_children else None
    if node is None or node.type != "call_expression":
        return False
    callee = _unwrap(node.child_by_field_name("function"))
    return callee is not None and callee.type in FUNCTION_TYPES


def _only_units(mod: _Module, stmt: Node) -> bool:
    """A top-level statement that only declares functions summarised on their own."""
    node = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
    if node is None:
        return False
    if node.id in mod.unit_ids or node.type in {"class_declaration", "abstract_class_declaration"}:
        return True
    if node.type in {"lexical_declaration", "variable_declaration"}:
        return all(
            (_unwrap(d.child_by_field_name("value")) or d).id in mod.unit_ids
            for d in node.named_children
            if d.type == "variable_declarator"
        )
    return False


def summarize_module(ctx: JsFileContext, facts: dict[str, Any]) -> dict[str, Any]:
    """The taint facts of one JS/TS file: {"functions": {qualname: summary}, ...}."""
    mod = _Module(ctx, facts)
    units = _collect(mod, ctx)
    mod.unit_ids = {node.id for _, node, _ in units}
    functions: dict[str, Any] = {}
    defined: list[str] = []
    source = ctx.source
    sources = _source_offsets(source)
    # the sinks and built returns marked, and the project's names, matter only to the units
    project = _project_names(mod, units) if units else frozenset()
    marks = _marked_offsets(ctx, sources, mod.imports) if units else []
    exported = {*mod.exports.values(), "default"}
    for name, node, owner in units:
        if not name.endswith(".constructor") and not _relevant(
            node.start_byte, node.end_byte, marks, sources, ctx, node
        ):
            managed = (
                owner is not None
                and source.find(b"this.", node.start_byte, node.end_byte) != -1
                and _managed(mod, ctx, owner)
            )
            forward = None
            if marks or managed or name.split(".", 1)[0] in exported:
                # in a file that neither reads request data nor calls a sink, only what other
                # modules can call (its exports, injected services) can carry data across
                forward = _forward_summary(mod, ctx, node, owner, project, managed)
            if forward is not None:
                functions[name] = forward
            else:
                defined.append(name)
            continue
        interpreter = _Function(mod, node, owner)
        summary = interpreter.run()
        if name.endswith(".constructor"):
            continue
        if summary["sinks"] or summary["calls"] or summary["ret"] or summary["handler"]:
            functions[name] = summary
        else:
            defined.append(name)
    statements = [
        stmt
        for stmt in (ctx.root.named_children if sources else [])
        if _marked(sources, stmt.start_byte, stmt.end_byte)
        and _registers(stmt)
        and not _only_units(mod, stmt)
        and not _wrapper(stmt)
    ]
    if statements:
        top = _Function(mod, ctx.root, None)
        top.block(statements, top.env)
        summary = top.run_result()
        if summary["sinks"] or summary["calls"]:
            functions["<module>"] = summary
    out: dict[str, Any] = {
        "functions": functions,
        "defined": defined,
        "called": sorted(mod.callees),
        "seen": sorted([k, line] for k, line in mod.seen),
    }
    classes = {name: fields for name, fields in mod.classes.items() if fields}
    if classes:
        out["classes"] = classes
    schemas = {name: fields for name, fields in mod.schemas.items()}
    if schemas:
        out["schemas"] = schemas
    if mod.star:
        out["star"] = mod.star
    instances = {
        name: cls
        for name, cls in mod.instances.items()
        if cls in mod.class_nodes or mod.is_project_import(cls)
    }
    if instances:
        out["instances"] = instances
    return out
