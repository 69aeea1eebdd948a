"""A route being assembled by the linker: evidence per protection, then a `Route`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mcp_backend.review.model import Evidence, Protection, Route, RouteKind
from mcp_backend.review.python.frameworks._ast import short_name
from mcp_backend.review.python.frameworks._classify import RATE_NAME, Caps, Classifier, known
from mcp_backend.review.python.frameworks._resolve import Modules, Symbol

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE", "ANY"})
PATH_PARAM = re.compile(r"\{(\w+)(?::[^}]*)?\}|<(?:\w+:)?(\w+)>|:(\w+)|\(\?P<(\w+)>")
ROUTE_DECORATORS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "route", "api_route", "websocket"}
)
NOT_MECHANISMS = frozenset(
    {"wraps", "staticmethod", "classmethod", "property", "cache", "lru_cache", "api_view", "action"}
)
# Decorators whose arguments are the mechanism: @permission_classes([IsAuthenticated]),
# @method_decorator(login_required, name="dispatch"), @throttle_classes([...]).
ARG_DECORATORS = frozenset(
    {"permission_classes", "throttle_classes", "authentication_classes", "method_decorator"}
)
SCALARS = frozenset(
    {
        "int",
        "str",
        "float",
        "bool",
        "bytes",
        "UUID",
        "uuid.UUID",
        "date",
        "datetime",
        "datetime.date",
        "datetime.datetime",
        "Decimal",
        "decimal.Decimal",
        "EmailStr",
        "pydantic.EmailStr",
        "HttpUrl",
        "pydantic.HttpUrl",
    }
)
NOT_SCHEMAS = (
    "Request",
    "Response",
    "Session",
    "AsyncSession",
    "BackgroundTasks",
    "UploadFile",
    "WebSocket",
    "HTTPConnection",
    "SecurityScopes",
    "HTTPAuthorizationCredentials",
    "Connection",
    "Any",
    "None",
)
SCHEMA_BASES = (
    "BaseModel",
    "RootModel",
    "SQLModel",
    "Schema",
    "Serializer",
    "ModelSerializer",
    "Form",
    "ModelForm",
    "FlaskForm",
    "Struct",
    "TypedDict",
)
SENSITIVE_MIDDLEWARE = re.compile(r"(auth|jwt|token|session|login|security|permission|key)", re.I)


def join_path(*parts: str) -> str:
    joined = "/".join(p.strip("/") for p in parts if p and p.strip("/"))
    last = next((p for p in reversed(parts) if p), "")
    trailing = "/" if last.endswith("/") and joined else ""
    return "/" + joined + trailing if joined else "/"


def path_params(path: str) -> set[str]:
    return {next(g for g in match.groups() if g) for match in PATH_PARAM.finditer(path)}


def is_schema_class(modules: Modules, symbol: Symbol) -> bool:
    return any(
        base.rsplit(".", 1)[-1].endswith(SCHEMA_BASES) for base in modules.base_names(symbol)
    )


# Packages whose functions take a request to serve it, not to let a third party judge it.
FRAMEWORK_PACKAGES = ("fastapi", "starlette", "flask", "django", "rest_framework", "aiohttp")
REDIRECTS = frozenset(
    {
        "RedirectResponse",
        "redirect",
        "redirect_to",
        "HttpResponseRedirect",
        "HttpResponsePermanentRedirect",
        "url_for",
        "reverse",
        "resolve_url",
    }
)
# Reads of the app's own configuration: a redirect to a configured page still returns no data.
_CONFIG_READS = frozenset({"config.get", "settings.get", "environ.get", "os.getenv", "getenv"})
FILE_RESPONSES = frozenset({"FileResponse", "send_file", "send_from_directory", "StaticFiles"})


@dataclass
class RouteDraft:
    method: str
    path: str
    handler: str
    file: str
    line: int
    framework: str
    mounted_prefix: str = ""
    handler_fact: dict[str, Any] | None = None
    url_name: str | None = None
    kind: RouteKind = "http"
    auth: list[Evidence] = field(default_factory=list)
    role: list[Evidence] = field(default_factory=list)
    owner: list[Evidence] = field(default_factory=list)
    rate: list[Evidence] = field(default_factory=list)
    # a limiter on the path we could not read (a project function outside the reviewed paths)
    rate_unread: list[str] = field(default_factory=list)
    validate: list[Evidence] = field(default_factory=list)
    auth_unsafe: list[Evidence] = field(default_factory=list)
    open_notes: list[str] = field(default_factory=list)
    unknown_notes: list[str] = field(default_factory=list)
    # Something on the route's path is in a file we could not parse: no protection is `absent`.
    unreadable_notes: list[str] = field(default_factory=list)
    # refuses when called code raises, and what that code checks (roles, ownership) is unseen
    undecided_notes: list[str] = field(default_factory=list)
    reads_body: bool = False
    raw_unvalidated_line: int | None = None
    raw_passed_on: bool = False
    loads_by_id: bool = False
    responses: list[dict[str, Any]] = field(default_factory=list)
    signature_check: bool = False
    setup_guard: bool = False
    redirect_only: bool = False  # the handler only answers with a redirect
    serves_files: bool = False  # the handler answers with a file from disk

    # --- evidence ---------------------------------------------------------------------
    def apply(
        self,
        caps: Caps,
        kind: str,
        detail: str,
        *,
        file: str,
        line: int,
        level: str,
        keep_unknown: bool = True,
    ) -> None:
        def evidence(what: str) -> Evidence:
            text = detail if what in detail else f"{detail}: {what}"
            return Evidence(kind=kind, detail=text[:160], file=file, line=line, level=level)

        if caps.auth:
            self.auth.append(evidence(caps.auth))
        if caps.role:
            self.role.append(evidence(caps.role).model_copy(update={"kind": "role"}))
        if caps.owner:
            self.owner.append(evidence(caps.owner).model_copy(update={"kind": "ownership"}))
        if caps.rate:
            self.rate.append(evidence(caps.rate))
        if caps.validate:
            self.validate.append(evidence(caps.validate))
        if caps.auth_unsafe:
            self.auth_unsafe.append(evidence(caps.auth_unsafe))
        if caps.open:
            self.open_notes.append(f"explicitly public: {detail} ({file}:{line})")
        if caps.auth_soft:
            self.unknown_notes.append(
                f"{caps.auth_soft} identifies users but does not reject anonymous requests by "
                "itself"
            )
        if caps.unknown and keep_unknown:
            self.unknown_notes.append(f"{caps.unknown} comes from a package we cannot read")
        if caps.unreadable:
            self.unreadable_notes.append(f"{detail}: {caps.unreadable}")
        if caps.undecided:
            self.unknown_notes.append(f"{detail}: {caps.undecided}")
            self.undecided_notes.append(f"{detail}: {caps.undecided}")

    def apply_handler(
        self, fact: dict[str, Any], classifier: Classifier, modules: Modules, *, framework: str
    ) -> None:
        file, line = self.file, int(fact.get("line", self.line))
        for param in fact.get("params", []):
            if param.get("scopes"):
                self.role.append(
                    Evidence(
                        kind="role",
                        detail=f"Security scopes {', '.join(param['scopes'])}",
                        file=file,
                        line=line,
                        level="route",
                    )
                )
            for target in param.get("depends", []):
                short = target.rsplit(".", 1)[-1]
                self.apply(
                    classifier.classify(target),
                    "dependency",
                    f"Depends({short})",
                    file=file,
                    line=line,
                    level="route",
                )
            annotation = str(param.get("annotation") or "")
            resolved = modules.resolve(annotation) if "." in annotation else None
            unreadable = modules.unreadable_reason(annotation) if resolved is None else None
            if unreadable is not None:  # `user: CurrentUser` with the alias in an unparsed file
                self.unreadable_notes.append(f"{annotation.rsplit('.', 1)[-1]}: {unreadable}")
            elif resolved is not None and resolved.kind == "alias":
                short = annotation.rsplit(".", 1)[-1]
                self.apply(
                    classifier.classify(annotation),
                    "dependency",
                    short,
                    file=file,
                    line=line,
                    level="route",
                )
            elif framework == "fastapi" and not param.get("depends"):
                self._fastapi_param(param, resolved, modules, file, line)
        self.apply_decorators(fact.get("decorators", []), classifier, file, line)
        self.apply_body(
            fact.get("body", {}), classifier, modules, file, str(fact.get("qualname", ""))
        )

    def apply_decorators(
        self, decorators: list[dict[str, Any]], classifier: Classifier, file: str, line: int
    ) -> None:
        """What the decorators of a handler (or of the `dispatch` it runs through) demand."""
        for deco in decorators:
            short = deco.get("short", "")
            if short in ROUTE_DECORATORS or short in NOT_MECHANISMS:
                continue
            if short in ARG_DECORATORS:
                for arg in deco.get("args", []):
                    caps = classifier.classify(arg)
                    label = f"@{short}({short_name(arg)})"
                    if short == "throttle_classes" and not caps.rate:
                        caps.rate = arg.rsplit(".", 1)[-1]
                    self.apply(
                        caps,
                        "decorator",
                        label,
                        file=file,
                        line=int(deco.get("line", line)),
                        level="route",
                        keep_unknown=False,
                    )
                continue
            caps = classifier.classify(deco["name"], deco.get("strings"))
            self.apply(
                caps,
                "decorator",
                f"@{short}",
                file=file,
                line=int(deco.get("line", line)),
                level="route",
                keep_unknown=False,
            )

    def _delegated_views(
        self, calls: list[str], classifier: Classifier, modules: Modules, file: str
    ) -> None:
        """`return UpdateTicketView.as_view()(request, ...)`: a function view that hands the
        request to a class-based view is protected by what that class does."""
        for call in calls:
            if not call.endswith(".as_view"):
                continue
            cls = modules.resolve(call[: -len(".as_view")])
            if cls is None or cls.kind != "class":
                reason = modules.unreadable_reason(call)
                self.unknown_notes.append(
                    f"hands the request to {call.rsplit('.', 2)[-2]}"
                    + (f", in {reason}" if reason else ", a view we cannot read")
                )
                continue
            self.apply(
                classifier.class_caps(cls, 0),
                "view",
                f"delegates to {cls.name}",
                file=cls.file,
                line=int(cls.fact.get("line", 1)),
                level="handler",
            )

    def _verifying_helpers(self, calls: list[str], modules: Modules, qualname: str) -> None:
        """`verify_download_token(token=token, ...)`: a project helper the handler calls that
        verifies a credential (decodes a signed token, refuses with 401) authenticates the
        request, here a link signed for one download."""
        for callee in _called_functions(calls, modules, qualname):
            sub = callee.fact.get("body", {})
            # a decoded token counts when the helper refuses on its own (raises a refusal);
            # one whose errors the handler answers 404 or 500 is judged at the handler
            if (sub.get("jwt_decode") and sub.get("refuses")) or sub.get("auth_checks"):
                what = "verifies a signed token" if sub.get("jwt_decode") else "checks the caller"
                self.auth.append(
                    _handler_evidence(
                        "handler_check",
                        f"calls {callee.name}(), which {what}",
                        callee.file,
                        int(callee.fact.get("line", 1)),
                    )
                )
                return

    def limiting_helpers(self, calls: list[str], modules: Modules, depth: int = 0) -> None:
        """`_check_brute_force_limit(key)`: a project helper the handler calls that answers 429
        Too Many Requests limits the route; so does `check_rate_limit("login", request)`, a
        helper named for rate limiting that counts attempts in a store (its answer decides in
        the caller), and such a helper called from the `clean()` of a form the handler uses
        (`LoginForm.clean` -> `check_rate_limit(...)`)."""
        for callee in _called_functions(calls, modules):
            body = callee.fact.get("body", {})
            checks = body.get("rate_checks", [])
            if checks:
                detail, line = f"{callee.name}: {checks[0]['detail']}", int(checks[0]["line"])
            elif RATE_NAME.search(callee.name) and _counts_attempts(body.get("calls", [])):
                detail, line = f"{callee.name}() counts attempts", int(callee.fact.get("line", 1))
            else:
                continue
            self.rate.append(_handler_evidence("limiter", detail, callee.file, line))
            return
        for call in calls[:40]:
            name = call.rsplit(".", 1)[-1]
            if (
                RATE_NAME.search(name)
                and modules.resolve(call) is None
                and (modules.is_project_name(call) or _in_project_package(call, modules))
            ):
                self.rate_unread.append(
                    f"calls {name}(), a project function outside the reviewed files"
                )
        if depth:
            return
        for call in calls[:40]:
            form = modules.resolve(call)
            if form is None or form.kind != "class" or not form.name.endswith("Form"):
                continue
            for hook in ("clean", "__init__", "is_valid"):
                method = modules.method(form, hook)
                if method is not None:
                    self.limiting_helpers(
                        method.fact.get("body", {}).get("calls", []), modules, depth + 1
                    )
                    if self.rate:
                        return

    def _guard_calls(self, guards: list[dict[str, Any]], modules: Modules, file: str) -> None:
        """`if not can_edit(post): abort(403)`: the project predicate counts by what it reads.
        One that looks at the caller authenticates; one that also compares roles or the
        record's owner authorises."""
        for guard in guards:
            callee = modules.resolve(str(guard.get("call", "")))
            if callee is None and "auth" in (known(str(guard.get("call", ""))) or ()):
                # a library predicate of the caller (starlette's has_required_scope)
                self.auth.append(
                    _handler_evidence(
                        "handler_check", str(guard["detail"]), file, int(guard["line"])
                    )
                )
                continue
            if callee is None or callee.kind != "function":
                continue
            sub = callee.fact.get("body", {})
            flags = set(sub.get("reads_flags", []))
            reads_caller = bool(flags & {"caller", "auth", "role"} or sub.get("auth_checks"))
            decides_on_caller = bool(guard.get("caller_and_record"))
            if not (reads_caller or decides_on_caller):
                continue

            prefix = f"{guard['detail']} -> {callee.name}"
            line = int(guard["line"])
            self.auth.append(
                _handler_evidence("handler_check", f"{prefix} reads the caller", file, line)
            )
            if "role" in flags or sub.get("role_checks"):
                self.role.append(_handler_evidence("role", f"{prefix} checks a role", file, line))
            elif decides_on_caller and not sub.get("owner_checks"):
                # the project decides whether this caller may act on this record, and refuses
                # otherwise: a permission on the record (workspace manager, event organiser)
                self.role.append(
                    _handler_evidence(
                        "role",
                        f"{prefix} decides the caller's permission on the record",
                        file,
                        line,
                    )
                )
            if sub.get("owner_checks"):
                self.owner.append(
                    _handler_evidence("ownership", f"{prefix} checks the owner", file, line)
                )

    def _fastapi_param(
        self, param: dict[str, Any], resolved: Symbol | None, modules: Modules, file: str, line: int
    ) -> None:
        annotation = str(param.get("annotation") or "")
        short = annotation.rsplit(".", 1)[-1]
        if not annotation or short.endswith(NOT_SCHEMAS):
            return
        if annotation in SCALARS or short in SCALARS:
            self.validate.append(
                Evidence(
                    kind="schema",
                    detail=f"typed parameter {param['name']}: {short}",
                    file=file,
                    line=line,
                    level="route",
                )
            )
            return
        if resolved is not None and resolved.kind == "class":
            if is_schema_class(modules, resolved):
                self.validate.append(
                    Evidence(
                        kind="schema",
                        detail=f"body model {short}",
                        file=file,
                        line=line,
                        level="route",
                    )
                )
            return
        if resolved is None and short[:1].isupper():
            # a model from a package we cannot read: FastAPI validates whatever it is given
            self.validate.append(
                Evidence(
                    kind="schema",
                    detail=f"typed parameter {param['name']}: {short}",
                    file=file,
                    line=line,
                    level="route",
                )
            )

    def apply_body(
        self,
        body: dict[str, Any],
        classifier: Classifier,
        modules: Modules,
        file: str,
        qualname: str = "",
    ) -> None:
        # Evidence the handler's own body gives: (summary key, evidence kind, where it counts).
        for key, kind, bucket in (
            ("auth_checks", "handler_check", self.auth),
            ("role_checks", "role", self.role),
            ("owner_checks", "ownership", self.owner),
            ("validation", "schema", self.validate),
            ("rate_checks", "limiter", self.rate),
        ):
            for check in body.get(key, [])[:2]:
                bucket.append(
                    Evidence(
                        kind=kind,
                        detail=str(check["detail"])[:160],
                        file=file,
                        line=int(check["line"]),
                        level="handler",
                    )
                )
        self._guard_calls(body.get("guard_calls", []), modules, file)
        if not (self.role or self.owner):
            # require_access(request, record): a helper of the project refuses in its own body
            for helper in _called_functions(body.get("calls", []), modules, qualname):
                guards = helper.fact.get("body", {}).get("guard_calls", [])
                if guards:
                    self._guard_calls(guards, modules, helper.file)
        if not (self.auth or self.role):
            self._verifying_helpers(body.get("calls", []), modules, qualname)
        if not (self.auth or self.role) or not (self.role or self.owner):
            guards = body.get("exception_guards", [])
            self.apply(
                classifier.exception_guards(body, file, 0, qualname),
                "handler_check",
                "handler",
                file=file,
                line=int(guards[0]["line"]) if guards else self.line,
                level="handler",
            )
        if not self.rate:
            self.limiting_helpers(body.get("calls", []), modules)
        self._delegated_views(body.get("calls", []), classifier, modules, file)
        for callee in body.get("handoffs", []):
            package = _package_callee(callee, modules)
            if package is not None and not package.startswith(FRAMEWORK_PACKAGES):
                self.unknown_notes.append(
                    f"the request is handed to {package}, which may authenticate it"
                )
        calls = body.get("calls", [])
        redirects = [call for call in calls if call.rsplit(".", 1)[-1] in REDIRECTS]
        self.redirect_only = bool(redirects) and all(
            call in redirects or call.endswith(tuple(_CONFIG_READS)) for call in calls
        )
        self.serves_files = any(call.rsplit(".", 1)[-1] in FILE_RESPONSES for call in calls)
        body_reads = [r for r in body.get("raw_reads", []) if r.get("kind") == "body"]
        if body_reads:
            self.reads_body = True
            unvalidated_line = (
                body.get("raw_use_line") if body.get("raw_body_unvalidated") else None
            )
            validated_by_schema = False
            for construct in body.get("raw_constructs", []):
                target = modules.resolve(str(construct.get("callee", "")))
                if target is None or target.kind != "class":
                    continue  # a class we cannot see: it may well be a schema
                if is_schema_class(modules, target):
                    validated_by_schema = True
                elif unvalidated_line is None:
                    unvalidated_line = int(construct.get("line", 1))  # Model(**request.json)
            if unvalidated_line is not None and not validated_by_schema:
                self.raw_unvalidated_line = int(unvalidated_line)
            elif not body.get("validation") and not validated_by_schema:
                # handed whole to a helper, or fields only used for lookups: cannot tell
                self.raw_passed_on = True
            if validated_by_schema:
                self.validate.append(
                    Evidence(
                        kind="schema",
                        detail="schema built from the request body",
                        file=file,
                        line=int(body_reads[0]["line"]),
                        level="handler",
                    )
                )
        params = path_params(self.path)
        for load in body.get("id_loads", []):
            if load.get("param") not in params:
                continue
            if load.get("orm"):
                self.loads_by_id = True
                continue
            callee = modules.resolve(str(load.get("callee", "")))
            if callee is not None and callee.kind == "function":
                sub = callee.fact.get("body", {})
                if sub.get("owner_checks"):
                    self.owner.append(
                        Evidence(
                            kind="ownership",
                            detail=f"{callee.name}: {sub['owner_checks'][0]['detail']}"[:160],
                            file=callee.file,
                            line=int(sub["owner_checks"][0]["line"]),
                            level="handler",
                        )
                    )
                elif any(inner.get("orm") for inner in sub.get("id_loads", [])):
                    self.loads_by_id = True
        self.responses.extend(body.get("responses", []))
        self.signature_check = self.signature_check or bool(body.get("signature_check"))
        self.setup_guard = self.setup_guard or bool(body.get("setup_guard"))

    # --- result -------------------------------------------------------------------------
    def to_route(self) -> Route:
        return Route(
            kind=self.kind,
            method=self.method,
            path=self.path,
            handler=self.handler,
            file=self.file,
            line=self.line,
            framework=self.framework,
            mounted_prefix=self.mounted_prefix,
            auth=self._auth(),
            authz=self._authz(),
            validation=self._validation(),
            rate_limit=(
                _present(self.rate)
                if self.rate
                else Protection(status="unknown", note=self.rate_unread[0])
                if self.rate_unread
                else self._absent()
            ),
            reads_request_data=self.reads_body,
            loads_by_id=self.loads_by_id,
        )

    def _auth(self) -> Protection:
        evidence = [*self.auth, *self.role]
        if not evidence and self.method in UNSAFE_METHODS:
            evidence = list(self.auth_unsafe)
        if evidence:
            return _present(evidence)
        if self.open_notes:
            return Protection(status="absent", note=self.open_notes[0])
        if self.unknown_notes:
            return Protection(status="unknown", note=self.unknown_notes[0])
        if self.auth_unsafe and not self.unreadable_notes:
            return Protection(status="absent", note="read-only access is open to anonymous users")
        return self._absent()

    def _authz(self) -> Protection:
        if self.role or self.owner:
            return _present([*self.role, *self.owner])
        if self.undecided_notes:
            return Protection(status="unknown", note=self.undecided_notes[0])
        if not (self.auth or self.auth_unsafe) and self.unknown_notes:
            return Protection(status="unknown", note=self.unknown_notes[0])
        return self._absent()

    def _absent(self) -> Protection:
        """`absent`, or `unknown` naming the unparsed file when something on the path is in
        one: absence is a claim that everything on the path was read."""
        if self.unreadable_notes:
            return Protection(status="unknown", note=self.unreadable_notes[0])
        return Protection(status="absent")

    def _validation(self) -> Protection:
        # a decorator that validates the body (`@api.validate(model)`, `@use_args(Schema)`) runs
        # before the handler, so the handler's own read of the body is of a checked payload
        decorated = [e for e in self.validate if e.kind == "decorator"]
        if self.raw_unvalidated_line is not None and not decorated:
            return Protection(
                status="absent",
                note=f"raw request body used without a schema (line {self.raw_unvalidated_line})",
            )
        if self.validate:
            return _present(self.validate)
        if self.raw_passed_on:
            return Protection(
                status="unknown",
                note="raw request body read but not stored as-is (handed to a helper or used "
                "for lookups); cannot tell if it is validated",
            )
        return Protection(status="absent", note="no request body read")


def _package_callee(callee: str, modules: Modules) -> str | None:
    """The package callable a call reaches: itself when it is not project code, or the class
    of a module-level object built from a package (`slack_handler = SlackRequestHandler(app)`
    then `slack_handler.handle(req)`). None for project code."""
    symbol = modules.resolve(callee)
    if symbol is None:
        return None if modules.is_project_name(callee) else callee
    if symbol.kind == "object":
        made_by = str(symbol.fact.get("call", ""))
        if made_by and modules.resolve(made_by) is None and not modules.is_project_name(made_by):
            return made_by
    return None


# Store operations a rate limiter counts attempts with (cache.get/set/incr, redis expire).
_COUNTER_CALLS = re.compile(r"(^|\.)(get|set|incr|incr_version|add|expire|setex|hit|increment)$")


# ... or hands the counting to a limiter: RateLimitHttpRequest(...).is_limit_exceeded()
_LIMITER_CALLS = re.compile(r"limit|throttl|exceeded|attempts", re.IGNORECASE)


def _in_project_package(qualified: str, modules: Modules) -> bool:
    """`weblate.utils.ratelimit.check_rate_limit` when weblate/accounts is reviewed: a module
    of the project's own package left out of the reviewed paths."""
    head = qualified.split(".", 1)[0]
    return "." in qualified and any(name.split(".", 1)[0] == head for name in modules.by_name)


def _counts_attempts(calls: list[str]) -> bool:
    counted = sum(1 for call in calls if _COUNTER_CALLS.search(call)) >= 2
    return counted or any(_LIMITER_CALLS.search(call.rsplit(".", 1)[-1]) for call in calls)


def _called_functions(calls: list[str], modules: Modules, qualname: str = "") -> Iterator[Symbol]:
    """The project functions among the first calls a body makes (not the function itself),
    resolved one at a time: the callers stop at the first that answers."""
    for call in calls[:40]:
        found = modules.resolve(call)
        if found is not None and found.kind == "function" and found.name != qualname:
            yield found


def _handler_evidence(kind: str, detail: str, file: str, line: int) -> Evidence:
    return Evidence(kind=kind, detail=detail[:160], file=file, line=line, level="handler")


def _present(evidence: list[Evidence]) -> Protection:
    unique: list[Evidence] = []
    seen: set[str] = set()
    for item in evidence:
        if item.detail not in seen:
            seen.add(item.detail)
            unique.append(item)
    return Protection(status="present", evidence=unique[:4])
