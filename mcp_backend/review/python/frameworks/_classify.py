"""What a dependency, decorator, permission class or middleware does for a route.

Project code is judged by what its body does (summarised by `_body`), followed through
`Depends(...)` chains; names from installed packages are judged by a table of known
mechanisms, then by what their name says. A package name that says nothing is `unknown`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from mcp_backend.review.python.frameworks._ast import module_name_for, short_name, split_composed
from mcp_backend.review.python.frameworks._resolve import Modules, Symbol

AUTH_NAME = re.compile(
    r"(login_required|jwt_required|auth_required|token_required|requires?_auth|authenticated|"
    r"current_user|current_active_user|get_current_\w*(user|account|member|principal|identity)|"
    r"verify_token|verify_jwt|require_user|"
    r"require_login|HTTPBearer|HTTPBasic|OAuth2|APIKey|api_key|authenticat|\bauth\b|_auth\b|"
    r"^auth|jwt|session_user|get_user$|signed_in|logged_in|require_token|bearer)",
    re.IGNORECASE,
)
OPTIONAL_NAME = re.compile(r"(optional|maybe|try_|_or_none|if_present)", re.IGNORECASE)
ROLE_NAME = re.compile(
    r"(admin|role|permission|superuser|staff|scope|is_owner|require_owner|privilege)",
    re.IGNORECASE,
)
RATE_NAME = re.compile(
    r"(^limit$|\.limit$|ratelimit|rate_limit|throttl|RateLimiter)", re.IGNORECASE
)
VALIDATE_NAME = re.compile(
    r"(validate|use_args|use_kwargs|expects_json|\.arguments$|\.expect$|input_schema|"
    r"accepts|schema)",
    re.IGNORECASE,
)
# A project decorator that by its whole name validates the request body against the schema it
# is given (`@api.validate(model)`, `@validate_json(Schema)`); `validate_token` is not one.
PROJECT_VALIDATOR_NAME = re.compile(
    r"^(validate|validated|validate_(json|body|request|schema|input|payload|args|with)|"
    r"expects?_json|use_args|use_kwargs|accepts|input_schema|json_schema|with_schema|expect)$"
)
# Packages whose names never carry an auth mechanism (so an import from them is not 'unknown').
NEUTRAL_PACKAGES = (
    "functools",
    "typing",
    "contextlib",
    "abc",
    "dataclasses",
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "logging",
    "asyncio",
    "builtins",
    "fastapi.Depends",
    "fastapi.Query",
    "fastapi.Path",
    "fastapi.Body",
    "fastapi.Header",
    "fastapi.Cookie",
    "fastapi.Form",
    "fastapi.File",
    "fastapi.Request",
    "fastapi.BackgroundTasks",
    "flask.Flask",
    "flask_cors",
    "flask_caching",
    "flask_wtf.csrf",
    "django.views.decorators.http",
    "django.views.decorators.cache",
    "django.views.decorators.csrf",
    "django.views.decorators.vary",
    "rest_framework.decorators.api_view",
    "rest_framework.decorators.action",
    "rest_framework.permissions.AllowAny",
    "starlette.middleware.cors",
    "starlette.middleware.gzip",
    "starlette.middleware.trustedhost",
    "starlette.middleware.httpsredirect",
    "fastapi.middleware",
    "django.middleware",
    "corsheaders",
    "whitenoise",
    "prometheus",
    "opentelemetry",
    "sentry_sdk",
    "cache",
)
# Names that plainly say what a dependency is, and it is not access control.
NEUTRAL_NAME = re.compile(
    r"(pagina|paginate|^page|db$|database|session$|^get_db|settings|config|cache|redis|logger|"
    r"^log|http|client|query|params|filter|sort|background|tracer|trace|metric|storage|s3|"
    r"queue|mail|template|engine|repo|repository|service|uow|unit_of_work|locale|i18n|"
    r"timezone|clock|now|uuid|request_id|correlation)",
    re.IGNORECASE,
)
# Decorators that register or wrap a function without guarding it.
NOT_MECHANISM_DECORATORS = frozenset(
    {
        "wraps",
        "cache",
        "lru_cache",
        "staticmethod",
        "classmethod",
        "property",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "route",
        "api_route",
        "websocket",
        "before_request",
        "before_app_request",
        "after_request",
        "teardown_request",
        "errorhandler",
        "app_errorhandler",
        "exception_handler",
        "middleware",
        "on_event",
        "context_processor",
        "user_loader",
        "request_loader",
        "receiver",
    }
)
# (suffix of the qualified name) -> capabilities; first match wins.
KNOWN: tuple[tuple[str, frozenset[str]], ...] = (
    ("rest_framework.permissions.IsAdminUser", frozenset({"auth", "role"})),
    ("rest_framework.permissions.IsAuthenticatedOrReadOnly", frozenset({"auth_unsafe"})),
    ("rest_framework.permissions.IsAuthenticated", frozenset({"auth"})),
    ("rest_framework.permissions.DjangoModelPermissions", frozenset({"auth", "role"})),
    ("rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly", frozenset({"role"})),
    ("rest_framework.permissions.DjangoObjectPermissions", frozenset({"auth", "role", "owner"})),
    ("rest_framework.permissions.AllowAny", frozenset({"open"})),
    ("django.contrib.auth.decorators.permission_required", frozenset({"auth", "role"})),
    ("django.contrib.auth.decorators.user_passes_test", frozenset({"auth", "role"})),
    ("django.contrib.auth.decorators.login_required", frozenset({"auth"})),
    ("django.contrib.auth.decorators.login_not_required", frozenset({"open"})),
    ("django.contrib.admin.views.decorators.staff_member_required", frozenset({"auth", "role"})),
    ("django.contrib.auth.mixins.LoginRequiredMixin", frozenset({"auth"})),
    ("django.contrib.auth.mixins.PermissionRequiredMixin", frozenset({"auth", "role"})),
    ("django.contrib.auth.mixins.UserPassesTestMixin", frozenset({"auth", "role"})),
    ("starlette.authentication.requires", frozenset({"auth"})),
    # `if not has_required_scope(request, ["read"]): raise HTTPException(403)`
    ("starlette.authentication.has_required_scope", frozenset({"auth"})),
    ("flask_login.login_required", frozenset({"auth"})),
    ("flask_login.fresh_login_required", frozenset({"auth"})),
    ("flask_jwt_extended.jwt_required", frozenset({"auth"})),
    ("flask_security.roles_required", frozenset({"auth", "role"})),
    ("flask_security.roles_accepted", frozenset({"auth", "role"})),
    ("flask_security.permissions_required", frozenset({"auth", "role"})),
    ("flask_security.auth_required", frozenset({"auth"})),
    ("fastapi.security.OAuth2PasswordBearer", frozenset({"auth"})),
    ("fastapi.security.OAuth2AuthorizationCodeBearer", frozenset({"auth"})),
    ("fastapi.security.HTTPBearer", frozenset({"auth"})),
    ("fastapi.security.HTTPBasic", frozenset({"auth"})),
    ("fastapi.security.APIKeyHeader", frozenset({"auth"})),
    ("fastapi.security.APIKeyCookie", frozenset({"auth"})),
    ("fastapi.security.APIKeyQuery", frozenset({"auth"})),
    ("fastapi.security.SecurityScopes", frozenset({"role"})),
    # Django Ninja: an auth class answers 401 when its authenticate() returns None
    ("ninja.security.HttpBearer", frozenset({"auth"})),
    ("ninja.security.HttpBasicAuth", frozenset({"auth"})),
    ("ninja.security.APIKeyHeader", frozenset({"auth"})),
    ("ninja.security.APIKeyQuery", frozenset({"auth"})),
    ("ninja.security.APIKeyCookie", frozenset({"auth"})),
    ("ninja.security.SessionAuth", frozenset({"auth"})),
    ("ninja.security.SessionAuthSuperUser", frozenset({"auth", "role"})),
    ("ninja.security.SessionAuthIsStaff", frozenset({"auth", "role"})),
    ("ninja.security.django_auth", frozenset({"auth"})),
    ("ninja.security.django_auth_superuser", frozenset({"auth", "role"})),
    ("ninja.security.django_auth_is_staff", frozenset({"auth", "role"})),
    ("fastapi_limiter.depends.RateLimiter", frozenset({"rate"})),
    ("django_ratelimit.decorators.ratelimit", frozenset({"rate"})),
    ("ratelimit.decorators.ratelimit", frozenset({"rate"})),
    ("rest_framework.throttling.UserRateThrottle", frozenset({"rate"})),
    ("rest_framework.throttling.AnonRateThrottle", frozenset({"rate"})),
    ("rest_framework.throttling.ScopedRateThrottle", frozenset({"rate"})),
    ("slowapi.middleware.SlowAPIMiddleware", frozenset({"rate"})),
    ("slowapi.middleware.SlowAPIASGIMiddleware", frozenset({"rate"})),
    ("starlette.middleware.authentication.AuthenticationMiddleware", frozenset({"auth_soft"})),
    # GraphQL: django-graphql-jwt decorators and strawberry-django permission classes.
    ("graphql_jwt.decorators.login_required", frozenset({"auth"})),
    ("graphql_jwt.decorators.staff_member_required", frozenset({"auth", "role"})),
    ("graphql_jwt.decorators.superuser_required", frozenset({"auth", "role"})),
    ("graphql_jwt.decorators.permission_required", frozenset({"auth", "role"})),
    ("strawberry_django.permissions.IsAuthenticated", frozenset({"auth"})),
    ("strawberry_django.permissions.IsStaff", frozenset({"auth", "role"})),
    ("strawberry_django.permissions.IsSuperuser", frozenset({"auth", "role"})),
    ("strawberry_django.permissions.HasPerm", frozenset({"auth", "role"})),
    ("strawberry_django.permissions.HasSourcePerm", frozenset({"auth", "role", "owner"})),
    ("strawberry_django.permissions.HasRetvalPerm", frozenset({"auth", "role", "owner"})),
)


# How many calls away a helper's own check still counts for the function that calls it.
CALL_DEPTH = 3


@dataclass
class Caps:
    """Capabilities a mechanism gives a route; each holds a short human detail when present."""

    auth: str | None = None
    role: str | None = None
    owner: str | None = None
    rate: str | None = None
    validate: str | None = None
    open: str | None = None  # explicitly public (AllowAny, login_not_required)
    auth_unsafe: str | None = None  # only for state-changing methods (IsAuthenticatedOrReadOnly)
    auth_soft: str | None = (
        None  # identifies the user but does not reject (AuthenticationMiddleware)
    )
    unknown: str | None = None  # a mechanism from a package whose name does not tell
    unreadable: str | None = None  # defined in a project file we could not parse
    # refuses when code it calls raises, and what that code checks is out of our reach
    undecided: str | None = None
    sources: list[str] = field(default_factory=list)

    def merge(self, other: Caps, how: str = "") -> None:
        for name in ("auth", "role", "owner", "rate", "validate", "open", "auth_unsafe"):
            if getattr(other, name) and not getattr(self, name):
                value = getattr(other, name)
                setattr(self, name, f"{how} -> {value}" if how else value)
        if other.auth_soft and not self.auth_soft:
            self.auth_soft = other.auth_soft
        if other.unknown and not self.unknown:
            self.unknown = other.unknown
        if other.unreadable and not self.unreadable:
            self.unreadable = other.unreadable
        if other.undecided and not self.undecided:
            self.undecided = other.undecided

    def any(self) -> bool:
        return bool(self.auth or self.role or self.owner or self.rate or self.validate)


_DECIDING = ("auth", "role", "owner")


def _composed_caps(op: str, parts: list[Caps], shown: str) -> Caps:
    """DRF permission classes composed with `|`, `&`, `~`. `A & B` refuses whenever either does,
    so it has what any part has. `A | B` lets a caller in whom either lets in, so it has only
    what every part has; where a part is out of reach, what it lacks is unknown, not absent.
    `~A` inverts a check: what it demands cannot be told."""
    out = Caps()
    if op == "all":
        for part in parts:
            out.merge(part)
        if any(p.auth for p in parts):
            out.open = None
        return out
    if op == "not":
        out.undecided = f"{shown} inverts a permission check"
        return out
    out.open = next((p.open for p in parts if p.open), None)
    for name in (*_DECIDING, "rate", "validate"):
        if all(getattr(p, name) for p in parts):
            setattr(out, name, shown)
    if not (out.role or out.owner) and all(p.role or p.owner for p in parts):
        out.owner = shown  # `IsOwner | IsAdminUser`: the record's owner, or a privileged caller
    if not out.auth and all(p.auth or p.auth_unsafe for p in parts):
        out.auth_unsafe = shown
    if not out.open and not out.auth:
        # a part that demands nothing we know of, but that we could not read, may demand it
        vague = [p for p in parts if not p.auth and (p.unknown or p.unreadable or p.undecided)]
        if vague:
            out.undecided = (
                f"{shown}: which callers "
                f"{'it' if len(parts) == 1 else 'one of them'} lets in is out of our reach"
            )
    return out


def known(qualified: str) -> frozenset[str] | None:
    """What a library mechanism does, when it is in the table."""
    return _known(qualified)


def _known(qualified: str) -> frozenset[str] | None:
    for suffix, caps in KNOWN:
        if qualified == suffix or (
            qualified.endswith("." + suffix.rsplit(".", 1)[-1])
            and (qualified.split(".", 1)[0] == suffix.split(".", 1)[0])
        ):
            return caps
    return None


def _from_set(caps: frozenset[str], detail: str) -> Caps:
    result = Caps()
    for name in caps:
        setattr(result, name, detail)
    return result


def by_name(qualified: str, strings: list[str] | None = None) -> Caps:
    """Judge an installed-package mechanism by the table, then by its name."""
    known = _known(qualified)
    short = qualified.rsplit(".", 1)[-1]
    if known is not None:
        caps = _from_set(known, short)
        if short == "requires" and strings and any(ROLE_NAME.search(s) for s in strings):
            caps.role = f"requires({', '.join(strings)})"
        return caps
    caps = Caps()
    tail = ".".join(qualified.split(".")[-2:])
    if RATE_NAME.search(tail):
        caps.rate = short
        return caps
    if ROLE_NAME.search(short) or (strings and any(ROLE_NAME.search(s) for s in strings)):
        caps.role = short
        if AUTH_NAME.search(tail) or ROLE_NAME.search(short):
            caps.auth = short
    if AUTH_NAME.search(tail):
        caps.auth = short
    if VALIDATE_NAME.search(tail):
        caps.validate = short
    if (
        not caps.any()
        and not qualified.startswith(NEUTRAL_PACKAGES)
        and "." in qualified
        and not NEUTRAL_NAME.search(short)
    ):
        caps.unknown = qualified
    return caps


class Classifier:
    def __init__(self, modules: Modules) -> None:
        self.modules = modules
        self._cache: dict[str, Caps] = {}
        self._reached: dict[str, tuple[str | None, str | None]] = {}

    def classify(self, qualified: str, strings: list[str] | None = None, depth: int = 0) -> Caps:
        key = f"{qualified}|{','.join(strings or [])}"
        if key not in self._cache:
            self._cache[key] = Caps()  # cycle guard
            self._cache[key] = self._classify(qualified, strings or [], depth)
        # a copy: callers add to what they get (`api.validate` names the object's class), and
        # that must not change what the class itself gives every later route
        cached = self._cache[key]
        return replace(cached, sources=list(cached.sources))

    def _composed(self, op: str, parts: list[Caps], qualified: str) -> Caps:
        return _composed_caps(op, parts, short_name(qualified))

    def classify_enforcing(self, qualified: str) -> Caps:
        """For hooks and middleware run on every request: a project function counts only by
        what its body does (`load_logged_in_user` loads g.user but rejects nobody)."""
        symbol = self.modules.resolve(qualified)
        if symbol is None or symbol.kind != "function":
            return self.classify(qualified)
        return self.function(symbol, 0, by_name=False)

    def _classify(self, qualified: str, strings: list[str], depth: int) -> Caps:
        if not qualified or depth > 6:
            return Caps()
        op, parts = split_composed(qualified)
        if op:
            return self._composed(
                op, [self.classify(p, strings, depth + 1) for p in parts], qualified
            )
        symbol = self.modules.resolve(qualified)
        if symbol is None:
            unreadable = self.modules.unreadable_reason(qualified)
            if unreadable is not None:  # out of sight: never judged by its name
                return Caps(unreadable=f"{qualified.rsplit('.', 1)[-1]} is in {unreadable}")
            if self.modules.is_project_name(qualified):
                # project code we have but could not resolve: its own name may speak, the name
                # of the module it sits in (app.auth.make_thing) does not
                caps = by_name(qualified.rsplit(".", 1)[-1], strings)
                caps.unknown = None
                return caps
            return by_name(qualified, strings)
        if symbol.kind == "function":
            return self.function(symbol, depth)
        if symbol.kind == "class":
            return self.class_caps(symbol, depth)
        if symbol.kind == "alias":
            caps = Caps()
            for target in symbol.fact.get("depends", []):
                caps.merge(self.classify(target, None, depth + 1), symbol.name)
            return caps
        if symbol.kind == "object":
            # limiter.limit / auth.login_required / oauth2_scheme: the object and what is used
            attr = qualified.rsplit(".", 1)[-1] if not qualified.endswith(symbol.name) else ""
            caps = self.classify(str(symbol.fact.get("call", "")), strings, depth + 1)
            if attr:
                named = by_name(f"{symbol.fact.get('call', '')}.{attr}", strings)
                named.unknown = None
                caps.merge(named)
                if RATE_NAME.search(f".{attr}") and (
                    caps.rate or "limit" in str(symbol.fact.get("call", "")).lower()
                ):
                    caps.rate = f"{symbol.name}.{attr}"
                elif attr in {"exempt"}:
                    caps.rate = None
            for arg in symbol.fact.get("args", []):
                if caps.any():
                    break
                caps.merge(self.classify(arg, None, depth + 1))
            if symbol.fact.get("auto_error") is False and caps.auth:
                # a security scheme built with auto_error=False hands over None instead of
                # answering 401: whoever uses it decides, so it identifies but does not reject
                caps.auth_soft = caps.auth_soft or f"{symbol.name} (auto_error=False)"
                caps.auth = None
            return caps
        return Caps()

    def function(self, symbol: Symbol, depth: int, *, by_name: bool = True) -> Caps:
        fact = symbol.fact
        body = fact.get("body", {})
        caps = Caps()
        name = fact.get("name", symbol.name)
        if body.get("auth_checks") or body.get("jwt_decode"):
            first = (body.get("auth_checks") or [{"detail": "jwt.decode"}])[0]["detail"]
            caps.auth = f"{name}: {first}"
        if body.get("role_checks"):
            caps.role = f"{name}: {body['role_checks'][0]['detail']}"
        if body.get("owner_checks"):
            caps.owner = f"{name}: {body['owner_checks'][0]['detail']}"
        for param in fact.get("params", []):
            for target in param.get("depends", []):
                caps.merge(self.classify(target, None, depth + 1), name)
            annotation = param.get("annotation") or ""
            if annotation and "." in annotation:
                resolved = self.modules.resolve(annotation)
                if resolved is not None and resolved.kind == "alias":
                    caps.merge(self.classify(annotation, None, depth + 1), name)
        for target in fact.get("depends_made", []):
            caps.merge(self.classify(target, None, depth + 1), name)
        for deco in fact.get("decorators", []):
            if deco.get("short") in NOT_MECHANISM_DECORATORS:
                continue
            caps.merge(self.classify(deco["name"], deco.get("strings"), depth + 1), name)
        if not caps.auth and not caps.role:
            # helpers it calls (verify_token(token), ensure_admin(user)) count, followed a few
            # calls deep: a decorator's wrapper calls check_token() which calls verify_jwt()
            reached = self._reached_checks(symbol, CALL_DEPTH)
            if reached[0]:
                caps.auth = f"{name} -> {reached[0]}"
            if reached[1]:
                caps.role = f"{name} -> {reached[1]}"
        if not caps.auth and not caps.role and depth <= 4:
            caps.merge(self._returned_provider(symbol, depth), name)
        if not caps.auth and not caps.role:
            caps.merge(self.exception_guards(body, symbol.file, depth), name)
        if not caps.auth and by_name and AUTH_NAME.search(name):
            if OPTIONAL_NAME.search(name):  # get_optional_user: None for anonymous callers
                caps.auth_soft = caps.auth_soft or f"{name} (by name)"
            else:
                caps.auth = f"{name} (by name)"
        if (
            not caps.role
            and caps.auth
            and ROLE_NAME.search(name)
            and not name.startswith(("has_", "_"))  # DRF has_permission says nothing by name
        ):
            caps.role = f"{name} (by name)"
        if caps.role and not caps.auth:
            caps.auth = caps.role
        if not caps.rate and by_name and RATE_NAME.search(name):
            caps.rate = name
        if not caps.validate and by_name and PROJECT_VALIDATOR_NAME.match(name):
            caps.validate = f"{name} (by name)"
        return caps

    def exception_guards(
        self, body: dict[str, Any], file: str, depth: int = 0, qualname: str = ""
    ) -> Caps:
        """`try: check_access("package_update", context) except NotAuthorized: abort(403)`:
        the function refuses whoever the called code turns away. A project function there
        whose body checks the caller or a role is the evidence; otherwise the refusal is
        decided in code we do not follow (dispatch by name, a package), so the answer is
        unknown, never absent."""
        caps = Caps()
        for guard in body.get("exception_guards", []):
            for call in guard.get("calls", []):
                callee = self.modules.resolve(call)
                if callee is None or callee.kind != "function" or depth > 4:
                    continue
                found = self.function(callee, depth + 1, by_name=False)
                if found.auth or found.role:
                    short = call.rsplit(".", 1)[-1]
                    caps.auth = caps.auth or f"{short}() {guard['detail']}"
                    caps.role = caps.role or (found.role and f"{short}() -> {found.role}")
            if caps.auth:
                return caps
            if not caps.undecided:
                shown = ", ".join(c.rsplit(".", 1)[-1] + "()" for c in guard["calls"][:3])
                caps.undecided = (
                    f"refuses with {guard['status']} when a call there ({shown}) raises "
                    f"({guard['detail']}, {file}:{guard['line']}); what is checked there is "
                    "decided in code we do not follow"
                )
        if not caps.auth and depth <= 2:
            # the check sits in a helper it calls: its own method (self._prepare()) or a
            # project function (_extra_template_variables(context, data_dict))
            caps.merge(self._helper_guards(body, file, qualname, depth))
        return caps

    def _helper_guards(self, body: dict[str, Any], file: str, qualname: str, depth: int) -> Caps:
        caps = Caps()
        owner: Symbol | None = None
        if "." in qualname:
            module = self.modules.find_module(module_name_for(file))
            owner = (
                self.modules.resolve(f"{module}.{qualname.split('.', maxsplit=1)[0]}")
                if module
                else None
            )
        for call in body.get("calls", [])[:40]:
            helper: Symbol | None = None
            if call.startswith("self.") and call.count(".") == 1:
                if owner is not None and owner.kind == "class":
                    helper = self.modules.method(owner, call.split(".", 1)[1])
                    if helper is not None:
                        caps.merge(self.function(helper, depth + 1, by_name=False), f"{call}()")
            else:
                helper = self.modules.resolve(call)
            if helper is None or helper.kind != "function" or helper.name == qualname:
                continue
            sub = helper.fact.get("body", {})
            if sub.get("exception_guards"):
                caps.merge(
                    self.exception_guards(sub, helper.file, depth + 1, helper.name),
                    f"{helper.name}()",
                )
            if caps.auth:
                break
        return caps

    def _returned_provider(self, symbol: Symbol, depth: int) -> Caps:
        """A provider factory (`authorize = get_provider()`, where the factory or a selector it
        calls returns `oauth2_authentication` or `no_authentication` by configuration): the
        dependency is whichever function comes back. When every candidate checks the caller it
        protects; when only some do, which one runs is decided at run time, so it is unknown."""
        caps = Caps()
        # its own returns first (the wrapper it builds), then a selector it calls
        choices = [(symbol, self._returned_functions(symbol))]
        for call in symbol.fact.get("body", {}).get("calls", [])[:40]:
            callee = self.modules.resolve(call)
            if callee is not None and callee.kind == "function" and callee.key != symbol.key:
                choices.append((callee, self._returned_functions(callee)))
        for selector, candidates in choices:
            if not candidates:
                continue
            judged = [(c.name, self.function(c, depth + 1, by_name=False)) for c in candidates]
            checking = [n for n, found in judged if found.auth or found.role]
            if not checking:
                continue
            if len(checking) == len(judged):
                caps.auth = f"{selector.name} returns {' or '.join(checking[:3])}, each checks"
                if all(found.role for _, found in judged):
                    caps.role = f"{selector.name} returns {judged[0][1].role}"
            else:
                others = [n for n, _ in judged if n not in checking]
                caps.undecided = (
                    f"{selector.name} ({selector.file}) returns {', '.join(checking[:2])}, "
                    f"which check the caller, or {', '.join(others[:2])}, which do not: which "
                    "one runs is decided by configuration at run time"
                )
            break
        return caps

    def _returned_functions(self, symbol: Symbol) -> list[Symbol]:
        refs = symbol.fact.get("body", {}).get("returned_refs", [])
        found = (self.modules.resolve(ref) for ref in refs)
        return [f for f in found if f is not None and f.kind == "function"]

    def _reached_checks(self, symbol: Symbol, depth: int) -> tuple[str | None, str | None]:
        """(auth, role): the first project helper reached through calls, up to `depth` calls
        away, whose own body checks the caller (401, a decoded token) or a role. Memoised."""
        key = f"{symbol.key}|{depth}"
        if key in self._reached:
            return self._reached[key]
        self._reached[key] = (None, None)  # cycle guard
        auth: str | None = None
        role: str | None = None
        for call in symbol.fact.get("body", {}).get("calls", [])[:40]:
            callee = self.modules.resolve(call)
            if callee is None or callee.kind != "function" or callee.key == symbol.key:
                continue
            sub = callee.fact.get("body", {})
            if not auth and (sub.get("auth_checks") or sub.get("jwt_decode")):
                auth = callee.name
            if not role and sub.get("role_checks"):
                role = callee.name
            if depth > 1 and not (auth and role):
                deeper = self._reached_checks(callee, depth - 1)
                auth = auth or (f"{callee.name} -> {deeper[0]}" if deeper[0] else None)
                role = role or (f"{callee.name} -> {deeper[1]}" if deeper[1] else None)
            if auth and role:
                break
        self._reached[key] = (auth, role)
        return auth, role

    def class_caps(self, symbol: Symbol, depth: int) -> Caps:
        caps = Caps()
        for base in self.modules.base_names(symbol):
            if self.modules.resolve(base) is None:
                known = _known(base)
                if known is not None and "open" not in known:
                    caps.merge(_from_set(known, base.rsplit(".", 1)[-1]))
        for method in ("__call__", "has_permission", "dispatch", "__init__", "authenticate"):
            found = self.modules.method(symbol, method)
            if found is not None:
                caps.merge(self.function(found, depth + 1), symbol.name)
        found = self.modules.method(symbol, "has_permission")
        if found is not None:
            # DRF: `return request.user.is_authenticated and request.user.is_staff`
            flags = found.fact.get("body", {}).get("reads_flags", [])
            if "auth" in flags and not caps.auth:
                caps.auth = f"{symbol.name}.has_permission: is_authenticated"
            if "role" in flags and not caps.role:
                caps.role = caps.role or f"{symbol.name}.has_permission: role attribute"
                caps.auth = caps.auth or caps.role
        if self.modules.method(symbol, "has_object_permission") is not None:
            found = self.modules.method(symbol, "has_object_permission")
            assert found is not None
            sub = self.function(found, depth + 1)
            caps.owner = (
                caps.owner or sub.owner or sub.role or f"{symbol.name}.has_object_permission"
            )
        name = symbol.name
        if not caps.any() and not NEUTRAL_NAME.search(name):  # AdminKeyRepository: storage
            if RATE_NAME.search(name):
                caps.rate = name
            elif ROLE_NAME.search(name):
                caps.role = caps.auth = name
            elif AUTH_NAME.search(name):
                caps.auth = name
        if caps.auth and caps.auth.endswith("(by name)") and symbol.name.endswith("Mixin"):
            caps.auth = name
        return caps
