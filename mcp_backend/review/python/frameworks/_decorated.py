"""Routes declared by decorators: `@router.get("/x")`, `@app.route("/x", methods=[...])`,
`@routes.post("/x")` (aiohttp RouteTableDef), `@ns.route("/x")` on a Resource class.

The same spelling is used by FastAPI, Flask, Quart, aiohttp and Starlette, so the framework is
decided by the linker from what the decorator's target object is.
"""

from __future__ import annotations

import ast
from typing import Any

from mcp_backend.review.python.frameworks._ast import (
    HTTP_METHODS,
    const_str,
    keyword,
    positional_or_keyword,
    str_list,
)
from mcp_backend.review.python.frameworks._common import (
    ModuleScope,
    nested_statements,
    prefix_parts,
)

VERB_DECORATORS = {m.lower(): m for m in HTTP_METHODS} | {"websocket": "WEBSOCKET"}
GENERIC_DECORATORS = frozenset({"route", "api_route", "view"})


def _route_decorator(scope: ModuleScope, deco: ast.expr) -> dict[str, Any] | None:
    if not isinstance(deco, ast.Call) or not isinstance(deco.func, ast.Attribute):
        return None
    attr = deco.func.attr
    if attr not in VERB_DECORATORS and attr not in GENERIC_DECORATORS:
        return None
    node = positional_or_keyword(deco, 0, "path") or keyword(deco, "rule")
    path = const_str(node)  # "" is a route too: `@router.get("")` under an include prefix
    parts = prefix_parts(scope, node) if path is None else []
    if path is None and not parts:
        return None
    if attr in VERB_DECORATORS:
        methods = [VERB_DECORATORS[attr]]
    else:
        methods = [m.upper() for m in str_list(keyword(deco, "methods"))]
    return {
        "target": scope.q(deco.func.value),
        "methods": methods,
        "path": path or "",
        **({"path_parts": parts} if parts else {}),
        "dependencies": scope.names_in(keyword(deco, "dependencies")),
        **_ninja_auth(scope, keyword(deco, "auth")),
        "response_model": keyword(deco, "response_model") is not None,
        "decorator_line": deco.lineno,
        # what tests name it by: url_path_for("auth:login") (FastAPI), url_for (Flask endpoint)
        "url_name": const_str(keyword(deco, "name")) or const_str(keyword(deco, "endpoint")),
    }


def _ninja_auth(scope: ModuleScope, node: ast.AST | None) -> dict[str, Any]:
    """Django Ninja's `auth=` on an operation: the classes it tries in turn (the first that
    accepts the request wins, so a list admits whoever one of them admits); `auth=None` opts
    the operation out of its router's and its API's authentication."""
    if node is None:
        return {}
    if isinstance(node, ast.Constant) and node.value is None:
        return {"auth_none": True}
    return {"auth_classes": scope.names_in(node)}


def extract_decorated_routes(scope: ModuleScope) -> list[dict[str, Any]]:
    routes: list[dict[str, Any]] = []

    def visit(statements: list[ast.stmt], prefix: str) -> None:
        for child in statements:
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in child.decorator_list:
                    route = _route_decorator(scope, deco)
                    if route is None:
                        continue
                    if not route["methods"]:
                        route["methods"] = ["GET"]
                    route.update(
                        handler_ref=f"{scope.module}.{prefix}{child.name}",
                        handler=child.name,
                        line=child.lineno,
                        style="decorator",
                    )
                    if prefix:  # a method: its class's dependencies run for it (cbv)
                        route["owner_class"] = f"{scope.module}.{prefix.rstrip('.')}"
                    routes.append(route)
                visit(child.body, "")
            elif isinstance(child, ast.ClassDef):
                # Flask-RESTX / Flask-RESTful / MethodView class routes: one route per verb.
                for deco in child.decorator_list:
                    route = _route_decorator(scope, deco)
                    if route is None:
                        continue
                    for statement in child.body:
                        if (
                            isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
                            and statement.name.upper() in HTTP_METHODS
                        ):
                            routes.append(
                                {
                                    **route,
                                    "methods": [statement.name.upper()],
                                    "handler_ref": f"{scope.module}.{child.name}.{statement.name}",
                                    "handler": f"{child.name}.{statement.name}",
                                    "line": statement.lineno,
                                    "style": "class",
                                    "class_ref": f"{scope.module}.{child.name}",
                                }
                            )
                visit(child.body, f"{child.name}.")
            else:
                visit(nested_statements(child), prefix)

    visit(scope.tree.body, "")
    return routes
