"""Shared AST helpers for the file-local Python rules.

Three things every rule needs and none should re-implement:

* **names**: what `sa.text`, `text` or `jwt.decode` really refer to, given the file's imports;
* **flow**: what a local name was assigned earlier in the same function (no inter-procedural
  analysis, no fixpoint: a bounded walk back through assignments is enough for real handlers);
* **taint-lite**: whether an expression derives from request data, a function parameter,
  something local, or only constants. Rules use it to decide *whether* to flag (string-built
  SQL with a constant table name is fine) and *how severe* (request data flowing in is worse).

Everything here is per file: results are cached on the parsed tree, never across files.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import PurePosixPath
from typing import TypeAlias

from mcp_backend.review import words
from mcp_backend.review.model import SEVERITY_ORDER, Severity

SEVERITY_RANK = SEVERITY_ORDER  # re-exported for rules that pick the worst of several calls
name_words = (
    words.name_words
)  # shared with the JavaScript rules; the Python rules say au.name_words
FunctionNode: TypeAlias = ast.FunctionDef | ast.AsyncFunctionDef
ScopeNode: TypeAlias = ast.FunctionDef | ast.AsyncFunctionDef | ast.Module

_MAX_DEPTH = 6  # bound on how far taint and string building follow assignments
_MAX_BINDINGS = 6  # assignments of one name considered at a use

# --------------------------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------------------------


def is_upper_constant_name(identifier: str) -> bool:
    """Module constants by convention: TABLE, USERS_TABLE, _DEFAULT_LIMIT."""
    stripped = identifier.lstrip("_")
    return bool(stripped) and stripped.upper() == stripped and any(c.isalpha() for c in stripped)


def terminal_name(node: ast.AST) -> str | None:
    """The identifier an expression is 'about': `user.password` -> password,
    `data["password"]` -> password, `form.password.data` -> password, `password` -> password."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        # WTForms/Django-forms: form.password.data is the field's value.
        if node.attr in {"data", "value", "cleaned_data"} and isinstance(node.value, ast.Attribute):
            return node.value.attr
        return node.attr
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return None
    if isinstance(node, ast.Call):
        func = node.func
        # data.get("password"), request.form.get("password")
        if (
            isinstance(func, ast.Attribute)
            and func.attr in {"get", "pop", "getlist"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            return node.args[0].value
    return None


def dotted_name(node: ast.AST) -> str | None:
    """`a.b.c` for Name/Attribute chains; calls inside the chain are written `a()`:
    `requests.Session().get` -> 'requests.Session().get'."""
    parts: list[str] = []
    current: ast.AST = node
    while True:
        if isinstance(current, ast.Attribute):
            parts.append(current.attr)
            current = current.value
        elif isinstance(current, ast.Name):
            parts.append(current.id)
            break
        elif isinstance(current, ast.Call):
            inner = dotted_name(current.func)
            if inner is None:
                return None
            parts.append(inner + "()")
            break
        else:
            return None
    return ".".join(reversed(parts))


def call_method(call: ast.Call) -> str | None:
    """The final identifier of the callee: `cursor.execute(...)` -> 'execute'."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call: ast.Call, position: int, name: str | None = None) -> ast.expr | None:
    """Positional argument `position` or keyword `name`, whichever is given."""
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return keyword(call, name) if name else None


def is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def is_false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

_DEV_WORDS = {
    "dev",
    "devel",
    "development",
    "local",
    "test",
    "tests",
    "testing",
    "ci",
    "debug",
    "sample",
}


# devproject/, dev_site/, demoproject/, example_project/: the project a package ships to run
# itself while it is developed or shown, not the settings anyone deploys
_DEV_PROJECT_DIR = re.compile(r"^(dev|demo|example|sample)[-_]?(project|proj|site)$", re.IGNORECASE)


def is_dev_settings_file(path: str) -> bool:
    """settings/dev.py, local_settings.py, settings_test.py, config/development.py,
    devproject/settings.py …: files where DEBUG = True or a throwaway key is expected."""
    pure = PurePosixPath(path)
    words = set(name_words(pure.stem))
    if words & _DEV_WORDS or "test" in pure.stem.lower():
        return True
    return any(
        "test" in part.lower() or _DEV_PROJECT_DIR.match(part)  # tests/, testutils/, devproject/
        for part in pure.parts[:-1]
    )


def looks_like_settings_module(path: str, tree: ast.Module) -> bool:
    """A Django-style settings module: named settings, or defining several setting names."""
    pure = PurePosixPath(path)
    if "settings" in pure.stem or "settings" in pure.parts[:-1] or pure.stem in {"config", "conf"}:
        return True
    known = {"INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF", "DATABASES", "SECRET_KEY"}
    seen = {
        target.id
        for stmt in tree.body
        if isinstance(stmt, ast.Assign)
        for target in stmt.targets
        if isinstance(target, ast.Name)
    }
    return len(seen & known) >= 2


# --------------------------------------------------------------------------------------------
# Module facts: imports, constants (cached on the tree)
# --------------------------------------------------------------------------------------------


@dataclass
class ModuleInfo:
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    constants: set[str] = field(default_factory=set)  # module names bound only to literals
    imported_modules: set[str] = field(default_factory=set)
    # Every rule qualifies the same callees; the tree outlives the rules, so ids are stable.
    _qualified: dict[int, str | None] = field(default_factory=dict)

    def qualify(self, node: ast.AST) -> str | None:
        """Dotted name with its first part resolved through the imports:
        `sa.text` -> 'sqlalchemy.text'; `text` from `from sqlalchemy import text` likewise."""
        key = id(node)
        if key in self._qualified:
            return self._qualified[key]
        result = self._qualify(node)
        self._qualified[key] = result
        return result

    def _qualify(self, node: ast.AST) -> str | None:
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        resolved = self.imports.get(head)
        if resolved is None:
            return dotted
        return f"{resolved}.{rest}" if rest else resolved

    def uses_module(self, prefix: str) -> bool:
        return any(m == prefix or m.startswith(prefix + ".") for m in self.imported_modules)


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return all(_is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is None or _is_literal(k) for k in node.keys) and all(
            _is_literal(v) for v in node.values
        )
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) for v in node.values)
    return False


def module_info(tree: ast.Module) -> ModuleInfo:
    cached = getattr(tree, "_review_module_info", None)
    if isinstance(cached, ModuleInfo):
        return cached
    info = ModuleInfo()
    for node in nodes_of(tree, ast.Import, ast.ImportFrom):
        if isinstance(node, ast.Import):
            for alias in node.names:
                info.imported_modules.add(alias.name)
                if alias.asname:
                    info.imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    info.imports.setdefault(top, top)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            info.imported_modules.add(node.module)
            for alias in node.names:
                info.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    assigned: dict[str, list[ast.AST]] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
            assigned.setdefault(stmt.target.id, []).append(stmt.value)
    info.constants = {
        name for name, values in assigned.items() if all(_is_literal(v) for v in values)
    }
    setattr(tree, "_review_module_info", info)  # noqa: B010 - cache on the node itself
    return info


# --------------------------------------------------------------------------------------------
# Walking
# --------------------------------------------------------------------------------------------

_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _walk_scope_uncached(node: ast.AST) -> list[ast.AST]:
    roots: Iterable[ast.AST]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module | ast.ClassDef):
        roots = node.body
    else:
        roots = [node]
    result: list[ast.AST] = []
    stack = [r for r in roots if not isinstance(r, _NESTED_SCOPES)][::-1]
    while stack:
        current = stack.pop()
        result.append(current)
        for child in reversed(list(ast.iter_child_nodes(current))):
            if isinstance(child, _NESTED_SCOPES):
                continue
            stack.append(child)
    return result


def walk_scope(node: ast.AST) -> list[ast.AST]:
    """Every node under `node` (its body for a function) without entering nested
    functions, lambdas or classes: what runs when this scope runs. Cached for scopes,
    since every rule walks every function."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
        return _walk_scope_uncached(node)
    cached = getattr(node, "_review_scope_nodes", None)
    if isinstance(cached, list):
        return cached
    result = _walk_scope_uncached(node)
    setattr(node, "_review_scope_nodes", result)  # noqa: B010 - cache on the node itself
    return result


def all_nodes(tree: ast.AST) -> list[ast.AST]:
    """`ast.walk(tree)` as a list, computed once per tree."""
    cached = getattr(tree, "_review_all_nodes", None)
    if isinstance(cached, list):
        return cached
    result = list(ast.walk(tree))
    setattr(tree, "_review_all_nodes", result)  # noqa: B010 - cache on the node itself
    return result


def nodes_of(tree: ast.AST, *types: type[ast.AST]) -> list[ast.AST]:
    """Nodes of the given types anywhere in the tree, from a per-tree index by type (rules
    look at a handful of node kinds; walking every node in every rule is the slow part)."""
    index = getattr(tree, "_review_type_index", None)
    if not isinstance(index, dict):
        index = {}
        for node in all_nodes(tree):
            index.setdefault(type(node), []).append(node)
        setattr(tree, "_review_type_index", index)  # noqa: B010 - cache on the node itself
    result: list[ast.AST] = []
    for node_type in types:
        result.extend(index.get(node_type, ()))
    return result


def scope_calls(scope: ast.AST) -> list[ast.Call]:
    """The calls a scope makes itself (not its nested functions), cached."""
    cached = getattr(scope, "_review_scope_calls", None)
    if isinstance(cached, list):
        return cached
    result = [n for n in walk_scope(scope) if isinstance(n, ast.Call)]
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
        setattr(scope, "_review_scope_calls", result)  # noqa: B010 - cache on the node itself
    return result


def iter_functions(tree: ast.AST) -> list[FunctionNode]:
    cached = getattr(tree, "_review_functions", None)
    if isinstance(cached, list):
        return cached
    result = [n for n in all_nodes(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    setattr(tree, "_review_functions", result)  # noqa: B010 - cache on the node itself
    return result


def iter_scopes(tree: ast.Module) -> Iterator[ScopeNode]:
    """The module itself, then every function (nested ones included)."""
    yield tree
    yield from iter_functions(tree)


def is_main_guard(node: ast.AST) -> bool:
    """`if __name__ == "__main__":`"""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    sides = [node.test.left, *node.test.comparators]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        const_str(s) == "__main__" for s in sides
    )


# --------------------------------------------------------------------------------------------
# Route handlers (per-file heuristics; the route inventory does the real linking)
# --------------------------------------------------------------------------------------------

_ROUTE_DECORATOR_METHODS = {
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "route",
    "api_route",
    "websocket",
    "view",
    "api_view",
    "action",
}
_CBV_METHODS = {"get", "post", "put", "patch", "delete", "list", "create", "retrieve", "update"}
_CBV_BASE_HINTS = ("View", "ViewSet", "Resource", "Handler", "Endpoint")
_INJECTED_ANNOTATIONS = {
    "Request",
    "Response",
    "Session",
    "AsyncSession",
    "BackgroundTasks",
    "WebSocket",
    "HttpRequest",
    "Connection",
    "Settings",
}
_INJECTED_DEFAULTS = {"Depends", "Security", "Inject", "Provide"}


def _decorator_callee(decorator: ast.expr) -> ast.expr:
    return decorator.func if isinstance(decorator, ast.Call) else decorator


def route_decorator(func: FunctionNode) -> ast.expr | None:
    """The decorator that registers `func` as a route (`@app.get(...)`, `@bp.route(...)`,
    `@router.post(...)`, `@api_view([...])`), if any."""
    for decorator in func.decorator_list:
        callee = _decorator_callee(decorator)
        name = callee.attr if isinstance(callee, ast.Attribute) else None
        if isinstance(callee, ast.Name) and callee.id in {"api_view", "route"}:
            return decorator
        # @app.get("/path") / @app.route("/path") / @action(detail=True)
        if (
            name in _ROUTE_DECORATOR_METHODS
            and isinstance(decorator, ast.Call)
            and (decorator.args or decorator.keywords or name in {"action", "api_view", "view"})
        ):
            return decorator
    return None


def _class_of(tree: ast.Module, func: FunctionNode) -> ast.ClassDef | None:
    owners = getattr(tree, "_review_method_owner", None)
    if not isinstance(owners, dict):
        owners = {
            id(member): node
            for node in all_nodes(tree)
            if isinstance(node, ast.ClassDef)
            for member in node.body
        }
        setattr(tree, "_review_method_owner", owners)  # noqa: B010 - cache on the node itself
    owner = owners.get(id(func))
    return owner if isinstance(owner, ast.ClassDef) else None


def is_route_handler(tree: ast.Module, func: FunctionNode, file: str = "") -> bool:
    """Decorated route, Django/Starlette-style view (first parameter `request`) or an HTTP
    method of a class-based view."""
    if route_decorator(func) is not None:
        return True
    params = [a.arg for a in func.args.posonlyargs + func.args.args]
    if (
        params
        and params[0] == "request"
        and not func.name.startswith("_")
        and func.name not in _called_by_name(tree)
    ):
        return True  # a Django-style view; one the module itself calls is a helper
    if func.name in _CBV_METHODS and params[:1] == ["self"]:
        cls = _class_of(tree, func)
        if cls is not None:
            for base in cls.bases:
                base_name = dotted_name(base) or ""
                if base_name.endswith(_CBV_BASE_HINTS):
                    return True
    return False


_CALLED: dict[int, tuple[ast.Module, frozenset[str]]] = {}


def _called_by_name(tree: ast.Module) -> frozenset[str]:
    """Names the module calls directly (`build_response(request, path)`): views are handed to
    the URL router, not called, so a `request`-first function called here is a helper."""
    cached = _CALLED.get(id(tree))
    if cached is not None and cached[0] is tree:
        return cached[1]
    names = frozenset(
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    )
    if len(_CALLED) > 64:
        _CALLED.clear()
    _CALLED[id(tree)] = (tree, names)
    return names


def _annotation_names(annotation: ast.expr | None) -> set[str]:
    if annotation is None:
        return set()
    return {
        n.id if isinstance(n, ast.Name) else n.attr
        for n in ast.walk(annotation)
        if isinstance(n, ast.Name | ast.Attribute)
    }


# Path converters that admit only numbers, UUIDs or listed words: `<int:id>`, `<uuid:key>`,
# `<any(css,js):folder>` (Werkzeug), `{id:int}` (Starlette).
_CONSTRAINED_CONVERTER = re.compile(
    r"<(?:int|float|uuid|any\([^)]*\))(?:\([^)]*\))?:(\w+)>|\{(\w+):(?:int|float|uuid)\}"
)
_PATH_PARAM_NAME = re.compile(r"<(?:[^:<>]+:)?(\w+)>|\{(\w+)(?::[^}]*)?\}")


def constrained_path_params(func: FunctionNode) -> set[str]:
    """Parameters every route decorator of `func` fills from a constrained path converter (or
    from its `defaults={...}` literal): the router refuses anything else, so they carry no
    text an attacker chose."""
    seen: dict[str, bool] = {}
    decorators = [
        d
        for d in func.decorator_list
        if isinstance(d, ast.Call) and d.args and const_str(d.args[0]) is not None
    ]
    if not decorators or route_decorator(func) is None:
        return set()
    for decorator in decorators:
        path = const_str(decorator.args[0]) or ""
        constrained = {a or b for a, b in _CONSTRAINED_CONVERTER.findall(path)}
        named = {a or b for a, b in _PATH_PARAM_NAME.findall(path)}
        given = keyword(decorator, "defaults")
        constants = (
            {k for key in given.keys if (k := const_str(key))}
            if isinstance(given, ast.Dict)
            and all(isinstance(v, ast.Constant) for v in given.values)
            else set()
        )
        for name in named | constants:
            ok = name in constrained or (name in constants and name not in named)
            seen[name] = seen.get(name, True) and ok
        for name in list(seen):
            if name not in named and name not in constants:
                seen[name] = False  # this route fills it some other way
    return {name for name, ok in seen.items() if ok}


def request_params(tree: ast.Module, func: FunctionNode) -> set[str]:
    """Parameters of a route handler whose values come from the client: path/query/body
    params (FastAPI), URL kwargs (Django, Flask). Injected dependencies are excluded."""
    if not is_route_handler(tree, func):
        return set()
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: dict[str, ast.expr] = {}
    with_defaults = positional[len(positional) - len(args.defaults) :]
    for arg, default in zip(with_defaults, args.defaults, strict=True):
        defaults[arg.arg] = default
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if kw_default is not None:
            defaults[arg.arg] = kw_default
    result: set[str] = set()
    constrained = constrained_path_params(func)
    for arg in positional + args.kwonlyargs:
        if arg.arg in {"self", "cls", "request", "req", "response", "db", "session"}:
            continue
        if arg.arg in constrained:
            continue
        annotation_names = _annotation_names(arg.annotation)
        if annotation_names & (_INJECTED_ANNOTATIONS | _INJECTED_DEFAULTS):
            continue
        given = defaults.get(arg.arg)
        if isinstance(given, ast.Call) and call_method(given) in _INJECTED_DEFAULTS:
            continue
        result.add(arg.arg)
    return result


# --------------------------------------------------------------------------------------------
# Flow: what a name was assigned in this scope
# --------------------------------------------------------------------------------------------


@dataclass
class Binding:
    line: int
    value: ast.expr
    augmented: bool = False  # `name += value`


@dataclass
class ScopeFlow:
    scope: ScopeNode
    bindings: dict[str, list[Binding]]
    params: set[str]
    request_params: set[str]
    membership_checked: set[str]  # names tested with `in`/`not in` (allow-list checks)
    module: ModuleInfo
    parent: ScopeFlow | None = None  # the module's flow, for a function scope
    # Parameters typed int/float/bool/UUID/date…: a framework coerces them, so they cannot
    # carry SQL, shell or path text even when they come from the request.
    scalar_params: set[str] = field(default_factory=set)
    # Memo tables: without them, a name reassigned many times (x = f(x) ...) makes the
    # backward walks exponential in the number of assignments.
    taint_cache: dict[tuple[int, int], Taint] = field(default_factory=dict)
    build_cache: dict[int, StringBuild | None] = field(default_factory=dict)
    safe_cache: dict[int, bool] = field(default_factory=dict)

    def values_of(self, name: str, before_line: int) -> list[Binding]:
        """Assignments to `name` in this scope before `before_line` (all of them if none is
        earlier: a loop may assign after the use textually)."""
        bindings = self.bindings.get(name, [])
        if not bindings and self.parent is not None and name not in self.params:
            return self.parent.values_of(name, 10**9)  # a module-level name, set before calls
        earlier = [b for b in bindings if b.line < before_line]
        if not earlier and name in self.params:
            return []  # before any reassignment a parameter holds what the caller passed
        # The nearest few assignments are what reaches the use in practice.
        return (earlier or bindings)[-_MAX_BINDINGS:]


def _bind_target(
    target: ast.AST, value: ast.expr, line: int, out: dict[str, list[Binding]]
) -> None:
    if isinstance(target, ast.Name):
        out.setdefault(target.id, []).append(Binding(line, value))
    elif isinstance(target, ast.Tuple | ast.List):
        # a, b = x: each part derives from x (good enough for taint)
        for element in target.elts:
            _bind_target(element, value, line, out)
    elif isinstance(target, ast.Starred):
        _bind_target(target.value, value, line, out)


_SCALAR_TYPES = {
    "int",
    "float",
    "bool",
    "UUID",
    "UUID4",
    "UUID1",
    "datetime",
    "date",
    "time",
    "timedelta",
    "Decimal",
    "PositiveInt",
    "NonNegativeInt",
    "NegativeInt",
    "PositiveFloat",
    "conint",
    "confloat",
    "condecimal",
}
# Wrappers that do not change what the value is.
_TYPE_WRAPPERS = {
    "Annotated",
    "Optional",
    "Union",
    "None",
    "Query",
    "Path",
    "Body",
    "Form",
    "Field",
}


def _is_scalar_annotation(annotation: ast.expr | None) -> bool:
    """`int`, `Annotated[int, Query(ge=1)]`, `UUID | None`, `Optional[int]`."""
    if annotation is None:
        return False
    if isinstance(annotation, ast.Subscript) and (dotted_name(annotation.value) or "").endswith(
        "Annotated"
    ):
        inner = annotation.slice
        first = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
        return _is_scalar_annotation(first)
    names = {
        n.id if isinstance(n, ast.Name) else n.attr
        for n in ast.walk(annotation)
        if isinstance(n, ast.Name | ast.Attribute)
    }
    has_none = any(isinstance(n, ast.Constant) and n.value is None for n in ast.walk(annotation))
    names -= _TYPE_WRAPPERS
    return bool(names) and names <= _SCALAR_TYPES and (bool(names) or has_none)


def scope_flow(tree: ast.Module, scope: ScopeNode) -> ScopeFlow:
    cached = getattr(scope, "_review_flow", None)
    if isinstance(cached, ScopeFlow):
        return cached
    bindings: dict[str, list[Binding]] = {}
    checked: set[str] = set()
    for node in walk_scope(scope):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Assign):
            for target in node.targets:
                _bind_target(target, node.value, line, bindings)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            _bind_target(node.target, node.value, line, bindings)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            bindings.setdefault(node.target.id, []).append(Binding(line, node.value, True))
        elif isinstance(node, ast.NamedExpr):
            _bind_target(node.target, node.value, line, bindings)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            _bind_target(node.target, node.iter, line, bindings)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            _bind_target(node.optional_vars, node.context_expr, line, bindings)
        elif (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Name)
            and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
        ):
            checked.add(node.left.id)
    params: set[str] = set()
    req_params: set[str] = set()
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        args = scope.args
        params = {
            a.arg
            for a in args.posonlyargs + args.args + args.kwonlyargs
            if a.arg not in {"self", "cls"}
        }
        if args.vararg:
            params.add(args.vararg.arg)
        if args.kwarg:
            params.add(args.kwarg.arg)
        req_params = request_params(tree, scope)
        scalars = {
            a.arg
            for a in args.posonlyargs + args.args + args.kwonlyargs
            if _is_scalar_annotation(a.annotation)
        }
    parent = None if isinstance(scope, ast.Module) else scope_flow(tree, tree)
    flow = ScopeFlow(scope, bindings, params, req_params, checked, module_info(tree), parent)
    if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        flow.scalar_params = scalars
    setattr(scope, "_review_flow", flow)  # noqa: B010 - cache on the node itself
    return flow


# --------------------------------------------------------------------------------------------
# Taint-lite
# --------------------------------------------------------------------------------------------


# Methods that send SQL text to a database (DB-API cursors and connections, SQLAlchemy
# connections, asyncpg, databases): what the SQL rule and the taint engine both treat as sinks.
SQL_EXECUTE_METHODS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "exec_driver_sql",
        "fetch",
        "fetchrow",
        "fetchval",
        "fetch_all",
        "fetch_one",
        "fetch_val",
        "execute_many",
        "mogrify",
    }
)


class Taint(IntEnum):
    CONSTANT = 0  # literals, module constants, allow-listed values
    LOCAL = 1  # something computed here we cannot trace to the client
    PARAM = 2  # a parameter of the enclosing function (callers decide)
    REQUEST = 3  # request body/query/path/headers, or a route handler's client parameter


REQUEST_OBJECT_NAMES = {"request", "req", "self.request"}
REQUEST_DATA_ATTRS = {
    "args",
    "form",
    "json",
    "values",
    "data",
    "files",
    "GET",
    "POST",
    "FILES",
    "body",
    "query_params",
    "path_params",
    "headers",
    "cookies",
    "COOKIES",
    "META",
    "query",
    "match_info",
    "get_json",
    "params",
    "rel_url",
    "query_string",
    "content",
    "text",
    "post",
    "stream",
    "view_args",
}
VALIDATED_DATA_ATTRS = {"cleaned_data", "validated_data"}  # still client data
_HANDLER_ARGUMENT_METHODS = {
    "get_argument",
    "get_arguments",
    "get_query_argument",
    "get_body_argument",
    "get_cookie",
}

# Calls whose result carries no client-controlled text.
SANITIZERS = {
    "int",
    "float",
    "bool",
    "len",
    "abs",
    "round",
    "secure_filename",
    "safe_join",
    "basename",
    "quote",
    "escape",
    "quote_ident",
    "quote_name",
    "escape_string",
    "Identifier",
    "Literal",
    "uuid4",
    "UUID",
    "hexdigest",
    "isoformat",
    "count",
    "token_hex",
    "token_urlsafe",
}


def is_request_access(node: ast.AST) -> bool:
    """`request.args`, `request.json`, `await request.json()`, `self.request.data`,
    `request.headers.get(...)` (the root of any such chain)."""
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call):
        node = node.func
    if not isinstance(node, ast.Attribute):
        return False
    base = dotted_name(node.value)
    if base in REQUEST_OBJECT_NAMES and node.attr in REQUEST_DATA_ATTRS:
        return True
    if base == "self" and node.attr in _HANDLER_ARGUMENT_METHODS:
        return True  # Tornado: self.get_argument("q")
    return node.attr in VALIDATED_DATA_ATTRS


def taint_of(
    flow: ScopeFlow, node: ast.AST | None, *, line: int | None = None, depth: int = 0
) -> Taint:
    """How client-controlled `node` is, following local assignments a few steps back."""
    if node is None or depth > _MAX_DEPTH:
        return Taint.CONSTANT if node is None else Taint.LOCAL
    at = line if line is not None else getattr(node, "lineno", 10**9)
    key = (id(node), at)
    cached = flow.taint_cache.get(key)
    if cached is not None:
        return cached
    flow.taint_cache[key] = Taint.LOCAL  # provisional: breaks cycles through assignments
    result = _taint_uncached(flow, node, at, depth)
    flow.taint_cache[key] = result
    return result


def _taint_uncached(flow: ScopeFlow, node: ast.AST, at: int, depth: int) -> Taint:
    if isinstance(node, ast.Constant):
        return Taint.CONSTANT
    if is_request_access(node):
        return Taint.REQUEST
    if isinstance(node, ast.Name):
        return _name_taint(flow, node.id, at, depth)
    if isinstance(node, ast.Attribute):
        if is_upper_constant_name(node.attr):
            return Taint.CONSTANT
        return taint_of(flow, node.value, line=at, depth=depth + 1)
    if isinstance(node, ast.Call):
        callee = call_method(node)
        if callee in SANITIZERS:
            return Taint.CONSTANT
        parts: list[ast.AST] = [*node.args, *(kw.value for kw in node.keywords)]
        if isinstance(node.func, ast.Attribute):
            parts.append(node.func.value)
        return max(
            (taint_of(flow, p, line=at, depth=depth + 1) for p in parts), default=Taint.LOCAL
        )
    if isinstance(node, ast.Subscript):
        return taint_of(flow, node.value, line=at, depth=depth + 1)
    if isinstance(node, ast.Starred | ast.Await | ast.FormattedValue):
        return taint_of(flow, node.value, line=at, depth=depth + 1)
    children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
    if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
        children = [g.iter for g in node.generators]
        if isinstance(node, ast.DictComp):
            children += [node.key, node.value]
        else:
            children.append(node.elt)
    if not children:
        return Taint.CONSTANT
    return max(taint_of(flow, c, line=at, depth=depth + 1) for c in children)


def _name_taint(flow: ScopeFlow, name: str, line: int, depth: int) -> Taint:
    bindings = flow.values_of(name, line)
    if name in flow.scalar_params and not flow.bindings.get(name):
        return Taint.CONSTANT
    if bindings:
        return max(taint_of(flow, b.value, line=b.line, depth=depth + 1) for b in bindings)
    if name in flow.request_params:
        return Taint.REQUEST
    if name in flow.params:
        return Taint.PARAM
    if name in REQUEST_OBJECT_NAMES:
        return Taint.LOCAL  # the request object itself is not its data
    if name in flow.module.constants or is_upper_constant_name(name):
        return Taint.CONSTANT
    return Taint.LOCAL


def severity_for(taint: Taint, *, request: Severity, param: Severity, local: Severity) -> Severity:
    if taint >= Taint.REQUEST:
        return request
    if taint == Taint.PARAM:
        return param
    return local


TAINT_WORDS = {
    Taint.REQUEST: "request data",
    Taint.PARAM: "a function parameter",
    Taint.LOCAL: "a computed value",
    Taint.CONSTANT: "a constant",
}


# --------------------------------------------------------------------------------------------
# String building
# --------------------------------------------------------------------------------------------


@dataclass
class StringBuild:
    """A string assembled at run time: the constant text and the expressions spliced in."""

    kind: str  # "f-string", "% formatting", "concatenation", ".format()", "join"
    text: str
    parts: list[ast.expr]
    line: int


def _str_const_value(flow: ScopeFlow, node: ast.AST, depth: int) -> str | None:
    """The text of a string constant, or of a local/module name bound only to one."""
    value = const_str(node)
    if value is not None:
        return value
    if isinstance(node, ast.Name) and depth < _MAX_DEPTH:
        bindings = flow.values_of(node.id, getattr(node, "lineno", 10**9))
        texts = [_str_const_value(flow, b.value, depth + 1) for b in bindings if not b.augmented]
        if (
            bindings
            and all(t is not None for t in texts)
            and not any(b.augmented for b in bindings)
        ):
            return "".join(t or "" for t in texts)
    return None


def _flatten_add(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _flatten_add(node.left) + _flatten_add(node.right)
    return [node]


def string_build(flow: ScopeFlow, node: ast.AST | None, depth: int = 0) -> StringBuild | None:
    """How `node` builds a string out of non-constant parts, if it does (following local
    names to their assignments, including `sql += ...`). None for constants and for
    values we cannot see being built (a parameter, a call result)."""
    if node is None or depth > _MAX_DEPTH:
        return None
    if id(node) in flow.build_cache:
        return flow.build_cache[id(node)]
    flow.build_cache[id(node)] = None  # provisional: breaks cycles
    result = _string_build_uncached(flow, node, depth)
    flow.build_cache[id(node)] = result
    return result


def _string_build_uncached(flow: ScopeFlow, node: ast.AST, depth: int) -> StringBuild | None:
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.JoinedStr):
        text = "".join(const_str(v) or " " for v in node.values)
        spliced = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
        return StringBuild("f-string", text, spliced, line) if spliced else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        template = _str_const_value(flow, node.left, depth)
        if template is None:
            inner = string_build(flow, node.left, depth + 1)
            if inner is None:
                return None
            template, prefix_parts = inner.text, inner.parts
        else:
            prefix_parts = []
        right = node.right
        values: list[ast.expr]
        if isinstance(right, ast.Tuple):
            values = list(right.elts)
        elif isinstance(right, ast.Dict):
            values = list(right.values)
        else:
            values = [right]
        return StringBuild("% formatting", template, prefix_parts + values, line)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        operands = _flatten_add(node)
        text_parts: list[str] = []
        parts: list[ast.expr] = []
        stringy = False
        for operand in operands:
            constant = _str_const_value(flow, operand, depth)
            if constant is not None:
                text_parts.append(constant)
                stringy = True
                continue
            inner = string_build(flow, operand, depth + 1)
            if inner is not None:
                text_parts.append(inner.text)
                parts.extend(inner.parts)
                stringy = True
            else:
                text_parts.append(" ")
                parts.append(operand)
        if stringy and parts:
            return StringBuild("concatenation", "".join(text_parts), parts, line)
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        method = node.func.attr
        receiver_text = _str_const_value(flow, node.func.value, depth)
        if method == "format" and receiver_text is not None:
            args = [*node.args, *(kw.value for kw in node.keywords)]
            return StringBuild(".format()", receiver_text, args, line) if args else None
        if method == "join" and receiver_text is not None and node.args:
            return StringBuild("join", receiver_text, [node.args[0]], line)
        if method in {"strip", "lstrip", "rstrip", "lower", "upper"}:
            return string_build(flow, node.func.value, depth + 1)
    if isinstance(node, ast.Name):
        bindings = flow.values_of(node.id, line or 10**9)
        if not bindings:
            return None
        builds: list[StringBuild] = []
        texts: list[str] = []
        for binding in bindings:
            constant = const_str(binding.value)
            if constant is not None:
                texts.append(constant)
                continue
            inner = string_build(flow, binding.value, depth + 1)
            if inner is not None:
                builds.append(inner)
                texts.append(inner.text)
            elif binding.augmented:
                builds.append(StringBuild("concatenation", "", [binding.value], binding.line))
        if not builds:
            return None
        merged = [p for b in builds for p in b.parts]
        return StringBuild(builds[0].kind, " ".join(texts), merged, builds[0].line)
    return None


_PLACEHOLDER_TEXT = re.compile(r"^[\s,()?%s$:\d=]*$")


def is_safe_fragment(flow: ScopeFlow, node: ast.AST, depth: int = 0) -> bool:
    """True when a spliced-in value cannot carry client text: constants, module constants,
    allow-list lookups (`SORT_COLUMNS[key]`), numbers (`int(x)`, `len(x)`), placeholder lists
    (`", ".join(["%s"] * len(ids))`), identifiers such as a table name held in a constant or
    a class attribute, and names checked against an allow-list (`if col not in ALLOWED`)."""
    if depth > _MAX_DEPTH or is_request_access(node):
        return False
    if id(node) in flow.safe_cache:
        return flow.safe_cache[id(node)]
    flow.safe_cache[id(node)] = False  # provisional: breaks cycles
    result = _is_safe_uncached(flow, node, depth)
    flow.safe_cache[id(node)] = result
    return result


def _returns_safe_fragment(flow: ScopeFlow, name: str, depth: int) -> bool:
    """`_get_descendants_cte()`: a module function without arguments whose every return is a
    safe fragment (a constant query text with quoted identifiers formatted in)."""
    found = _module_function(flow, name)
    if found is None:
        return False
    module, statement = found
    inner = scope_flow(module, statement)
    returns = [n.value for n in walk_scope(statement) if isinstance(n, ast.Return) and n.value]
    return bool(returns) and all(is_safe_fragment(inner, r, depth + 2) for r in returns)


def _module_function(flow: ScopeFlow, name: str) -> tuple[ast.Module, ast.FunctionDef] | None:
    """The module-level `def name` of the module a scope is in."""
    module = flow
    while module.parent is not None:
        module = module.parent
    if not isinstance(module.scope, ast.Module):
        return None
    for statement in module.scope.body:
        if isinstance(statement, ast.FunctionDef) and statement.name == name:
            return module.scope, statement
    return None


def _is_safe_uncached(flow: ScopeFlow, node: ast.AST, depth: int) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.FormattedValue):
        return is_safe_fragment(flow, node.value, depth + 1)
    if isinstance(node, ast.Name):
        name = node.id
        if name in flow.scalar_params and not flow.bindings.get(name):
            return True
        if name in flow.membership_checked:
            return True
        bindings = flow.values_of(name, getattr(node, "lineno", 10**9))
        if bindings:
            return all(
                _is_safe_binding(flow, b.value, depth) for b in bindings
            ) or _is_identifier_name(name, flow, node)
        if name in flow.params:
            return name not in flow.request_params and _is_identifier_name(name, flow, node)
        return name in flow.module.constants or is_upper_constant_name(name)
    if isinstance(node, ast.Attribute):
        if is_upper_constant_name(node.attr) or node.attr in {"__tablename__", "db_table"}:
            return True
        return _is_identifier_name(node.attr, flow, node)
    if isinstance(node, ast.Subscript):
        return _is_allow_list(flow, node.value)
    if isinstance(node, ast.Call):
        callee = call_method(node)
        if callee in SANITIZERS or callee in _ORM_COMPILED_SQL:
            return True
        if callee == "get" and isinstance(node.func, ast.Attribute):
            return _is_allow_list(flow, node.func.value)
        if callee == "join" and isinstance(node.func, ast.Attribute) and node.args:
            return const_str(node.func.value) is not None and _is_placeholder_iterable(
                flow, node.args[0], depth + 1
            )
        if callee in {"str", "repr"} and node.args:
            return is_safe_fragment(flow, node.args[0], depth + 1)
        if isinstance(node.func, ast.Name) and not node.args and not node.keywords:
            return _returns_safe_fragment(flow, node.func.id, depth)
        if isinstance(node.func, ast.Name) and _quotes_its_arguments(flow, node.func.id):
            return True  # identifier(name), literal_string(value): the module's own quoting
        if callee == "format" and isinstance(node.func, ast.Attribute):
            # a safe template with safe values formatted in ("... {0} ...".format(quoted))
            return all(
                is_safe_fragment(flow, part, depth + 1)
                for part in (node.func.value, *node.args, *(k.value for k in node.keywords))
            )
        # quotes doubled: SQL's own escaping for a value inside '...' (or "..." for a name)
        return callee == "replace" and [const_str(a) for a in node.args] in _QUOTE_DOUBLING
    if isinstance(node, ast.IfExp):
        return is_safe_fragment(flow, node.body, depth + 1) and is_safe_fragment(
            flow, node.orelse, depth + 1
        )
    if isinstance(node, ast.BinOp):
        return is_safe_fragment(flow, node.left, depth + 1) and is_safe_fragment(
            flow, node.right, depth + 1
        )
    if isinstance(node, ast.JoinedStr):
        return all(is_safe_fragment(flow, v, depth + 1) for v in node.values)
    if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.List | ast.Tuple):
        return _is_placeholder_iterable(flow, node, depth + 1)
    return False


_QUOTE_DOUBLING = (["'", "''"], ['"', '""'])


def _quote_doubled_names(node: ast.AST) -> set[int]:
    """Names at the root of a `.replace()` chain that doubles quotes somewhere:
    `s.replace('"', '""').replace('\\0', '')` -> {id(s)}."""
    found: set[int] = set()
    for call in ast.walk(node):
        if not (isinstance(call, ast.Call) and call_method(call) == "replace"):
            continue
        if [const_str(a) for a in call.args] not in _QUOTE_DOUBLING:
            continue
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        while isinstance(receiver, ast.Call) and call_method(receiver) == "replace":
            receiver = receiver.func.value if isinstance(receiver.func, ast.Attribute) else None
        if isinstance(receiver, ast.Name):
            found.add(id(receiver))
    return found


def _quotes_its_arguments(flow: ScopeFlow, name: str) -> bool:
    """A module function whose every return quotes its parameters itself, each use of one
    inside a quote-doubling `.replace()` chain: `def identifier(s): return '"' +
    s.replace('"', '""') + '"'`. What it returns is a quoted literal or name, whatever the
    caller passes."""
    found = _module_function(flow, name)
    if found is None:
        return False
    statement = found[1]
    params = {a.arg for a in statement.args.posonlyargs + statement.args.args}
    returns = [n.value for n in walk_scope(statement) if isinstance(n, ast.Return) and n.value]
    if not params or not returns:
        return False
    for value in returns:
        quoted = _quote_doubled_names(value)
        uses = [n for n in ast.walk(value) if isinstance(n, ast.Name) and n.id in params]
        if not quoted or any(id(n) not in quoted for n in uses):
            return False
        others = [n for n in ast.walk(value) if isinstance(n, ast.Name) and n.id not in params]
        if any(not is_upper_constant_name(n.id) for n in others):
            return False  # something else goes into the text unquoted
    return True


# SQL text an ORM compiled itself (its parameters travel separately).
_ORM_COMPILED_SQL = {"sql_with_params", "as_sql", "compile", "mogrify"}


def _is_safe_binding(flow: ScopeFlow, value: ast.expr, depth: int) -> bool:
    build = string_build(flow, value, depth + 1)
    if build is not None:
        return all(is_safe_fragment(flow, p, depth + 1) for p in build.parts)
    return is_safe_fragment(flow, value, depth + 1)


_IDENTIFIER_WORDS = {
    "table",
    "tablename",
    "tables",
    "schema",
    "column",
    "columns",
    "col",
    "cols",
    "field",
    "fields",
    "placeholders",
    "placeholder",
}


def _is_identifier_name(name: str, flow: ScopeFlow, node: ast.AST) -> bool:
    """`table`, `self.table_name`, `schema`: SQL identifiers chosen by the code, as long as
    nothing ties them to the request."""
    if not set(name_words(name)) & _IDENTIFIER_WORDS:
        return False
    return taint_of(flow, node) < Taint.REQUEST


def _is_allow_list(flow: ScopeFlow, node: ast.AST) -> bool:
    if isinstance(node, ast.Dict):
        return all(_is_literal(v) for v in node.values)
    if isinstance(node, ast.Name):
        return node.id in flow.module.constants or is_upper_constant_name(node.id)
    if isinstance(node, ast.Attribute):
        return is_upper_constant_name(node.attr) and not is_request_access(node)
    return False


def _is_placeholder_iterable(flow: ScopeFlow, node: ast.AST, depth: int) -> bool:
    """["%s"] * n, "?" * n, ("%s" for _ in ids), [f"${i}" for i in range(n)], constants."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return all(is_safe_fragment(flow, e, depth + 1) for e in node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _is_placeholder_iterable(flow, node.left, depth + 1) or _is_placeholder_iterable(
            flow, node.right, depth + 1
        )
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(_PLACEHOLDER_TEXT.match(node.value))
    if isinstance(node, ast.ListComp | ast.GeneratorExp):
        elt = node.elt
        if isinstance(elt, ast.Constant):
            return True
        if isinstance(elt, ast.JoinedStr):
            literal = "".join(const_str(v) or "" for v in elt.values)
            return bool(_PLACEHOLDER_TEXT.match(literal))
        return is_safe_fragment(flow, elt, depth + 1)
    if isinstance(node, ast.Call) and call_method(node) in {"repeat", "range"}:
        return True
    if isinstance(node, ast.Name):
        bindings = flow.values_of(node.id, getattr(node, "lineno", 10**9))
        return bool(bindings) and all(
            _is_placeholder_iterable(flow, b.value, depth + 1) for b in bindings
        )
    return False


# --------------------------------------------------------------------------------------------
# Secrets and sensitive names
# --------------------------------------------------------------------------------------------

PASSWORD_WORDS = {"password", "passwd", "pwd", "passphrase", "pw"}
# "pw" alone is too ambiguous for secret detection (country code PW, "power"...).
_SECRET_LAST_WORDS = (PASSWORD_WORDS - {"pw"}) | {
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "secretkey",
    "privatekey",
    "accesskey",
}
# "key" is a secret only after one of these: SECRET_KEY, api_key, private_key, signing_key.
_KEY_QUALIFIERS = {
    "secret",
    "api",
    "private",
    "access",
    "signing",
    "encryption",
    "auth",
    "master",
    "client",
    "app",
    "jwt",
    "hmac",
    "webhook",
    "license",
    "service",
    "stripe",
    "session",
}


def is_secret_name(identifier: str) -> bool:
    """Names that hold a credential: SECRET_KEY, db_password, apiKey, GITHUB_TOKEN,
    client_secret. Not: token_url, password_min_length, TOKEN_EXPIRE_MINUTES, primary_key."""
    words = name_words(identifier)
    if not words:
        return False
    last = words[-1]
    if last in _SECRET_LAST_WORDS:
        return True
    return last == "key" and len(words) >= 2 and words[-2] in _KEY_QUALIFIERS


def is_password_name(identifier: str) -> bool:
    """password, new_password, passwd, pwd; not password_hash or password_reset_token."""
    words = name_words(identifier)
    return bool(words) and words[-1] in PASSWORD_WORDS


def mask_secret(value: str) -> str:
    """Enough to recognise, never enough to use: 'AKIA…(20 chars)'."""
    visible = value[:4] if len(value) >= 12 else value[:2]
    return f"{visible}…({len(value)} chars)"


def shannon_entropy(value: str) -> float:
    import math
    from collections import Counter

    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(c / total * math.log2(c / total) for c in counts.values())


# --------------------------------------------------------------------------------------------
# Misc
# --------------------------------------------------------------------------------------------


def enclosing_async(tree: ast.Module) -> dict[int, ast.AsyncFunctionDef]:
    """Map id(node) -> the async function whose own body (not a nested def/lambda) holds it."""
    result: dict[int, ast.AsyncFunctionDef] = {}
    for func in iter_functions(tree):
        if isinstance(func, ast.AsyncFunctionDef):
            for node in walk_scope(func):
                result[id(node)] = func
    return result


def awaited_calls(scope: ast.AST) -> set[int]:
    """ids of Call nodes that are directly awaited (or used with `async for`/`async with`)."""
    result: set[int] = set()
    for node in walk_scope(scope):
        if isinstance(node, ast.Await) and isinstance(node.value, ast.Call):
            result.add(id(node.value))
        elif isinstance(node, ast.AsyncFor) and isinstance(node.iter, ast.Call):
            result.add(id(node.iter))
        elif isinstance(node, ast.AsyncWith):
            for item in node.items:
                if isinstance(item.context_expr, ast.Call):
                    result.add(id(item.context_expr))
    return result


class SignalOnce:
    """Records a signal detail at most once per file (the checklist needs evidence, not a
    count; thousands of identical signals would only bloat the cache)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def first(self, detail: str) -> bool:
        if detail in self.seen:
            return False
        self.seen.add(detail)
        return True
