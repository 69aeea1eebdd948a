"""blocking-call-in-async: synchronous I/O on the event loop."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mcp_backend.review.model import Finding, Severity
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.blocking_call_in_async import RULE

_HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"}
_BLOCKING: dict[str, str] = {
    **{f"requests.{verb}": "requests (sync HTTP)" for verb in _HTTP_VERBS},
    **{f"httpx.{verb}": "httpx sync call" for verb in _HTTP_VERBS},
    "urllib.request.urlopen": "urllib urlopen",
    "urllib.request.urlretrieve": "urllib urlretrieve",
    "time.sleep": "time.sleep",
    "subprocess.run": "subprocess.run",
    "subprocess.call": "subprocess.call",
    "subprocess.check_call": "subprocess.check_call",
    "subprocess.check_output": "subprocess.check_output",
    "subprocess.getoutput": "subprocess.getoutput",
    "os.system": "os.system",
    "os.popen": "os.popen",
    "psycopg2.connect": "psycopg2 (sync driver)",
    "psycopg.connect": "psycopg sync connection",
    "sqlite3.connect": "sqlite3 (sync driver)",
    "pymysql.connect": "pymysql (sync driver)",
    "MySQLdb.connect": "MySQLdb (sync driver)",
    "mysql.connector.connect": "mysql-connector (sync driver)",
    "smtplib.SMTP": "smtplib (sync SMTP)",
    "smtplib.SMTP_SSL": "smtplib (sync SMTP)",
}
# Objects whose methods block: requests.Session(), httpx.Client(), sqlite3/psycopg2 connections.
_BLOCKING_FACTORIES = {
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "httpx.Client": "httpx.Client",
    "psycopg2.connect": "psycopg2 connection",
    "sqlite3.connect": "sqlite3 connection",
    "pymysql.connect": "pymysql connection",
    "smtplib.SMTP": "smtplib",
}
_BLOCKING_OBJECT_METHODS = _HTTP_VERBS | {
    "execute",
    "executemany",
    "fetchall",
    "fetchone",
    "commit",
    "cursor",
    "send",
    "sendmail",
    "send_message",
}
_SYNC_SESSION_METHODS = {
    "query",
    "execute",
    "scalars",
    "scalar",
    "get",
    "commit",
    "flush",
    "refresh",
    "merge",
    "delete",
}
_DJANGO_EVALUATING = {
    "get",
    "create",
    "count",
    "exists",
    "first",
    "last",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "aggregate",
    "latest",
    "earliest",
    "in_bulk",
}
_SYNC_SESSION_MODULES = ("sqlalchemy.orm", "sqlmodel", "sqlalchemy")
_ASYNC_EVIDENCE = {
    "httpx.AsyncClient": "httpx.AsyncClient",
    "aiohttp.ClientSession": "aiohttp",
    "asyncio.sleep": "asyncio.sleep",
    "asyncio.to_thread": "asyncio.to_thread",
    "anyio.to_thread.run_sync": "anyio.to_thread",
    "starlette.concurrency.run_in_threadpool": "run_in_threadpool",
    "fastapi.concurrency.run_in_threadpool": "run_in_threadpool",
    "asgiref.sync.sync_to_async": "sync_to_async",
}
_FIX = (
    "Use the async client or driver (httpx.AsyncClient, aiohttp, asyncpg, AsyncSession, "
    "asyncio.sleep), or move the call off the loop with asyncio.to_thread / run_in_threadpool; "
    "a plain `def` FastAPI handler also runs in the thread pool."
)


def _sync_session_params(info: au.ModuleInfo, func: ast.AsyncFunctionDef) -> set[str]:
    """Parameters typed with SQLAlchemy's/SQLModel's synchronous Session."""
    result: set[str] = set()
    for arg in func.args.args + func.args.kwonlyargs:
        if arg.annotation is None:
            continue
        for node in ast.walk(arg.annotation):
            if isinstance(node, ast.Name | ast.Attribute):
                qualified = info.qualify(node) or ""
                if qualified.endswith(".Session") and qualified.startswith(_SYNC_SESSION_MODULES):
                    result.add(arg.arg)
    return result


class BlockingCallInAsync:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if "async def" not in lowered or ctx.is_test:
            return  # cheap pre-check; async tests may block on purpose (no server loop)
        info = au.module_info(ctx.tree)
        once = au.SignalOnce()
        for func in au.iter_functions(ctx.tree):
            if not isinstance(func, ast.AsyncFunctionDef):
                continue
            yield from self._check_function(ctx, info, func, once)

    def _check_function(
        self,
        ctx: PythonFileContext,
        info: au.ModuleInfo,
        func: ast.AsyncFunctionDef,
        once: au.SignalOnce,
    ) -> Iterator[Finding]:
        flow = au.scope_flow(ctx.tree, func)
        awaited = au.awaited_calls(func)
        handler = au.is_route_handler(ctx.tree, func, ctx.file)
        sessions = _sync_session_params(info, func)
        session_reported = False
        found: list[tuple[ast.Call, str, Severity]] = []
        for node in au.walk_scope(func):
            if not isinstance(node, ast.Call) or id(node) in awaited:
                if isinstance(node, ast.Call):
                    evidence = _ASYNC_EVIDENCE.get(info.qualify(node.func) or "")
                    if evidence and once.first(evidence):
                        ctx.signal("blocking-io", f"async I/O: {evidence}", node)
                continue
            qualified = info.qualify(node.func) or ""
            evidence = _ASYNC_EVIDENCE.get(qualified)
            if evidence is not None:
                if once.first(evidence):
                    ctx.signal("blocking-io", f"async I/O: {evidence}", node)
                continue
            what = _BLOCKING.get(qualified)
            severity: Severity = "high" if handler else "medium"
            if what is None:
                what = self._blocking_object_call(info, flow, node)
            if what is None and not session_reported:
                what = self._sync_session_call(node, sessions)
                session_reported = what is not None
            if what is None:
                what = self._django_queryset(node)
            if what is None and handler and qualified == "open" and "open" not in info.imports:
                what, severity = "open() file I/O", "low"
            if what is not None:
                found.append((node, what, severity))
        if not found:
            return
        # One finding per function: the first blocking call, the others counted.
        found.sort(key=lambda item: (-au.SEVERITY_RANK[item[2]], item[0].lineno))
        call, what, severity = found[0]
        more = f" (and {len(found) - 1} more blocking calls)" if len(found) > 1 else ""
        yield ctx.finding(
            RULE,
            call,
            f"{what} inside async def {func.name}(){more}: it blocks the event loop and every "
            "other request waits",
            severity=severity,
            fix=_FIX,
        )

    def _blocking_object_call(
        self, info: au.ModuleInfo, flow: au.ScopeFlow, call: ast.Call
    ) -> str | None:
        """`s.get(...)` where `s = requests.Session()`, `conn.execute` on sqlite3.connect()."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _BLOCKING_OBJECT_METHODS:
            return None
        receiver = func.value
        if isinstance(receiver, ast.Call):
            factory = _BLOCKING_FACTORIES.get(info.qualify(receiver.func) or "")
            return f"{factory}().{func.attr}" if factory else None
        if not isinstance(receiver, ast.Name):
            return None
        for binding in flow.values_of(receiver.id, call.lineno):
            value = binding.value
            if isinstance(value, ast.Call):
                factory = _BLOCKING_FACTORIES.get(info.qualify(value.func) or "")
                if factory:
                    return f"{factory}.{func.attr}()"
                # cur = conn.cursor() where conn is a sync connection
                inner = value.func
                if isinstance(inner, ast.Attribute) and inner.attr == "cursor":
                    nested = self._blocking_object_call(info, flow, value)
                    if nested:
                        return f"{nested} cursor .{func.attr}()"
        return None

    def _sync_session_call(self, call: ast.Call, sessions: set[str]) -> str | None:
        func = call.func
        while isinstance(func, ast.Attribute):
            if (
                isinstance(func.value, ast.Name)
                and func.value.id in sessions
                and func.attr in _SYNC_SESSION_METHODS
            ):
                return f"synchronous SQLAlchemy Session ({func.value.id}.{func.attr})"
            inner = func.value
            func = inner.func if isinstance(inner, ast.Call) else inner
        return None

    def _django_queryset(self, call: ast.Call) -> str | None:
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _DJANGO_EVALUATING:
            return None
        dotted = au.dotted_name(func) or ""
        if ".objects." in dotted or ".objects()" in dotted:
            return f"synchronous Django ORM call ({dotted.split('.objects')[0]}.objects...)"
        return None


DETECTOR = BlockingCallInAsync()
