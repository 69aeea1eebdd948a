"""debug-mode-enabled: debug switched on in shipped code."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mcp_backend.review.model import Finding, Severity
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.debug_mode_enabled import RULE

_APP_CONSTRUCTORS = {"FastAPI", "Starlette", "Quart", "Sanic", "Litestar"}
_LOCAL_ENTRY_FUNCTIONS = {"main", "run", "dev", "cli", "run_dev", "serve", "start", "debug"}
_FIX = (
    "Read the flag from the environment with a False default (DEBUG = env.bool('DEBUG', "
    "default=False)) and run production behind gunicorn/uvicorn without it."
)


def _local_entry_ids(tree: ast.Module) -> set[int]:
    """Nodes under `if __name__ == "__main__":` or in a main()/run() function."""
    ids: set[int] = set()
    for node in au.nodes_of(tree, ast.If, ast.FunctionDef, ast.AsyncFunctionDef):
        if au.is_main_guard(node) or (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name in _LOCAL_ENTRY_FUNCTIONS
        ):
            ids.update(id(n) for n in ast.walk(node))
    return ids


class DebugModeEnabled:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if "debug" not in lowered:
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test or au.is_dev_settings_file(ctx.file):
            return
        local_entry = _local_entry_ids(ctx.tree)
        for node in au.nodes_of(ctx.tree, ast.Call, ast.Assign):
            what = self._debug_on(node)
            if what is None:
                continue
            exposed = isinstance(node, ast.Call) and au.const_str(au.keyword(node, "host")) in {
                "0.0.0.0",  # noqa: S104 - detecting the bind address, not binding
                "::",
            }
            # A local entry point is medium, unless it listens on every interface.
            local_only = id(node) in local_entry and not exposed
            severity: Severity = "medium" if local_only else "high"
            yield ctx.finding(
                RULE,
                node,
                f"{what}: stack traces, settings (and with Werkzeug an interactive console) "
                "are exposed to anyone who triggers an error",
                severity=severity,
                fix=_FIX,
            )
        yield from self._settings(ctx)

    def _debug_on(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Call):
            method = au.call_method(node) or ""
            if method in {"run", "run_simple"} and isinstance(node.func, ast.Attribute | ast.Name):
                if au.is_true(au.keyword(node, "debug")):
                    return f"{au.dotted_name(node.func)}(debug=True)"
                if au.is_true(au.keyword(node, "use_debugger")):
                    return "run_simple(use_debugger=True)"
            if method in _APP_CONSTRUCTORS and au.is_true(au.keyword(node, "debug")):
                return f"{method}(debug=True)"
            if method in {"update", "from_mapping"} and au.is_true(au.keyword(node, "DEBUG")):
                return f"config.{method}(DEBUG=True)"
        if isinstance(node, ast.Assign) and au.is_true(node.value):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "debug":
                    receiver = au.dotted_name(target.value) or ""
                    if receiver.split(".")[-1] in {"app", "application", "server", "api"}:
                        return f"{receiver}.debug = True"
                if (
                    isinstance(target, ast.Subscript)
                    and au.const_str(target.slice) == "DEBUG"
                    and (au.dotted_name(target.value) or "").endswith("config")
                ):
                    return 'config["DEBUG"] = True'
        return None

    def _settings(self, ctx: PythonFileContext) -> Iterator[Finding]:
        is_settings = au.looks_like_settings_module(ctx.file, ctx.tree)
        for stmt in ctx.tree.body:
            if isinstance(stmt, ast.ClassDef) and "prod" in stmt.name.lower():
                yield from self._debug_assignments(ctx, stmt.body, f"{stmt.name}.DEBUG")
            elif is_settings:
                yield from self._debug_assignments(ctx, [stmt], "DEBUG")

    def _debug_assignments(
        self, ctx: PythonFileContext, body: list[ast.stmt], label: str
    ) -> Iterator[Finding]:
        for stmt in body:
            if not isinstance(stmt, ast.Assign):
                continue
            if not any(isinstance(t, ast.Name) and t.id == "DEBUG" for t in stmt.targets):
                continue
            if au.is_true(stmt.value):
                yield ctx.finding(
                    RULE,
                    stmt,
                    f"{label} = True in a settings module: debug pages with settings and "
                    "tracebacks are served to everyone",
                    fix=_FIX,
                )
            elif isinstance(stmt.value, ast.Call | ast.Compare | ast.BoolOp):
                ctx.signal("error-handling", "DEBUG read from the environment", stmt)


DETECTOR = DebugModeEnabled()
