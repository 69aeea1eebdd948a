"""n-plus-one-query: a query per row inside a loop over query results."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.n_plus_one_query import RULE

_EAGER = re.compile(
    r"select_related|prefetch_related|joinedload|selectinload|subqueryload|contains_eager|"
    r"immediateload|\.options\(|\.values\(|\.values_list\(|\.only\(|\.annotate\("
)
_DJANGO_QUERY = re.compile(
    r"\.objects\.(all|filter|exclude|order_by|select_related|prefetch_related)\("
)
_SQLA_QUERY = re.compile(
    r"\.query\(|\.scalars\(|\.execute\(|\.query\.(all|filter|filter_by|order_by)\(|"
    r"\.fetchall\(|\.fetch\(|\.all\(\)|\.paginate\("
)
_SESSION_NAMES = {
    "db",
    "session",
    "conn",
    "connection",
    "cursor",
    "cur",
    "db_session",
    "async_session",
    "s",
    "tx",
}
_SESSION_METHODS = {"query", "scalars", "scalar", "execute", "get", "fetchrow", "fetch", "fetchval"}
_DJANGO_METHODS = {
    "get",
    "filter",
    "exclude",
    "all",
    "count",
    "exists",
    "first",
    "last",
    "aggregate",
}
_RELATED_METHODS = {"all", "filter", "exclude", "count", "exists", "first", "last", "order_by"}
_FIX = (
    "Load the related rows with the first query: Django select_related/prefetch_related, "
    "SQLAlchemy selectinload/joinedload, or one query with WHERE id IN (...) and a dict lookup."
)


@dataclass
class _QuerySource:
    text: str
    orm: str  # "django" | "sqlalchemy"
    line: int


def _query_source(flow: au.ScopeFlow, node: ast.expr, depth: int = 0) -> _QuerySource | None:
    """What a loop iterates over, when it is a query result without eager loading."""
    if depth > 4:
        return None
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Name):
        bindings = flow.values_of(node.id, getattr(node, "lineno", 10**9))
        sources = [_query_source(flow, b.value, depth + 1) for b in bindings]
        texts = " ".join(ast.unparse(b.value) for b in bindings)
        if _EAGER.search(texts):
            return None
        return next((s for s in sources if s is not None), None)
    if not isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        return None
    text = ast.unparse(node)
    if _EAGER.search(text):
        return None
    # qs.filter(...) where qs itself was a (possibly eager) queryset
    root: ast.AST = node
    while isinstance(root, ast.Call | ast.Attribute | ast.Subscript):
        root = root.func if isinstance(root, ast.Call) else root.value
    if isinstance(root, ast.Name) and root.id in flow.bindings and depth < 4:
        for binding in flow.values_of(root.id, getattr(node, "lineno", 10**9)):
            if _EAGER.search(ast.unparse(binding.value)):
                return None
    line = getattr(node, "lineno", 0)
    if _DJANGO_QUERY.search(text):
        return _QuerySource(text, "django", line)
    if (
        _SQLA_QUERY.search(text)
        and isinstance(root, ast.Name)
        and (root.id in _SESSION_NAMES or root.id[:1].isupper())
    ):
        return _QuerySource(text, "sqlalchemy", line)
    return None


def _loop_names(target: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _query_in_body(
    nodes: list[ast.AST], loop_vars: set[str], orm: str
) -> tuple[ast.AST, str] | None:
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            dotted = au.dotted_name(node.func) or ""
            receiver = node.func.value
            if ".objects." in dotted and method in _DJANGO_METHODS:
                return node, f"{dotted}()"
            if (
                isinstance(receiver, ast.Name)
                and receiver.id in _SESSION_NAMES
                and method in _SESSION_METHODS
            ):
                return node, f"{receiver.id}.{method}()"
            if re.search(r"^[A-Z]\w*\.query\.", dotted):
                return node, f"{dotted}()"
            # order.items.all(): a related manager queried per row
            if (
                method in _RELATED_METHODS
                and isinstance(receiver, ast.Attribute)
                and isinstance(receiver.value, ast.Name)
                and receiver.value.id in loop_vars
                and receiver.attr != "objects"
            ):
                return node, f"{receiver.value.id}.{receiver.attr}.{method}()"
        if orm == "sqlalchemy":
            # for post in user.posts / len(user.posts): a lazy relationship per row
            iterated: ast.AST | None = None
            if isinstance(node, ast.For | ast.comprehension):
                iterated = node.iter
            elif isinstance(node, ast.Call) and au.call_method(node) == "len" and node.args:
                iterated = node.args[0]
            if (
                isinstance(iterated, ast.Attribute)
                and isinstance(iterated.value, ast.Name)
                and iterated.value.id in loop_vars
            ):
                return iterated, f"{iterated.value.id}.{iterated.attr} (lazy relationship)"
    return None


_QUERY_HINTS = ("objects", "query", "scalars", "execute", "fetch", ".all(")
_LOOPS = (
    ast.For,
    ast.AsyncFor,
    ast.ListComp,
    ast.SetComp,
    ast.GeneratorExp,
    ast.DictComp,
)


# Background work (a job queue's task, a scheduled job) goes row by row with no caller waiting:
# its 1 + N queries cost throughput, not a request's latency, so it is not reported.
_BACKGROUND_FILE = re.compile(r"(?:^|/)(?:tasks|jobs|cron)(?:/|\.py$)")
_TASK_DECORATORS = frozenset(
    {
        "shared_task",  # Celery
        "task",  # @app.task / @celery.task / @huey.task
        "periodic_task",
        "db_task",
        "db_periodic_task",
        "actor",  # dramatiq
        "job",  # rq
        "scheduled_job",  # APScheduler
    }
)


def _background_task(scope: ast.AST) -> bool:
    if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    for decorator in scope.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in _TASK_DECORATORS:
            return True
    return False


class NPlusOneQuery:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if "for " not in lowered or not any(w in lowered for w in _QUERY_HINTS):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test or ctx.runs_offline or "/versions/" in f"/{ctx.file}":
            return  # data migrations and management commands run once, row by row on purpose
        if _BACKGROUND_FILE.search(ctx.file):
            return
        signalled = False
        for scope in au.iter_scopes(ctx.tree):
            if _background_task(scope):
                continue
            for node in au.walk_scope(scope):
                if not signalled and isinstance(node, ast.Call):
                    method = au.call_method(node) or ""
                    if _EAGER.match("." + method + "(") or method in {
                        "select_related",
                        "prefetch_related",
                        "joinedload",
                        "selectinload",
                    }:
                        ctx.signal("n-plus-one", f"eager loading ({method})", node)
                        signalled = True
                if not isinstance(node, _LOOPS):
                    continue
                finding = self._check_loop(ctx, au.scope_flow(ctx.tree, scope), node)
                if finding is not None:
                    yield finding

    def _check_loop(
        self, ctx: PythonFileContext, flow: au.ScopeFlow, node: ast.AST
    ) -> Finding | None:
        if isinstance(node, ast.For | ast.AsyncFor):
            source = _query_source(flow, node.iter)
            body = [n for stmt in node.body for n in au.walk_scope(stmt)]
            loop_vars = _loop_names(node.target)
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            generator = node.generators[0]
            source = _query_source(flow, generator.iter)
            elements: list[ast.AST] = (
                [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            )
            body = [n for e in elements for n in ast.walk(e)]
            loop_vars = _loop_names(generator.target)
        else:
            return None
        if source is None:
            return None
        hit = _query_in_body(body, loop_vars, source.orm)
        if hit is None:
            return None
        inner, what = hit
        return ctx.finding(
            RULE,
            inner,
            f"{what} runs once per row of the query on line {source.line} "
            f"({source.text[:60]}): 1 + N queries",
            fix=_FIX,
        )


DETECTOR = NPlusOneQuery()
