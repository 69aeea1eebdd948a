"""Framework-neutral facts of one module: functions, classes, module-level objects, aliases.

Every name is recorded fully qualified ('app.deps.get_current_user') so the linker can
resolve it against other modules' facts without reading their sources again.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from typing import Any

from mcp_backend.review.facts import graphql_test_fields
from mcp_backend.review.python.frameworks._ast import (
    Imports,
    composed_name,
    const_str,
    dotted,
    elements,
    keyword,
    last_name,
    preorder,
    returns_none,
    source_text,
    str_list,
    template_str,
)
from mcp_backend.review.python.frameworks._body import ID_PARAM, summarize_body

DEPENDS_CALLS = frozenset({"Depends", "Security"})
_TYPE_ALIAS: type[ast.AST] | None = getattr(ast, "TypeAlias", None)  # Python 3.12+
CLASS_ATTRS = (
    "permission_classes",
    "authentication_classes",
    "throttle_classes",
    "serializer_class",
    "form_class",
    "queryset",
    "model",
    "http_method_names",
    "lookup_field",
    "permission_required",
    "login_url",
    "throttle_scope",
    "decorators",
    "method_decorators",
)


def _list_like(value: ast.expr) -> bool:
    return isinstance(value, ast.List | ast.Tuple | ast.IfExp | ast.BinOp) or (
        isinstance(value, ast.Call)
        and (
            (isinstance(value.func, ast.Name) and value.func.id in {"list", "tuple"})
            or (isinstance(value.func, ast.Attribute) and value.func.attr == "copy")
        )
    )


def _list_elements(
    value: ast.expr, lists: dict[str, ast.expr], depth: int
) -> list[ast.expr] | None:
    """The elements a list-valued expression may hold: a literal (with `*other` spread), both
    branches of `[...] if cond else [...]`, `a + b`, `list(other)` / `other.copy()` of another
    list of the module. None when it is not made of those."""
    if depth > 4:
        return None
    if isinstance(value, ast.Name):
        source = lists.get(value.id)
        return None if source is None else _list_elements(source, lists, depth + 1)
    if isinstance(value, ast.List | ast.Tuple):
        found: list[ast.expr] = []
        for element in value.elts:
            if isinstance(element, ast.Starred):
                spread = _list_elements(element.value, lists, depth + 1)
                if spread is None:
                    return None
                found.extend(spread)
            else:
                found.append(element)
        return found
    if isinstance(value, ast.IfExp):
        body = _list_elements(value.body, lists, depth + 1)
        orelse = _list_elements(value.orelse, lists, depth + 1)
        if body is None or orelse is None:
            return None
        return [*body, *orelse]
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        left = _list_elements(value.left, lists, depth + 1)
        right = _list_elements(value.right, lists, depth + 1)
        return None if left is None or right is None else [*left, *right]
    if isinstance(value, ast.Call) and len(value.args) <= 1:
        if isinstance(value.func, ast.Name) and value.func.id in {"list", "tuple"}:
            return _list_elements(value.args[0], lists, depth + 1) if value.args else []
        if isinstance(value.func, ast.Attribute) and value.func.attr == "copy":
            return _list_elements(value.func.value, lists, depth + 1)
    return None


class ModuleScope:
    """The qualification context of one module, and its nodes indexed by kind (one walk)."""

    def __init__(self, tree: ast.Module, module: str, is_package: bool) -> None:
        self.tree = tree
        self.module = module
        self.calls: list[ast.Call] = []
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.classes: list[ast.ClassDef] = []
        self.assignments: list[ast.Assign | ast.AnnAssign] = []
        self.constants: list[ast.Constant] = []
        self.names: list[ast.Name] = []
        # `for router in API_ROUTERS: app.include_router(router)`: loop names and the literal
        # sequences they may run over, so wiring done in a loop is wiring of each element
        self.loop_iters: dict[str, ast.expr] = {}
        self.sequences: dict[str, list[ast.expr]] = {}
        import_nodes: list[ast.AST] = []
        bound: set[str] = set()
        built: dict[str, list[ast.expr]] = {}
        grown: list[tuple[str, list[ast.expr]]] = []
        for node in preorder(tree):  # one walk, indexed by kind for every extractor
            kind = type(node)
            if kind is ast.Name:
                assert isinstance(node, ast.Name)
                self.names.append(node)
                if isinstance(node.ctx, ast.Store):
                    bound.add(node.id)
            elif kind is ast.Call:
                assert isinstance(node, ast.Call)
                self.calls.append(node)
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in {"append", "extend"}
                    and isinstance(func.value, ast.Name)
                    and len(node.args) == 1
                ):
                    added = node.args[0]
                    if func.attr == "append":
                        grown.append((func.value.id, [added]))
                    elif isinstance(added, ast.List | ast.Tuple):
                        grown.append((func.value.id, list(added.elts)))
            elif kind is ast.Constant:
                assert isinstance(node, ast.Constant)
                self.constants.append(node)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.append(node)
                bound.add(node.name)
            elif isinstance(node, ast.ClassDef):
                self.classes.append(node)
                bound.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                self.assignments.append(node)
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if not isinstance(target, ast.Name) or node.value is None:
                        continue
                    if isinstance(node.value, ast.List | ast.Tuple):
                        self.sequences.setdefault(target.id, list(node.value.elts))
                    if _list_like(node.value):
                        built.setdefault(target.id, []).append(node.value)
            elif (
                isinstance(node, ast.AugAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(node.value, ast.List | ast.Tuple)
            ):
                grown.append((node.target.id, list(node.value.elts)))
            elif isinstance(node, ast.For | ast.AsyncFor) and isinstance(node.target, ast.Name):
                self.loop_iters.setdefault(node.target.id, node.iter)
            elif kind is _TYPE_ALIAS:  # `type X = ...` parsed by a 3.12+ host: an assignment
                alias = ast.Assign(targets=[node.name], value=node.value)  # type: ignore[attr-defined]
                self.assignments.append(ast.copy_location(alias, node))
            elif isinstance(node, ast.Import | ast.ImportFrom):
                import_nodes.append(node)
        # `deps = [Depends(a)]` then `deps.append(Depends(b))`: the list holds both, when the
        # name is built from a literal once in the module (two lists of one name stay apart)
        lists = {name: values[0] for name, values in built.items() if len(values) == 1}
        for name, value in lists.items():
            found = _list_elements(value, lists, 0)
            if found is not None:
                self.sequences[name] = found
        for name, added_elements in grown:
            if name in lists and name in self.sequences:
                self.sequences[name].extend(added_elements)
        self.imports = Imports(import_nodes, module, is_package)
        self.locals = frozenset(bound)

    def q(self, node: ast.AST | None) -> str:
        return self.imports.qualify(node, self.locals)

    def loop_texts(self, name: str) -> list[str] | None:
        """The strings a loop variable runs over, when the sequence is a literal in reach."""
        source = self.loop_iters.get(name)
        if isinstance(source, ast.Name):
            elements: list[ast.expr] | None = self.sequences.get(source.id)
        elif isinstance(source, ast.List | ast.Tuple):
            elements = list(source.elts)
        else:
            return None
        texts = [const_str(e) for e in elements or []]
        return [t for t in texts if t is not None] if elements and None not in texts else None

    def paths(self, node: ast.AST | None) -> list[str]:
        """Route paths an expression stands for: a literal, or a template over a loop variable
        whose sequence is a literal (`'/{}/<sort>'.format(d)` for d in a list, f"/{d}/x"),
        one path per element. Empty when it is neither."""
        text = const_str(node)
        if text is not None:
            return [text]
        template: str | None = None
        hole: ast.expr | None = None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and len(node.args) == 1
            and not node.keywords
        ):
            template, hole = const_str(node.func.value), node.args[0]
            if template is not None and template.count("{}") != 1:
                template = None
        elif isinstance(node, ast.JoinedStr):
            fields = [v for v in node.values if isinstance(v, ast.FormattedValue)]
            if len(fields) == 1 and fields[0].format_spec is None:
                hole = fields[0].value
                template = "".join(
                    "{}" if isinstance(v, ast.FormattedValue) else (const_str(v) or "")
                    for v in node.values
                )
        if template is None or not isinstance(hole, ast.Name):
            return []
        values = self.loop_texts(hole.id)
        if not values:  # a part we cannot read stays visible rather than losing the route
            return [template.replace("{}", "{" + hole.id + "}", 1)]
        return [template.replace("{}", value, 1) for value in values]

    def unpacked(self, call: ast.Call) -> list[ast.Call]:
        """The call once per dict it spreads: `for spec in ROUTERS: app.include_router(**spec)`
        over a literal list of dict literals is one call per dict, its string keys as keywords.
        Any other call (or a spread we cannot read) is itself."""
        spread = [kw for kw in call.keywords if kw.arg is None]
        if len(spread) != 1 or not isinstance(spread[0].value, ast.Name):
            return [call]
        source = self.loop_iters.get(spread[0].value.id)
        if isinstance(source, ast.Name):
            dicts: list[ast.expr] | None = self.sequences.get(source.id)
        elif isinstance(source, ast.List | ast.Tuple):
            dicts = list(source.elts)
        else:
            dicts = None
        if not dicts or not all(isinstance(d, ast.Dict) for d in dicts):
            return [call]
        kept = [kw for kw in call.keywords if kw.arg is not None]
        calls: list[ast.Call] = []
        for spec in dicts:
            assert isinstance(spec, ast.Dict)
            named = [
                ast.keyword(arg=key, value=value)
                for k, value in zip(spec.keys, spec.values, strict=True)
                if (key := const_str(k)) is not None
            ]
            calls.append(
                ast.copy_location(ast.Call(call.func, list(call.args), kept + named), call)
            )
        return calls

    def each(self, node: ast.AST) -> list[str]:
        """Qualified names a value stands for: itself, or, for a loop variable over a literal
        sequence (in place or held in a name), each element."""
        if isinstance(node, ast.Name) and node.id in self.loop_iters:
            source = self.loop_iters[node.id]
            elements: list[ast.expr] | None = None
            if isinstance(source, ast.List | ast.Tuple):
                elements = list(source.elts)
            elif isinstance(source, ast.Name):
                elements = self.sequences.get(source.id)
            if elements:
                return [name for element in elements if (name := self.q(element))]
        return [self.q(node)]

    def names_in(self, node: ast.AST | None) -> list[str]:
        """Qualified names of a name, a call, or each element of a list of them."""
        if node is None:
            return []
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            # api_settings.DEFAULT_PERMISSION_CLASSES + [ProjectPermission]
            return [*self.names_in(node.left), *self.names_in(node.right)]
        if isinstance(node, ast.Name) and node.id in self.sequences:
            items: list[ast.AST] = list(self.sequences[node.id])  # dependencies=deps
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = list(elements(node))
        else:
            items = [node]
        names: list[str] = []
        for item in items:
            if isinstance(item, ast.Call) and last_name(item.func) in DEPENDS_CALLS:
                names.extend(self.depends_targets(item))
            elif isinstance(item, ast.Call) and last_name(item.func) == "Middleware" and item.args:
                names.append(self.q(item.args[0]))  # Middleware(AuthMiddleware, ...)
            elif isinstance(item, ast.BinOp | ast.UnaryOp) and isinstance(
                item.op, ast.BitOr | ast.BitAnd | ast.Invert
            ):
                # DRF composes permission classes: `IsOwner | IsAdminUser`, `A & B`, `~A`
                names.append(composed_name(item, self.q))
            elif (name := self.q(item)) and name:
                names.append(name)
        return names

    def depends_targets(self, call: ast.Call) -> list[str]:
        """`Depends(get_user)` -> ['app.deps.get_user']; `Depends(RateLimiter(times=5))` too."""
        target = call.args[0] if call.args else keyword(call, "dependency")
        name = self.q(target)
        return [name] if name else []


def _annotation_facts(scope: ModuleScope, annotation: ast.expr | None) -> dict[str, Any]:
    if annotation is None:
        return {"annotation": None, "depends": [], "scopes": []}
    depends: list[str] = []
    scopes: list[str] = []
    base: ast.expr = annotation
    if isinstance(annotation, ast.Subscript) and last_name(annotation.value) == "Annotated":
        parts = elements(annotation.slice)
        if parts:
            base = parts[0]
            for extra in parts[1:]:
                if isinstance(extra, ast.Call) and last_name(extra.func) in DEPENDS_CALLS:
                    depends.extend(scope.depends_targets(extra))
                    scopes.extend(str_list(keyword(extra, "scopes")))
    # Optional[Model] / Model | None / list[Model]: the interesting class is inside.
    if isinstance(base, ast.BinOp):
        base = base.left
    if isinstance(base, ast.Subscript) and last_name(base.value) in {"Optional", "list", "List"}:
        base = base.slice
    return {
        "annotation": scope.q(base) or source_text(base)[:80],
        "depends": depends,
        "scopes": scopes,
    }


def function_fact(
    scope: ModuleScope,
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    qualname: str,
    *,
    summarize: bool = True,
) -> dict[str, Any]:
    args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    defaults: dict[str, ast.expr] = {}
    positional = [*fn.args.posonlyargs, *fn.args.args]
    for arg, default in zip(
        positional[len(positional) - len(fn.args.defaults) :], fn.args.defaults, strict=True
    ):
        defaults[arg.arg] = default
    for arg, kw_default in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True):
        if kw_default is not None:
            defaults[arg.arg] = kw_default
    params: list[dict[str, Any]] = []
    for arg in args:
        if arg.arg in {"self", "cls"}:
            continue
        facts = _annotation_facts(scope, arg.annotation)
        param_default = defaults.get(arg.arg)
        default_kind: str | None = None
        if isinstance(param_default, ast.Call):
            default_kind = last_name(param_default.func)
            if default_kind in DEPENDS_CALLS:
                facts["depends"].extend(scope.depends_targets(param_default))
                facts["scopes"] = str_list(keyword(param_default, "scopes"))
        facts.update({"name": arg.arg, "default_kind": default_kind})
        params.append(facts)
    decorators = [decorator_fact(scope, d) for d in fn.decorator_list]
    # `def get_dependencies(): return [Depends(check_api_key)]`: a provider of a dependency
    # list (`APIRouter(dependencies=get_dependencies())`) demands what its Depends demand
    param_defaults = {id(default) for default in defaults.values()}
    made = [
        target
        for node in ast.walk(fn)
        if isinstance(node, ast.Call)
        and last_name(node.func) in DEPENDS_CALLS
        and id(node) not in param_defaults
        for target in scope.depends_targets(node)
    ]
    return {
        "name": fn.name,
        "qualname": qualname,
        "line": fn.lineno,
        "end_line": fn.end_lineno or fn.lineno,
        "is_async": isinstance(fn, ast.AsyncFunctionDef),
        "params": params,
        "decorators": decorators,
        **({"depends_made": made[:5]} if made else {}),
        "body": summarize_body(fn, scope.imports, scope.locals) if summarize else {},
    }


def decorator_fact(scope: ModuleScope, node: ast.expr) -> dict[str, Any]:
    call = node if isinstance(node, ast.Call) else None
    target = call.func if call else node
    fact: dict[str, Any] = {
        "name": scope.q(target),
        "short": last_name(target),
        "line": node.lineno,
        "call": call is not None,
        "args": [],
        "strings": [],
    }
    if call:
        for arg in call.args:
            fact["args"].extend(scope.names_in(arg))
            fact["strings"].extend(str_list(arg))
        for kw in call.keywords:
            if kw.arg in {"methods", "method"}:
                fact["methods"] = [m.upper() for m in str_list(kw.value)]
            elif kw.arg in {"dependencies", "permission_classes", "throttle_classes"}:
                fact.setdefault("kw_names", {})[kw.arg] = scope.names_in(kw.value)
            elif kw.arg in {"rate", "key", "limit", "scope", "response_model"}:
                fact.setdefault("kw_text", {})[kw.arg] = source_text(kw.value)[:60]
    return fact


SUMMARY_PARAMS = frozenset(
    {"request", "req", "user", "current_user", "token", "credentials", "identity", "obj", "info"}
)
SUMMARY_METHODS = frozenset(
    {
        "has_permission",
        "has_object_permission",
        "dispatch",
        "initial",
        "get_queryset",
        "get_object",
        "__call__",
        "authenticate",
        "perform_create",
        "perform_update",
        "perform_destroy",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "list",
        "create",
        "retrieve",
        "update",
        "partial_update",
        "destroy",
    }
)
SUMMARY_NAMES = re.compile(
    r"(auth|login|token|jwt|user|admin|role|perm|owner|own_|_for$|require|verify|check|guard|"
    r"current|session|limit)",
    re.IGNORECASE,
)


def _value_references(scope: ModuleScope) -> frozenset[str]:
    """Names used as values rather than only called: `view_func=index`, `Route("/", home)`."""
    loads = Counter(n.id for n in scope.names if isinstance(n.ctx, ast.Load))
    called = Counter(c.func.id for c in scope.calls if isinstance(c.func, ast.Name))
    return frozenset(name for name, count in loads.items() if count > called[name])


def worth_summarizing(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, value_refs: frozenset[str]
) -> bool:
    """Only functions that can be a handler, a dependency, a decorator, a hook, a permission
    method or a helper about users and ownership get their body summarised (the expensive
    part); the rest keep their signature so names still resolve."""
    if fn.decorator_list or fn.name in value_refs or fn.name in SUMMARY_METHODS:
        return True
    if SUMMARY_NAMES.search(fn.name):
        return True
    for arg in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs):
        if arg.arg in SUMMARY_PARAMS or ID_PARAM.match(arg.arg):
            return True
        if arg.annotation is not None and not isinstance(arg.annotation, ast.Name | ast.Constant):
            return True  # Annotated[...] / dotted types: dependencies and aliases live here
    for default in (*fn.args.defaults, *fn.args.kw_defaults):
        if isinstance(default, ast.Call):
            return True  # Depends(...), Query(...), Security(...)
    if len(fn.body) <= 8 and any(
        isinstance(s, ast.Return) and isinstance(s.value, ast.Compare | ast.BoolOp | ast.UnaryOp)
        for s in fn.body
    ):
        return True  # a short predicate (`can(action, post)`): handlers guard on what it reads
    if len(fn.body) <= 8 and any(
        isinstance(s, ast.If) and any(isinstance(b, ast.Raise) for b in s.body) for s in fn.body
    ):
        return True  # a short guard that raises (a handler answers 403 when it does)
    return any(isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) for s in fn.body)


def collect_functions_and_classes(scope: ModuleScope) -> tuple[dict[str, Any], dict[str, Any]]:
    functions: dict[str, Any] = {}
    classes: dict[str, Any] = {}
    value_refs = _value_references(scope)

    def visit(statements: list[ast.stmt], prefix: str) -> None:
        for child in statements:
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                qualname = f"{prefix}{child.name}"
                if qualname not in functions:
                    functions[qualname] = function_fact(
                        scope, child, qualname, summarize=worth_summarizing(child, value_refs)
                    )
                visit(child.body, "")  # nested functions (factories, decorators) by their name
            elif isinstance(child, ast.ClassDef):
                classes[child.name] = class_fact(scope, child)
                visit(child.body, f"{child.name}.")
            else:
                visit(nested_statements(child), prefix)

    visit(scope.tree.body, "")
    return functions, classes


def nested_statements(statement: ast.stmt) -> list[ast.stmt]:
    """Statements inside if/for/while/with/try blocks (where apps define routes too)."""
    inner: list[ast.stmt] = []
    for name in ("body", "orelse", "finalbody"):
        block = getattr(statement, name, None)
        if isinstance(block, list):
            inner.extend(s for s in block if isinstance(s, ast.stmt))
    for handler in getattr(statement, "handlers", []) or []:
        inner.extend(handler.body)
    for case in getattr(statement, "cases", []) or []:
        inner.extend(case.body)
    return inner


def _super_init_kwargs(
    scope: ModuleScope, init: ast.FunctionDef | ast.AsyncFunctionDef
) -> dict[str, Any]:
    """What a project subclass of a router passes up: `super().__init__(dependencies=[...],
    prefix="/api")` makes every instance carry them."""
    for node in ast.walk(init):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__init__"
            and isinstance(node.func.value, ast.Call)
            and last_name(node.func.value.func) == "super"
        ):
            return {
                "dependencies": scope.names_in(keyword(node, "dependencies")),
                "prefix": template_str(keyword(node, "prefix")) or "",
            }
    return {}


def class_fact(scope: ModuleScope, node: ast.ClassDef) -> dict[str, Any]:
    init_kwargs: dict[str, Any] = {}
    dependencies: list[str] = []
    attrs: dict[str, Any] = {}
    methods: list[str] = []
    actions: list[dict[str, Any]] = []
    constants: dict[str, str] = {}
    anonymous_passes = False
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign):
            # class-based route groups (fastapi-utils cbv): `user: User = Depends(get_user)`,
            # `user: CurrentUser` run for every route the class declares
            facts = _annotation_facts(scope, statement.annotation)
            dependencies.extend(facts["depends"])
            ref = scope.q(statement.annotation) if statement.annotation is not None else ""
            if "." in ref:  # an alias another module defines: the linker resolves it
                dependencies.append(ref)
        if (
            isinstance(statement, ast.Assign | ast.AnnAssign)
            and isinstance(statement.value, ast.Call)
            and last_name(statement.value.func) in DEPENDS_CALLS
        ):
            dependencies.extend(scope.depends_targets(statement.value))
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            text = const_str(statement.value)
            for target in targets:
                if isinstance(target, ast.Name) and text is not None and len(text) <= 200:
                    constants[target.id] = text
                if isinstance(target, ast.Name) and target.id in CLASS_ATTRS:
                    value = statement.value
                    if target.id in {"queryset", "model"}:
                        attrs[target.id] = source_text(value)[:120] if value else ""
                    elif target.id in {"http_method_names", "permission_required"}:
                        attrs[target.id] = str_list(value)
                    elif target.id in {"lookup_field", "login_url", "throttle_scope"}:
                        attrs[target.id] = const_str(value)
                    else:
                        attrs[target.id] = scope.names_in(value)
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            methods.append(statement.name)
            if statement.name == "__init__":
                init_kwargs.update(_super_init_kwargs(scope, statement))
            if statement.name == "authenticate":
                anonymous_passes = _may_return_none(statement)
            for deco in statement.decorator_list:
                if isinstance(deco, ast.Call) and last_name(deco.func) == "action":
                    detail = keyword(deco, "detail")
                    actions.append(
                        {
                            "name": statement.name,
                            "detail": isinstance(detail, ast.Constant) and detail.value is True,
                            "methods": [m.upper() for m in str_list(keyword(deco, "methods"))]
                            or ["GET"],
                            "url_path": const_str(keyword(deco, "url_path")),
                            "line": statement.lineno,
                        }
                    )
    return {
        "name": node.name,
        "line": node.lineno,
        "bases": [scope.q(base) or source_text(base) for base in node.bases],
        "attrs": attrs,
        "methods": methods,
        "actions": actions,
        "decorators": [decorator_fact(scope, d) for d in node.decorator_list],
        "constants": constants,
        "init_kwargs": init_kwargs,
        "dependencies": dependencies[:10],
        **({"anonymous_passes": True} if anonymous_passes else {}),
    }


def _may_return_none(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """An authentication backend's `authenticate()` that can return None lets a request without
    credentials through as anonymous (Starlette's AuthenticationMiddleware, DRF): it identifies
    callers, the route still has to refuse them."""
    return any(returns_none(node) for node in ast.walk(fn))


def auth_backend(scope: ModuleScope, node: ast.Call) -> dict[str, str]:
    """`AuthenticationMiddleware(backend=JWTBackend())`: whether the middleware refuses anyone
    depends on what the backend's authenticate() does, so the linker reads it."""
    backend = keyword(node, "backend")
    if isinstance(backend, ast.Call):
        return {"backend": scope.q(backend.func)}
    return {}


def collect_assignments(
    scope: ModuleScope,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """Module objects built by a call (`router = APIRouter(...)`) and Annotated aliases."""
    objects: dict[str, Any] = {}
    aliases: dict[str, Any] = {}
    constants: dict[str, str] = {}
    for statement in scope.tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            text = const_str(statement.value)
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name) and text is not None and len(text) <= 200:
                    constants[target.id] = text
    for node in scope.assignments:
        if node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not names:
            continue
        value = node.value
        if isinstance(value, ast.Call):
            fact = {
                "call": scope.q(value.func),
                "line": node.lineno,
                "prefix": template_str(keyword(value, "prefix"))
                or template_str(keyword(value, "url_prefix"))
                or _namespace_prefix(value),
                "prefix_parts": prefix_parts(
                    scope, keyword(value, "prefix") or keyword(value, "url_prefix")
                ),
                "dependencies": [
                    *scope.names_in(keyword(value, "dependencies")),
                    # Django Ninja: NinjaAPI(auth=...) / Router(auth=...) authenticate every
                    # operation under them
                    *(
                        scope.names_in(keyword(value, "auth"))
                        if scope.q(value.func).startswith("ninja.")
                        else []
                    ),
                ],
                "auth_classes": (
                    scope.names_in(keyword(value, "auth"))
                    if scope.q(value.func).startswith("ninja.")
                    else []
                ),
                "middleware": scope.names_in(
                    keyword(value, "middleware") or keyword(value, "middlewares")
                ),
                "middleware_backends": {
                    scope.q(item.args[0]): backend
                    for item in elements(keyword(value, "middleware"))
                    if isinstance(item, ast.Call) and item.args
                    if (backend := auth_backend(scope, item).get("backend"))
                },
                "default_limits": bool(
                    keyword(value, "default_limits") or keyword(value, "application_limits")
                ),
                "has_app": keyword(value, "app") is not None
                or (len(value.args) > 1 and last_name(value.func) == "Limiter"),
                "args": [a for arg in value.args for a in scope.names_in(arg)][:10],
            }
            auto_error = keyword(value, "auto_error")
            if isinstance(auto_error, ast.Constant) and auto_error.value is False:
                fact["auto_error"] = False  # APIKeyCookie(..., auto_error=False) rejects nobody
            for name in names:
                objects.setdefault(name, fact)
        elif isinstance(value, ast.Subscript) and last_name(value.value) == "Annotated":
            facts = _annotation_facts(scope, value)
            if facts["depends"]:
                for name in names:
                    aliases[name] = {"depends": facts["depends"], "line": node.lineno}
    return objects, aliases, constants


def prefix_parts(scope: ModuleScope, node: ast.AST | None) -> list[dict[str, str]]:
    """A path or prefix that is not a literal, as parts the linker resolves against the
    project's constants: `settings.API_V1_STR`, `API_PREFIX`, f"{settings.API_V1_STR}/items",
    `PREFIX + "admin/"` (empty when it is a literal or not made of names and text)."""
    if node is None or const_str(node) is not None:
        return []
    if isinstance(node, ast.Name | ast.Attribute):
        ref = scope.q(node)
        return [{"ref": ref}] if ref else []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = [{"text": t}] if (t := const_str(node.left)) is not None else None
        right = [{"text": t}] if (t := const_str(node.right)) is not None else None
        left = left or prefix_parts(scope, node.left)
        right = right or prefix_parts(scope, node.right)
        return [*left, *right] if left and right else []
    if isinstance(node, ast.JoinedStr):
        parts: list[dict[str, str]] = []
        for value in node.values:
            text = const_str(value)
            if text is not None:
                parts.append({"text": text})
            elif isinstance(value, ast.FormattedValue) and (ref := scope.q(value.value)):
                parts.append({"ref": ref})
            else:
                return []
        return parts
    return []


def _namespace_prefix(call: ast.Call) -> str:
    """Flask-RESTX `Namespace("todos")` / `api.namespace("todos", path="/v1/todos")`."""
    if last_name(call.func) not in {"Namespace", "namespace"}:
        return ""
    path = template_str(keyword(call, "path"))
    if path is not None:
        return path
    name = const_str(call.args[0]) if call.args else None
    return f"/{name}" if name else ""


def collect_test_refs(scope: ModuleScope) -> dict[str, Any]:
    """What a test file points at: 'METHOD path' calls, URL names, imported project names."""
    calls: set[str] = set()
    url_names: set[str] = set()
    used_in_calls: set[int] = set()
    http_verbs = {"get", "post", "put", "patch", "delete", "head", "options"}
    for node in scope.calls:
        short = last_name(node.func)
        first = node.args[0] if node.args else keyword(node, "url") or keyword(node, "path")
        verb = short.upper() if short in http_verbs else "ANY"
        if short in {"request", "open"} and len(node.args) > 1 and const_str(node.args[0]):
            verb, first = str(const_str(node.args[0])).upper(), node.args[1]
        elif short == "open":
            method = const_str(keyword(node, "method"))
            verb = method.upper() if method else "ANY"
        if (short in http_verbs or short in {"request", "open"}) and first is not None:
            text = template_str(first)
            if text and "/" in text:
                used_in_calls.add(id(first))
                calls.add(f"{verb} {text.split('?', 1)[0]}")
        elif short in {"reverse", "reverse_lazy", "url_for", "url_path_for", "resolve_url"}:
            text = const_str(first)
            if text:
                url_names.add(text)
    # Paths kept in constants (URL = "/api/orders/") may be used with any method.
    for n in scope.constants:
        text = const_str(n)
        if (
            text is not None
            and text.startswith("/")
            and len(text) < 200
            and id(n) not in used_in_calls
        ):
            calls.add(f"ANY {text.split('?', 1)[0]}")
    referenced = {n.id for n in scope.names}
    imported = sorted(q for alias, q in scope.imports.aliases.items() if alias in referenced)
    # URL names passed indirectly (parametrize lists, constants) still name the route.
    words = {
        text
        for n in scope.constants
        if (text := const_str(n)) is not None and 3 <= len(text) <= 80 and " " not in text
    }
    graphql_fields: set[str] = set()
    for n in scope.constants:
        text = const_str(n)
        if text is not None and "{" in text:
            graphql_fields |= graphql_test_fields(text)
    refs: dict[str, Any] = {
        "calls": sorted(calls),
        "url_names": sorted(url_names | set(sorted(words)[:500])),
        "names": imported[:300],
    }
    if graphql_fields:
        refs["graphql_fields"] = sorted(graphql_fields)[:300]
    return refs


def dotted_name(node: ast.AST | None) -> str:
    return dotted(node) or ""
