"""plaintext-password: a password stored without hashing, or compared in plain text."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.plaintext_password import RULE

_HASHING_CALL = re.compile(r"hash|crypt|digest|salt|make_password|set_password|pbkdf2|scrypt|argon")
_PERSIST_METHODS = {"add", "add_all", "save", "commit", "flush", "insert", "insert_one", "create"}
_CREATE_METHODS = {"create", "get_or_create", "update_or_create", "insert_one", "insert", "values"}
# Constructors that carry input, not rows: LoginRequest(password=...), UserCreate(password=...).
_NON_MODEL_SUFFIXES = (
    "Schema",
    "Create",
    "In",
    "Input",
    "Request",
    "Form",
    "Serializer",
    "Payload",
    "Data",
    "DTO",
    "Dto",
    "Login",
    "Credentials",
    "Params",
    "Body",
    "Update",
    "Out",
    "Response",
    "Config",
    "Settings",
    "Command",
    "Event",
    "Message",
)
_INPUT_ROOTS = {
    "request",
    "req",
    "form",
    "body",
    "data",
    "payload",
    "credentials",
    "creds",
    "login",
    "args",
    "json",
    "params",
    "schema",
    "input",
    "user_in",
    "obj_in",
    "form_data",
    "serializer",
    "attrs",
    "values",
    "kwargs",
    "self",
    "cls",
    "auth",
    "auth_data",
    "login_data",
    "user_data",
    "signup",
    "register",
}
_CONFIRM_WORDS = {"confirm", "confirmation", "repeat", "again", "verify", "check", "retype", "2"}
_SQL_METHODS = {"execute", "executemany", "fetch", "fetchrow", "fetchval", "fetch_one", "text"}
_SQL_PASSWORD_MATCH = re.compile(r"\bwhere\b.*\b(password|passwd)\s*=", re.IGNORECASE | re.DOTALL)
_SQL_PASSWORD_WRITE = re.compile(
    r"\binsert\s+into\s+[\w.\"`]+\s*\([^)]*\b(password|passwd)\b[^)]*\)|"
    r"\bupdate\b.*\bset\b.*\b(password|passwd)\s*=",
    re.IGNORECASE | re.DOTALL,
)


def _sql_text(flow: au.ScopeFlow, node: ast.AST | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Call) and au.call_method(node) == "text":
        node = au.argument(node, 0)  # execute(text("..."))
    constant = au.const_str(node)
    if constant is not None:
        return constant
    build = au.string_build(flow, node)
    if build is not None:
        return build.text
    if isinstance(node, ast.Name):
        return " ".join(
            au.const_str(b.value) or ""
            for b in flow.values_of(node.id, getattr(node, "lineno", 10**9))
        )
    return ""


_STORE_FIX = (
    "Store only a password hash (argon2/bcrypt via passlib, pwdlib, werkzeug "
    "generate_password_hash, Django create_user/set_password)."
)
_COMPARE_FIX = (
    "Keep a password hash and verify with the hasher (bcrypt.checkpw, PasswordHasher.verify, "
    "check_password_hash, user.check_password)."
)


def _is_password_value(node: ast.AST) -> bool:
    name = au.terminal_name(node)
    return bool(name) and au.is_password_name(name or "")


def _mentions_confirmation(node: ast.AST) -> bool:
    name = au.terminal_name(node) or ""
    return bool(set(au.name_words(name)) & _CONFIRM_WORDS)


def _root_name(node: ast.AST) -> str:
    dotted = au.dotted_name(node.value if isinstance(node, ast.Subscript) else node) or ""
    return dotted.split(".")[0]


def _is_input_root(root: str) -> bool:
    return root in _INPUT_ROOTS or root.endswith(("_in", "_form", "_data", "_request", "_payload"))


def _reads_input(call: ast.Call) -> bool:
    """The call reads submitted data (`form.get(...)`, `request.json()`). On `self`/`cls` the
    attribute after it decides: `self.request.POST.get(...)` is input,
    `self.page.view_restrictions.all()` is the object's own state; a method of `self` itself
    (`self.get_object()`) may read the request, so it counts as input."""
    parts = (au.dotted_name(call.func) or "").split(".")
    if parts[0] in {"self", "cls"} and len(parts) > 2:
        return _is_input_root(parts[1]) and parts[1] not in {"self", "cls"}
    return _is_input_root(parts[0])


def _fetched_record(flow: au.ScopeFlow, node: ast.AST) -> bool:
    """`current.password` with `current = await get_auth(user.id)`, `v.password` with
    `for v in page.view_restrictions.all()`: the password a stored record already holds (a
    hash, or a value the app keeps retrievable by design), copied or compared, is not the
    submitted one. A record read off the request (`data = await request.json()`) is."""
    if not isinstance(node, ast.Attribute | ast.Subscript):
        return False
    root = _root_name(node)
    if not root:
        return False
    # what the name was bound from decides, not the name (`auth = auth or await get_auth(id)`);
    # a parameter never rebound has no bindings here: it holds what the caller passed
    bindings = flow.values_of(root, getattr(node, "lineno", 10**9))
    if not bindings:
        return False
    for binding in bindings:
        calls = [n for n in ast.walk(binding.value) if isinstance(n, ast.Call)]
        if not calls or any(_reads_input(c) for c in calls):
            return False
    return True


def _django_user_password(value: ast.expr) -> bool:
    """`user.password`, `request.user.password` in Django: the auth user model's `password`
    field always holds the salted hash (`AbstractBaseUser`), never the plain text."""
    if not (isinstance(value, ast.Attribute) and value.attr == "password"):
        return False
    owner = au.terminal_name(value.value) or ""
    return "user" in au.name_words(owner)


def _function_hashes(func: au.ScopeNode) -> bool:
    return any(
        isinstance(node, ast.Call) and _HASHING_CALL.search((au.call_method(node) or "").lower())
        for node in au.walk_scope(func)
    )


def _function_persists(func: au.ScopeNode) -> bool:
    return any(
        isinstance(node, ast.Call) and au.call_method(node) in _PERSIST_METHODS
        for node in au.walk_scope(func)
    )


@dataclass(frozen=True)
class _StoreContext:
    django: bool  # Django models store exactly what is assigned
    plain_models: set[str]


def _plain_password_models(tree: ast.Module) -> set[str]:
    """Classes in this file with a plain `password` field and no hashing property/setter
    (`@password.setter`, `@validates("password")`, a `password` property): assigning to
    them stores what is given."""
    result: set[str] = set()
    for node in au.nodes_of(tree, ast.ClassDef):
        if not isinstance(node, ast.ClassDef):
            continue
        has_field = any(
            isinstance(stmt, ast.Assign | ast.AnnAssign)
            and any(
                isinstance(t, ast.Name) and t.id in {"password", "passwd"}
                for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
            )
            for stmt in node.body
        )
        has_setter = any(
            isinstance(stmt, ast.FunctionDef) and "password" in stmt.name for stmt in node.body
        )
        if has_field and not has_setter:
            result.add(node.name)
    return result


class PlaintextPassword:
    """Storage is flagged where the store is known not to hash: Django models (a plain
    CharField; `objects.create`/attribute assignment bypass hashing), dict documents
    (Mongo, raw inserts), and model classes defined in the same file without a hashing
    setter. SQLAlchemy models elsewhere often hash in a `password` property setter, which
    per-file analysis cannot see, so those are left alone; plain comparisons are always
    flagged."""

    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if not any(w in lowered for w in ("password", "passwd", "pwd")):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test:
            return
        info = au.module_info(ctx.tree)
        store = _StoreContext(info.uses_module("django"), _plain_password_models(ctx.tree))
        for func in au.iter_functions(ctx.tree):
            flow = au.scope_flow(ctx.tree, func)
            hashes = _function_hashes(func)
            persists = _function_persists(func)
            for node in au.walk_scope(func):
                if isinstance(node, ast.Compare):
                    yield from self._comparison(ctx, flow, node)
                if hashes:
                    continue
                if isinstance(node, ast.Call) and au.call_method(node) in _SQL_METHODS:
                    yield from self._raw_sql(ctx, flow, node)
                if isinstance(node, ast.Call):
                    yield from self._stored_by_call(ctx, flow, node, store, persists=persists)
                elif isinstance(node, ast.Assign) and func.name != "__init__":
                    yield from self._stored_by_assignment(ctx, flow, node, store, persists=persists)

    def _plain_value(self, flow: au.ScopeFlow, value: ast.expr, store: _StoreContext) -> bool:
        """The value is the submitted password itself (not a hash of it)."""
        if isinstance(value, ast.Call):
            return False  # a helper we cannot see into (hash_password(...), encrypt(...))
        if store.django and _django_user_password(value):
            return False
        if _fetched_record(flow, value):
            return False
        if isinstance(value, ast.Name):
            bindings = flow.values_of(value.id, getattr(value, "lineno", 10**9))
            if any(
                isinstance(b.value, ast.Call) and au.terminal_name(b.value) is None
                for b in bindings
            ):
                return False
            if not au.is_password_name(value.id):
                return False
            return value.id in flow.params or bool(bindings)
        return _is_password_value(value) and au.taint_of(flow, value) >= au.Taint.LOCAL

    def _stored_by_call(
        self,
        ctx: PythonFileContext,
        flow: au.ScopeFlow,
        call: ast.Call,
        store: _StoreContext,
        *,
        persists: bool,
    ) -> Iterator[Finding]:
        method = au.call_method(call) or ""
        dotted = au.dotted_name(call.func) or ""
        is_create = isinstance(call.func, ast.Attribute) and method in _CREATE_METHODS
        is_model = method[:1].isupper() and not method.endswith(_NON_MODEL_SUFFIXES) and persists
        if not (is_create or is_model):
            return
        known_plain_store = (
            ".objects." in dotted
            or (is_model and store.django)
            or method in store.plain_models
            or (is_create and dotted.split(".")[0] in store.plain_models)
        )
        entries: list[tuple[str, ast.expr]] = []
        if known_plain_store:
            entries = [(kw.arg, kw.value) for kw in call.keywords if kw.arg is not None]
        for arg in call.args:
            if isinstance(arg, ast.Dict):
                entries += [
                    (key, v)
                    for k, v in zip(arg.keys, arg.values, strict=True)
                    if (key := au.const_str(k)) is not None
                ]
        for name, value in entries:
            if name in {"password", "passwd", "pwd", "user_password"} and self._plain_value(
                flow, value, store
            ):
                yield ctx.finding(
                    RULE,
                    call,
                    f"{method}() stores '{name}' from {ast.unparse(value)[:40]} without hashing",
                    fix=_STORE_FIX,
                )
                return

    def _stored_by_assignment(
        self,
        ctx: PythonFileContext,
        flow: au.ScopeFlow,
        node: ast.Assign,
        store: _StoreContext,
        *,
        persists: bool,
    ) -> Iterator[Finding]:
        for target in node.targets:
            if not (isinstance(target, ast.Attribute | ast.Subscript) and persists):
                continue
            if isinstance(target, ast.Attribute) and not (store.django or store.plain_models):
                continue  # the model may hash in a `password` setter we cannot see
            name = au.terminal_name(target) or ""
            if name not in {"password", "passwd", "pwd"} or _is_input_root(_root_name(target)):
                continue
            if self._plain_value(flow, node.value, store):
                yield ctx.finding(
                    RULE,
                    node,
                    f"{ast.unparse(target)} is set to the submitted password without hashing",
                    fix=_STORE_FIX,
                )

    def _raw_sql(
        self, ctx: PythonFileContext, flow: au.ScopeFlow, call: ast.Call
    ) -> Iterator[Finding]:
        """Raw SQL that matches or writes the password column itself, in a function that
        hashes nothing: `WHERE username = ? AND password = ?`, `INSERT INTO users (…, password)`."""
        sql = _sql_text(flow, au.argument(call, 0))
        if not sql:
            return
        params = au.argument(call, 1)
        if params is not None and any(
            set(au.name_words(name)) & {"hash", "hashed", "digest", "encrypted", "crypted"}
            for sub in ast.walk(params)
            if (name := au.terminal_name(sub))
        ):
            return  # the value bound to the column is a hash computed elsewhere
        if _SQL_PASSWORD_WRITE.search(sql):
            yield ctx.finding(
                RULE,
                call,
                "SQL writes the password column with the submitted value",
                fix=_STORE_FIX,
            )
        elif _SQL_PASSWORD_MATCH.search(sql):
            yield ctx.finding(
                RULE,
                call,
                "SQL matches the password column against the submitted password: it is "
                "stored in plain text",
                severity="high",
                fix=_COMPARE_FIX,
            )

    def _comparison(
        self, ctx: PythonFileContext, flow: au.ScopeFlow, node: ast.Compare
    ) -> Iterator[Finding]:
        if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
            return
        left, right = node.left, node.comparators[0]
        for stored, given in ((left, right), (right, left)):
            if not (
                isinstance(stored, ast.Attribute | ast.Subscript) and _is_password_value(stored)
            ):
                continue
            if _is_input_root(_root_name(stored)):
                continue
            if isinstance(given, ast.Constant) or not _is_password_value(given):
                continue
            if _fetched_record(flow, given):
                continue  # two stored records compared (has the credential changed?)
            if _mentions_confirmation(stored) or _mentions_confirmation(given):
                continue
            yield ctx.finding(
                RULE,
                node,
                f"Stored password {ast.unparse(stored)} compared with == to the submitted one: "
                "it is kept in plain text",
                severity="high",
                fix=_COMPARE_FIX,
            )
            return


DETECTOR = PlaintextPassword()
