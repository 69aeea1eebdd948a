"""aiohttp: `app.router.add_get(...)`, `add_route("POST", ...)`, `app.add_routes([web.get(...)])`,
`web.Application(middlewares=[...])` and `@web.middleware`. `RouteTableDef` decorators
(`@routes.get`) are collected by `_decorated`."""

from __future__ import annotations

import ast
from typing import Any

from mcp_backend.review.python.frameworks._ast import (
    HTTP_METHODS,
    const_str,
    elements,
    last_name,
)
from mcp_backend.review.python.frameworks._common import ModuleScope

ADDERS = {f"add_{m.lower()}": m for m in HTTP_METHODS}
WEB_VERBS = {m.lower(): m for m in HTTP_METHODS}


def _add(
    scope: ModuleScope,
    target: str,
    method: str,
    path: ast.AST,
    handler: ast.AST,
    line: int,
    facts: dict[str, Any],
) -> None:
    text = const_str(path)
    if text is None:
        return
    ref = scope.q(handler)
    facts["routes"].append(
        {
            "target": target,
            "framework": "aiohttp",
            "methods": [method],
            "path": text,
            "dependencies": [],
            "response_model": False,
            "handler_ref": ref,
            "handler": ref.rsplit(".", 1)[-1],
            "line": line,
            "style": "aiohttp",
        }
    )


def _catches_around_handler(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`try: return await handler(request) except ...: return response`: every error of
    every route behind it is answered here, the app's central error handler."""
    params = [a.arg for a in fn.args.args]
    handler = params[-1] if params else "handler"
    return any(
        isinstance(node, ast.Try)
        and node.handlers
        and any(
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == handler
            for statement in node.body
            for call in ast.walk(statement)
        )
        for node in ast.walk(fn)
    )


def _application(scope: ModuleScope, call: ast.Call, facts: dict[str, Any]) -> None:
    """`web.Application(middlewares=[auth, error])`, often built inside an `init()` that returns
    it: its middlewares run for the app's routes. Module-level apps are linked by name through
    their object facts; one built in a function cannot be, so its middlewares are recorded for
    every aiohttp route (target "aiohttp:*")."""
    if scope.tree.body and any(
        isinstance(s, ast.Assign) and s.value is call for s in scope.tree.body
    ):
        return  # a module-level `app = web.Application(...)`: the object facts carry it
    for kw in call.keywords:
        if kw.arg == "middlewares":
            for entry in elements(kw.value):
                name = scope.q(entry)
                if name:
                    facts["middleware"].append(
                        {"target": "aiohttp:*", "name": name, "line": call.lineno}
                    )


def extract(scope: ModuleScope, facts: dict[str, Any]) -> None:
    for node in (*scope.calls, *scope.functions):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if any(
                last_name(d) == "middleware" and not isinstance(d, ast.Call)
                for d in node.decorator_list
            ):
                facts["middleware_functions"].append(f"{scope.module}.{node.name}")
                if _catches_around_handler(node):
                    facts["error_handlers"].append(
                        {"kind": "error middleware", "detail": node.name, "line": node.lineno}
                    )
            continue
        if not isinstance(node, ast.Call):
            continue
        if last_name(node.func) == "Application" and scope.q(node.func).startswith("aiohttp"):
            _application(scope, node, facts)
        if not isinstance(node.func, ast.Attribute):
            continue
        attr = node.func.attr
        owner = node.func.value
        target = scope.q(
            owner.value if isinstance(owner, ast.Attribute) and owner.attr == "router" else owner
        )
        if attr in ADDERS and len(node.args) >= 2:
            _add(scope, target, ADDERS[attr], node.args[0], node.args[1], node.lineno, facts)
        elif attr == "add_route" and len(node.args) >= 3:
            method = (const_str(node.args[0]) or "ANY").upper()
            _add(
                scope,
                target,
                "ANY" if method == "*" else method,
                node.args[1],
                node.args[2],
                node.lineno,
                facts,
            )
        elif attr == "add_routes" and node.args:
            for entry in elements(node.args[0]):
                if isinstance(entry, ast.Call) and len(entry.args) >= 2:
                    verb = last_name(entry.func)
                    if verb in WEB_VERBS:
                        _add(
                            scope,
                            target,
                            WEB_VERBS[verb],
                            entry.args[0],
                            entry.args[1],
                            entry.lineno,
                            facts,
                        )
        elif (
            attr == "append"
            and isinstance(owner, ast.Attribute)
            and owner.attr == "middlewares"
            and node.args
        ):
            facts["middleware"].append(
                {
                    "target": scope.q(owner.value),
                    "name": scope.q(node.args[0]),
                    "line": node.lineno,
                }
            )
