"""Django and Django REST Framework: urlpatterns, DRF routers, settings defaults, error hooks.

Views themselves (function views with decorators, class-based views with mixins and DRF
attributes) are recorded by `_common` as functions and classes; the linker turns
urlpatterns into routes and applies the settings' defaults.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

from mcp_backend.review.python.frameworks._ast import (
    const_str,
    dotted,
    keyword,
    last_name,
    str_list,
)
from mcp_backend.review.python.frameworks._common import (
    ModuleScope,
    nested_statements,
    prefix_parts,
)

SETTINGS_MARKERS = frozenset({"INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF", "REST_FRAMEWORK"})
REST_KEYS = (
    "DEFAULT_PERMISSION_CLASSES",
    "DEFAULT_AUTHENTICATION_CLASSES",
    "DEFAULT_THROTTLE_CLASSES",
    "EXCEPTION_HANDLER",
)
PATH_FUNCS = frozenset({"path", "re_path", "url"})


def regex_to_route(pattern: str) -> str:
    """'^orders/(?P<pk>[0-9]+)/$' -> 'orders/<pk>/' (close enough to compare with tests)."""
    text = pattern.lstrip("^").rstrip("$")
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)
    return text.replace("\\", "")


def _module_level(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, those inside `if settings.X:` / `try:` blocks included (where
    urlconfs add patterns conditionally), not those in functions or classes."""
    for statement in statements:
        yield statement
        if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from _module_level(nested_statements(statement))


def extract(scope: ModuleScope, facts: dict[str, Any]) -> None:
    module_names: set[str] = set()
    # Other module-level lists of url entries (`base_patterns = [...]`, `common = a + b`): an
    # urlconf may build `urlpatterns` from them, here or in another module that imports them.
    url_lists: dict[str, list[dict[str, Any]]] = {}
    builds_urls = any(
        q.startswith(("django.urls", "django.conf.urls")) for q in scope.imports.aliases.values()
    )
    for statement in _module_level(scope.tree.body):
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(statement, ast.Assign):
            targets, value = list(statement.targets), statement.value
        elif (isinstance(statement, ast.AnnAssign) and statement.value is not None) or isinstance(
            statement, ast.AugAssign
        ):
            targets, value = [statement.target], statement.value
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute)
            and statement.value.func.attr in {"append", "extend"}
            and isinstance(statement.value.func.value, ast.Name)
            and statement.value.func.value.id == "urlpatterns"
            and statement.value.args
        ):  # urlpatterns.append(path(...)) / urlpatterns.extend([...])
            targets, value = [statement.value.func.value], statement.value.args[0]
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                module_names.add(target.id)
                if target.id == "urlpatterns" or target.id.startswith("handler"):
                    _assignment(scope, target.id, value, statement.lineno, facts, url_lists)
                elif builds_urls:
                    entries: list[dict[str, Any]] = []
                    _pattern_parts(scope, value, statement.lineno, entries, url_lists, target.id)
                    if entries:
                        url_lists.setdefault(target.id, []).extend(entries)
    if url_lists:
        facts["url_lists"] = url_lists
    if builds_urls:
        _run_time_includes(scope, facts)
    if module_names & SETTINGS_MARKERS:
        _settings(scope, facts)
    for node in (*scope.calls, *scope.classes):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "register" and len(node.args) >= 2:
                prefix = const_str(node.args[0])
                if prefix is not None:
                    # routers match prefixes as regexes: r"events/(?P<event>[^/]+)/items"
                    prefix = regex_to_route(prefix) if "(?P<" in prefix else prefix
                    basename = const_str(keyword(node, "basename")) or const_str(
                        keyword(node, "base_name")
                    )
                    if basename is None and len(node.args) > 2:
                        basename = const_str(node.args[2])
                    facts["drf_registrations"].append(
                        {
                            "router": scope.q(node.func.value),
                            "prefix": prefix,
                            "viewset": scope.q(node.args[1]),
                            "basename": basename,
                            "line": node.lineno,
                        }
                    )
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.FunctionDef) and statement.name == "process_exception":
                    facts["error_handlers"].append(
                        {"kind": "process_exception", "detail": node.name, "line": statement.lineno}
                    )


def _assignment(
    scope: ModuleScope,
    name: str,
    value: ast.expr,
    line: int,
    facts: dict[str, Any],
    url_lists: dict[str, list[dict[str, Any]]],
) -> None:
    if name in {"handler500", "handler400", "handler403"}:
        facts["error_handlers"].append(
            {"kind": name, "detail": ast.unparse(value)[:80], "line": line}
        )
    elif name == "urlpatterns":
        _pattern_parts(scope, value, line, facts["urlpatterns"], url_lists, name)


def _pattern_parts(
    scope: ModuleScope,
    value: ast.expr,
    line: int,
    out: list[dict[str, Any]],
    url_lists: dict[str, list[dict[str, Any]]],
    name: str,
) -> None:
    """The url entries of a list expression, appended to `out`: literal lists of path(...),
    `router.urls`, helper calls, and names of other pattern lists (this module's or imported:
    `urlpatterns = common_patterns + [...]`), kept as references the linker follows."""
    for part in _concat_parts(value):
        if isinstance(part, ast.List | ast.Tuple):
            for entry in part.elts:
                _url_entry(scope, entry, out)
        elif isinstance(part, ast.Attribute) and part.attr == "urls":
            out.append(
                {"kind": "router", "route": "", "router_ref": scope.q(part.value), "line": line}
            )
        elif isinstance(part, ast.Call):
            _pattern_call(scope, part, out, name)
        elif isinstance(part, ast.Name) and part.id != name:
            local = part.id in url_lists
            ref = f"{scope.module}.{part.id}" if local and scope.module else scope.q(part)
            if ref and (local or part.id in scope.imports.aliases):
                out.append({"kind": "list_ref", "route": "", "list_ref": ref, "line": line})


def _pattern_call(
    scope: ModuleScope, call: ast.Call, out: list[dict[str, Any]], name: str = "urlpatterns"
) -> None:
    """A call on the right of `urlpatterns =`: an entry (`path(...)`), a list made by a helper
    (`i18n_patterns(path(...), ...)`, `format_suffix_patterns([...])`), or the module's list
    passed through a function with view decorators (`decorate_urlpatterns(urlpatterns,
    require_admin_access)`): those decorators wrap every view listed so far, included ones too."""
    if last_name(call.func) in PATH_FUNCS:
        _url_entry(scope, call, out)
        return
    rewraps = any(isinstance(arg, ast.Name) and arg.id == name for arg in call.args)
    decorators: list[str] = []
    for arg in [*call.args, *(kw.value for kw in call.keywords)]:
        if isinstance(arg, ast.List | ast.Tuple):
            for entry in arg.elts:
                _url_entry(scope, entry, out)
        elif isinstance(arg, ast.Call):
            _url_entry(scope, arg, out)
        elif (
            rewraps
            and isinstance(arg, ast.Name | ast.Attribute)
            and (not isinstance(arg, ast.Name) or arg.id != name)
        ):
            ref = scope.q(arg)
            if ref:
                decorators.append(ref)
    if decorators:
        for fact in out:
            fact["wrappers"] = [*decorators, *fact.get("wrappers", [])]


def _concat_parts(value: ast.expr) -> list[ast.expr]:
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return [*_concat_parts(value.left), *_concat_parts(value.right)]
    return [value]


def _run_time_includes(scope: ModuleScope, facts: dict[str, Any]) -> None:
    """`include(admin_urls)` inside a function (a CMS hook that returns url entries when the
    project's urlconf calls it): the urlconf is mounted at run time, somewhere we cannot see."""
    found: dict[int, dict[str, Any]] = {}
    for function in scope.functions:
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and last_name(node.func) == "include"
                and node.args
                and node.lineno not in found
            ):
                target = node.args[0]
                if isinstance(target, ast.Tuple) and target.elts:
                    target = target.elts[0]
                text = const_str(target)
                ref = scope.q(target) if text is None else ""
                if text or ref:
                    found[node.lineno] = {
                        "module": text or "",
                        "ref": ref,
                        "function": function.name,
                        "line": node.lineno,
                    }
    if found:
        facts["run_time_includes"] = list(found.values())


def _url_entry(scope: ModuleScope, entry: ast.expr, out: list[dict[str, Any]]) -> None:
    if not (isinstance(entry, ast.Call) and last_name(entry.func) in PATH_FUNCS):
        return
    # path("notes/", view) or path(route="notes/", view=view, name="notes")
    given = entry.args[0] if entry.args else keyword(entry, "route")
    if given is None:
        return
    route = const_str(given)
    parts = prefix_parts(scope, given) if route is None else []
    if route is None and not parts:
        return
    if route is not None and last_name(entry.func) != "path":
        route = regex_to_route(route)
    view = entry.args[1] if len(entry.args) > 1 else keyword(entry, "view")
    fact: dict[str, Any] = {
        "route": route or "",
        "name": const_str(keyword(entry, "name")),
        "line": entry.lineno,
    }
    if parts:  # path(API_PREFIX, include(...)), path(f"{settings.PREFIX}admin/", ...)
        fact["route_parts"] = parts
    wrappers: list[str] = []
    # login_required(views.profile) / staff_member_required(View.as_view()) in urls.py
    while (
        isinstance(view, ast.Call)
        and last_name(view.func) not in {"include", "as_view"}
        and view.args
    ):
        wrappers.append(scope.q(view.func))
        view = view.args[0]
    fact["wrappers"] = wrappers
    if isinstance(view, ast.Call) and last_name(view.func) == "include":
        target = view.args[0] if view.args else None
        if isinstance(target, ast.Tuple) and target.elts:
            target = target.elts[0]
        module = const_str(target)
        if module is not None:
            fact.update(kind="include", include_module=module)
        elif isinstance(target, ast.Attribute) and target.attr == "urls":
            if dotted(target.value) in {"admin.site", "django.contrib.admin.site"}:
                return
            fact.update(kind="router", router_ref=scope.q(target.value))
        elif isinstance(target, ast.List):
            for inner in target.elts:
                if (
                    isinstance(inner, ast.Call)
                    and inner.args
                    and const_str(inner.args[0]) is not None
                ):
                    _prefixed_entry(scope, inner, route or "", out, parts)
            return
        elif isinstance(target, ast.BinOp):  # include(locale_patterns + [path(...), ...])
            entries: list[dict[str, Any]] = []
            _pattern_parts(scope, target, entry.lineno, entries, {}, "")
            fact.update(kind="include_list", entries=entries)
        else:
            fact.update(kind="include_ref", include_ref=scope.q(target))
    elif isinstance(view, ast.Call) and last_name(view.func) == "as_view":
        cls = view.func.value if isinstance(view.func, ast.Attribute) else view.func
        actions: dict[str, str] = {}
        if view.args and isinstance(view.args[0], ast.Dict):
            for key, action in zip(view.args[0].keys, view.args[0].values, strict=True):
                method, handler = const_str(key), const_str(action)
                if method and handler:
                    actions[method.upper()] = handler
        fact.update(kind="class", view_ref=scope.q(cls), actions=actions)
    elif isinstance(view, ast.Attribute) and view.attr == "urls":
        if dotted(view.value) in {"admin.site", "django.contrib.admin.site"}:
            return
        fact.update(kind="router", router_ref=scope.q(view.value))
    elif view is not None and scope.q(view):
        fact.update(kind="view", view_ref=scope.q(view))
    else:
        return
    out.append(fact)


def _prefixed_entry(
    scope: ModuleScope,
    entry: ast.Call,
    prefix: str,
    out: list[dict[str, Any]],
    prefix_parts: list[dict[str, str]],
) -> None:
    before = len(out)
    _url_entry(scope, entry, out)
    for fact in out[before:]:
        own = fact.get("route_parts") or [{"text": fact["route"]}]
        fact["route"] = prefix + fact["route"]
        if prefix_parts or "route_parts" in fact:
            fact["route_parts"] = [*(prefix_parts or [{"text": prefix}]), *own]


def _settings(scope: ModuleScope, facts: dict[str, Any]) -> None:
    settings: dict[str, Any] = {}
    for statement in scope.tree.body:
        if not isinstance(statement, ast.Assign):
            continue
        for target in statement.targets:
            if not isinstance(target, ast.Name):
                continue
            value = statement.value
            if target.id == "REST_FRAMEWORK" and isinstance(value, ast.Dict):
                rest: dict[str, Any] = {}
                for key, item in zip(value.keys, value.values, strict=True):
                    name = const_str(key)
                    if name in REST_KEYS:
                        rest[name] = (
                            str_list(item) if name != "EXCEPTION_HANDLER" else const_str(item)
                        )
                    elif name == "DEFAULT_THROTTLE_RATES":
                        rest[name] = True
                settings["rest_framework"] = rest
            elif target.id == "MIDDLEWARE":
                items: list[str] = []
                for part in _concat_parts(value):
                    items.extend(str_list(part))
                settings["middleware"] = items
            elif target.id == "ROOT_URLCONF":
                settings["root_urlconf"] = const_str(value)
            elif target.id == "INSTALLED_APPS":
                settings["installed_apps"] = str_list(value)[:100]
            elif target.id in {"RATELIMIT_ENABLE"}:
                settings[target.id.lower()] = isinstance(value, ast.Constant) and bool(value.value)
    facts["django_settings"] = settings
