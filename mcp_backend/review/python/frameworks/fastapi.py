"""FastAPI (and the Starlette-compatible parts it shares): router wiring, app-level hooks.

Route decorators are collected by `_decorated`; this module adds what only the application
object says: `include_router` (prefix, dependencies), `add_api_route`, `mount`, middleware and
exception handlers.
"""

from __future__ import annotations

import ast
from typing import Any

from mcp_backend.review.python.frameworks._ast import (
    const_str,
    keyword,
    positional_or_keyword,
    str_list,
    template_str,
)
from mcp_backend.review.python.frameworks._common import ModuleScope, auth_backend, prefix_parts

# Handlers for these exceptions exist for one feature; they are not a central error handler.
NARROW_EXCEPTIONS = ("RateLimitExceeded",)


def extract(scope: ModuleScope, facts: dict[str, Any]) -> None:
    for node in (*scope.calls, *scope.functions):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            _call(scope, node, facts)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)):
                    continue
                target = scope.q(deco.func.value)
                if deco.func.attr == "exception_handler":
                    exc = scope.q(deco.args[0]) if deco.args else ""
                    if not exc.endswith(NARROW_EXCEPTIONS):
                        facts["error_handlers"].append(
                            {"kind": "exception_handler", "detail": exc, "line": deco.lineno}
                        )
                elif deco.func.attr == "middleware" and const_str(
                    deco.args[0] if deco.args else None
                ) in {"http", None}:
                    facts["middleware"].append(
                        {
                            "target": target,
                            "name": f"{scope.module}.{node.name}",
                            "function": f"{scope.module}.{node.name}",
                            "line": deco.lineno,
                        }
                    )


def _uses_ninja(scope: ModuleScope, node: ast.Call) -> bool:
    """The module uses Django Ninja (its add_router(prefix, router) has Ninja's argument order)."""
    return any(q == "ninja" or q.startswith("ninja.") for q in scope.imports.aliases.values())


def _call(scope: ModuleScope, node: ast.Call, facts: dict[str, Any]) -> None:
    assert isinstance(node.func, ast.Attribute)
    attr = node.func.attr
    target = scope.q(node.func.value)
    if attr == "include_router":
        for call in scope.unpacked(node):
            router = positional_or_keyword(call, 0, "router")
            for child_name in scope.each(router) if router is not None else []:
                facts["includes"].append(
                    {
                        "kind": "include_router",
                        "parent": target,
                        "child": child_name,
                        "prefix": template_str(keyword(call, "prefix")) or "",
                        "prefix_parts": prefix_parts(scope, keyword(call, "prefix")),
                        "dependencies": scope.names_in(keyword(call, "dependencies")),
                        "line": node.lineno,
                    }
                )
    elif attr == "add_router" and len(node.args) >= 2 and _uses_ninja(scope, node):
        # Django Ninja: api.add_router("/v1/", router, auth=...)
        for child_name in scope.each(node.args[1]):
            facts["includes"].append(
                {
                    "kind": "include_router",
                    "parent": target,
                    "child": child_name,
                    "prefix": template_str(node.args[0]) or "",
                    "prefix_parts": prefix_parts(scope, node.args[0]),
                    "dependencies": scope.names_in(keyword(node, "auth")),
                    "auth_classes": scope.names_in(keyword(node, "auth")),
                    "line": node.lineno,
                }
            )
    elif attr == "add_api_route":
        path = const_str(positional_or_keyword(node, 0, "path"))
        endpoint = positional_or_keyword(node, 1, "endpoint")
        if path is not None and endpoint is not None:
            facts["routes"].append(
                {
                    "target": target,
                    "methods": [m.upper() for m in str_list(keyword(node, "methods"))] or ["GET"],
                    "path": path,
                    "dependencies": scope.names_in(keyword(node, "dependencies")),
                    "response_model": keyword(node, "response_model") is not None,
                    "handler_ref": scope.q(endpoint),
                    "handler": scope.q(endpoint).rsplit(".", 1)[-1],
                    "line": node.lineno,
                    "style": "add_api_route",
                }
            )
    elif attr == "mount" and node.args:
        path = const_str(node.args[0])
        child = positional_or_keyword(node, 1, "app")
        if path is not None and child is not None:
            facts["includes"].append(
                {
                    "kind": "mount",
                    "parent": target,
                    "child": scope.q(child),
                    "prefix": path,
                    "dependencies": [],
                    "line": node.lineno,
                    "static": "StaticFiles" in ast.unparse(child),
                }
            )
    elif attr == "add_exception_handler" and node.args:
        exc = scope.q(node.args[0])
        if not exc.endswith(NARROW_EXCEPTIONS):
            facts["error_handlers"].append(
                {"kind": "add_exception_handler", "detail": exc, "line": node.lineno}
            )
    elif attr == "add_middleware" and node.args:
        facts["middleware"].append(
            {
                "target": target,
                "name": scope.q(node.args[0]),
                "line": node.lineno,
                **auth_backend(scope, node),
            }
        )
