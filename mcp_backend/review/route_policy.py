"""Language-neutral judgements about routes, shared by the linkers and the project rules:
which routes are public by design, which need protection, which are critical, and whether a
test's URL refers to a route path. Python and JavaScript linkers both call these.

What the project rules read from a linker's ProjectIndex (the contract for every language):

- `Route.auth` / `authz` / `validation` / `rate_limit`: `present` with evidence, `absent`, or
  `unknown` when the mechanism is out of sight (never reported as missing). An `absent` auth
  whose note starts with "explicitly public" was opened on purpose (AllowAny, @Public()).
- `authz.evidence[].kind`: "role" for role/permission checks, "ownership" for owner filters
  and object-level checks (admin-route-missing-role looks for "role"; "guard" and
  "permission_class" count as role too).
- `public_by_design`: set with `public_reason(route, webhook_verified=...)`.
- `reads_request_data`: the handler reads the raw request body itself; `validation` is
  `absent` only when that body is stored or spread into a record without a schema, `unknown`
  when it is handed on whole or only used for lookups.
- `loads_by_id`: a direct lookup by an id from the path; `tested`: None when not checked.
- `ProjectIndex.facts`: "error_handlers" (a list; missing key = cannot tell),
  "framework_error_handling" (name of a framework whose own handling is central),
  "apps" ([{file, line, name, framework}]), "response_shapes"
  ({"METHOD /path": [{keys, status, line, file}]}).
"""

from __future__ import annotations

import re
from functools import lru_cache

from mcp_backend.review.model import Confidence, Finding, Route, RuleMeta, Severity

# GraphQL mutations and tRPC mutations change data as a POST does; their queries read as a GET.
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE", "ANY", "MUTATION"})
READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS", "QUERY", "SUBSCRIPTION"})
# Calls named by an operation, not a URL: GraphQL fields and tRPC procedures.
OPERATIONS = frozenset({"QUERY", "MUTATION", "SUBSCRIPTION"})
_GRAPHQL_ROOTS = frozenset({"Query", "Mutation", "Subscription"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PARAM = re.compile(r"\{[^}]*\}|<[^>]*>|:[A-Za-z_]\w*|\(\?P<[^>]+>[^)]*\)|\*\w*")
_WORD_SPLIT = re.compile(r"[/_\-.\s]+")

_PUBLIC: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "login",
        re.compile(
            r"^(login|log-in|signin|sign-in|sign_in|token|tokens|authenticate|obtain|"
            # a page's or document's shared password: /authenticate-with-password/<id>/
            r"authenticate-with-password|"
            r"access-token|session|sessions|[\w-]*auth|"
            # RFC 8628: a device asks for a user code before anyone has signed in
            r"device-authorization|device-code|device-authorize)$"
        ),
    ),
    # RFC 7009: the client proves it holds the token it revokes; no session is needed.
    ("token revocation", re.compile(r"^(revoke|revoke-token|token-revoke|revocation)$")),
    ("logout", re.compile(r"^(logout|log-out|signout|sign-out)$")),
    ("registration", re.compile(r"^(register|registration|signup|sign-up|join)$")),
    (
        "password reset",
        re.compile(
            r"^(forgot|forgot-password|reset|reset-password|password-reset|password-recovery|"
            r"recover|recover-password|recovery)$"
        ),
    ),
    ("token refresh", re.compile(r"^(refresh|refresh-token|token-refresh)$")),
    ("OAuth callback", re.compile(r"^(callback|oauth|authorize|oauth2|[\w-]*oauth[\w-]*)$")),
    (
        "what the login page shows before sign-in",
        re.compile(
            r"^((login|signin|sign-in|auth)[-_](methods|options|providers)|csrf[-_]?token)$"
        ),
    ),
    ("invitation", re.compile(r"^(invitations?|accept[-_]invit\w*)$")),
    (
        "health check",
        re.compile(
            r"^(health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|"
            r"ping|version|status|metrics)$"
        ),
    ),
    ("API docs", re.compile(r"^(docs|openapi|openapi\.json|redoc|swagger|swagger-ui|schema)$")),
    # jsi18n: Django's JavaScript translation catalog, the same for every caller
    ("static files", re.compile(r"^(static|favicon\.ico|robots\.txt|assets|media|jsi18n)$")),
    ("account verification", re.compile(r"^(verify-email|confirm-email|activate|verify|confirm)$")),
    (
        "public form",
        re.compile(
            r"^(contact|contact-us|newsletter|subscribe|unsubscribe|feedback|search|"
            r"csp-report|waitlist)$"
        ),
    ),
    ("GraphQL endpoint (auth in resolvers)", re.compile(r"^(graphql|graphiql)$")),
)
_HANDLER_PUBLIC: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "login",
        re.compile(
            r"^(login|signin|sign_in|log_in|login_for_access_token|obtain_token|token|authenticate|create_token|issue_token|login_view|obtain_auth_token)$"
        ),
    ),
    ("logout", re.compile(r"^(logout|log_out|signout|logout_view)$")),
    (
        "registration",
        re.compile(
            r"^(register|signup|sign_up|register_user|create_account|register_view|signup_view)$"
        ),
    ),
    (
        "password reset",
        re.compile(
            r"^(forgot_password|reset_password|password_reset|request_password_reset|password_reset_request|confirm_password_reset|password_reset_confirm)$"
        ),
    ),
    ("token refresh", re.compile(r"^(refresh|refresh_token|token_refresh)$")),
    ("token revocation", re.compile(r"^(revoke|revoke_token|token_revoke)$")),
    ("OAuth callback", re.compile(r"^(oauth_callback|auth_callback|callback)$")),
    (
        "health check",
        re.compile(r"^(health|healthz|health_check|healthcheck|readiness|liveness|ping|ready)$"),
    ),
)
# A parameter that takes the rest of the path: a file under a directory (`{name:path}`,
# `<path:name>`, `*rest`); with a handler that answers with a file, static assets.
# A fixed path that names a front-end asset (a script, a style sheet, an icon, a font).
_ASSET_FILE = re.compile(
    r"^[\w.-]+\.(js|mjs|css|map|ico|png|jpe?g|gif|svg|webp|woff2?|ttf|webmanifest)$|"
    r"^robots\.txt$"
)
CATCH_ALL_PATH = re.compile(r"\{\w+:path\}|<path:\w+>|/\*\w*$")
# Endpoints under an authentication prefix (/auth/header, /sso/start) do the signing in.
_AUTH_PREFIXES = frozenset({"auth", "oauth", "sso", "login", "signin"})
# The second segment of an admin site's public pages: /admin/login/, /admin/password_reset/
_ADMIN_PUBLIC = {
    **dict.fromkeys(("login", "log-in", "signin", "sign-in"), "login"),
    **dict.fromkeys(("logout", "log-out", "signout", "sign-out"), "logout"),
    **dict.fromkeys(("password-reset", "forgot-password", "reset-password"), "password reset"),
    "jsi18n": "static files",
}
# Steps of a login or registration flow (WebAuthn/passkeys, magic links, OTP): the last segment
# is the step, an earlier one says what the flow is.
_FLOW_STEP = re.compile(r"^(begin|start|finish|complete|options|challenge|verify)$")
_LOGIN_FLOW = re.compile(
    r"^(login|log-in|signin|sign-in|authenticate|authentication|register|registration|signup|"
    r"sign-up|webauthn|passkeys?|magic-link|otp)$"
)
_OAUTH_PROVIDER = re.compile(
    r"^(google|github|gitlab|microsoft|apple|facebook|twitter|discord|slack|okta|azure|oidc|"
    r"saml|sso|keycloak|auth0)$"
)
# First-run set-up of a self-hosted app: public until it is done, when the handler refuses.
_SETUP = re.compile(
    r"^(needs[-_])?(setup|install|bootstrap|initiali[sz]e|init|onboarding|first-run)$"
)
# Verifying a code or a reset may be a PUT; anything else PUT changes a resource.
_PUT_PUBLIC = frozenset({"password reset", "account verification"})
# Probes answer GET; `/orders/{id}/status` is an order's status, not a probe.
_PROBES = frozenset({"health check"})
_SENSITIVE = re.compile(
    r"(^|[/_\-])(users?|accounts?|admin|orders?|payments?|invoices?|billing|settings|"
    r"profiles?|files?|uploads?|exports?|downloads?|me|dashboard|wallets?|cards?|"
    r"transactions?|secrets?|keys|credentials|customers?|members?|subscriptions?|"
    r"messages?|notifications?|reports?|audit|tenants?|teams?|organizations?|"
    r"addresses|documents?|notes?|bookings?|reservations?|appointments?|tickets?|carts?)"
    r"($|[/_\-])",
    re.IGNORECASE,
)
_ADMIN = re.compile(
    r"(^|[/_\-])(admin|administration|superuser|staff|backoffice|manage)($|[/_\-])", re.IGNORECASE
)
_AUTH_CRITICAL = re.compile(
    r"(^|[/_\-])(login|signin|sign-in|token|register|signup|sign-up|password|reset|forgot|"
    r"refresh|oauth|2fa|mfa|otp)($|[/_\-])",
    re.IGNORECASE,
)
_MONEY_MOVES = re.compile(
    r"(^|[/_\-])(pay|checkout|charges?|refunds?|purchase|transfers?|withdraw|payouts?)($|[/_\-])",
    re.IGNORECASE,
)
_PAYMENT = re.compile(
    r"(^|[/_\-])(pay|payments?|checkout|charges?|refunds?|billing|subscriptions?|invoices?|"
    r"purchase|transfers?|withdraw|wallets?|stripe)($|[/_\-])",
    re.IGNORECASE,
)


def operation_path(path: str) -> str:
    """A GraphQL field or tRPC procedure as a path of kebab-case words, so the URL policy
    reads it: `Mutation.deleteUser` -> `/delete-user`, `user.resetPassword` ->
    `/user/reset-password`."""
    parts = path.split(".")
    if parts and parts[0] in _GRAPHQL_ROOTS:
        parts = parts[1:]
    return "/" + "/".join(_CAMEL.sub("-", p).replace("_", "-").lower() for p in parts if p)


def policy_path(method: str, path: str) -> str:
    """The path the policy judges: the route's own, an operation's words, or a server action
    (`action:app/users/actions.ts#deleteUser` -> `/app/users/actions/delete-user`)."""
    if path.startswith("action:"):
        file, _, name = path[len("action:") :].partition("#")
        return "/" + file.rsplit(".", 1)[0] + operation_path(name)
    return operation_path(path) if method in OPERATIONS else path


# `{ACTIVATE}`, `{API}{VERSION_1}`: a constant the review could not resolve (path parameters
# are not written in capitals); its name stands for the segment it holds
_UNRESOLVED_CONSTANT = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def static_segments(path: str) -> list[str]:
    path = _UNRESOLVED_CONSTANT.sub(
        lambda m: "/" + m.group(1).lower().replace("_", "-") + "/", path
    )
    return [s.lower() for s in _PARAM.sub("", path).split("/") if s]


def handler_name(route: Route) -> str:
    return route.handler.rsplit(".", 1)[-1].lower()


def public_reason(
    route: Route, *, webhook_verified: bool | None = False, setup_guarded: bool | None = False
) -> str | None:
    return public_reason_of(
        route.method,
        route.path,
        route.handler,
        webhook_verified=webhook_verified,
        setup_guarded=setup_guarded,
    )


def public_reason_of(
    method: str,
    path: str,
    handler: str,
    *,
    webhook_verified: bool | None = False,
    setup_guarded: bool | None = False,
) -> str | None:
    """Why a route is public by design, or None: the one policy for every language.

    Admin paths are never public by design, and deleting or patching something is never a
    login or a health check. `webhook_verified` / `setup_guarded`: whether the handler checks a
    signature / refuses once set up; None where the analyser does not look (then the name
    decides). GraphQL fields and tRPC procedures are judged by their words (`Mutation.login`,
    `createAccount`) as a URL's last segment and a handler's name are."""
    if method in OPERATIONS or path.startswith("action:"):
        path = policy_path(method, path)
        handler = _CAMEL.sub("_", handler.rsplit(".", 1)[-1])
    # Django writes password_reset/, Express password-reset/: one spelling for the patterns
    segments = [s.replace("_", "-") for s in static_segments(path)]
    if any(_ADMIN.search(s) for s in segments):
        # the admin's own sign-in pages (/admin/login/, /admin/password_reset/done/) and its
        # translation catalog are public like any login; anything else under an admin path
        # never is
        reason = _ADMIN_PUBLIC.get(segments[1], "") if len(segments) > 1 else ""
        if reason and _ADMIN.search(segments[0]) and method in {"GET", "POST", "HEAD"}:
            return reason
        return None
    if segments and segments[0] in {"static", "assets", "media", "docs", "redoc", "swagger"}:
        return "static files" if segments[0] in {"static", "assets", "media"} else "API docs"
    if method in {"GET", "HEAD"} and segments and _ASSET_FILE.match(segments[-1]):
        return "static files"  # /sw.js, /favicon.ico, /robots.txt: a file the page loads
    if method in {"DELETE", "PATCH"}:
        return None
    # Only the last fixed segment names the endpoint: /auth/login is a login,
    # /users/login-history or /users/{id}/token/usage are not.
    last = segments[-1] if segments else ""
    for reason, pattern in _PUBLIC:
        if pattern.match(last):
            if method == "PUT" and reason not in _PUT_PUBLIC:
                return None
            if reason in _PROBES and (
                method not in {"GET", "HEAD", "ANY", "QUERY"} or _PARAM.search(path)
            ):
                continue
            if reason == "public form" and any(_SENSITIVE.search(s) for s in segments[:-1]):
                continue  # /users/search searches users: not a public form
            if reason == "account verification" and _PARAM.search(path):
                continue  # /orders/{id}/verify acts on one order: not an account's e-mail link
            return reason
    if _FLOW_STEP.match(last) and any(_LOGIN_FLOW.match(s) for s in segments[:-1]):
        return "login step"
    if _OAUTH_PROVIDER.match(last) and any(_LOGIN_FLOW.match(s) or s in {"auth", "oauth", "sso"}
                                           for s in segments[:-1]):  # fmt: skip
        return "OAuth sign-in"
    if "public" in segments:
        return "public by its path"
    if (
        segments
        and segments[0] in _AUTH_PREFIXES
        and len(segments) <= 3
        and not _PARAM.search(path)
        and not any(_SENSITIVE.search(s) for s in segments[1:])
        and method in {"GET", "POST", "ANY", "QUERY", "MUTATION"}
    ):
        return "authentication endpoint"
    if _SETUP.match(last) and setup_guarded is not False:
        return "first-run set-up"
    if any("webhook" in s for s in segments) and webhook_verified is not False:
        return "webhook with a verified signature" if webhook_verified else "webhook"
    name = handler.rsplit(".", 1)[-1].lower()
    for reason, pattern in _HANDLER_PUBLIC:
        if pattern.match(name) and method in {"GET", "POST", "HEAD", "ANY", "QUERY", "MUTATION"}:
            return reason
    if not path.strip("/") and method in {"GET", "HEAD"}:  # `/` itself, not `/{item_id}`
        return "index page"
    return None


# Evidence that a route admits only callers holding a role, not any signed-in user.
ROLE_EVIDENCE = frozenset({"role", "permission_class", "guard"})


def role_restricted(route: Route) -> bool:
    """Its authorization is a role or permission check (an ownership check still admits every
    user to their own records)."""
    return route.authz.status == "present" and any(
        e.kind in ROLE_EVIDENCE for e in route.authz.evidence
    )


def is_admin_route(route: Route) -> bool:
    return bool(
        _ADMIN.search(policy_path(route.method, route.path))
        or handler_name(route).startswith("admin_")
    )


def is_sensitive(route: Route) -> bool:
    """Paths or handlers about users, accounts, orders, payments, settings, files, exports."""
    path = policy_path(route.method, route.path)
    return bool(_SENSITIVE.search(_PARAM.sub("", path)) or _SENSITIVE.search(handler_name(route)))


# Routes whose method does not say what they do to a record: a tRPC or GraphQL mutation,
# a server action (a POST in all but name).
_RPC_MUTATIONS = frozenset(
    {("trpc", "MUTATION"), ("graphql", "MUTATION"), ("server_action", "POST")}
)


_RECORD_VERBS = frozenset(
    {"update", "delete", "remove", "edit", "destroy", "archive", "modify", "patch", "cancel"}
)


def has_path_param(path: str) -> bool:
    """The path names something by a parameter: `{id}`, `<int:pk>`, `:id`, `*rest`."""
    return _PARAM.search(path) is not None


def changes_record(route: Route) -> bool:
    """The route changes the record its client names: PUT/PATCH/DELETE over HTTP, or a
    mutation / server action that updates or deletes a record selected by an id from its
    input."""
    if route.method in {"PUT", "PATCH", "DELETE"}:
        return True
    if (route.kind, route.method) in _RPC_MUTATIONS and route.changes_by_id:
        return True
    # A GraphQL mutation named for changing one record (`updatePost`, `deleteUser`): its
    # resolver's body facts do not say which record it changes.
    if route.kind != "graphql" or route.method != "MUTATION":
        return False
    words = static_segments(operation_path(route.path))
    return bool(words) and words[-1].split("-", 1)[0] in _RECORD_VERBS


def is_auth_endpoint(route: Route) -> bool:
    """Login, registration, password reset, token: where brute force and abuse happen."""
    if route.method not in {"POST", "PUT", "PATCH", "ANY", "MUTATION"}:
        return False
    reason = route.public_by_design or ""
    if reason in {"login", "registration", "password reset"}:
        return True
    segments = static_segments(policy_path(route.method, route.path))
    return any(
        re.match(
            r"^(login|signin|sign-in|token|register|signup|sign-up|forgot|reset|forgot-password|"
            r"reset-password|password-reset|password-recovery)$",
            s,
        )
        for s in segments[-2:]
    )


def critical_kind(route: Route) -> str | None:
    """Why a route is critical enough to need a test: auth, payments, deletion, admin."""
    path = _PARAM.sub("", policy_path(route.method, route.path))
    if route.public_by_design in {"health check", "API docs", "static files", "index page"}:
        return None
    reads_only = route.method in READ_ONLY
    if not reads_only and (
        _AUTH_CRITICAL.search(path)
        or route.public_by_design in {"login", "registration", "password reset"}
    ):
        return "authentication"
    name = handler_name(route)
    if not reads_only and (
        _MONEY_MOVES.search(path)
        or _MONEY_MOVES.search(name)
        or _PAYMENT.search(path)
        or _PAYMENT.search(name)
    ):
        return "payments"
    if is_admin_route(route):
        return "admin"
    words = static_segments(path)
    if route.method in OPERATIONS:  # `delete-user`: the verb is the field's first word
        words = [w for s in words for w in s.split("-")]
    if route.method == "DELETE" or (
        not reads_only and any(s in {"delete", "remove", "destroy"} for s in words)
    ):
        return "deletion"
    return None


@lru_cache(maxsize=8192)
def path_regex(path: str) -> re.Pattern[str]:
    """A route path ('/orders/{id}', '/orders/<int:pk>/', '/orders/:id') as a URL matcher."""
    pieces: list[str] = []
    position = 0
    for match in _PARAM.finditer(path):
        pieces.append(re.escape(path[position : match.start()]))
        pieces.append(r"[^/]+" if not match.group(0).startswith("*") else r".*")
        position = match.end()
    pieces.append(re.escape(path[position:]))
    body = "".join(pieces).rstrip("/")
    return re.compile(rf"^{body}/?$")


def url_matches(route_path: str, test_path: str) -> bool:
    """A test's URL (query string dropped, f-string holes as '{}') refers to the route path."""
    url = re.sub(r"^[a-z]+://[^/]+", "", test_path.split("?", 1)[0].split("#", 1)[0])
    if url.startswith("{}"):
        # f"{settings.API_V1_STR}/items/{id}": the prefix is unknown, compare the rest
        rest = url[2:].replace("{}", "1") or "/"
        segments = route_path.strip("/").split("/")
        return any(
            path_regex("/" + "/".join(segments[cut:])).match(rest)
            for cut in range(len(segments))
            if static_segments("/" + "/".join(segments[cut:]))
        )
    url = url.replace("{}", "1")
    if not url.startswith("/"):
        url = "/" + url
    if path_regex(route_path).match(url):
        return True
    # A test client mounted below a prefix (a blueprint or sub-app under test) drops it.
    segments = route_path.strip("/").split("/")
    for cut in range(1, len(segments)):
        tail = "/" + "/".join(segments[cut:])
        if static_segments(tail) and path_regex(tail).match(url):
            return True
    return False


def resource_of(route: Route) -> str:
    """The path up to its first parameter: '/orders/{id}/items' -> '/orders'."""
    return _PARAM.split(route.path, maxsplit=1)[0].rstrip("/")


def protected_read_resources(routes: list[Route]) -> set[str]:
    """Collections whose listing (GET /orders/) requires auth: their records are private.
    Form pages and sub-actions (/posts/new, /posts/{id}/edit) say nothing about reads."""
    return {
        r.path.rstrip("/")
        for r in routes
        if r.method in {"GET", "HEAD", "QUERY"}
        and r.auth.status == "present"
        and not _PARAM.search(r.path)
        and r.path.rstrip("/")
    }


def needs_protection(route: Route, private_resources: set[str]) -> str | None:
    """Why a route needs authentication (None when it does not, or is public by design).
    `private_resources` comes from `protected_read_resources(index.routes)`; protected writes
    alone say nothing about reads (a public catalogue with admin-only edits)."""
    if route.public_by_design:
        return None
    if route.method in STATE_CHANGING:
        return "it accepts any method" if route.method == "ANY" else "it changes data"
    if is_admin_route(route):
        return "it is an admin route"
    if is_sensitive(route):
        return "it exposes user or account data"
    if route.loads_by_id and resource_of(route) in private_resources:
        return "it loads a record by id while other reads of the same resource require auth"
    return None


def unauthenticated(routes: list[Route]) -> list[tuple[Route, str]]:
    """Routes that need a caller identity and show none (`absent`, never `unknown`), with why
    they need one. Skipped: handlers that scope their data to the caller, routes gated by a
    role or permission check, and routes marked public on purpose (AllowAny,
    login_not_required) unless they delete or are admin routes."""
    private_resources = protected_read_resources(routes)
    found: list[tuple[Route, str]] = []
    for route in routes:
        if route.auth.status != "absent":
            continue
        reason = needs_protection(route, private_resources)
        if reason is None or _scoped_to_caller(route) or _permission_checked(route):
            continue
        explicitly_open = route.auth.note.startswith("explicitly public")
        if explicitly_open and not (route.method == "DELETE" or is_admin_route(route)):
            continue
        found.append((route, reason))
    return found


def _permission_checked(route: Route) -> bool:
    """A role or permission check decides who may call the route (`request.user.has_perm(...)`
    in a DRF permission class, `@permission_required`, a roles guard): an anonymous caller holds
    no role and only the permissions the app grants anonymous users on purpose, so the route is
    gated by the caller's identity even where no separate authentication step was found."""
    return route.authz.status == "present" and any(
        e.kind in {"role", "ownership"} and e.level != "handler" for e in route.authz.evidence
    )


def _scoped_to_caller(route: Route) -> bool:
    """The handler filters what it reads or changes by the caller (`Unit.objects.filter_access(
    request.user)`, `filter(owner=request.user)`, a check that the record is the caller's): an
    anonymous caller reaches only what the app lets anyone see, no one else's records."""
    return any(e.kind == "ownership" and e.level == "handler" for e in route.authz.evidence)


def siblings(route: Route, routes: list[Route]) -> list[Route]:
    """The routes declared beside this one (same file: the router or controller), not public by
    design; when it stands alone in its file, those under the same resource prefix."""
    same_file = [
        r for r in routes if r is not route and r.file == route.file and not r.public_by_design
    ]
    if same_file:
        return same_file
    resource = resource_of(route)
    return [
        r
        for r in routes
        if r is not route and resource_of(r) == resource and not r.public_by_design
    ]


def deviates(route: Route, routes: list[Route], protection: str) -> bool:
    """Most of its siblings have the protection it lacks: the strongest sign of a real gap
    (a router whose routes all lack it may be protected where we cannot see)."""
    others = siblings(route, routes)
    protected = sum(1 for r in others if getattr(r, protection).status == "present")
    return bool(others) and protected * 2 > len(others)


def other_method_protected(route: Route, routes: list[Route], protection: str) -> bool:
    """Another method of the route's own path has the protection it lacks (GET /users/{id}
    requires authentication, DELETE /users/{id} does not): deviance at the finest grain."""
    path = route.path.rstrip("/")
    return any(
        r is not route
        and r.kind == route.kind
        and r.path.rstrip("/") == path
        and getattr(r, protection).status == "present"
        for r in routes
    )


def route_finding(
    rule: RuleMeta,
    route: Route,
    message: str,
    *,
    fix: str,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
) -> Finding:
    """A project-rule finding at the route's handler, with `route` set to 'METHOD /path'."""
    return rule.finding(
        message,
        file=route.file,
        line=max(route.line, 1),
        snippet=f"{route.method} {route.path} -> {route.handler}",
        fix=fix,
        severity=severity,
        confidence=confidence,
        route=f"{route.method} {route.path}",
    )


def grouped_by_handler(routes: list[Route]) -> list[list[Route]]:
    """Routes served by one handler (a viewset, a multi-method view) as one group, in order,
    so one mistake is reported once with every method it affects."""
    groups: dict[tuple[str, int], list[Route]] = {}
    for route in routes:
        groups.setdefault((route.file, route.line), []).append(route)
    return list(groups.values())


def also_affects(group: list[Route]) -> str:
    others = [f"{r.method} {r.path}" for r in group[1:]]
    return f" Also affects: {', '.join(others)}." if others else ""
