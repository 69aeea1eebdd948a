"""What a function body does, summarised symbolically for the linker.

The summary answers the route-level questions without other files: does the body read raw
request data and use it without a schema, load a record by an id parameter, check the caller
(401), a role (403, is_staff, role == ...), or ownership (owner_id == user.id), and which
response shapes it returns. The linker combines it with dependencies and decorators.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from mcp_backend.review.python.frameworks._ast import (
    Imports,
    const_str,
    dotted,
    keyword,
    last_name,
    preorder,
    returns_none,
    source_text,
)

# Raw request data: attribute on the request object -> 'body' or 'query'.
RAW_ATTRIBUTES: dict[str, str] = {
    "json": "body",
    "get_json": "body",
    "form": "body",
    "data": "body",
    "values": "body",
    "POST": "body",
    "body": "body",
    "post": "body",
    "text": "body",
    "args": "query",
    "GET": "query",
    "query_params": "query",
    "query": "query",
}
REQUEST_NAMES = frozenset({"request", "req", "self.request"})
VALIDATE_METHODS = frozenset(
    {
        "is_valid",
        "validate_on_submit",
        "validate",
        "model_validate",
        "model_validate_json",
        "parse_obj",
        "parse_raw",
        "validate_python",
        "validate_json",
        "load",
    }
)
SCHEMA_NAME_SUFFIXES = (
    "Schema",
    "Serializer",
    "Form",
    "In",
    "Create",
    "Update",
    "Payload",
    "Request",
    "Body",
    "Input",
    "Params",
    "Command",
    "DTO",
    "Dto",
)
NOT_RECORDS = frozenset(
    {"HTTPException", "JSONResponse", "Response", "JsonResponse", "ValueError", "KeyError"}
)
STORE_METHODS = frozenset(
    {
        "create",
        "update",
        "insert",
        "insert_one",
        "insert_many",
        "update_one",
        "update_many",
        "bulk_create",
        "get_or_create",
        "update_or_create",
        "save",
    }
)
NOT_PARSERS = ("json.", "yaml.", "pickle.", "marshal.", "orjson.", "ujson.")

ID_PARAM = re.compile(r"^(id|pk|uuid|[a-z0-9_]*_(id|pk|uuid))$")
OWNER_ATTR = re.compile(
    r"(?:\.|\[['\"])(owner|owner_id|user|user_id|author|author_id|created_by|created_by_id|"
    r"account_id|tenant_id|customer_id|customer|profile_id|member_id|organization_id|org_id)"
    r"(?:\b|['\"]\])"
)
OWNER_KEYS = frozenset(
    {
        "owner",
        "owner_id",
        "user",
        "user_id",
        "author",
        "author_id",
        "created_by",
        "created_by_id",
        "account",
        "account_id",
        "tenant",
        "tenant_id",
        "customer",
        "customer_id",
        "profile_id",
        "member_id",
        "organization_id",
        "org_id",
        # the caller's tenant (organization=request.user.active_organization)
        "organization",
        "org",
        "team",
        "team_id",
        "workspace",
        "workspace_id",
    }
)
USER_REF = re.compile(
    r"(current_user|request\.user|g\.user|\buser\b|\buser\.|\bme\b|identity|"
    r"get_jwt_identity|principal|caller|session\[|"
    # user_id=_get_request_user_id(request): a helper that reads the caller off the request
    r"\w*user\w*\((self\.)?(request|req)\b)"
)
ROLE_WORDS = re.compile(
    r"(is_superuser|is_staff|is_admin|\.role\b|\.roles\b|has_perm|has_perms|has_role|"
    r"has_permission|\.permissions\b|\.scopes\b|\.groups\b|\badmin\b|\bADMIN\b|Role\.|"
    # a permission scoped to a resource: user.has_event_permission(org, event)
    r"has_\w+_perm(ission)?s?\b)"
)
SCOPED_PERMISSION = re.compile(r"has_\w+_perm(ission)?s?")
# a Flask-Principal permission for administrators: admin_permission, AdminPermission()
ADMIN_PERMISSION = re.compile(r"(?i)\b(admin|superuser|staff)_?permission\b")


def _object_permission(call: ast.Call) -> bool:
    """`CertificatePermission(owner_role, roles)`: a permission class built from arguments."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return name.endswith("Permission") and bool(call.args or call.keywords)


AUTH_WORDS = re.compile(
    r"(is_authenticated|is_anonymous|current_user|g\.user|\bin session\b|"
    r"session\.get\(['\"](user|uid|account)|session\[['\"](user|uid|account)|"
    r"Authorization|authorization)"
)
# `if user is None:` / `if not token:` are auth checks only when the branch answers 401 or
# sends the caller to the login page (a 404 for a missing record is not authentication).
WEAK_AUTH_WORDS = re.compile(
    r"(\buser\b|\buser_id\b|\btoken\b|\bclaims\b|\bpayload\b|\bsession\b|\bidentity\b)"
)
UNAUTHENTICATED_EXIT = re.compile(
    r"(401|UNAUTHORIZED|Unauthorized|NotAuthenticated|login|unauthenticated|"
    r"not[ _]?(authenticated|logged[ _]?in|signed[ _]?in)|authentication[ _]required|"
    r"(no|invalid|missing|bad|expired)_?(token|credentials|auth|session))",
    re.IGNORECASE,
)
# A branch that refuses the caller: 401/403 in any spelling, or off to the login page.
BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException"})
REFUSAL_EXCEPTION = re.compile(
    r"(NotAuthori[sz]ed|Unauthori[sz]ed|Forbidden|PermissionDenied|AccessDenied|"
    r"NotAuthenticated|NotPermitted|NotAllowed|AuthenticationFailed|"
    r"Credentials?NotValid|InvalidCredentials|"
    # a token or signature that does not verify (jwt, itsdangerous)
    r"InvalidToken|ExpiredSignature|InvalidSignature|BadSignature|SignatureExpired)"
)
DENYING_EXIT = re.compile(
    r"(401|403|UNAUTHORIZED|Unauthorized|FORBIDDEN|Forbidden|NotAuthenticated|PermissionDenied|"
    r"AccessDenied|login)"
)
OWNER_HELPERS = re.compile(
    r"(check_object_permissions|has_object_permission|ensure_owner|assert_owner|check_owner|"
    r"require_owner|can_access|can_edit|can_view|authorize|is_owner|owned_by)",
    re.IGNORECASE,
)
SIGNATURE_CALLS = re.compile(
    r"(compare_digest|construct_event|verify_signature|verify_webhook|validate_signature|"
    r"check_signature|verify_header|webhook_signature|signature)",
    re.IGNORECASE,
)
# Expressions that are the caller: request.user, g.user["id"], current_user.id, user.id.
CALLER_ROOT = re.compile(
    r"^(self\.)?(request\.user|g\.user|current_user|user|me|identity|principal|caller|"
    r"auth\.user|info\.context\.user)\b|^session\[|^get_jwt_identity\(\)"
)
_FOREIGN_KEY = re.compile(r"\.\w+_id$")
_OWN_ID = re.compile(r"\.(id|pk)$")
USER_SCOPED_QUERY = re.compile(
    r"^(self\.)?(request\.user|current_user|g\.user|user)\.\w+(\.objects)?\.(all|filter|get|"
    r"select_related|prefetch_related|exclude)$"
)
ORM_LOOKUPS = frozenset(
    {
        "get",
        "get_or_404",
        "first_or_404",
        "get_object_or_404",
        "get_list_or_404",
        "filter",
        "filter_by",
        "where",
        "find_one",
        "find_by_id",
        "get_by_id",
        "delete",
        "update",
        "fetchrow",
        "fetch_one",
        "execute",
        "scalar",
        "scalars",
    }
)
# "Is the app already set up?": a first-run endpoint that refuses afterwards is public on purpose.
SETUP_DONE = re.compile(
    r"(setup|set_up|installed|initiali[sz]ed|bootstrapped|onboarded|first_run|has_users|"
    r"any_users|users?_exist|admin_exists|count_users|users?\.count|User\.objects\.exists)",
    re.IGNORECASE,
)
# Calls that take the request without judging it: responses and templates render it.
NOT_HANDOFFS = ("Response", "render", "render_template", "redirect", "url_for", "reverse")
JWT_DECODE = re.compile(r"(jwt\.decode|decode_token|decode_access_token|verify_jwt|verify_token)")
NOT_LOADERS = frozenset(
    {
        "str",
        "int",
        "len",
        "print",
        "format",
        "repr",
        "abort",
        "HTTPException",
        "jsonify",
        "url_for",
        "redirect",
        "reverse",
        "info",
        "debug",
        "warning",
        "error",
        "exception",
        "append",
        "JSONResponse",
        "Response",
        "JsonResponse",
        "dict",
        "isinstance",
    }
)


# Query methods that keep only the rows their conditions match.
_SCOPING_FILTERS = frozenset({"filter", "filter_by"})  # not exclude(): everyone else


def _call_of_the_caller(value: ast.expr) -> bool:
    """`Domain.objects.get_for_admin(self.request.user)`: a call handed the caller."""
    return isinstance(value, ast.Call) and any(
        USER_REF.search(source_text(arg))
        for arg in [*value.args, *(k.value for k in value.keywords)]
    )


def _owner_key(key: str) -> bool:
    """`owner`, `user_id`, and Django lookups through relations such as `project__owner`."""
    return any(part in OWNER_KEYS for part in key.split("__"))


# Calls that run the function they are given (a thread pool, an executor, a partial).
RUNS_A_FUNCTION = frozenset(
    {"run_in_threadpool", "to_thread", "run_sync", "run_in_executor", "partial", "submit"}
)


def status_code(node: ast.AST | None) -> int | None:
    """`404`, `status.HTTP_404_NOT_FOUND`, `HTTPStatus.NOT_FOUND` (by name) -> int."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    name = dotted(node) or ""
    match = re.search(r"_(\d{3})(_|$)", name)
    if match:
        return int(match.group(1))
    named = {
        "UNAUTHORIZED": 401,
        "FORBIDDEN": 403,
        "NOT_FOUND": 404,
        "BAD_REQUEST": 400,
        "CONFLICT": 409,
        "UNPROCESSABLE_ENTITY": 422,
        "INTERNAL_SERVER_ERROR": 500,
        "OK": 200,
        "CREATED": 201,
    }
    return named.get(name.rsplit(".", 1)[-1])


def _raised_status(call: ast.Call) -> int | None:
    """Status of HTTPException(403)/abort(401)/PermissionDenied()/Response(status=401)."""
    name = last_name(call.func)
    if name in {"PermissionDenied", "Forbidden", "HTTPForbidden"}:
        return 403
    if name in {
        "NotAuthenticated",
        "AuthenticationFailed",
        "Unauthorized",
        "HTTPUnauthorized",
        # the exception a project raises for a failed authentication
        "AuthError",
        "AuthenticationError",
        "Unauthenticated",
        "UnauthorizedError",
    }:
        return 401
    for key in ("status_code", "status", "code"):
        found = status_code(keyword(call, key))
        if found:
            return found
    if name in {"HTTPException", "abort", "HTTPError", "APIException"} and call.args:
        return status_code(call.args[0])
    responses = {"JSONResponse", "Response", "JsonResponse", "json_response", "make_response"}
    if name in responses and len(call.args) > 1:
        return status_code(call.args[1])
    return None


def _refusal_status(call: ast.Call, refusals: set[int], by_class: bool) -> int | None:
    """The refusing status an except clause answers with. After an exception that is a
    refusal by its class, a project helper given the status (`_finish(403, body)`) counts."""
    found = _raised_status(call)
    if found in refusals:
        return found
    if by_class and call.args:
        found = status_code(call.args[0])
        if found in refusals:
            return found
    return None


def _dict_keys(node: ast.AST | None) -> list[str] | None:
    if isinstance(node, ast.Dict):
        keys = [key for k in node.keys if k is not None and (key := const_str(k)) is not None]
        return sorted(keys) if len(keys) == len(node.keys) else None
    if isinstance(node, ast.Call) and last_name(node.func) == "dict" and not node.args:
        return sorted(kw.arg for kw in node.keywords if kw.arg)
    return None


def _response_shape(value: ast.AST | None) -> dict[str, Any] | None:
    """A JSON response built from a dict literal: its top-level keys and status."""
    status: int | None = None
    if isinstance(value, ast.Tuple) and len(value.elts) >= 2:
        status = status_code(value.elts[1])
        value = value.elts[0]
    if isinstance(value, ast.Call):
        name = last_name(value.func)
        if name in {"jsonify", "JSONResponse", "Response", "JsonResponse", "json_response"}:
            status = status or _raised_status(value)
            content = keyword(value, "content") or keyword(value, "data")
            if content is None and value.args:
                content = value.args[0]
            if content is None and name == "jsonify" and value.keywords:
                return {"keys": sorted(kw.arg for kw in value.keywords if kw.arg), "status": status}
            value = content
    keys = _dict_keys(value)
    if keys is None:
        return None
    return {"keys": keys, "status": status}


class _BodyVisitor:
    def __init__(
        self,
        fn: ast.FunctionDef | ast.AsyncFunctionDef,
        imports: Imports,
        local_names: frozenset[str],
    ) -> None:
        self.imports = imports
        self.local_names = local_names
        self.params = {a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)}
        self.request_names = set(REQUEST_NAMES)
        self.object_permissions: set[str] = set()  # names holding a Permission(record...)
        for arg in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs):
            annotation = source_text(arg.annotation) if arg.annotation else ""
            if annotation.endswith(("Request", "HttpRequest")):
                self.request_names.add(arg.arg)
        self.raw_names: set[str] = set()  # hold the whole raw body
        self.field_names: set[str] = set()  # hold one field of it
        self.raw_reads: list[dict[str, Any]] = []
        self.raw_stores: list[int] = []  # raw data written into a record / spread into a call
        self.raw_validated = False
        self.raw_constructs: list[dict[str, Any]] = []  # Class(field=raw[...]) / Class(**raw)
        self.raw_passed_on = False
        self.validation: list[dict[str, Any]] = []
        self.auth_checks: list[dict[str, Any]] = []
        self.role_checks: list[dict[str, Any]] = []
        self.owner_checks: list[dict[str, Any]] = []
        self.id_loads: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.statuses: set[int] = set()
        self.rate_checks: list[dict[str, Any]] = []
        self.signature_check = False
        self.setup_guard = False  # refuses once the app is set up (first-run endpoints)
        self.jwt_decode = False
        self.method_checks: set[str] = set()
        self.reads_flags: set[str] = set()  # 'auth' / 'role' / 'caller' read anywhere
        # `if not can(user, post): abort(403)`: project predicates a denying branch relies on
        self.guard_calls: list[dict[str, Any]] = []
        self.caller_names: set[str] = set()  # locals holding the caller or one of its fields
        # locals a call computed from the caller: domains = Domain.objects.get_for_admin(user)
        self.caller_derived: set[str] = set()
        self.handoffs: list[str] = []  # callees handed the request or its Authorization header
        # `try: check_access(...) except NotAuthorized: abort(403)`: the calls in the try
        # decide, and a refusal they raise is answered with 401/403
        self.exception_guards: list[dict[str, Any]] = []
        # `return oauth2_authentication`: module-level functions handed back, not called (a
        # provider factory that picks the dependency by configuration)
        self.returned_refs: list[str] = []
        # raises a refusal of its own: `raise CredentialsNotValid(...)`, `raise PermissionDenied`
        self.refuses = False
        self._bound_here: set[str] | None = None  # names the function binds itself, on demand
        self._fn = fn

    # --- raw request data -------------------------------------------------------------
    def _raw_kind(self, node: ast.AST) -> str | None:
        """'body'/'query' when node reads raw request data (request.json, await request.json())."""
        if isinstance(node, ast.Await):
            node = node.value
        if isinstance(node, ast.Call):
            if last_name(node.func) in {"loads"} and node.args:
                return self._raw_kind(node.args[0])
            node = node.func
        if isinstance(node, ast.Attribute) and node.attr in RAW_ATTRIBUTES:
            base = dotted(node.value)
            if base in self.request_names:
                return RAW_ATTRIBUTES[node.attr]
        return None

    def _is_raw(self, node: ast.AST) -> bool:
        """The whole raw body: `request.json`, `data = request.get_json()`, `data or {}`."""
        if isinstance(node, ast.Name):
            return node.id in self.raw_names
        if isinstance(node, ast.BoolOp):
            return any(self._is_raw(v) for v in node.values)
        return self._raw_kind(node) == "body"

    def _is_field(self, node: ast.AST) -> bool:
        """One field of the raw body: `data["title"]`, `request.form.get("x")`, or a name
        holding one."""
        if isinstance(node, ast.Name):
            return node.id in self.field_names
        if isinstance(node, ast.Subscript):
            return self._is_raw_or_field(node.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return node.func.attr == "get" and self._is_raw_or_field(node.func.value)
        if isinstance(node, ast.BoolOp):
            return any(self._is_field(v) for v in node.values)
        return False

    def _is_raw_or_field(self, node: ast.AST) -> bool:
        return self._is_raw(node) or self._is_field(node)

    def _of_the_caller(self, value: ast.expr) -> bool:
        """The value names the caller or something computed from the caller."""
        if USER_REF.search(source_text(value)):
            return True
        known = self.caller_names | self.caller_derived
        return any(isinstance(n, ast.Name) and n.id in known for n in ast.walk(value))

    def visit_Assign(self, node: ast.Assign) -> None:
        whole, field = self._is_raw(node.value), self._is_field(node.value)
        from_caller = bool(CALLER_ROOT.match(source_text(node.value)))
        for target in node.targets:
            if (
                isinstance(target, ast.Name)
                and isinstance(node.value, ast.Call)
                and _object_permission(node.value)
            ):
                self.object_permissions.add(target.id)
            if isinstance(target, ast.Name) and from_caller:
                self.caller_names.add(target.id)  # email = self.request.user.email
            elif isinstance(target, ast.Name) and _call_of_the_caller(node.value):
                self.caller_derived.add(target.id)
            if isinstance(target, ast.Name):
                if whole:
                    self.raw_names.add(target.id)
                elif field:
                    self.field_names.add(target.id)
            elif isinstance(target, ast.Attribute | ast.Subscript) and (whole or field):
                self.raw_stores.append(node.lineno)  # order.status = data["status"]

    def visit_For(self, node: ast.For) -> None:
        source = node.iter
        if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute):
            source = source.func.value if source.func.attr in {"items", "values"} else source
        if self._is_raw_or_field(source):
            for name in ast.walk(node.target):
                if isinstance(name, ast.Name):
                    self.field_names.add(name.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if "caller" not in self.reads_flags and CALLER_ROOT.match(source_text(node)):
            self.reads_flags.add("caller")
        if node.attr in {"is_authenticated", "is_anonymous"}:
            self.reads_flags.add("auth")
        elif node.attr in {"is_staff", "is_superuser", "is_admin", "role", "roles", "groups"}:
            self.reads_flags.add("role")
        kind = self._raw_kind(node)
        if kind:
            self.raw_reads.append({"what": source_text(node), "kind": kind, "line": node.lineno})

    # --- checks -----------------------------------------------------------------------
    def visit_Compare(self, node: ast.Compare) -> None:
        text = source_text(node)
        sides = [source_text(node.left), *(source_text(c) for c in node.comparators)]
        if ROLE_WORDS.search(text):
            self.role_checks.append({"detail": text[:120], "line": node.lineno})
        records = [x for x in sides if OWNER_ATTR.search(x) and not CALLER_ROOT.match(x)]
        callers = [x for x in sides if CALLER_ROOT.match(x)]
        # ticket.reporter_id != info.context.user.id: any foreign key of the record held
        # against the caller's own id is an owner field, whatever the app named it
        keyed = [x for x in sides if _FOREIGN_KEY.search(x) and not CALLER_ROOT.match(x)]
        if keyed and any(_OWN_ID.search(x) for x in callers):
            records = records or keyed
        if records and callers:
            # order.owner_id != current_user.id: the record's owner field against the caller
            self.owner_checks.append({"detail": text[:120], "line": node.lineno})
        self._note_id_compare(node)
        if source_text(node.left).endswith(".method"):
            for comparator in node.comparators:
                for item in [comparator, *getattr(comparator, "elts", [])]:
                    verb = const_str(item)
                    if verb and verb.upper() in {"POST", "PUT", "PATCH", "DELETE", "GET"}:
                        self.method_checks.add(verb.upper())

    def _note_id_compare(self, node: ast.Compare) -> None:
        for side in (node.left, *node.comparators):
            if isinstance(side, ast.Name) and side.id in self.params and ID_PARAM.match(side.id):
                other = [s for s in (node.left, *node.comparators) if s is not side]
                if any(isinstance(o, ast.Attribute) for o in other):
                    self.id_loads.append(
                        {
                            "detail": source_text(node)[:120],
                            "param": side.id,
                            "line": node.lineno,
                            "orm": True,
                            "callee": "",
                        }
                    )

    def visit_If(self, node: ast.If) -> None:
        if self.field_names and any(
            isinstance(n, ast.Name) and n.id in self.field_names for n in ast.walk(node.test)
        ):
            # `if not title: error = "Title is required."`: checked by hand before use
            self.raw_validated = True
            self.validation.append({"detail": "checked in an if", "line": node.lineno})
        test = source_text(node.test)
        exit_statements = [
            s
            for s in node.body
            if isinstance(s, ast.Raise | ast.Return)
            or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call))
        ]
        exits = bool(exit_statements)
        # `if authorization is None: return None`: an optional credential handed on as None
        # turns nobody away
        passes_none = all(returns_none(s) for s in exit_statements)
        if (
            exits
            and not passes_none
            and (
                AUTH_WORDS.search(test)
                or (
                    WEAK_AUTH_WORDS.search(test)
                    and UNAUTHENTICATED_EXIT.search("\n".join(source_text(s) for s in node.body))
                )
            )
        ):
            self.auth_checks.append({"detail": f"if {test[:100]}", "line": node.lineno})
        if exits and ROLE_WORDS.search(test):
            self.role_checks.append({"detail": f"if {test[:100]}", "line": node.lineno})
        if exits and SETUP_DONE.search(test):
            self.setup_guard = True
        if exits and DENYING_EXIT.search("\n".join(source_text(s) for s in node.body)):
            for call in ast.walk(node.test):
                if isinstance(call, ast.Call) and len(self.guard_calls) < 5:
                    qualified = self.imports.qualify(call.func, self.local_names)
                    if qualified:
                        arguments = [*call.args, *(k.value for k in call.keywords)]
                        self.guard_calls.append(
                            {
                                "call": qualified,
                                "detail": f"if {test[:100]}",
                                "line": node.lineno,
                                # can_manage(request.user, installation): a decision about
                                # this caller and this record
                                "caller_and_record": len(arguments) >= 2
                                and any(USER_REF.search(source_text(a)) for a in arguments),
                            }
                        )

    def visit_Try(self, node: ast.Try) -> None:
        for handler in node.handlers:
            caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            names = [last_name(c) for c in caught if isinstance(c, ast.Name | ast.Attribute)]
            # a catch-all refusing with 403 says nothing about who is refused
            if not names or any(n in BROAD_EXCEPTIONS for n in names):
                continue
            # a refusal answered 404 hides the record; it counts when what was caught is a
            # refusal by its class (except (NotFound, NotAuthorized): abort(404))
            refusals = (
                {401, 403, 404} if any(REFUSAL_EXCEPTION.search(n) for n in names) else {401, 403}
            )
            status = next(
                (
                    found
                    for inner in preorder(handler.body)
                    if isinstance(inner, ast.Call)
                    and (found := _refusal_status(inner, refusals, len(refusals) > 2)) is not None
                ),
                None,
            )
            if status is None or len(self.exception_guards) >= 5:
                continue
            calls: list[str] = []
            for inner in preorder(node.body):
                if isinstance(inner, ast.Call):
                    qualified = self.imports.qualify(inner.func, self.local_names)
                    if qualified and qualified not in calls and len(calls) < 10:
                        calls.append(qualified)
            if calls:
                self.exception_guards.append(
                    {
                        "calls": calls,
                        "detail": f"except {'/'.join(names)}: {status}",
                        "status": status,
                        "line": handler.lineno,
                    }
                )

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if exc is not None and REFUSAL_EXCEPTION.search(last_name(exc)):
            self.refuses = True

    def visit_Return(self, node: ast.Return) -> None:
        if isinstance(node.value, ast.Name | ast.Attribute) and len(self.returned_refs) < 8:
            if self._bound_here is None:
                # a nested def or a local is not the module-level function of that name
                self._bound_here = set(self.params) | {
                    n.name if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) else n.id
                    for n in ast.walk(self._fn)
                    if (isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n is not self._fn)
                    or (isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
                }
            head = (dotted(node.value) or "").split(".", 1)[0]
            qualified = (
                ""
                if head in self._bound_here
                else self.imports.qualify(node.value, self.local_names)
            )
            if "." in qualified and qualified not in self.returned_refs:
                self.returned_refs.append(qualified)
        shape = _response_shape(node.value)
        if shape is not None:
            shape["line"] = node.lineno
            self.responses.append(shape)

    def visit_Call(self, node: ast.Call) -> None:
        name = dotted(node.func) or ""
        short = last_name(node.func)
        qualified = self.imports.qualify(node.func, self.local_names)
        if qualified and len(self.calls) < 80:
            self.calls.append(qualified)
        if short in RUNS_A_FUNCTION:
            # run_in_threadpool(_receive_event, body=body): the function handed over runs as
            # part of this one, as if called here
            for arg in [*node.args[:2], *(k.value for k in node.keywords if k.arg == "func")]:
                if isinstance(arg, ast.Name | ast.Attribute) and len(self.calls) < 80:
                    handed = self.imports.qualify(arg, self.local_names)
                    if handed and handed not in self.calls:
                        self.calls.append(handed)
        if qualified and not short.endswith(NOT_HANDOFFS) and len(self.handoffs) < 5:
            values = [*node.args, *(k.value for k in node.keywords)]
            if any(
                (isinstance(v, ast.Name) and v.id in self.request_names)
                or "Authorization" in source_text(v)
                for v in values
            ):
                # slack_handler.handle(req), adapter.process_activity(body, auth_header, ...)
                self.handoffs.append(qualified)
        status = _raised_status(node)
        if status:
            self.statuses.add(status)
            if status == 429 and len(self.rate_checks) < 3:
                # refuses with 429 Too Many Requests: a limiter the code consults itself
                self.rate_checks.append({"detail": source_text(node)[:100], "line": node.lineno})
            if status == 401:
                self.auth_checks.append({"detail": source_text(node)[:100], "line": node.lineno})
            # A bare 403 says nothing about roles (some apps answer bad tokens with 403);
            # role checks are recognised by what the condition tests.
        if JWT_DECODE.search(name):
            self.jwt_decode = True
        if short in {"verify_jwt_in_request", "login_required", "check_login", "authenticate"}:
            self.auth_checks.append({"detail": short, "line": node.lineno})
        if short in {
            "has_perm",
            "has_perms",
            "has_role",
            "has_permission",
            "require_role",
        } or SCOPED_PERMISSION.fullmatch(short):
            self.role_checks.append({"detail": source_text(node)[:100], "line": node.lineno})
        elif short in {"can", "require"} and isinstance(node.func, ast.Attribute):
            # Flask-Principal: a permission built from the record (`CertificatePermission(
            # cert.owner, cert.roles).can()`) decides this caller and this record; one named for
            # admins (`with admin_permission.require(403):`) is a role check. A permission built
            # from nothing (`StrictRolePermission().can()`) says nothing of whose record it is.
            permission = node.func.value
            if (isinstance(permission, ast.Call) and _object_permission(permission)) or (
                isinstance(permission, ast.Name) and permission.id in self.object_permissions
            ):
                self.owner_checks.append({"detail": source_text(node)[:100], "line": node.lineno})
            elif ADMIN_PERMISSION.search(source_text(permission)):
                self.role_checks.append({"detail": source_text(node)[:100], "line": node.lineno})
        if SIGNATURE_CALLS.search(name):
            self.signature_check = True
        if OWNER_HELPERS.search(short):
            self.owner_checks.append({"detail": source_text(node)[:100], "line": node.lineno})
        if any(
            k.arg
            and (
                (_owner_key(k.arg) and USER_REF.search(source_text(k.value)))
                or (isinstance(k.value, ast.Name) and k.value.id in self.caller_names)
            )
            for k in node.keywords
        ) or USER_SCOPED_QUERY.match(name):
            # filter(owner=request.user), request.user.orders.get(...): scoped to the caller
            self.owner_checks.append({"detail": source_text(node)[:100], "line": node.lineno})
        elif short in _SCOPING_FILTERS and any(
            self._of_the_caller(v) for v in [*node.args, *(k.value for k in node.keywords)]
        ):
            # filter(mbox=self.request.user.mailbox), filter(Q(domain__in=domains)) with
            # domains = Domain.objects.get_for_admin(self.request.user): rows kept by what the
            # caller is or holds, whatever the column is called
            self.owner_checks.append({"detail": source_text(node)[:100], "line": node.lineno})
        self._note_raw_call(node, short, qualified)
        self._note_id_call(node, short, name)

    def _note_raw_call(self, node: ast.Call, short: str, qualified: str) -> None:
        values = [*node.args, *(k.value for k in node.keywords)]
        carries_raw = [v for v in values if self._is_raw_or_field(v)]
        if short in VALIDATE_METHODS and not qualified.startswith(NOT_PARSERS):
            self.validation.append({"detail": f"{short}()", "line": node.lineno})
            if carries_raw:
                self.raw_validated = True
            return
        if not carries_raw:
            return
        if short.endswith(SCHEMA_NAME_SUFFIXES):
            self.validation.append({"detail": f"{short}(...)", "line": node.lineno})
            self.raw_validated = True
        elif short[:1].isupper() and short not in NOT_RECORDS:
            # Order(**data) / Order(title=data["title"]): a record built from raw input, unless
            # the class turns out to be a schema (the linker knows).
            self.raw_constructs.append({"callee": qualified or short, "line": node.lineno})
        elif short in STORE_METHODS or short == "setattr":
            self.raw_stores.append(node.lineno)
        elif any(self._is_raw(v) for v in values):
            self.raw_passed_on = True  # the whole body handed to a helper that may validate it

    def _note_id_call(self, node: ast.Call, short: str, name: str) -> None:
        if isinstance(node.func, ast.Attribute):
            short = node.func.attr  # info.context["db"].get(...): a method of a looked-up object
        if short in NOT_LOADERS:
            return
        values: list[ast.expr] = []
        for value in [*node.args, *(k.value for k in node.keywords)]:
            # db.execute("... WHERE id = ?", (note_id,)): parameters travel in a tuple
            values.extend(value.elts if isinstance(value, ast.Tuple | ast.List) else [value])
        # db.get(Order, int(id)), ObjectId(order_id): the id converted to its column's type
        values = [_converted(v) for v in values]
        ids = [
            v.id
            for v in values
            if isinstance(v, ast.Name) and v.id in self.params and ID_PARAM.match(v.id)
        ]
        if not ids:
            return
        self.id_loads.append(
            {
                "detail": source_text(node)[:120],
                "param": ids[0],
                "line": node.lineno,
                "orm": short in ORM_LOOKUPS,
                "callee": self.imports.qualify(node.func, self.local_names),
            }
        )
        # Scoped to the caller: request.user.orders.get(pk=pk), get_order(db, id, user.id),
        # Order.objects.get(pk=pk, owner=request.user).
        scoped_by_chain = bool(USER_REF.search(name.rsplit(".", 1)[0])) if "." in name else False
        scoped_by_kw = any(
            k.arg and _owner_key(k.arg) and USER_REF.search(source_text(k.value))
            for k in node.keywords
        )
        scoped_by_arg = any(
            USER_REF.search(source_text(v))
            for v in values
            if not isinstance(v, ast.Constant | ast.JoinedStr)
            and (not isinstance(v, ast.Name) or v.id not in ids)
        )
        if scoped_by_chain or scoped_by_kw or scoped_by_arg:
            self.owner_checks.append({"detail": source_text(node)[:120], "line": node.lineno})


_ID_CONVERSIONS = frozenset({"int", "str", "UUID", "ObjectId"})


def _converted(value: ast.expr) -> ast.expr:
    """The argument of a one-argument type conversion (`int(x)`, `uuid.UUID(x)`), else the
    value itself."""
    if (
        isinstance(value, ast.Call)
        and len(value.args) == 1
        and not value.keywords
        and last_name(value.func) in _ID_CONVERSIONS
    ):
        return value.args[0]
    return value


def summarize_body(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    imports: Imports,
    local_names: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    visitor = _BodyVisitor(fn, imports, local_names)
    handlers: dict[type, Any] = {
        ast.Assign: visitor.visit_Assign,
        ast.For: visitor.visit_For,
        ast.AsyncFor: visitor.visit_For,
        ast.Attribute: visitor.visit_Attribute,
        ast.Compare: visitor.visit_Compare,
        ast.If: visitor.visit_If,
        ast.Return: visitor.visit_Return,
        ast.Raise: visitor.visit_Raise,
        ast.Call: visitor.visit_Call,
        ast.Try: visitor.visit_Try,
    }
    # Source-order preorder, like ast.NodeVisitor, without its per-node dispatch overhead.
    for node in preorder(fn.body):
        handler = handlers.get(type(node))
        if handler is not None:
            handler(node)
    body_reads = [r for r in visitor.raw_reads if r["kind"] == "body"]
    return {
        "raw_reads": visitor.raw_reads[:10],
        "raw_body_unvalidated": bool(
            body_reads and visitor.raw_stores and not visitor.raw_validated
        ),
        "raw_constructs": [] if visitor.raw_validated else visitor.raw_constructs[:5],
        "raw_use_line": visitor.raw_stores[0] if visitor.raw_stores else None,
        "raw_passed_on": visitor.raw_passed_on,
        "validation": visitor.validation[:5],
        "auth_checks": visitor.auth_checks[:5],
        "role_checks": visitor.role_checks[:5],
        "owner_checks": visitor.owner_checks[:5],
        "id_loads": visitor.id_loads[:5],
        "responses": visitor.responses[:10],
        "calls": sorted(set(visitor.calls)),
        "statuses": sorted(visitor.statuses),
        "rate_checks": visitor.rate_checks,
        "signature_check": visitor.signature_check,
        "setup_guard": visitor.setup_guard,
        "jwt_decode": visitor.jwt_decode,
        "method_checks": sorted(visitor.method_checks),
        "reads_flags": sorted(visitor.reads_flags),
        "guard_calls": visitor.guard_calls,
        "handoffs": visitor.handoffs,
        "exception_guards": visitor.exception_guards,
        "returned_refs": visitor.returned_refs,
        "refuses": visitor.refuses,
        **({"not_allowed": True} if _only_refuses_the_method(fn) else {}),
    }


def _only_refuses_the_method(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def post(...): return HttpResponse(status=405)`, `raise MethodNotAllowed(...)`,
    `return self.http_method_not_allowed(request)`: a stub answering 405 Method Not Allowed
    (a base view a subclass overrides) is no route."""
    body = [
        s
        for s in fn.body
        if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))  # docstring
    ]
    if len(body) != 1 or not isinstance(body[0], ast.Return | ast.Raise):
        return False
    value = body[0].value if isinstance(body[0], ast.Return) else body[0].exc
    if not isinstance(value, ast.Call):
        return False
    name = last_name(value.func) or ""
    if name.endswith(("NotAllowed", "method_not_allowed")):
        return True
    status = keyword(value, "status") or keyword(value, "status_code")
    return isinstance(status, ast.Constant) and status.value == 405
