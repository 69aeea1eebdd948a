"""Functions that install middleware or hooks on an application they are handed.

`def add_permission_middleware(app: FastAPI): @app.middleware("http") ...` and
`def init_auth(app: Flask): app.before_request(check_token)` protect whatever app the caller
passes. The registration's target is a parameter, not an object of the module, so it is
recorded against the installing function; the linker applies it to the apps of its framework
once a call to the installer is seen.
"""

from __future__ import annotations

import ast
from typing import Any

from mcp_backend.review.python.frameworks._ast import last_name
from mcp_backend.review.python.frameworks._common import ModuleScope

# Annotation of the parameter -> the framework of the app it receives.
APP_ANNOTATIONS = {
    "FastAPI": "fastapi",
    "Starlette": "starlette",
    "Flask": "flask",
    "Quart": "flask",
    "Blueprint": "flask",
}
# Registration -> the framework it belongs to when the parameter has no annotation.
REGISTRATIONS = {
    "middleware": "fastapi",
    "add_middleware": "fastapi",
    "before_request": "flask",
    "before_app_request": "flask",
}


def _app_like(name: str) -> bool:
    return name == "app" or name.endswith("_app")


def _app_params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
    """Parameters that receive an app: annotated with an app class, or named like one."""
    found: dict[str, str] = {}
    for arg in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs):
        annotation = last_name(arg.annotation) if arg.annotation is not None else ""
        if annotation in APP_ANNOTATIONS:
            found[arg.arg] = APP_ANNOTATIONS[annotation]
        elif arg.annotation is None and _app_like(arg.arg):
            found[arg.arg] = ""
    return found


def extract(scope: ModuleScope, facts: dict[str, Any]) -> None:
    """Re-target the middleware and hooks registered on an app parameter to their installer."""
    # `add_permission_middleware(app)`: names of functions called with an app-like name first,
    # so the linker can tell an installer that runs from one that is never called
    facts["app_handoffs"] = sorted(
        {
            call.func.id if isinstance(call.func, ast.Name) else call.func.attr
            for call in scope.calls
            if call.args
            and isinstance(call.args[0], ast.Name)
            and _app_like(call.args[0].id)
            and isinstance(call.func, ast.Name | ast.Attribute)
        }
    )
    installed: dict[int, tuple[str, str]] = {}  # line -> (installer, framework)
    for fn in scope.functions:
        params = _app_params(fn)
        if not params:
            continue
        installer = f"{scope.module}.{fn.name}"
        for node in ast.walk(fn):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node is not fn:
                registrations = [
                    (d.func if isinstance(d, ast.Call) else d, d.lineno)
                    for d in node.decorator_list
                ]
            elif isinstance(node, ast.Call):
                registrations = [(node.func, node.lineno)]
            else:
                continue
            for func, line in registrations:
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in REGISTRATIONS
                    and isinstance(func.value, ast.Name)
                    and func.value.id in params
                ):
                    framework = params[func.value.id] or REGISTRATIONS[func.attr]
                    installed[line] = (installer, framework)
    if not installed:
        return
    for key in ("middleware", "hooks"):
        for entry in facts[key]:
            where = installed.get(int(entry.get("line", 0)))
            if where is not None:
                entry["target"] = ""
                entry["installer"], entry["framework"] = where
