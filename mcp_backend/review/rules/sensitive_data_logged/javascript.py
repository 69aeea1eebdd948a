"""sensitive-data-logged: passwords, tokens, secrets or card data in console/logger calls."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.sensitive_data_logged import RULE

LOGGERS = re.compile(
    r"^(console|logger|log|this\.logger|this\.log|fastify\.log|request\.log|req\.log|app\.log|winston|pino|Logger)$"
)
LEVELS = frozenset({"log", "info", "warn", "error", "debug", "trace", "fatal", "verbose"})
SENSITIVE = re.compile(
    r"^(password|passwd|pwd|secret|token|accessToken|refreshToken|idToken|apiKey|api_key|authorization|"
    r"jwt|cvv|cvc|cardNumber|creditCard|ssn|privateKey|clientSecret|otp|pin)$|(Password|Secret|Token|ApiKey|Cvv)$",
)
NOT_THE_VALUE = re.compile(r"^(short|masked|redacted|hashed|has|is|num|count|truncated|safe)[A-Z_]")


def _only_tested_or_called(ident: Node, parent: Node) -> bool:
    """The name is called, negated, compared or used as a condition: its value is not logged."""
    if parent.type == "call_expression":
        return parent.child_by_field_name("function") == ident
    if parent.type == "ternary_expression":
        return parent.child_by_field_name("condition") == ident
    if parent.type == "unary_expression":
        return True
    if parent.type == "binary_expression":
        operator = parent.child_by_field_name("operator")
        return operator is not None and operator.type in {"===", "!==", "==", "!=", "&&", "||"}
    return False


IDENT_QUERY = "[(identifier) (property_identifier) (shorthand_property_identifier)] @i"
# A command-line program's output is what its operator asked for (the invite token the
# `user --invite` command created), not a log; the same rule as the Python side.
_COMMAND_LINE = re.compile(r"(^|/)(cli|commands|bin)/|(^|/)cli\.[cm]?[jt]s$")


class SensitiveDataLogged:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(LEVELS):
            return
        if ctx.is_test or not ctx.has(b"log", b"Log") or _COMMAND_LINE.search(ctx.file):
            return
        for call in ctx.calls_named(LEVELS):
            if call.name not in LEVELS or not LOGGERS.match(call.obj):
                continue
            args = call.node.child_by_field_name("arguments")
            if args is None:
                continue
            for ident in ctx.descendants(args, IDENT_QUERY, "i"):
                name = ctx.text(ident)
                parent = ident.parent
                if (
                    parent is not None
                    and parent.type == "pair"
                    and parent.child_by_field_name("key") == ident
                ):
                    continue  # { password: '***' }: the key name alone is not data
                if (
                    parent is not None
                    and parent.type == "member_expression"
                    and parent.child_by_field_name("object") == ident
                ):
                    continue  # token.length, password.length
                if parent is not None and parent.type == "arguments" and parent != args:
                    continue  # mask(token), shortenToken(token): passed through a function
                if (
                    parent is not None
                    and parent.type == "member_expression"
                    and parent.parent is not None
                    and parent.parent.type == "call_expression"
                    and parent.parent.child_by_field_name("function") == parent
                ):
                    continue  # Uploader.shortenToken(...): a method name
                if parent is not None and _only_tested_or_called(ident, parent):
                    continue  # `refreshToken ? 'yes' : 'no'`, `shortenToken(token)`
                if NOT_THE_VALUE.match(name):
                    continue  # shortToken, maskedPassword, hasToken: derived, not the secret
                if SENSITIVE.search(name) and not re.search(
                    r"(Length|Count|Expires\w*|Type|Id|Url|Name|Hash)$", name
                ):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        f"`{name}` written to the logs",
                        fix="Do not log credentials or tokens; log the user id or a masked value.",
                    )
                    break
            else:
                text = ctx.text(args)
                if re.search(r"\b(req|request)\.(body|headers)\s*[,)]", text) and re.search(
                    rb"password|authorization", ctx.source, re.I
                ):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        "whole request body/headers logged (passwords, tokens)",
                        fix="Log selected, non-sensitive fields.",
                        severity="low",
                    )


DETECTOR = SensitiveDataLogged()
