"""Typed per-file facts that analysers store in `FileResult.facts` and linkers read back.

Each section belongs to one family of mechanisms; a model is dumped with `model_dump(
exclude_defaults=True)` into `FileResult.facts[<key>]` and validated back with
`Model.model_validate(...)` in the linker, so a cached result from an older shape fails loudly
instead of being misread.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- File-based handlers and RPC procedures (Next.js, server actions, tRPC) ----------------
# Stored under FileResult.facts["fullstack"] as one `FullstackFacts`.


class BodySummary(_Fact):
    """What one function body does about the caller and the request, judged from its text;
    the names it calls are resolved across modules by the linker."""

    line: int = 1
    calls: list[str] = Field(
        default_factory=list, description="Callees by name: `requireUser`, `auth.protect`."
    )
    reads_identity: bool = Field(
        default=False,
        description="Reads the caller itself: `ctx.session`, `cookies().get(...)`, "
        "`supabase.auth.getUser()`, an Authorization header.",
    )
    denies: bool = Field(
        default=False,
        description="Refuses a caller without identity: UNAUTHORIZED/401, a redirect to sign-in, "
        "an early throw/return when the session or user is missing.",
    )
    auth_check: bool = Field(
        default=False, description="Refuses a caller without identity (UNAUTHORIZED, 401)."
    )
    role_check: bool = False
    ownership: bool = False
    validation: bool = Field(default=False, description="Parses input with a schema and refuses.")
    rate_limit: bool = False
    reads_request: bool = Field(default=False, description="Reads the raw request body/query.")
    request_whole: bool = Field(
        default=False,
        description="Only hands the raw body/query on whole (`{ body: req.body }`) to another "
        "function, which may validate it: validation unknown, not absent.",
    )
    loads_by_id: bool = False
    changes_by_id: bool = Field(
        default=False,
        description="Updates or deletes a record selected by an id the client sent "
        "(`update({ where: { id: input.id } })`, `delete(t).where(eq(t.id, input.id))`).",
    )


class NextHandler(_Fact):
    """An exported HTTP method of an App Router `route.ts`, or a Pages Router API handler."""

    method: str
    name: str
    line: int
    body: BodySummary = Field(default_factory=BodySummary)
    # `export const { GET, POST } = handlers` or `export { handler as GET }`: another function.
    alias_of: str = ""


class PathTerm(_Fact):
    """One path test in a middleware callback's condition: the request path matches one of
    `patterns` (path-to-regexp, as in `createRouteMatcher([...])` or `config.matcher`), or
    does not when `negated`; `patterns` None: a matcher we cannot read."""

    patterns: list[str] | None = None
    negated: bool = False


class PathGuard(_Fact):
    """A refusal of callers without identity in a middleware callback (`auth.protect()`, a
    redirect to sign-in, `return false` in an `authorized` callback), on the paths where every
    term holds; no terms: on every path."""

    terms: list[PathTerm] = Field(default_factory=list)
    line: int = 1
    detail: str = ""


class CallbackDecision(_Fact):
    """Where a middleware callback refuses callers, evaluated from its text."""

    guards: list[PathGuard] = Field(default_factory=list)
    unknown: str = Field(
        default="", description="A refusal whose condition we cannot evaluate, as text."
    )
    calls: list[str] = Field(default_factory=list, description="Callees, for helpers.")


class AuthConfig(_Fact):
    """An auth library's config object (`NextAuth({...})`, `export const authConfig = {...}`):
    its `callbacks.authorized` decision and the objects spread into it, by name."""

    authorized: CallbackDecision | None = None
    spreads: list[str] = Field(default_factory=list)
    unreadable: bool = False


class NextMiddleware(_Fact):
    """`middleware.ts` / `proxy.ts`: what it does, and which paths `config.matcher` covers
    (None: every path)."""

    line: int = 1
    matcher: list[str] | None = None
    body: BodySummary | None = None
    # `export default withAuth(...)` / `clerkMiddleware(...)`: a library call, by callee.
    wrapper: str = ""
    wrapper_line: int = 1
    # The wrapper's callback (`clerkMiddleware(async (auth, req) => ...)`, `auth((req) =>
    # ...)`, `withAuth(function middleware(req) {...})`) and an `authorized` callback in its
    # options (`withAuth({ callbacks: { authorized } })`), evaluated.
    callback: CallbackDecision | None = None
    authorized: CallbackDecision | None = None
    # `export default NextAuth(config).auth`: the auth library's middleware made here, with
    # the file's `identity_config`.
    made_here: bool = False


class ServerAction(_Fact):
    name: str
    line: int
    body: BodySummary = Field(default_factory=BodySummary)


class TrpcUse(_Fact):
    """One `.use(...)` on a builder: a name to resolve, a factory call, or an inline function."""

    ref: str = ""
    body: BodySummary | None = None
    line: int = 1


class TrpcChain(_Fact):
    """A procedure builder chain: `base.use(a).input(s).use(b)`; base is `t.procedure`-like
    (`<init>.procedure`) or a name to resolve (`protectedProcedure`)."""

    base: str
    base_is_root: bool = Field(
        default=False, description="The base is `<initTRPC instance>.procedure` of this file."
    )
    uses: list[TrpcUse] = Field(default_factory=list)
    input: str = Field(default="", description="The text of the `.input(...)` parser, if any.")
    line: int = 1


class TrpcProcedure(_Fact):
    key: str
    type: Literal["QUERY", "MUTATION", "SUBSCRIPTION"]
    line: int
    chain: TrpcChain
    body: BodySummary = Field(default_factory=BodySummary)


class TrpcRouterEntry(_Fact):
    """A key of a router object: a procedure, a router by name, or an inline router."""

    key: str
    procedure: TrpcProcedure | None = None
    ref: str = ""
    inline: str = Field(default="", description="Name given to an inline nested router.")
    # tRPC v9 `.merge('prefix.', child)`: the prefix is joined as written, and the middleware
    # of the chain so far applies to every procedure of the child.
    raw_prefix: bool = False
    uses: list[TrpcUse] = Field(default_factory=list)


class TrpcRouter(_Fact):
    name: str
    line: int
    entries: list[TrpcRouterEntry] = Field(default_factory=list)
    merges: list[str] = Field(default_factory=list, description="Routers merged into this one.")
    # tRPC v9 chains (`createRouter().middleware(mw).query('name', {...})`): the call the chain
    # starts from (`trpc.router`, or a project factory like `createProtectedRouter`), and every
    # `.middleware(...)` of the chain, which a chain built on this one inherits.
    base: str = ""
    uses: list[TrpcUse] = Field(default_factory=list)


class TrpcMount(_Fact):
    """An HTTP adapter serving a router: `fetchRequestHandler({ endpoint, router })`."""

    router: str
    prefix: str
    line: int = 1


class MountRule(_Fact):
    """One entry of a file-based framework's middleware config (Medusa's
    `defineMiddlewares({ routes: [{ matcher, method, middlewares }] })`)."""

    matcher: str | None = Field(default=None, description="None: a matcher we cannot read.")
    methods: list[str] | None = None
    middlewares: list[str] = Field(
        default_factory=list, description="Each middleware by name (`authenticate`, `ns.x`)."
    )
    args: list[str] = Field(default_factory=list, description="Each middleware's arguments.")
    policies: bool = Field(default=False, description="Declares RBAC `policies` for the route.")
    line: int = 1


class MountList(_Fact):
    """An array of such entries, with the arrays spread into it, by name."""

    rules: list[MountRule] = Field(default_factory=list)
    spreads: list[str] = Field(default_factory=list)
    unreadable: list[str] = Field(default_factory=list, description="Elements we cannot read.")


class FullstackFacts(_Fact):
    next_imports: bool = Field(default=False, description="The file imports `next` or `next/*`.")
    next_config: bool = False
    client: bool = Field(default=False, description="A `'use client'` module: browser code.")
    route_handlers: list[NextHandler] = Field(default_factory=list)
    pages_handler: NextHandler | None = None
    pages_methods: dict[str, BodySummary] = Field(
        default_factory=dict,
        description="Methods a Pages API handler branches on, each with the handler's body "
        "without the other methods' branches.",
    )
    middleware: NextMiddleware | None = None
    actions: list[ServerAction] = Field(default_factory=list)
    functions: dict[str, BodySummary] = Field(
        default_factory=dict, description="Top-level functions, for helpers called elsewhere."
    )
    identity_exports: list[str] = Field(
        default_factory=list,
        description="Names destructured from an auth library's factory: "
        "`export const { auth } = NextAuth(config)`.",
    )
    identity_config: AuthConfig | None = Field(
        default=None, description="The config given to the auth factory (`NextAuth(config)`)."
    )
    auth_configs: dict[str, AuthConfig] = Field(
        default_factory=dict,
        description="Top-level objects with `callbacks: { authorized }`, for configs spread "
        "into the auth factory from another module.",
    )
    mount_lists: dict[str, MountList] = Field(
        default_factory=dict,
        description="Middleware configs by the name they are bound to ('default' for the one "
        "`defineMiddlewares(...)` exports).",
    )
    reexports: dict[str, str] = Field(
        default_factory=dict,
        description="CommonJS re-exports: `exports.authenticate = http_1.authenticate`.",
    )
    authenticate_opt_out: bool = Field(
        default=False, description="`export const AUTHENTICATE = false` in a Medusa route file."
    )
    trpc_inits: list[str] = Field(default_factory=list, description="`const t = initTRPC...`")
    trpc_builders: dict[str, TrpcChain] = Field(default_factory=dict)
    trpc_middlewares: dict[str, BodySummary] = Field(default_factory=dict)
    trpc_routers: list[TrpcRouter] = Field(default_factory=list)
    trpc_mounts: list[TrpcMount] = Field(default_factory=list)
    # Names bound to `<init>.router` / `<init>.mergeRouters` (`createTRPCRouter = t.router`).
    trpc_router_aliases: list[str] = Field(default_factory=list)


# ---- GraphQL ---------------------------------------------------------------------------
# Root operation types whose fields are entry points a client calls.
GQL_ROOT_TYPES: dict[str, str] = {
    "Query": "QUERY",
    "Mutation": "MUTATION",
    "Subscription": "SUBSCRIPTION",
}
GqlCheckKind = Literal["auth", "authz", "ownership"]
# A GraphQL document in a test: `mutation DeleteUser($id: ID!) { deleteUser(id: $id) }`.
_TEST_OPERATION = re.compile(
    r"\b(?:mutation|query|subscription)\b\s*[\w$]*\s*(?:\([^)]*\))?\s*\{\s*(?:\w+\s*:\s*)?"
    r"([A-Za-z_]\w*)"
)


def graphql_test_fields(text: str) -> set[str]:
    """The fields a test's GraphQL documents call first: what the test exercises."""
    if "mutation" not in text and "query" not in text and "subscription" not in text:
        return set()
    return {m.group(1) for m in _TEST_OPERATION.finditer(text)}


class GqlCheck(_Fact):
    """A check seen on the path of a field: in its body, a guard, a permission, a directive."""

    kind: GqlCheckKind
    detail: str
    line: int = 1
    level: Literal["app", "router", "route", "handler"] = "handler"


class GqlCallee(_Fact):
    """A function the resolver hands the caller to (`requireUser(ctx)`) or that wraps it
    (`combineResolvers(isAuthenticated, fn)`, `authenticated(fn)`): judged where it is defined."""

    name: str
    line: int = 1
    wraps: bool = Field(default=False, description="It wraps the resolver (runs before it).")


class GqlFunction(_Fact):
    """A module-level function of a GraphQL module (a resolver or a helper), summarised."""

    line: int = 1
    checks: list[GqlCheck] = Field(default_factory=list)
    calls: list[GqlCallee] = Field(default_factory=list)
    loads_by_id: bool = False


class GqlField(_Fact):
    """One field of a root type: `Mutation.deleteUser`."""

    type: str
    field: str
    line: int = 1
    handler: str = ""
    ref: str | None = Field(
        default=None, description="The resolver is this name, defined elsewhere."
    )
    body: GqlFunction | None = Field(default=None, description="The resolver written in place.")
    wrappers: list[GqlCallee] = Field(default_factory=list)
    checks: list[GqlCheck] = Field(default_factory=list, description="Guards, decorators, …")
    unknown: list[str] = Field(default_factory=list, description="What we could not read.")
    public: bool = Field(default=False, description="Marked public (@Public(), allow).")


class GqlSpread(_Fact):
    """`Query: { ...userQueries }` or `Query: queries`: fields kept in an object elsewhere."""

    type: str
    ref: str
    line: int = 1


class GqlSdlField(_Fact):
    """A root field declared in SDL in the project, with the directives on it or its type."""

    type: str
    field: str
    directives: list[str] = Field(default_factory=list)
    line: int = 1


class GqlResolverMap(_Fact):
    name: str = ""
    line: int = 1
    fields: list[GqlField] = Field(default_factory=list)
    spreads: list[GqlSpread] = Field(default_factory=list)


class GqlServer(_Fact):
    """A GraphQL server or schema build and what its options say."""

    framework: str
    file: str = Field(default="", description="Set by the linker.")
    line: int = 1
    introspection_on: int | None = Field(default=None, description="Line of `introspection: true`.")
    playground_on: int | None = Field(default=None, description="Line of an IDE left on.")
    playground_detail: str = ""
    stacktrace_on: int | None = Field(default=None, description="Line that exposes stack traces.")
    stacktrace_detail: str = ""
    depth_applies: bool = Field(
        default=True, description="False for an endpoint whose schema holds the limits."
    )
    depth_limit: Literal["present", "absent", "unknown"] = "absent"
    depth_detail: str = ""


class GqlShieldRule(_Fact):
    """A graphql-shield `rule()` judged by its body, or a combination of rules."""

    kinds: list[GqlCheckKind] = Field(default_factory=list)
    line: int = 1
    uses: list[str] = Field(default_factory=list, description="and(...)/or(...)/chain(...) parts")
    allow: bool = False


class GqlShieldEntry(_Fact):
    type: str
    field: str = Field(description="A field name, or '*' for the whole type.")
    rule: str
    line: int = 1


class GqlFileFacts(_Fact):
    """Everything GraphQL one file contributes."""

    maps: list[GqlResolverMap] = Field(default_factory=list)
    field_objects: dict[str, list[GqlField]] = Field(
        default_factory=dict, description="Module-level objects of resolvers, by name."
    )
    functions: dict[str, GqlFunction] = Field(default_factory=dict)
    servers: list[GqlServer] = Field(default_factory=list)
    shield_rules: dict[str, GqlShieldRule] = Field(default_factory=dict)
    shield: list[GqlShieldEntry] = Field(default_factory=list)
    shield_fallback: str | None = None
    contexts: list[GqlCallee] = Field(
        default_factory=list,
        description="Context functions of servers: one that refuses a caller guards every field.",
    )
    applies_middleware: bool = Field(
        default=False, description="applyMiddleware/useGraphQLMiddleware: a shield map applies."
    )
    limiter_import: str | None = Field(
        default=None, description="A query depth/complexity package imported here."
    )
    resolver_classes: list[GqlResolverClass] = Field(default_factory=list)
    sdl_fields: list[GqlSdlField] = Field(default_factory=list)
    schema_roots: dict[str, str] = Field(
        default_factory=dict,
        description="Python: `Schema(query=RootQuery)` binds a class (qualified) to a root type.",
    )
    directive_impls: dict[str, list[GqlCheckKind]] = Field(
        default_factory=dict,
        description="Schema directives implemented here, by name: what their code checks.",
    )


class GqlResolverClass(_Fact):
    """Python GraphQL: a Strawberry/Graphene/Ariadne root type and its fields."""

    framework: str
    name: str
    line: int = 1
    fields: list[GqlPyField] = Field(default_factory=list)


class GqlPyField(_Fact):
    """A Python resolver: `handler_ref` is the qualified function or method the linker
    resolves (its body summary is in the module's functions); `permissions` and `decorators`
    are qualified names the classifier judges by what their definition does."""

    type: str
    field: str
    line: int = 1
    handler: str = ""
    handler_ref: str = ""
    permissions: list[str] = Field(default_factory=list)
    decorators: list[str] = Field(default_factory=list)


GqlFileFacts.model_rebuild()
GqlResolverClass.model_rebuild()


# ---- JS/TS routing (Express, Hono, Fastify, Koa, NestJS) -----------------------------------
# `frameworks/facts.py` writes one `JsModuleFacts` per file, dumped with
# `model_dump(exclude_defaults=True)` into the top level of `FileResult.facts` (its keys are the
# fields below; "graphql" and "fullstack" hold the models of the sections above); the JS linker
# validates it back once per file. Families not yet typed are kept as JSON (`dict[str, Any]`)
# under their old keys and say so.


class JsImport(_Fact):
    """One imported binding: `import { a as b } from './x'` is `b: {source: './x', name: 'a'}`;
    `name` is "default" for a default import and "*" for a namespace (`import * as x`,
    `const x = require('./x')`)."""

    source: str
    name: str


class JsApp(_Fact):
    """A route context a file creates: an app, a router or a plugin, by variable name.

    The JS counterpart of the Python linker's router/app facts: what a `JsMount` mounts and
    what routes register on; shaped so the Python side can adopt it (kind, line, base)."""

    kind: str = Field(
        description='"express" | "router" | "hono" | "fastify" | "koa" | "koa_router" | '
        '"plugin" | "unknown".'
    )
    line: int = 1
    base: str = Field(default="", description="Path prefix of every route (`basePath`).")
    alias_of: str = Field(
        default="", description="`var auth_default = router`: the same router's first name."
    )
    in_class: bool = Field(default=False, description="A class whose methods register routes.")


class JsPlugin(_Fact):
    """A Fastify plugin function (`async function routes(fastify) {...}`), keyed
    `plugin@<line>`; `fp`: wrapped in fastify-plugin, so its hooks reach the parent."""

    name: str = ""
    fp: bool = False


class JsDef(_Fact):
    """A function or value defined in a file that routes may use by name: a middleware (what
    it does, `kinds`), a handler (`handler`, its body summary), a middleware chain (`items`),
    a library middleware factory's product (`package`, `detail`), a router factory
    (`returns`, `returns_call`) or a helper that registers routes on its parameter
    (`registers`). The JS side of what the Python linker calls a handler/dependency fact."""

    kinds: list[str] = Field(
        default_factory=list, description='What it provides: "auth", "authz", "validation"...'
    )
    line: int = 1
    items: list[dict[str, Any]] | None = Field(
        default=None, description="`const authAdmin = [authenticate, authorize('admin')]`."
    )
    detail: str | None = Field(default=None, description="The call that made it, as text.")
    package: str = Field(default="", description="The package a middleware factory is from.")
    symbol: str = Field(default="", description="The package's export it calls (unread).")
    by_name: bool = Field(default=False, description="Judged by the package's name only.")
    made_by: str = Field(default="", description="`const auth = makeAuth()`: the factory.")
    returns: str = Field(default="", description="`return router;` at the end.")
    returns_call: str = Field(default="", description="`return other.app();` at the end.")
    registers: dict[str, Any] | None = Field(
        default=None, description="Route registrations on its parameters (JSON, not typed yet)."
    )
    handler: dict[str, Any] = Field(
        default_factory=dict, description="The handler body's summary (JSON, not typed yet)."
    )
    plugin_param: str = ""
    fp: bool = False


class NestGuardClass(_Fact):
    """A guard class read in a file (`implements CanActivate`, `extends AuthGuard('jwt')`)."""

    kinds: list[str] = Field(default_factory=list)
    public_aware: bool = Field(default=False, description="Reads IS_PUBLIC-style metadata.")
    metadata_driven: bool = Field(
        default=False, description="Reads @Roles()-style metadata: passes routes without it."
    )
    reads: list[str] = Field(default_factory=list, description="The metadata keys it reads.")


class NestLine(_Fact):
    """Where a module-wide setting is made (`useGlobalPipes(new ValidationPipe())`)."""

    line: int = 1


class NestVersioning(_Fact):
    """`app.enableVersioning({ type: VersioningType.URI, ... })`."""

    prefix: str = "v"
    default: str = ""


class NestFacts(_Fact):
    """What one file tells about a NestJS app: guard and middleware classes, controllers and
    resolvers, and the app-wide settings of `main.ts` / the root module. Controllers, resolvers,
    guard items, composite decorators and `consumer.apply()` entries are kept as JSON for now."""

    guards: dict[str, NestGuardClass] = Field(default_factory=dict)
    middleware_classes: dict[str, list[str]] = Field(
        default_factory=dict, description="NestMiddleware class -> kinds."
    )
    controllers: list[dict[str, Any]] = Field(default_factory=list)
    resolvers: list[dict[str, Any]] = Field(default_factory=list)
    dtos: list[str] = Field(default_factory=list)
    exception_filter: bool = False
    composites: dict[str, dict[str, Any]] = Field(default_factory=dict)
    versioning: NestVersioning | None = None
    global_validation: NestLine | None = None
    global_prefix: str | None = None
    throttler_module: NestLine | None = None
    middleware: list[dict[str, Any]] = Field(default_factory=list)
    global_guards: list[dict[str, Any]] = Field(default_factory=list)


class JsModuleFacts(_Fact):
    """Everything the JS/TS route walk knows about one file, as stored in `FileResult.facts`.

    Typed: module structure (imports, exports, constants, loads), defs, apps, plugins and file
    flags, and NestJS's per-file settings (`NestFacts`). Kept as JSON for now (still read by
    string key in the linker): `ops`, `classes`, inside `JsDef` the handler summary and helper
    registrations, inside `NestFacts` the controllers, resolvers and guard items."""

    imports: dict[str, JsImport] = Field(
        default_factory=dict, description="Local name -> where it comes from."
    )
    exports: dict[str, str] = Field(
        default_factory=dict,
        description='Exported name -> local name; "default" for `module.exports =` and '
        "`export default`.",
    )
    constants: dict[str, str] = Field(
        default_factory=dict,
        description="Module-level strings used as paths: `PREFIX`, `ROUTES.users`, `P.WEB`.",
    )
    loads: list[str] = Field(
        default_factory=list,
        description="Project modules required or imported anywhere in the file.",
    )
    frameworks: list[str] = Field(default_factory=list)
    decorations: dict[str, list[str]] = Field(
        default_factory=dict,
        description="`fastify.decorate('authenticate', fn)`: decorated name -> kinds.",
    )
    error_handlers: list[int] = Field(default_factory=list, description="Lines.")
    bundle: bool = Field(default=False, description="A webpack bundle.")
    browser: bool = Field(default=False, description="A page's script: no server here.")
    dynamic_loading: bool = Field(
        default=False, description="`require(path.join(dir, file))`: modules we cannot follow."
    )
    defs: dict[str, JsDef] = Field(default_factory=dict)
    apps: dict[str, JsApp] = Field(default_factory=dict)
    plugins: dict[str, JsPlugin] = Field(default_factory=dict)
    # Not yet typed (JSON as the extractor writes it).
    ops: list[dict[str, Any]] = Field(default_factory=list)
    classes: dict[str, Any] = Field(default_factory=dict)
    nest: NestFacts | None = None
    # The sections above.
    graphql: GqlFileFacts | None = None
    fullstack: FullstackFacts | None = None
    taint: dict[str, Any] | None = Field(
        default=None, description="The file's taint summaries (review/taint/javascript.py)."
    )
    ambient_credentials: list[dict[str, int | str]] = Field(
        default_factory=list,
        description="Cookies, sessions or HTTP Basic the file uses: what a browser adds to "
        "cross-site requests by itself (rules/cors_wildcard/_app.py).",
    )
    # Test files only.
    test_paths: list[str] = Field(default_factory=list)
    procedure_calls: list[str] = Field(default_factory=list)
    graphql_test_fields: list[str] = Field(default_factory=list)
