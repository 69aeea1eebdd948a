"""allowed-hosts-wildcard: Django ALLOWED_HOSTS accepting any Host header."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.allowed_hosts_wildcard import RULE

_FIX = (
    "List the real host names (ALLOWED_HOSTS = env.list('DJANGO_ALLOWED_HOSTS')) and fail at "
    "start-up when the variable is missing instead of falling back to '*'."
)


def _has_wildcard(node: ast.AST) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(au.const_str(e) == "*" for e in node.elts)
    return au.const_str(node) == "*"


def _env_fallback_wildcard(node: ast.AST) -> bool:
    """os.environ.get("ALLOWED_HOSTS", "*").split(",") / env.list(..., default=["*"])."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            default = au.keyword(sub, "default")
            if default is None and au.call_method(sub) in {"get", "getenv"} and len(sub.args) > 1:
                default = sub.args[1]
            if default is not None and (
                _has_wildcard(default) or "*" in (au.const_str(default) or "").split(",")
            ):
                return True
    return False


class AllowedHostsWildcard:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if "allowed_hosts" not in lowered:
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test or au.is_dev_settings_file(ctx.file):
            return
        if not au.looks_like_settings_module(ctx.file, ctx.tree):
            return
        for stmt in ctx.tree.body:
            value: ast.expr | None = None
            if (
                isinstance(stmt, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "ALLOWED_HOSTS" for t in stmt.targets)
            ) or (
                isinstance(stmt, ast.AugAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == "ALLOWED_HOSTS"
            ):
                value = stmt.value
            elif (
                isinstance(stmt, ast.Expr)
                and isinstance(stmt.value, ast.Call)
                and au.dotted_name(stmt.value.func)
                in {"ALLOWED_HOSTS.append", "ALLOWED_HOSTS.extend"}
                and stmt.value.args
            ):
                value = stmt.value.args[0]
            if value is None:
                continue
            if _has_wildcard(value):
                yield ctx.finding(
                    RULE,
                    stmt,
                    "ALLOWED_HOSTS accepts any Host header ('*'): forged hosts end up in "
                    "password-reset links and cached URLs",
                    fix=_FIX,
                )
            elif _env_fallback_wildcard(value):
                yield ctx.finding(
                    RULE,
                    stmt,
                    "ALLOWED_HOSTS falls back to '*' when the environment variable is unset",
                    severity="low",
                    fix=_FIX,
                )
            elif not isinstance(value, ast.IfExp):
                ctx.signal("transport-security", "ALLOWED_HOSTS restricted", stmt)


DETECTOR = AllowedHostsWildcard()
