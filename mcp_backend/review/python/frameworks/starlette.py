"""Starlette: `Route`/`Mount` lists, `Middleware(...)` entries, `exception_handlers={...}`.
`@requires(...)` on endpoints is an ordinary decorator, summarised with the function."""

from __future__ import annotations

import ast
from typing import Any

from mcp_backend.review.python.frameworks._ast import (
    const_str,
    elements,
    keyword,
    last_name,
    positional_or_keyword,
    str_list,
)
from mcp_backend.review.python.frameworks._common import ModuleScope, auth_backend


def extract(scope: ModuleScope, facts: dict[str, Any]) -> None:
    seen: set[int] = set()
    mounts = [n for n in scope.calls if last_name(n.func) == "Mount"]
    for mount in mounts:
        if id(mount) not in seen:
            _collect(scope, mount, "", facts, seen)
    for node in scope.calls:
        name = last_name(node.func)
        if name == "Route" and id(node) not in seen:
            _route(scope, node, "", facts)
        elif name == "Middleware" and node.args:
            facts["middleware"].append(
                {
                    "target": "",
                    "name": scope.q(node.args[0]),
                    "line": node.lineno,
                    **auth_backend(scope, node),
                }
            )
        handlers = keyword(node, "exception_handlers")
        if isinstance(handlers, ast.Dict) and handlers.keys:
            facts["error_handlers"].append(
                {"kind": "exception_handlers", "detail": name, "line": node.lineno}
            )


def _collect(
    scope: ModuleScope, mount: ast.Call, prefix: str, facts: dict[str, Any], seen: set[int]
) -> None:
    seen.add(id(mount))
    path = prefix + (const_str(mount.args[0] if mount.args else keyword(mount, "path")) or "")
    for child in elements(keyword(mount, "routes")):
        if isinstance(child, ast.Call) and last_name(child.func) == "Route":
            seen.add(id(child))
            _route(scope, child, path, facts)
        elif isinstance(child, ast.Call) and last_name(child.func) == "Mount":
            _collect(scope, child, path, facts, seen)
    app = keyword(mount, "app")
    if app is not None and not (isinstance(app, ast.Call) and last_name(app.func) == "StaticFiles"):
        facts["includes"].append(
            {
                "kind": "mount",
                "parent": "",
                "child": scope.q(app),
                "prefix": path,
                "dependencies": [],
                "line": mount.lineno,
            }
        )


def _route(scope: ModuleScope, node: ast.Call, prefix: str, facts: dict[str, Any]) -> None:
    path = const_str(positional_or_keyword(node, 0, "path"))
    endpoint = positional_or_keyword(node, 1, "endpoint")
    if path is None or endpoint is None:
        return
    ref = scope.q(endpoint)
    facts["routes"].append(
        {
            "target": "",
            "framework": "starlette",
            "methods": [m.upper() for m in str_list(keyword(node, "methods"))] or ["GET"],
            "path": prefix + path,
            "dependencies": [],
            "response_model": False,
            "handler_ref": ref,
            "handler": ref.rsplit(".", 1)[-1],
            "line": node.lineno,
            "style": "starlette_route",
        }
    )
