"""giant-handler: a long route handler that queries the database and holds business logic."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.giant_handler import RULE

MAX_LINES = 80
DB_ACCESS = re.compile(
    r"\b(prisma|knex|pool|sequelize|db|repository|mongoose)\b\.|\.(findOne|findMany|findById|findUnique|query|insert|save|create)\("
)


class GiantHandler:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if ctx.is_test or not ctx.has(b"res.", b"reply.", b"c.json", b"c.text", b"@Get", b"@Post"):
            return
        if ctx.source.count(b"\n") < MAX_LINES:
            return
        for function in ctx.functions:
            length = function.end_point[0] - function.start_point[0] + 1
            if length <= MAX_LINES or not ctx.is_handler(function):
                continue
            if ctx.enclosing_handler(function) is not None:
                continue
            body = ctx.text(function)
            if not DB_ACCESS.search(body) or body.count("if") + body.count("for") < 5:
                continue
            yield ctx.finding(
                RULE,
                function,
                f"request handler of {length} lines mixing data access and business logic",
                fix=(
                    "Keep the handler thin: parse input, call a service function, shape the "
                    "response."
                ),
                snippet=ctx.snippet(function, 1),
            )


DETECTOR = GiantHandler()
