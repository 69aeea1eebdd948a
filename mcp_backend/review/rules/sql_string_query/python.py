"""sql-string-query: SQL text built from non-constant parts reaching a query sink."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.sql_string_query import RULE

# Methods that send SQL text to a database (cursor/connection/session/asyncpg/databases).
_EXECUTE_METHODS = au.SQL_EXECUTE_METHODS | {"query", "copy_expert"}
# Functions that wrap raw SQL text; their argument is SQL whatever it looks like.
_RAW_SQL_FUNCTIONS = {
    "sqlalchemy.text",
    "sqlalchemy.sql.text",
    "sqlalchemy.sql.expression.text",
    "sqlalchemy.literal_column",
    "pandas.read_sql",
    "pandas.read_sql_query",
    "sqlalchemy.sql.literal_column",
    "sqlalchemy.sql.expression.literal_column",
    "sqlmodel.text",
    "django.db.models.expressions.RawSQL",
    "django.db.models.RawSQL",
    "psycopg2.sql.SQL",
    "psycopg.sql.SQL",
}
_NOT_SQL_ROOTS = ("subprocess.", "os.", "asyncio.", "shlex.", "concurrent.")
_SQL_TEXT = re.compile(
    r"\b(select\b.*\bfrom|insert\s+into|update\b.*\bset|delete\s+from|create\s+"
    r"(table|index|view|schema|database)|drop\s+(table|index|view|schema|database)|alter\s+table|"
    r"truncate\s+table|pragma|where\b|order\s+by|group\s+by|values\s*\(|limit\s)",
    re.IGNORECASE | re.DOTALL,
)
_FIX = (
    "Pass values as bound parameters (cursor.execute(sql, params), text(':name') with a dict, "
    "asyncpg $1) or use the ORM; choose identifiers such as table or column names from an "
    "allow-list."
)


class SqlStringQuery:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        if ctx.is_test or ctx.runs_offline:
            # fixtures, migrations and management commands build SQL from the app's own
            # tables or the operator's command line; no client reaches it
            return
        info = au.module_info(ctx.tree)
        once = au.SignalOnce()
        reported: set[int] = set()
        for scope in au.iter_scopes(ctx.tree):
            for node in au.scope_calls(scope):
                for sql_arg, needs_sql_text in self._sql_arguments(node, info):
                    finding = self._check_argument(
                        ctx,
                        flow=au.scope_flow(ctx.tree, scope),
                        call=node,
                        sql_arg=sql_arg,
                        needs_sql_text=needs_sql_text,
                        once=once,
                    )
                    if finding is not None and finding.line not in reported:
                        reported.add(finding.line)
                        yield finding
        self._orm_signals(ctx, info, once)

    def _sql_arguments(
        self, call: ast.Call, info: au.ModuleInfo
    ) -> Iterator[tuple[ast.expr, bool]]:
        qualified = info.qualify(call.func) or ""
        method = au.call_method(call)
        if qualified in _RAW_SQL_FUNCTIONS or (
            qualified.endswith(".RawSQL") or qualified == "RawSQL"
        ):
            arg = au.argument(call, 0, "sql") or au.argument(call, 0, "text")
            if arg is not None:
                yield arg, False
            return
        if not isinstance(call.func, ast.Attribute) or qualified.startswith(_NOT_SQL_ROOTS):
            return
        if method == "raw":
            arg = au.argument(call, 0, "raw_query")
            if arg is not None:
                # Model.objects.raw(...) is SQL; other .raw() calls must look like SQL.
                yield arg, ".objects" not in qualified
            return
        if method == "extra":
            for name in ("where", "select", "tables", "order_by"):
                value = au.keyword(call, name)
                if isinstance(value, ast.List | ast.Tuple):
                    yield from ((element, False) for element in value.elts)
                elif isinstance(value, ast.Dict):
                    yield from ((element, False) for element in value.values)
            return
        if method in _EXECUTE_METHODS:
            arg = au.argument(call, 0, "statement") or au.keyword(call, "query")
            if arg is None:
                arg = au.keyword(call, "sql") or au.keyword(call, "operation")
            if isinstance(arg, ast.Call) and au.call_method(arg) in {"text", "literal_column"}:
                arg = au.argument(arg, 0)  # execute(text(...)) even when text is not imported here
            if arg is not None:
                yield arg, True

    def _check_argument(
        self,
        ctx: PythonFileContext,
        *,
        flow: au.ScopeFlow,
        call: ast.Call,
        sql_arg: ast.expr,
        needs_sql_text: bool,
        once: au.SignalOnce,
    ) -> Finding | None:
        build = au.string_build(flow, sql_arg)
        if build is None:
            constant = au.const_str(sql_arg)
            has_params = len(call.args) > 1 or any(
                kw.arg in {"params", "parameters", "args", "values"} for kw in call.keywords
            )
            if (
                constant is not None
                and _SQL_TEXT.search(constant)
                and has_params
                and once.first("parameterised query")
            ):
                ctx.signal("sql-injection", "parameterised query", call)
            return None
        if needs_sql_text and not _SQL_TEXT.search(build.text):
            return None
        unsafe = [part for part in build.parts if not au.is_safe_fragment(flow, part)]
        if not unsafe:
            if once.first("query built from constant parts with bound values"):
                ctx.signal("sql-injection", "query built from constant parts", call)
            return None
        taint = max(au.taint_of(flow, part, line=call.lineno) for part in unsafe)
        severity = au.severity_for(taint, request="critical", param="medium", local="medium")
        spliced = ", ".join(ast.unparse(part)[:40] for part in unsafe[:3])
        message = (
            f"SQL built with {build.kind} from {au.TAINT_WORDS[taint]} ({spliced}) reaches "
            f"{au.call_method(call)}(): the value becomes part of the SQL text"
        )
        return ctx.finding(RULE, call, message, fix=_FIX, severity=severity)

    def _orm_signals(
        self, ctx: PythonFileContext, info: au.ModuleInfo, once: au.SignalOnce
    ) -> None:
        for node in au.nodes_of(ctx.tree, ast.Call):
            if not isinstance(node, ast.Call):
                continue
            qualified = info.qualify(node.func) or ""
            if qualified in {"sqlalchemy.select", "sqlmodel.select", "sqlalchemy.future.select"}:
                if once.first("ORM query builder"):
                    ctx.signal("sql-injection", "SQLAlchemy query builder (select)", node)
                return
            if ".objects." in qualified and au.call_method(node) in {"filter", "get", "exclude"}:
                if once.first("ORM query builder"):
                    ctx.signal("sql-injection", "Django ORM queries", node)
                return


DETECTOR = SqlStringQuery()
