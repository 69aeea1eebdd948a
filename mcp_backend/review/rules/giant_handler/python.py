"""giant-handler: route handlers that hold the whole feature (DB access + business logic)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mcp_backend.review.model import Finding, Severity
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.giant_handler import RULE

_MAX_STATEMENT_LINES = 60
_VERY_LONG = 120
_MIN_BRANCHES = 5
_DB_METHODS = {
    "query",
    "execute",
    "executemany",
    "add",
    "add_all",
    "commit",
    "flush",
    "scalars",
    "scalar",
    "fetch",
    "fetchrow",
    "fetchall",
    "fetchone",
    "save",
    "bulk_create",
    "insert_one",
    "find_one",
    "update_one",
    "delete_one",
}
_DB_RECEIVERS = {"db", "session", "conn", "connection", "cursor", "cur", "collection"}
_BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.Match, ast.With)


def _statement_lines(func: au.FunctionNode) -> int:
    body = func.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # docstring
    lines: set[int] = set()
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.stmt):
                lines.add(node.lineno)
    return len(lines)


def _db_access(func: au.FunctionNode) -> str | None:
    for node in ast.walk(func):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        dotted = au.dotted_name(node.func) or ""
        if ".objects." in dotted:
            return dotted
        root = dotted.split(".")[0]
        if node.func.attr in _DB_METHODS and (root in _DB_RECEIVERS or root == "self"):
            return dotted
    return None


class GiantHandler:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        if ctx.is_test:
            return
        handlers = 0
        giants = 0
        for func in au.iter_functions(ctx.tree):
            if not au.is_route_handler(ctx.tree, func, ctx.file):
                continue
            handlers += 1
            size = _statement_lines(func)
            if size <= _MAX_STATEMENT_LINES:
                continue
            db = _db_access(func)
            branches = sum(isinstance(n, _BRANCHES) for n in ast.walk(func))
            if db is None or branches < _MIN_BRANCHES:
                continue
            giants += 1
            severity: Severity = "medium" if size > _VERY_LONG else "low"
            yield ctx.finding(
                RULE,
                func,
                f"Route handler {func.name}() has {size} statement lines, {branches} branches "
                f"and talks to the database itself ({db}): move the rules into a service and "
                "the queries into a repository",
                severity=severity,
                snippet=ctx.lines[func.lineno - 1].strip() if ctx.lines else "",
                fix="Keep the handler to parsing input, calling one service function and "
                "shaping the response.",
            )
        if handlers and not giants:
            noun = "route handler" if handlers == 1 else "route handlers"
            ctx.signal("architecture", f"{handlers} {noun}, none oversized", ctx.tree)


DETECTOR = GiantHandler()
