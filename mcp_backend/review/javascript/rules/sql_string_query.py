"""sql-string-query: SQL built with template literals or `+` reaching a query sink.

Tagged templates (sql`...`, Prisma $queryRaw`...`, postgres.js) are parameterised and safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.javascript.rules._util import (
    SAFE_INTERPOLATION,
    SQL_TEXT,
    literal_parts,
    local_value,
)
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.sql_string_query import RULE

SINKS = frozenset(
    {
        "query",
        "execute",
        "raw",
        "$queryRawUnsafe",
        "$executeRawUnsafe",
        "unsafe",
        "exec",
        "whereRaw",
        "orderByRaw",
        "havingRaw",
        "joinRaw",
        "selectRaw",
        "fromRaw",
        "prepare",
        "run",
        "all",
        "get",
        "each",
        "many",
        "one",
        "none",
        "any",
        "oneOrNone",
        "manyOrNone",
        "literal",
        "sql",
        "createQueryBuilder",
        "where",
        "andWhere",
        "orWhere",
        "having",
    }
)
BUILDER_METHODS = frozenset(
    {"findMany", "findUnique", "findFirst", "select", "insert", "update", "delete", "where"}
)
BUILDER_OBJECT = re.compile(r"^(this\.)?(prisma|db|knex|tx|trx)\b")
ALWAYS_UNSAFE = frozenset({"$queryRawUnsafe", "$executeRawUnsafe"})
# Sinks that take a piece of SQL (knex whereRaw, TypeORM where, Sequelize.literal), so the text
# is a condition or an expression rather than a whole statement.
FRAGMENT_SINKS = frozenset(
    {
        "whereRaw",
        "orderByRaw",
        "havingRaw",
        "joinRaw",
        "selectRaw",
        "fromRaw",
        "literal",
        "where",
        "andWhere",
        "orWhere",
        "having",
    }
)
# `raw` is also an HTML helper (hono/html); only a query builder's raw takes SQL fragments.
SQL_BUILDER_OBJECT = re.compile(r"^(knex|db|trx|tx|sequelize|Sequelize|this\.knex|this\.db)$")
SQL_FRAGMENT = re.compile(
    r"^(?!.*<[a-zA-Z/]).*([=<>]|\b(like|in|and|or|is|not|between|asc|desc)\b)",
    re.IGNORECASE | re.DOTALL,
)
SAFE_TAG_NAMES = frozenset({"sql", "$queryRaw", "$executeRaw", "SQL", "raw"})
SAFE_TAGS = frozenset({"sql", "Prisma.sql", "$queryRaw", "$executeRaw", "SQL", "raw", "db.sql"})

SQL_NAMES = SINKS | BUILDER_METHODS | SAFE_TAG_NAMES


class SqlStringQuery:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has(
            b"query",
            b"Query",
            b"execute",
            b"raw",
            b"Raw",
            b"unsafe",
            b"prepare",
            b"sql",
            b"db",
            b"where",
            b"literal",
            b"SELECT",
            b"select",
        ):
            return
        builder_seen = False
        for call in ctx.calls_named(SQL_NAMES):
            if not builder_seen and call.name in BUILDER_METHODS and BUILDER_OBJECT.match(call.obj):
                builder_seen = True
                ctx.signal("sql-injection", "query builder / ORM (parameterised)", call.node)
            if call.tagged:
                if call.name in {"$queryRaw", "$executeRaw"} or call.callee in SAFE_TAGS:
                    ctx.signal(
                        "sql-injection", f"parameterised tagged template {call.callee}``", call.node
                    )
                continue
            if call.name not in SINKS or not call.args or call.is_new:
                continue
            first = call.args[0]
            if first.type == "identifier":
                value = local_value(ctx, first)
                if value is not None:
                    first = value
            if (
                first.type == "string"
                and len(call.args) > 1
                and call.name in {"query", "execute", "raw", "run", "all", "get"}
            ):
                if SQL_TEXT.search(ctx.text(first)):
                    ctx.signal("sql-injection", "parameterised query", call.node)
                continue
            if first.type not in {"template_string", "binary_expression"}:
                continue
            text, dynamic = literal_parts(ctx, first)
            if not dynamic:
                continue
            fragment_sink = call.name in FRAGMENT_SINKS or (
                call.name in {"raw", "unsafe"} and SQL_BUILDER_OBJECT.match(call.obj) is not None
            )
            if (
                call.name not in ALWAYS_UNSAFE
                and not SQL_TEXT.search(text)
                and not (fragment_sink and SQL_FRAGMENT.search(text))
            ):
                continue
            risky = [
                part for part in dynamic if not SAFE_INTERPOLATION.match(ctx.text(part).strip())
            ]
            if not risky:
                continue
            if call.name in {
                "get",
                "all",
                "run",
                "one",
                "many",
                "none",
                "any",
                "each",
                "sql",
            } and not SQL_TEXT.search(text):
                continue
            from_request = any(ctx.is_request_data(part) for part in risky)
            yield ctx.finding(
                RULE,
                call.node,
                f"SQL built from {'request data' if from_request else 'a dynamic string'} "
                f"reaches {call.callee}(); values are spliced into the query text",
                fix="Pass values as parameters (`db.query('... WHERE id = $1', [id])`), or use a "
                "tagged template (sql`...`, Prisma $queryRaw`...`) that parameterises them.",
                severity="critical" if from_request else "high",
                confidence="high" if from_request else "medium",
            )


DETECTOR = SqlStringQuery()
