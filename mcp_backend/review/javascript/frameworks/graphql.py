"""GraphQL in JS/TS: resolver maps (Apollo Server, GraphQL Yoga, Mercurius, graphql-tools),
the module-level functions they call, graphql-shield permission maps, and server options.

Per file, into `GqlFileFacts` (mcp_backend/review/facts.py); `javascript/graphql_link.py`
resolves names across modules and builds one route per field of Query/Mutation/Subscription.
NestJS and type-graphql resolver classes are read with the controllers (nestjs.py).
"""

from __future__ import annotations

import re
from typing import Any

from tree_sitter import Node

from mcp_backend.review.facts import (
    GQL_ROOT_TYPES,
    GqlCallee,
    GqlCheck,
    GqlField,
    GqlFileFacts,
    GqlFunction,
    GqlResolverMap,
    GqlSdlField,
    GqlServer,
    GqlShieldEntry,
    GqlShieldRule,
    GqlSpread,
    graphql_test_fields,
)
from mcp_backend.review.javascript.context import FUNCTION_TYPES, JsFileContext
from mcp_backend.review.javascript.frameworks import common, packages

# A file without any of these has nothing GraphQL to say (a cheap test before any walk).
GATE = (
    b"graphql",
    b"GraphQL",
    b"Query: {",
    b"Mutation: {",
    b"Resolvers",
    b"ApolloServer",
    b"mercurius",
    b"AuthenticationError",
    # resolver signatures, for modules of resolvers that import nothing GraphQL
    b"_parent",
    b"(parent, args",
    b"args, ctx",
    b"args, context",
    b"args, {",
    b"(_, {",
)
MAX_BODY = 12_000
# The caller as a resolver's context carries it (Apollo/Yoga/Mercurius context functions
# put the authenticated user there).
_CALLER = re.compile(
    r"\b(?:context|ctx|contextValue|_ctx|_context|req|request)\s*\.\s*(?:req\s*\.\s*|request\s*\.\s*"
    r"|state\s*\.\s*|reply\s*\.\s*request\s*\.\s*)?(?:user|currentUser|viewer|me|session|auth|userId"
    r"|payload|claims|jwt|token|identity|principal|account)\b"
    # the credential itself, as a context function reads it from the request
    r"|headers\s*(?:\.\s*|\[\s*['\"])[Aa]uthorization|\.get\(\s*['\"][Aa]uthorization"
)
_CALLER_NAMES = re.compile(
    r"\b(user|currentUser|viewer|me|session|auth|userId|payload|claims|identity|principal|account)\b"
)
# A branch that refuses an anonymous or unauthorised caller.
_DENY = re.compile(
    r"\bthrow\b[\s\S]{0,240}?(AuthenticationError|ForbiddenError|UNAUTHENTICATED|FORBIDDEN|"
    r"Unauthori[sz]ed|Unauthenticated|UnauthorizedException|ForbiddenException|"
    r"[Nn]ot (?:authenticated|logged in|authori[sz]ed|allowed|signed in)|"
    r"(?:[Aa]uthentication|[Ll]ogin|[Ss]ign[- ]?in) required|[Aa]ccess denied|\b40[13]\b|"
    r"[Pp]ermission|[Ff]orbidden)"
    # graphql-resolvers guards return the error instead: `me ? skip : new ForbiddenError(...)`
    r"|\bnew\s+(?:AuthenticationError|ForbiddenError|UnauthorizedException|ForbiddenException)\b"
)
_LOADS_BY_ID = re.compile(
    r"\b(findById|findByPk|findUnique\w*|findOne\w*|findFirst\w*|getById|get\w*ById|findOneBy"
    r"|findOneOrFail|deleteOne|delete|update|findByIdAndUpdate|findByIdAndDelete)\s*\("
)
# The id a client passes: `args.id`, `input.postId`, `{ id }` destructured or shorthand.
_ARG_ID = re.compile(
    r"\b(?:args|input|variables)\s*\.\s*(?:id|\w+Id)\b|\{\s*(?:[\w$]+\s*,\s*)*id\s*[,}]"
)
_NOT_HELPERS = re.compile(
    r"^(?:console|JSON|Object|Array|Promise|Math|String|Number|Boolean|Date|Error|\w*Error"
    r"|parseInt|parseFloat|require|setTimeout|fetch|String|Symbol|Reflect|bcrypt|jwt)\b"
)
_SERVER_CALLS = frozenset(
    {"ApolloServer", "createYoga", "graphqlHTTP", "createHandler", "forRoot", "forRootAsync"}
)
_LIMIT_WORDS = re.compile(
    r"depth|complexity|cost|armor|Armor|queryDepth|maxTokens|maxAliases|persisted", re.IGNORECASE
)
# Packages that limit query depth or cost; imported anywhere, the project limits queries.
LIMITER_PACKAGES = (
    "graphql-depth-limit",
    "graphql-query-complexity",
    "graphql-validation-complexity",
    "graphql-cost-analysis",
    "@escape.tech/graphql-armor",
    "@escape.tech/graphql-armor-max-depth",
    "@envelop/depth-limit",
    "@graphile/depth-limit",
    "graphql-armor",
)
# Words without which a function neither checks a caller nor loads a record.
_SUMMARY_WORDS = ("ctx", "context", "user", "session", "auth", "token", "find", "get", "delete")
# SDL of the root types, their fields, and the directives on them.
_SDL_TYPE = re.compile(r"(?:extend\s+)?type\s+(Query|Mutation|Subscription)\b([^{]*)\{([^}]*)\}")
_SDL_FIELD = re.compile(
    r"(?m)^[ \t]*([A-Za-z_]\w*)\s*(?:\([^)]*\))?\s*:\s*[\[\]\w!]+[ \t]*"
    r"((?:@\w+[ \t]*(?:\([^)]*\))?[ \t]*)*)"
)
_DIRECTIVE = re.compile(r"@(\w+)")
# Directive packages and what each directive they implement checks (data, one line each).
DIRECTIVE_LIBRARIES: dict[str, dict[str, list[Any]]] = {
    # graphql-auth-directives: JWT in the context, roles/scopes claims
    "graphql-auth-directives": {
        "isAuthenticated": ["auth"],
        "hasRole": ["auth", "authz"],
        "hasScope": ["auth", "authz"],
    },
}
# Calls whose options carry the context function: servers, and the integrations that serve them.
_CONTEXT_HOLDERS = frozenset(
    {"ApolloServer", "createYoga", "expressMiddleware", "startStandaloneServer", "koaMiddleware",
     "startServerAndCreateNextHandler", "startServerAndCreateLambdaHandler", "register"}
)  # fmt: skip
_SHIELD_HELPERS = frozenset({"and", "or", "chain", "race", "not"})


def extract_graphql_facts(ctx: JsFileContext, imports: dict[str, Any]) -> dict[str, Any] | None:
    if not ctx.has(*GATE):
        return None
    facts = GqlFileFacts()
    for entry in imports.values():
        source = str(entry.get("source", ""))
        if packages.package_name(source) in LIMITER_PACKAGES or source in LIMITER_PACKAGES:
            facts.limiter_import = source
    reader = _Reader(ctx, facts)
    reader.run()
    for entry in imports.values():
        known = DIRECTIVE_LIBRARIES.get(packages.package_name(str(entry.get("source", ""))))
        for name, kinds in (known or {}).items():
            facts.directive_impls[name] = kinds
    if not (
        facts.maps
        or facts.field_objects
        or facts.servers
        or facts.shield
        or facts.shield_rules
        or facts.limiter_import
        or facts.applies_middleware
        or facts.contexts
        or facts.sdl_fields
        or facts.directive_impls
        or any(f.checks or f.calls for f in facts.functions.values())
    ):
        return None
    return facts.model_dump(exclude_defaults=True)


def test_fields(ctx: JsFileContext) -> list[str]:
    """Fields a test file's GraphQL documents call first (what the test exercises)."""
    if not ctx.has(b"mutation", b"query", b"subscription"):
        return []
    return sorted(graphql_test_fields(ctx.source.decode("utf-8", "replace")))[:200]


def _key_text(ctx: JsFileContext, node: Node | None) -> str:
    if node is None:
        return ""
    text = ctx.text(node)
    return text[1:-1] if node.type == "string" else text


class _Reader:
    def __init__(self, ctx: JsFileContext, facts: GqlFileFacts) -> None:
        self.ctx = ctx
        self.facts = facts

    def run(self) -> None:
        ctx = self.ctx
        for statement in ctx.root.named_children:
            self._top_level(statement)
        shield_objects: set[int] = set()
        for call in ctx.calls_named(frozenset({"shield"})):
            self._shield(call.args, shield_objects)
        for node in ctx.descendants(ctx.root, "(object) @o", "o"):
            if node.id in shield_objects or not self._has_root_key(node):
                continue
            self.facts.maps.append(self._map(node))
        if ctx.has(b"type Query", b"type Mutation", b"type Subscription"):
            self._sdl()
        for call in ctx.calls_named(frozenset({"getDirective"})):
            self._directive_impl(call)
        if ctx.calls_named(frozenset({"applyMiddleware", "useGraphQLMiddleware"})):
            self.facts.applies_middleware = True
        for call in ctx.calls_named(_SERVER_CALLS | {"register"}):
            server = self._server(call)
            if server is not None:
                self.facts.servers.append(server)
        for call in ctx.calls_named(_CONTEXT_HOLDERS):
            for arg in call.args:
                if arg.type == "object":
                    self._context(arg)

    # ---- module level -----------------------------------------------------------------

    def _top_level(self, statement: Node) -> None:
        node = statement
        if node.type == "export_statement":
            inner = node.child_by_field_name("declaration")
            if inner is None:
                return
            node = inner
        if node.type == "function_declaration":
            name = self.ctx.text(node.child_by_field_name("name"))
            self._function(name, node)
        elif node.type in {"lexical_declaration", "variable_declaration"}:
            for declarator in node.named_children:
                if declarator.type != "variable_declarator":
                    continue
                name_node = declarator.child_by_field_name("name")
                value = declarator.child_by_field_name("value")
                if name_node is None or value is None or name_node.type != "identifier":
                    continue
                name = self.ctx.text(name_node)
                while value.type in {
                    "as_expression",
                    "satisfies_expression",
                    "parenthesized_expression",
                }:
                    value = value.named_children[0]
                if value.type in FUNCTION_TYPES:
                    self._function(name, value)
                elif value.type == "object" and not self._has_root_key(value):
                    fields = self._fields("", value)
                    if fields and all(f.body or f.ref or f.wrappers for f in fields):
                        self.facts.field_objects[name] = fields
                elif value.type == "call_expression":
                    self._shield_rule(name, value)

    def _function(self, name: str, function: Node) -> None:
        summary = self.summarise(function)
        self.facts.functions[name] = summary

    def summarise(self, function: Node) -> GqlFunction:
        ctx = self.ctx
        line = function.start_point[0] + 1
        summary = GqlFunction(line=line)
        if function.end_byte - function.start_byte > MAX_BODY:
            return summary
        text = ctx.text(function)
        lower = text.lower()
        if not any(w in lower for w in _SUMMARY_WORDS):
            return summary  # nothing about a caller, a context or a lookup: nothing to say
        params = function.child_by_field_name("parameters")
        params_text = ctx.text(params) if params is not None else ""
        # `(_, args, { user })`: the caller destructured from the context.
        reads_caller = bool(_CALLER.search(text)) or bool(
            params is not None
            and len(params.named_children) >= 3
            and params.named_children[2].type in {"object_pattern", "required_parameter"}
            and "{" in ctx.text(params.named_children[2])
            and _CALLER_NAMES.search(ctx.text(params.named_children[2]))
        )
        denies = ("throw" in text or "new " in text) and _DENY.search(text) is not None
        if reads_caller and denies:
            summary.checks.append(
                GqlCheck(kind="auth", detail="resolver checks the caller", line=line)
            )
        elif common.auth_check_in(text):
            summary.checks.append(
                GqlCheck(kind="auth", detail="handler checks the caller", line=line)
            )
        # The caller may come from a helper (`const user = requireUser(ctx)`): a role or owner
        # compared on it, with a refusal, is a check of its own.
        about_caller = reads_caller or _CALLER_NAMES.search(text) is not None
        if about_caller and denies and common.role_check_in(text):
            summary.checks.append(GqlCheck(kind="authz", detail="role check", line=line))
        if about_caller and denies and common.ownership_in(text):
            summary.checks.append(GqlCheck(kind="ownership", detail="owner check", line=line))
        if _LOADS_BY_ID.search(text) and (
            _ARG_ID.search(text.replace(params_text, "", 1)) or _ARG_ID.search(params_text)
        ):
            summary.loads_by_id = True
        body = function.child_by_field_name("body")
        if body is not None and any(w in text for w in ("ctx", "context", "info", "user", "User")):
            summary.calls = self._calls(body)
        return summary

    def _calls(self, body: Node) -> list[GqlCallee]:
        """Calls handed the context or the caller: helpers that may check it."""
        ctx = self.ctx
        found: list[GqlCallee] = []
        for node in ctx.call_expressions_in(body):
            callee = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if (
                callee is None
                or args is None
                or callee.type not in {"identifier", "member_expression"}
            ):
                continue
            name = "".join(ctx.text(callee).split())
            if _NOT_HELPERS.match(name) or name.startswith(("context.", "ctx.", "this.")):
                continue
            args_text = ctx.text(args)
            if not (
                _CALLER.search(args_text)
                or re.search(r"\b(context|ctx|info|user|currentUser)\b", args_text)
            ):
                continue
            found.append(GqlCallee(name=name, line=node.start_point[0] + 1))
            if len(found) >= 8:
                break
        return found

    # ---- resolver maps ----------------------------------------------------------------

    def _has_root_key(self, obj: Node) -> bool:
        for member in obj.named_children:
            if member.type == "pair":
                key = _key_text(self.ctx, member.child_by_field_name("key"))
                if key in GQL_ROOT_TYPES:
                    return True
            elif member.type == "shorthand_property_identifier" and self.ctx.text(member) in {
                "Mutation",
                "Subscription",
            }:
                return True
        return False

    def _map(self, obj: Node) -> GqlResolverMap:
        ctx = self.ctx
        name = ""
        parent = obj.parent
        while parent is not None and parent.type in {
            "as_expression",
            "satisfies_expression",
            "parenthesized_expression",
        }:
            parent = parent.parent
        if parent is not None and parent.type == "variable_declarator":
            name = ctx.text(parent.child_by_field_name("name"))
        resolver_map = GqlResolverMap(name=name, line=obj.start_point[0] + 1)
        for member in obj.named_children:
            if (
                member.type == "shorthand_property_identifier"
                and ctx.text(member) in GQL_ROOT_TYPES
            ):
                type_name = ctx.text(member)
                resolver_map.spreads.append(
                    GqlSpread(type=type_name, ref=type_name, line=member.start_point[0] + 1)
                )
                continue
            if member.type != "pair":
                continue
            type_name = _key_text(ctx, member.child_by_field_name("key"))
            if type_name not in GQL_ROOT_TYPES:
                continue
            value = member.child_by_field_name("value")
            if value is None:
                continue
            if value.type == "object":
                resolver_map.fields.extend(self._fields(type_name, value, resolver_map.spreads))
            elif value.type in {"identifier", "member_expression"}:
                resolver_map.spreads.append(
                    GqlSpread(type=type_name, ref=ctx.text(value), line=value.start_point[0] + 1)
                )
        return resolver_map

    def _fields(
        self, type_name: str, obj: Node, spreads: list[GqlSpread] | None = None
    ) -> list[GqlField]:
        ctx = self.ctx
        fields: list[GqlField] = []
        for member in obj.named_children:
            line = member.start_point[0] + 1
            if member.type == "spread_element" and spreads is not None:
                inner = member.named_children[0] if member.named_children else None
                if inner is not None and inner.type in {"identifier", "member_expression"}:
                    spreads.append(GqlSpread(type=type_name, ref=ctx.text(inner), line=line))
                continue
            if member.type == "method_definition":
                name = _key_text(ctx, member.child_by_field_name("name"))
                fields.append(
                    GqlField(
                        type=type_name,
                        field=name,
                        line=line,
                        handler=name,
                        body=self.summarise(member),
                    )
                )
            elif member.type == "shorthand_property_identifier":
                name = ctx.text(member)
                fields.append(
                    GqlField(type=type_name, field=name, line=line, handler=name, ref=name)
                )
            elif member.type == "pair":
                name = _key_text(ctx, member.child_by_field_name("key"))
                value = member.child_by_field_name("value")
                if value is None or name.startswith("__"):
                    continue
                field = GqlField(type=type_name, field=name, line=line, handler=name)
                self._field_value(field, value)
                fields.append(field)
        return fields

    def _field_value(self, field: GqlField, value: Node, depth: int = 0) -> None:
        ctx = self.ctx
        if value.type in FUNCTION_TYPES:
            field.body = self.summarise(value)
        elif value.type in {"identifier", "member_expression"}:
            field.ref = "".join(ctx.text(value).split())
            field.handler = field.ref
        elif value.type == "object":
            # `{ subscribe: ..., resolve: ... }`: the functions run for the field.
            for member in value.named_children:
                if member.type == "pair":
                    key = _key_text(ctx, member.child_by_field_name("key"))
                    inner = member.child_by_field_name("value")
                    if key in {"resolve", "subscribe"} and inner is not None and depth < 3:
                        self._field_value(field, inner, depth + 1)
                elif member.type == "method_definition":
                    key = _key_text(ctx, member.child_by_field_name("name"))
                    if key in {"resolve", "subscribe"}:
                        field.body = self.summarise(member)
        elif value.type == "call_expression" and depth < 3:
            # combineResolvers(isAuthenticated, fn), authenticated(fn), withAuth(role)(fn)
            callee = value.child_by_field_name("function")
            while callee is not None and callee.type == "call_expression":
                callee = callee.child_by_field_name("function")
            if callee is not None:
                field.wrappers.append(
                    GqlCallee(
                        name="".join(ctx.text(callee).split()),
                        line=value.start_point[0] + 1,
                        wraps=True,
                    )
                )
            for arg in self._args(value):
                if arg.type in {"identifier", "member_expression"}:
                    field.wrappers.append(
                        GqlCallee(
                            name="".join(ctx.text(arg).split()),
                            line=arg.start_point[0] + 1,
                            wraps=True,
                        )
                    )
                elif arg.type in FUNCTION_TYPES or arg.type == "call_expression":
                    self._field_value(field, arg, depth + 1)

    @staticmethod
    def _args(call: Node) -> list[Node]:
        args = call.child_by_field_name("arguments")
        return list(args.named_children) if args is not None else []

    def _context(self, options: Node) -> None:
        """`context: async ({ req }) => ...` or `context: buildContext`: judged like a helper."""
        ctx = self.ctx
        for member in options.named_children:
            key_node = member.child_by_field_name("key") or member.child_by_field_name("name")
            if (
                member.type not in {"pair", "method_definition"}
                or _key_text(ctx, key_node) != "context"
            ):
                continue
            value = member.child_by_field_name("value") if member.type == "pair" else member
            if value is None:
                continue
            line = member.start_point[0] + 1
            if value.type in {"identifier", "member_expression"}:
                self.facts.contexts.append(
                    GqlCallee(name="".join(ctx.text(value).split()), line=line)
                )
            elif value.type in FUNCTION_TYPES or value.type == "method_definition":
                name = f"<context@{line}>"
                self.facts.functions[name] = self.summarise(value)
                self.facts.contexts.append(GqlCallee(name=name, line=line))

    # ---- SDL directives ---------------------------------------------------------------

    def _sdl(self) -> None:
        ctx = self.ctx
        for node in ctx.descendants(ctx.root, "[(template_string) (string)] @s", "s"):
            text = ctx.text(node)
            if "type " not in text or "{" not in text:
                continue
            base = node.start_point[0] + 1
            for match in _SDL_TYPE.finditer(text):
                type_directives = _DIRECTIVE.findall(match.group(2))
                body_start = match.start(3)
                for field in _SDL_FIELD.finditer(match.group(3)):
                    line = base + text.count("\n", 0, body_start + field.start(1))
                    self.facts.sdl_fields.append(
                        GqlSdlField(
                            type=match.group(1),
                            field=field.group(1),
                            directives=type_directives + _DIRECTIVE.findall(field.group(2)),
                            line=line,
                        )
                    )

    def _directive_impl(self, call: Any) -> None:
        """`getDirective(schema, fieldConfig, 'auth')` in a schema transformer: what the
        resolver it wraps checks before calling the original."""
        if len(call.args) < 3 or call.args[2].type != "string":
            return
        name = self.ctx.text(call.args[2])[1:-1]
        function = call.node
        outer = None
        while function is not None:
            if function.type in FUNCTION_TYPES:
                outer = function  # the outermost function: the transformer
            function = function.parent
        if outer is None:
            return
        text = self.ctx.text(outer)
        kinds: list[Any] = []
        if _DENY.search(text) and (_CALLER.search(text) or _CALLER_NAMES.search(text)):
            kinds.append("auth")
            if common.role_check_in(text):
                kinds.append("authz")
        self.facts.directive_impls[name] = kinds

    # ---- graphql-shield -------------------------------------------------------------

    def _shield_rule(self, name: str, value: Node) -> None:
        """`rule()(async (parent, args, ctx) => ctx.user !== null)`, `and(isA, isB)`."""
        ctx = self.ctx
        callee = value.child_by_field_name("function")
        if callee is None:
            return
        line = value.start_point[0] + 1
        if callee.type == "call_expression":
            inner = callee.child_by_field_name("function")
            if inner is None or ctx.text(inner) not in {"rule", "inputRule"}:
                return
            function = next((a for a in self._args(value) if a.type in FUNCTION_TYPES), None)
            if function is None:
                return
            text = ctx.text(function)
            kinds: list[Any] = []
            params = function.child_by_field_name("parameters")
            destructured = (
                params is not None
                and len(params.named_children) >= 3
                and _CALLER_NAMES.search(ctx.text(params.named_children[2])) is not None
            )
            if _CALLER.search(text) or destructured:
                kinds.append("auth")
                if re.search(r"\b(role|roles|isAdmin|permissions?|scopes?)\b", text):
                    kinds.append("authz")
                if common.ownership_in(text):
                    kinds.append("ownership")
            self.facts.shield_rules[name] = GqlShieldRule(kinds=kinds, line=line)
        elif ctx.text(callee) in _SHIELD_HELPERS:
            uses = [ctx.text(a) for a in self._args(value) if a.type == "identifier"]
            self.facts.shield_rules[name] = GqlShieldRule(uses=uses, line=line)

    def _shield(self, args: list[Node], seen: set[int]) -> None:
        ctx = self.ctx
        if not args or args[0].type != "object":
            return
        seen.add(args[0].id)
        for member in args[0].named_children:
            if member.type != "pair":
                continue
            type_name = _key_text(ctx, member.child_by_field_name("key"))
            value = member.child_by_field_name("value")
            if value is None:
                continue
            if value.type != "object":
                self.facts.shield.append(
                    GqlShieldEntry(
                        type=type_name,
                        field="*",
                        rule=ctx.text(value),
                        line=member.start_point[0] + 1,
                    )
                )
                continue
            for pair in value.named_children:
                if pair.type != "pair":
                    continue
                rule = pair.child_by_field_name("value")
                self.facts.shield.append(
                    GqlShieldEntry(
                        type=type_name,
                        field=_key_text(ctx, pair.child_by_field_name("key")),
                        rule="".join(ctx.text(rule).split()) if rule is not None else "",
                        line=pair.start_point[0] + 1,
                    )
                )
        if len(args) > 1 and args[1].type == "object":
            for pair in args[1].named_children:
                if (
                    pair.type == "pair"
                    and _key_text(ctx, pair.child_by_field_name("key")) == "fallbackRule"
                ):
                    self.facts.shield_fallback = ctx.text(pair.child_by_field_name("value"))

    # ---- servers --------------------------------------------------------------------

    def _server(self, call: Any) -> GqlServer | None:
        ctx = self.ctx
        name = call.name
        args = call.args
        framework = {
            "ApolloServer": "apollo",
            "createYoga": "yoga",
            "graphqlHTTP": "express-graphql",
            "createHandler": "graphql-http",
        }.get(name, "")
        options: Node | None = args[0] if args else None
        if name in {"forRoot", "forRootAsync"}:
            if "GraphQLModule" not in call.obj:
                return None
            framework = "nestjs"
            if name == "forRootAsync":
                options = None  # built by a factory at run time
            elif len(args) > 0 and args[0].type != "object":
                options = args[-1]
        elif name == "register":
            if len(args) < 2 or ctx.text(args[0]) not in {"mercurius", "mercurius.default"}:
                return None
            framework = "mercurius"
            options = args[1]
        elif (
            name == "createHandler"
            and "graphql" not in ctx.source.decode("utf-8", "replace")[:4000]
        ):
            return None
        if not framework:
            return None
        server = GqlServer(framework=framework, line=call.line)
        if options is None or options.type != "object":
            server.depth_limit = "unknown"
            server.depth_detail = "options built elsewhere"
            return server
        introspection_decided_by: int | None = None
        for member in options.named_children:
            if member.type == "spread_element":
                server.depth_limit = "unknown"
                server.depth_detail = "options spread from elsewhere"
                continue
            if member.type not in {"pair", "method_definition"}:
                continue
            key_node = member.child_by_field_name("key") or member.child_by_field_name("name")
            key = _key_text(ctx, key_node)
            value = member.child_by_field_name("value") if member.type == "pair" else member
            text = "".join(ctx.text(value).split()) if value is not None else ""
            line = member.start_point[0] + 1
            if key == "introspection" and text == "true":
                server.introspection_on = line
            elif key in {"playground", "graphiql"} and (text == "true" or text.startswith("{")):
                server.playground_on = line
                server.playground_detail = f"{key}: {text[:40]}"
            elif key == "includeStacktraceInErrorResponses" and text == "true":
                server.stacktrace_on = line
                server.stacktrace_detail = "includeStacktraceInErrorResponses: true"
            elif key == "debug" and text == "true" and framework in {"apollo", "nestjs"}:
                server.stacktrace_on = line
                server.stacktrace_detail = "debug: true"
            elif (
                key in {"errorFormatter", "formatError"}
                and re.search(r"\.stack\b", text)
                and not re.search(r"NODE_ENV|production|isProd|isDev", text)
            ):
                server.stacktrace_on = line
                server.stacktrace_detail = f"{key} returns the stack trace"
            if key in {"validationRules", "plugins"} and "introspection" in text.lower():
                # a plugin or validation rule that decides introspection itself
                # (`NoSchemaIntrospectionCustomRule`, a project's introspection-control plugin)
                introspection_decided_by = line
            if key in {"validationRules", "plugins"} and server.depth_limit != "present":
                if _LIMIT_WORDS.search(text):
                    server.depth_limit = "present"
                    server.depth_detail = f"{key}: {text[:60]}"
                elif key == "validationRules":
                    server.depth_limit = "unknown"
                    server.depth_detail = "validationRules we cannot read"
                elif re.search(r"\.\.\.|^[\w$.]+$", text):
                    server.depth_limit = "unknown"
                    server.depth_detail = "plugins built elsewhere"
                if (
                    key == "plugins"
                    and "ApolloServerPluginLandingPageGraphQLPlayground" in text
                    and "?" not in text
                    and "&&" not in text
                ):
                    server.playground_on = line
                    server.playground_detail = "GraphQL Playground landing page"
            elif key in {"queryDepth", "complexity"}:
                server.depth_limit = "present"
                server.depth_detail = f"{key}: {text[:40]}"
        if introspection_decided_by is not None:
            server.introspection_on = None
        return server
