"""error-details-leak: exception text or tracebacks sent back to the client."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mcp_backend.review.model import Finding, Severity
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.error_details_leak import RULE

# Catches whose message was not written for users: anything, or infrastructure failures.
_BROAD_EXCEPTIONS = {
    "Exception",
    "BaseException",
    "SQLAlchemyError",
    "DBAPIError",
    "DatabaseError",
    "OperationalError",
    "IntegrityError",
    "ProgrammingError",
    "InterfaceError",
    "InternalError",
    "DataError",
    "PyMongoError",
    "RedisError",
    "RequestException",
    "ConnectionError",
    "HTTPError",
    "ClientError",
    "BotoCoreError",
    "OSError",
    "IOError",
    "RuntimeError",
    "AttributeError",
    "TypeError",
}
_TRACEBACK_CALLS = {"format_exc", "format_exception", "format_tb", "exc_info"}
_RESPONSE_CALLS = {
    "HTTPException",
    "APIException",
    "ParseError",
    "abort",
    "jsonify",
    "make_response",
    "Response",
    "JSONResponse",
    "ORJSONResponse",
    "UJSONResponse",
    "PlainTextResponse",
    "HTMLResponse",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseServerError",
    "JsonResponse",
    "json_response",
    "render_template",
    "render",
}
_FIX = (
    "Log the exception server-side (logger.exception) and return a generic message with a "
    "stable error code; only return messages of domain exceptions written for users."
)


_DRIVER_MODULES = {"psycopg2", "psycopg", "pymysql", "MySQLdb", "sqlite3", "asyncpg", "connector"}


def _exception_names(handler_type: ast.expr | None) -> list[str]:
    if handler_type is None:
        return ["BaseException"]
    types = handler_type.elts if isinstance(handler_type, ast.Tuple) else [handler_type]
    names: list[str] = []
    for exc_type in types:
        module, _, name = (au.dotted_name(exc_type) or "").rpartition(".")
        # psycopg2.Error is a database failure; csv.Error or binascii.Error are not.
        if name == "Error" and module.rsplit(".", 1)[-1] in _DRIVER_MODULES:
            name = "DatabaseError"
        names.append(name)
    return names


# Errors about a value the caller sent. Programming errors named beside them in one tuple
# (`except (ValueError, KeyError, TypeError)`) are part of the same validation catch.
_DATA_ERRORS = {
    "ValueError",
    "KeyError",
    "IndexError",
    "LookupError",
    "UnicodeError",
    "UnicodeDecodeError",
    "JSONDecodeError",
    "ValidationError",
    "BadZipFile",
    "BadZipfile",
    "InvalidOperation",
}
_PROGRAMMING_ERRORS = {"TypeError", "AttributeError"}


def _is_broad_catch(names: list[str]) -> bool:
    broad = set(names) & _BROAD_EXCEPTIONS
    if broad <= _PROGRAMMING_ERRORS and set(names) & _DATA_ERRORS:
        return False  # except (ValueError, KeyError, TypeError): a validation catch
    return bool(broad)


def _sent_parts(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of an expression whose value can reach the answer: not the tests of a
    conditional or comparison (`MSG if e.args == (X,) else OTHER` sends MSG or OTHER)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Compare):
            continue
        yield current
        if isinstance(current, ast.IfExp):
            stack.extend((current.orelse, current.body))
        else:
            stack.extend(reversed(list(ast.iter_child_nodes(current))))


def _leak_in(node: ast.AST, exc_names: set[str]) -> str | None:
    """What in `node` carries exception details: 'str(e)', 'traceback', 'e.args'."""
    for sub in _sent_parts(node):
        if isinstance(sub, ast.Call):
            method = au.call_method(sub)
            if method in _TRACEBACK_CALLS:
                return "traceback"
            if (
                method in {"str", "repr", "format"}
                and sub.args
                and isinstance(sub.args[0], ast.Name)
                and sub.args[0].id in exc_names
            ):
                return f"{method}({sub.args[0].id})"
        elif isinstance(sub, ast.FormattedValue) and isinstance(sub.value, ast.Name):
            if sub.value.id in exc_names:
                return f"{{{sub.value.id}}}"
        elif (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.value, ast.Name)
            and sub.value.id in exc_names
            and sub.attr in {"args", "orig", "__traceback__"}
        ):
            return f"{sub.value.id}.{sub.attr}"
        elif isinstance(sub, ast.Dict):
            for value in sub.values:
                if isinstance(value, ast.Name) and value.id in exc_names:
                    return value.id
        elif (
            isinstance(sub, ast.keyword)
            and isinstance(sub.value, ast.Name)
            and sub.value.id in exc_names
        ):
            return sub.value.id  # render_template("error.html", error=e)
    return None


_TRY_STAR: type[ast.Try] = getattr(ast, "TryStar", ast.Try)
# Calls that only read or check the caller's own input: json.loads, await request.json(),
# validate_password(...), Model.model_validate(...), Query.from_dict(...), int(...).
_PARSING_CALL = re.compile(
    r"^(validate\w*|\w+_validator|parse\w*|loads?|json|get_json|from_dict|from_json|"
    r"model_validate\w*|model_dump|dict|fromisoformat|strptime|literal_eval|b64decode|"
    r"urlsafe_b64decode|decode|int|float|str|bool|len|UUID|Decimal|ObjectId)$"
)
# Classes built from the input to validate it (pydantic models, forms, schemas).
_SCHEMA_CLASS = re.compile(r"(Form|Schema|Model|Request|Body|Input|Params|Payload|Query)$")


def _only_parses_input(body: list[ast.stmt]) -> bool:
    """A `try:` whose body only parses or validates input: whatever it raises describes that
    input (a malformed payload, a password that breaks the policy), not the server."""
    calls = 0
    for stmt in body:
        if not isinstance(stmt, ast.Expr | ast.Assign | ast.AnnAssign | ast.Return):
            return False
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Call):
                continue
            calls += 1
            name = au.call_method(node) or ""
            if not (_PARSING_CALL.match(name) or _SCHEMA_CLASS.search(name)):
                return False
    return calls > 0


# Clients of another HTTP service: what they raise is that service's answer or the failed
# connection to it (requests.get, httpx.post, aiohttp's session.request, urlopen).
_HTTP_CLIENT_MODULES = {"requests", "httpx", "aiohttp", "urllib3"}


def _requests_upstream(call: ast.Call) -> bool:
    method = au.call_method(call) or ""
    root = (au.dotted_name(call.func) or "").split(".", 1)[0]
    if method in {"raise_for_status", "urlopen"} or root in _HTTP_CLIENT_MODULES:
        return True
    # session.request("GET", url) / client.request(method=..., url=...)
    return method == "request" and (len(call.args) >= 2 or au.keyword(call, "url") is not None)


class _Upstream:
    """Which functions of one module send a request to another HTTP service, directly or
    through the module's own helpers (a wrapper dispatching to one client per provider)."""

    def __init__(self, tree: ast.Module) -> None:
        self._functions = {
            node.name: node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        self._known: dict[str, bool] = {}

    def _function(self, name: str, depth: int) -> bool:
        if name in self._known:
            return self._known[name]
        self._known[name] = False  # recursion guard
        func = self._functions[name]
        result = self.calls(func.body, depth + 1)
        self._known[name] = result
        return result

    def calls(self, body: list[ast.stmt], depth: int = 0) -> bool:
        """Whether `body` sends a request to another HTTP service."""
        helpers: list[str] = []
        for stmt in body:
            for node in au.walk_scope(stmt):
                if not isinstance(node, ast.Call):
                    continue
                if _requests_upstream(node):
                    return True
                if isinstance(node.func, ast.Name) and node.func.id in self._functions:
                    helpers.append(node.func.id)
        return depth < 3 and any(self._function(name, depth) for name in helpers)


def _has_words(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and bool(re.search(r"[A-Za-z]{3}", str(node.value)))


def _framed(node: ast.AST) -> bool:
    """The answer says in its own words what failed and adds the error as the reason:
    f"Failed to fetch the index from asset_url: {e}", {"error": "Proxy failed", "details": e}."""
    for sub in _sent_parts(node):
        if isinstance(sub, ast.JoinedStr) and any(_has_words(v) for v in sub.values):
            return True
        if isinstance(sub, ast.Dict) and any(v is not None and _has_words(v) for v in sub.values):
            return True
        if isinstance(sub, ast.BinOp) and (_has_words(sub.left) or _has_words(sub.right)):
            return True
    return False


# Statuses that tell the client another service failed: the answer is about that service.
_GATEWAY_STATUS = re.compile(r"\b(502|504)\b|BAD_GATEWAY|GATEWAY_TIMEOUT")
_UNAVAILABLE_STATUS = re.compile(r"\b503\b|SERVICE_UNAVAILABLE")


def _status_text(call: ast.Call) -> str:
    """The source of the HTTP status an answer is built with, '' when none is given."""
    status = (
        au.keyword(call, "status_code") or au.keyword(call, "status") or au.keyword(call, "code")
    )
    method = au.call_method(call) or ""
    if status is None and method in {"HTTPException", "abort"} and call.args:
        status = call.args[0]
    if status is None:
        return ""
    if isinstance(status, ast.Constant):
        return str(status.value)
    return au.dotted_name(status) or ""


def _is_response_call(call: ast.Call) -> bool:
    method = au.call_method(call) or ""
    return method in _RESPONSE_CALLS or (method.startswith("HTTP") and method[4:5].isupper())


def _handler_functions(tree: ast.Module) -> dict[str, str]:
    """Functions registered as error handlers for broad exceptions -> their exception param."""
    registered: set[str] = set()
    result: dict[str, str] = {}
    for node in au.nodes_of(tree, ast.Call):
        # app.add_exception_handler(Exception, handler) / app.register_error_handler(500, h)
        if (
            isinstance(node, ast.Call)
            and au.call_method(node) in {"add_exception_handler", "register_error_handler"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Name)
            and _is_broad_key(node.args[0])
        ):
            registered.add(node.args[1].id)
    for func in au.iter_functions(tree):
        broad = func.name in registered
        for decorator in func.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and au.call_method(decorator) in {"exception_handler", "errorhandler"}
                and decorator.args
                and _is_broad_key(decorator.args[0])
            ):
                broad = True
        params = [a.arg for a in func.args.posonlyargs + func.args.args]
        if broad and params:
            result[func.name] = params[-1]  # Flask: (e); FastAPI/Starlette: (request, exc)
    return result


def _is_broad_key(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in {500, "500"}
    return (au.dotted_name(node) or "").rsplit(".", 1)[-1] in {"Exception", "BaseException"}


# `settings.DEBUG`, `app.debug`, `config["DEBUG"]`, `is_debug()`: a development-mode switch.
_DEBUG_TEST = re.compile(r"(?i)(^|[^a-z])(is_)?debug(_mode)?([^a-z]|$)")


def _debug_only_lines(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[int]:
    """Lines of `func` that run only in debug mode: the body of `if settings.DEBUG:`, the
    else of `if not DEBUG:`, and what follows `if not settings.DEBUG: raise` in its block.
    Development servers show errors on purpose; production never reaches these lines."""
    lines: set[int] = set()

    def span(statements: list[ast.stmt]) -> None:
        for stmt in statements:
            lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))

    def block(statements: list[ast.stmt]) -> None:
        for index, stmt in enumerate(statements):
            if isinstance(stmt, ast.If):
                test = stmt.test
                negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
                tested = test.operand if isinstance(test, ast.UnaryOp) else test
                if _DEBUG_TEST.search(ast.unparse(tested)):
                    if not negated:
                        span(stmt.body)
                    else:
                        span(stmt.orelse)
                        if stmt.body and isinstance(stmt.body[-1], ast.Raise | ast.Return):
                            span(statements[index + 1 :])
                            return
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list) and not isinstance(
                    stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                ):
                    block(inner)
            for handler in getattr(stmt, "handlers", []):
                block(handler.body)

    block(func.body)
    return lines


class ErrorDetailsLeak:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if not ("except" in lowered or "exception_handler" in lowered or "errorhandler" in lowered):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test:
            return
        self._signals(ctx)
        handlers = _handler_functions(ctx.tree)
        reported: set[int] = set()
        upstream = _Upstream(ctx.tree)
        for func in au.iter_functions(ctx.tree):
            is_handler = au.is_route_handler(ctx.tree, func, ctx.file)
            # answers given only in debug mode are the developer's, not a client's
            debug_lines = _debug_only_lines(func)
            if func.name in handlers:
                body_nodes = list(au.walk_scope(func))
                yield from self._sinks(
                    ctx, body_nodes, {handlers[func.name]}, True, reported, debug_lines=debug_lines
                )
            for block in au.walk_scope(func):
                if not isinstance(block, ast.Try | _TRY_STAR):
                    continue
                parses_input = _only_parses_input(block.body)
                relays_upstream = upstream.calls(block.body)
                for node in block.handlers:
                    broad = _is_broad_catch(_exception_names(node.type))
                    names = {node.name} if node.name else set()
                    nodes = [n for stmt in node.body for n in au.walk_scope(stmt)]
                    if not broad or parses_input:
                        # only tracebacks leak from a specific, user-facing error, or from
                        # parsing the caller's own input (its message is about that input)
                        names = set()
                    yield from self._sinks(
                        ctx,
                        nodes,
                        names,
                        is_handler,
                        reported,
                        upstream=relays_upstream,
                        debug_lines=debug_lines,
                    )

    def _sinks(
        self,
        ctx: PythonFileContext,
        nodes: list[ast.AST],
        exc_names: set[str],
        returns_to_client: bool,
        reported: set[int],
        *,
        upstream: bool = False,
        debug_lines: set[int] | None = None,
    ) -> Iterator[Finding]:
        # Flask's `return jsonify(...), 502`: the status sits beside the answer.
        tuple_status: dict[int, str] = {}
        for node in nodes:
            if isinstance(node, ast.Tuple) and len(node.elts) >= 2:
                code = node.elts[1]
                text = (
                    str(code.value)
                    if isinstance(code, ast.Constant)
                    else au.dotted_name(code) or ""
                )
                tuple_status[id(node.elts[0])] = text
        for node in nodes:
            target: ast.AST | None = None
            if isinstance(node, ast.Call) and _is_response_call(node):
                target = node
            elif isinstance(node, ast.Return) and returns_to_client and node.value is not None:
                target = node.value
            if target is None:
                continue
            leak = _leak_in(target, exc_names)
            line = getattr(node, "lineno", 0)
            if leak is None or line in reported or (debug_lines and line in debug_lines):
                continue
            answer = target
            if isinstance(answer, ast.Tuple) and answer.elts:
                answer = answer.elts[0]  # return jsonify(...), 502
            status = (
                _status_text(answer) or tuple_status.get(id(answer), "")
                if isinstance(answer, ast.Call)
                else ""
            )
            severity: Severity = "high" if leak == "traceback" else "medium"
            if leak != "traceback" and _GATEWAY_STATUS.search(status):
                continue  # 502/504: the message is the upstream's failure, relayed on purpose
            if leak != "traceback" and upstream:
                # the error of a request to another service: relayed on purpose when the
                # answer names the failed operation; bare, it may still name internal URLs
                if _framed(target):
                    continue
                severity = "low"
            if leak != "traceback" and _UNAVAILABLE_STATUS.search(status):
                severity = "low"  # 503: a dependency is down; its error may name hosts
            reported.add(line)
            yield ctx.finding(
                RULE,
                node,
                f"Exception details ({leak}) are sent to the client: internals such as SQL, "
                "paths and library versions leak",
                severity=severity,
                fix=_FIX,
            )

    def _signals(self, ctx: PythonFileContext) -> None:
        for node in au.nodes_of(ctx.tree, ast.Call):
            if isinstance(node, ast.Call) and (
                au.call_method(node) == "exception" or au.is_true(au.keyword(node, "exc_info"))
            ):
                ctx.signal("error-handling", "exceptions logged server-side", node)
                return


DETECTOR = ErrorDetailsLeak()
