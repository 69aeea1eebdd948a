"""Flask (and Quart): blueprints, `add_url_rule`, `before_request` hooks, error handlers,
Flask-Limiter wiring. Route decorators are collected by `_decorated`."""

from __future__ import annotations

import ast
from typing import Any

from mcp_backend.review.python.frameworks._ast import (
    keyword,
    last_name,
    positional_or_keyword,
    str_list,
    template_str,
)
from mcp_backend.review.python.frameworks._common import ModuleScope, prefix_parts

HOOKS = frozenset({"before_request", "before_app_request"})
ERROR_HOOKS = frozenset({"errorhandler", "app_errorhandler", "register_error_handler"})


def extract(scope: ModuleScope, facts: dict[str, Any]) -> None:
    _api_bindings(scope, facts)
    for node in (*scope.calls, *scope.functions):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                func = deco.func if isinstance(deco, ast.Call) else deco
                if not isinstance(func, ast.Attribute):
                    continue
                if func.attr in HOOKS:
                    facts["hooks"].append(
                        {
                            "target": scope.q(func.value),
                            "kind": func.attr,
                            "function": f"{scope.module}.{node.name}",
                            "line": deco.lineno,
                        }
                    )
                elif func.attr in ERROR_HOOKS:
                    detail = (
                        ast.unparse(deco.args[0])
                        if isinstance(deco, ast.Call) and deco.args
                        else ""
                    )
                    facts["error_handlers"].append(
                        {"kind": func.attr, "detail": detail, "line": deco.lineno}
                    )
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            _call(scope, node, facts)


def _api_bindings(scope: ModuleScope, facts: dict[str, Any]) -> None:
    """`api = Api(app)` / `Api(bp)` / `ns = api.namespace("x")`: the API object is mounted on
    the app, blueprint or API it was created from (prefixes and hooks flow through)."""
    for node in scope.assignments:
        value = node.value
        if not isinstance(value, ast.Call):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        kind = last_name(value.func) or ""
        # Api(app), or a project subclass named for it: API(app, title=...), RestApi(bp)
        if (kind == "API" or kind.endswith("Api")) and value.args:
            parent = scope.q(value.args[0])
        elif kind == "namespace" and isinstance(value.func, ast.Attribute):
            parent = scope.q(value.func.value)
        else:
            continue
        for name in names:
            facts["includes"].append(
                {
                    "kind": "api",
                    "parent": parent,
                    "child": f"{scope.module}.{name}",
                    "prefix": "",
                    "dependencies": [],
                    "line": node.lineno,
                }
            )


def _call(scope: ModuleScope, node: ast.Call, facts: dict[str, Any]) -> None:
    assert isinstance(node.func, ast.Attribute)
    attr = node.func.attr
    target = scope.q(node.func.value)
    if attr == "register_blueprint" and node.args:
        for child in scope.each(node.args[0]):
            facts["includes"].append(
                {
                    "kind": "register_blueprint",
                    "parent": target,
                    "child": child,
                    "prefix": template_str(keyword(node, "url_prefix")) or "",
                    "prefix_parts": prefix_parts(scope, keyword(node, "url_prefix")),
                    "override_prefix": keyword(node, "url_prefix") is not None,
                    "dependencies": [],
                    "line": node.lineno,
                }
            )
    elif attr == "add_url_rule":
        rules = scope.paths(positional_or_keyword(node, 0, "rule"))
        view = keyword(node, "view_func")
        if view is None and len(node.args) > 2:
            view = node.args[2]
        if view is None:
            return
        for rule in rules:  # one per element when registered in a loop over a literal list
            _url_rule(scope, node, target, rule, view, facts)
    elif attr in HOOKS and node.args:
        facts["hooks"].append(
            {"target": target, "kind": attr, "function": scope.q(node.args[0]), "line": node.lineno}
        )
    elif attr == "register_error_handler":
        facts["error_handlers"].append(
            {
                "kind": attr,
                "detail": ast.unparse(node.args[0]) if node.args else "",
                "line": node.lineno,
            }
        )
    elif attr == "add_resource" and len(node.args) >= 2:
        # Flask-RESTful / Flask-RESTX: api.add_resource(TodoResource, "/todos/<int:id>")
        for url in node.args[1:]:
            for resource_rule in scope.paths(url):
                facts["class_routes"].append(
                    {
                        "target": target,
                        "path": resource_rule,
                        "class_ref": scope.q(node.args[0]),
                        "methods": [],
                        "line": node.lineno,
                    }
                )
    elif attr == "add_namespace" and node.args:
        path = template_str(keyword(node, "path"))
        facts["includes"].append(
            {
                "kind": "add_namespace",
                "parent": target,
                "child": scope.q(node.args[0]),
                "prefix": path or "",
                "override_prefix": path is not None,
                "dependencies": [],
                "line": node.lineno,
            }
        )
    elif attr == "init_app" and node.args:
        facts["init_app"].append(
            {"object": target, "app": scope.q(node.args[0]), "line": node.lineno}
        )


def _url_rule(
    scope: ModuleScope,
    node: ast.Call,
    target: str,
    rule: str,
    view: ast.expr,
    facts: dict[str, Any],
) -> None:
    """One `add_url_rule(rule, view_func=...)` route (or one per verb of a MethodView)."""
    methods = [m.upper() for m in str_list(keyword(node, "methods"))]
    if isinstance(view, ast.Name):
        # _edit_view = EditView.as_view("edit"), then add_url_rule("/edit", view_func=_edit_view)
        view = _view_assignments(scope).get(view.id, view)
    if isinstance(view, ast.Call) and last_name(view.func) == "as_view":
        # MethodView.as_view("name"): one route per verb method on the class
        facts["class_routes"].append(
            {
                "target": target,
                "path": rule,
                "class_ref": scope.q(
                    view.func.value if isinstance(view.func, ast.Attribute) else view.func
                ),
                "methods": methods,
                "line": node.lineno,
            }
        )
        return
    facts["routes"].append(
        {
            "target": target,
            "methods": methods or ["GET"],
            "path": rule,
            "dependencies": [],
            "response_model": False,
            "handler_ref": scope.q(view),
            "handler": scope.q(view).rsplit(".", 1)[-1],
            "line": node.lineno,
            "style": "add_url_rule",
        }
    )


def _view_assignments(scope: ModuleScope) -> dict[str, ast.Call]:
    """Module-level names bound to `SomeView.as_view(...)` (the last binding wins)."""
    found: dict[str, ast.Call] = {}
    for statement in scope.tree.body:
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign):
            target, value = statement.target, statement.value
        if (
            isinstance(target, ast.Name)
            and isinstance(value, ast.Call)
            and last_name(value.func) == "as_view"
        ):
            found[target.id] = value
    return found
