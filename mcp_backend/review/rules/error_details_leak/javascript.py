"""error-details-leak: err.stack, raw error objects or err.message on 5xx sent to clients."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.javascript.context import FUNCTION_TYPES, JsFileContext
from mcp_backend.review.model import Finding, Severity
from mcp_backend.review.rules.error_details_leak import RULE

RESPONSE_METHODS = frozenset({"send", "json", "end", "write", "render", "text", "html", "jsonp"})
RESPONDER = re.compile(r"^(res|response|reply|ctx|c|h)(\.|$)")
# Koa's `err.expose` is true only for client errors whose message is safe to show.
ENV_GUARD = re.compile(
    r"NODE_ENV|isDev|isProd|production|development|debug|DEBUG|env\.|\.expose\b", re.I
)
ERROR_NAMES = frozenset({"err", "error", "e", "ex", "exception", "_err", "_error"})


def _error_names(ctx: JsFileContext, node: Node) -> set[str]:
    names: set[str] = set()
    current = node.parent
    while current is not None:
        if current.type == "catch_clause":
            param = current.child_by_field_name("parameter")
            if param is not None:
                names.add(ctx.text(param))
        if current.type in {
            "arrow_function",
            "function_expression",
            "function_declaration",
            "method_definition",
        }:
            params = ctx.param_names(current)
            # Express error middleware is (err, req, res, next); a NestJS method with four
            # decorated parameters is not.
            if (params and params[0] in ERROR_NAMES) or (
                len(params) == 4 and params[2] in {"res", "response", "reply", "_res"}
            ):
                names.add(params[0])
            if params and current.parent is not None and current.parent.type == "arguments":
                callee = (
                    current.parent.parent.child_by_field_name("function")
                    if current.parent.parent
                    else None
                )
                if callee is not None and re.search(
                    r"(onError|setErrorHandler|catch)$", ctx.text(callee)
                ):
                    names.add(params[0])
        current = current.parent
    return {n for n in names if n}


# Koa answers with an assignment: `ctx.body = { error: err.message }`.
KOA_BODIES = frozenset({"ctx.body", "ctx.response.body", "this.body"})
# `ctx.status = err.status || 500` in the same block: a server error.
KOA_SERVER_STATUS = re.compile(r"\.status\s*=[^;\n]*\b(5\d\d)\b")


def _sinks(ctx: JsFileContext) -> Iterator[tuple[Node, str, str, str]]:
    """(node, callee, arguments text, the text a status code is read from) per response."""
    for call in ctx.calls_named(RESPONSE_METHODS):
        if call.name in RESPONSE_METHODS and RESPONDER.match(call.callee) and call.args:
            args_text = ctx.text(call.node.child_by_field_name("arguments"))
            yield call.node, call.callee, args_text, call.callee + args_text
    if not ctx.has(b".body"):
        return
    for node in ctx.bindings_in(ctx.root):
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if node.type != "assignment_expression" or left is None or right is None:
            continue
        target = "".join(ctx.text(left).split())
        if target in KOA_BODIES:
            block = node.parent.parent if node.parent is not None else None
            status = KOA_SERVER_STATUS.search(ctx.text(block)) if block is not None else None
            chain = f"status({status.group(1)})" if status else ""
            yield node, target, f"({ctx.text(right)})", chain


# A request to another HTTP service: what it throws is that service's failure (refused
# connection, timeout, bad status), which a proxy or API wrapper relays on purpose.
UPSTREAM_CALL = re.compile(
    r"\bfetch\(|\baxios(\.(get|post|put|patch|delete|request))?\(|\bgot(\.\w+)?\(|"
    r"\bhttps?\.(request|get)\(|\bundici\.\w+\(|\bhttpService\.\w+\("
)


# Words of the handler's own around the error: 'Error proxying request', `Upstream: ${...}`.
FRAMING = re.compile(r"""(['"])[^'"\n]*[A-Za-z]{3}[^'"\n]*\1|`[^`$]*[A-Za-z]{3}[^`$]*\$\{""")


def _catches_upstream_failure(ctx: JsFileContext, node: Node) -> bool:
    """The sink sits in the `catch` of a `try` whose block sends a request upstream."""
    current = node.parent
    while current is not None and current.type not in FUNCTION_TYPES:
        if current.type == "catch_clause" and current.parent is not None:
            body = current.parent.child_by_field_name("body")
            return body is not None and bool(UPSTREAM_CALL.search(ctx.text(body)))
        current = current.parent
    return False


def _in_typed_error_branch(ctx: JsFileContext, node: Node, names: set[str]) -> bool:
    """An error handler that answers with the message only in the branch for errors of a
    known class or with their own HTTP status (`if (err instanceof ApiError)`,
    `else if (err.status && err.message)`) and with a fixed message for all the others: the
    message belongs to the API's error contract, unexpected errors are masked."""
    alternatives = "|".join(re.escape(n) for n in names)
    typed = re.compile(
        rf"\b({alternatives})\s+instanceof\s+[\w.]+|\b({alternatives})\.(status|statusCode|expose)\b"
    )
    function = ctx.enclosing_function(node)
    child, current = node, node.parent
    in_typed_branch = False
    while current is not None and current is not function:
        if current.type == "if_statement" and child == current.child_by_field_name("consequence"):
            condition = current.child_by_field_name("condition")
            if condition is not None and typed.search(ctx.text(condition)):
                in_typed_branch = True
                break
        child, current = current, current.parent
    if not in_typed_branch or function is None:
        return False
    # Somewhere else the same handler answers without the error: the masked fallback.
    error_ref = re.compile(rf"\b({alternatives})\b")
    for other, _callee, args_text, _chain in _sinks(ctx):
        if (
            other.start_byte >= function.start_byte
            and other.end_byte <= function.end_byte
            and not error_ref.search(args_text)
            and re.search(r"[\'\"`]", args_text)
        ):
            return True
    return False


class ErrorDetailsLeak:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(RESPONSE_METHODS) and not ctx.has(b"ctx.body", b"this.body"):
            return
        if ctx.is_test or not ctx.has(b"err", b"error", b"catch"):
            return
        for node, callee, args_text, chain in _sinks(ctx):
            names = _error_names(ctx, node)
            if not names or _when_next_is_missing(ctx, node):
                continue
            if ctx.guarded_by(node, ENV_GUARD) or ENV_GUARD.search(args_text):
                continue
            alternatives = "|".join(re.escape(n) for n in names)
            if re.search(rf"\b({alternatives})\.stack\b", args_text):
                yield ctx.finding(
                    RULE,
                    node,
                    "stack trace sent to the client",
                    severity="high",
                    fix=(
                        "Log the error server-side; answer with a generic message and a request id."
                    ),
                )
                continue
            if re.fullmatch(
                rf"\(\s*({alternatives})\s*(,\s*\d+)?\s*\)", args_text.strip()
            ) or re.search(
                rf"[{{,]\s*(error|err|details?)\s*:\s*({alternatives})\s*[,}}]"
                rf"|(?<!\$)[{{,]\s*({alternatives})\s*[,}}]",
                args_text,
            ):
                if callee.startswith("reply.") and re.fullmatch(
                    rf"\(\s*({alternatives})\s*\)", args_text.strip()
                ):
                    continue  # Fastify serialises errors itself (message + status only)
                yield ctx.finding(
                    RULE,
                    node,
                    "raw error object sent to the client (may carry SQL, paths, internals)",
                    fix="Log it; send { error: 'Internal server error' } with a request id.",
                    severity="medium",
                )
                continue
            if re.search(rf"\b({alternatives})\.(message|sql|original|parent)\b", args_text):
                status = re.search(r"status\((\d{3})\)|,\s*(\d{3})\s*\)\s*$|code\((\d{3})\)", chain)
                code = next((g for g in status.groups() if g), "") if status else ""
                in_handler = len(names) == 1 and any(n in ERROR_NAMES for n in names)
                if _in_typed_error_branch(ctx, node, names):
                    continue
                severity: Severity = "medium"
                if _catches_upstream_failure(ctx, node):
                    # relayed on purpose when the answer names the failed operation in its
                    # own words; bare, the upstream's message may still name internal URLs
                    if FRAMING.search(args_text):
                        continue
                    severity = "low"
                if code.startswith("5") or (
                    not code and in_handler and _in_error_middleware(ctx, node)
                ):
                    yield ctx.finding(
                        RULE,
                        node,
                        "internal error message returned to the client on a server error",
                        fix="Return a generic message for 5xx; keep details in the logs.",
                        severity=severity,
                    )


def _when_next_is_missing(ctx: JsFileContext, node: Node) -> bool:
    """`return next ? next(err) : res.status(401).json(err)`: Express always passes `next` to a
    handler, so the branch taken without it never runs; the error goes to the app's error
    handler, which that rule judges where it is."""
    child, current = node, node.parent
    while current is not None and current.type not in FUNCTION_TYPES:
        if current.type == "ternary_expression":
            condition = current.child_by_field_name("condition")
            alternative = current.child_by_field_name("alternative")
            if (
                condition is not None
                and ctx.text(condition).strip("() ") == "next"
                and alternative is not None
                and alternative.start_byte <= child.start_byte < alternative.end_byte
            ):
                return True
        if current.type == "if_statement":
            condition = current.child_by_field_name("condition")
            consequence = current.child_by_field_name("consequence")
            if (
                condition is not None
                and re.fullmatch(r"\(\s*!\s*next\s*\)", ctx.text(condition))
                and consequence is not None
                and consequence.start_byte <= child.start_byte < consequence.end_byte
            ):
                return True
        child, current = current, current.parent
    return False


def _in_error_middleware(ctx: JsFileContext, node: Node) -> bool:
    function = ctx.enclosing_function(node)
    return function is not None and len(ctx.param_names(function)) == 4


DETECTOR = ErrorDetailsLeak()
