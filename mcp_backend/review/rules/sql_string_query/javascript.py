"""sql-string-query: SQL built with template literals or `+` reaching a query sink.

Tagged templates (sql`...`, Prisma $queryRaw`...`, postgres.js) are parameterised and safe.
Request data spliced anywhere is reported. Other values only where SQL expects a value (after
`=`, `LIKE`, `IN (`, `VALUES (`, `LIMIT`, inside quotes): real code splices table names,
sort directions and whole sub-queries it built itself, and passes the values as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.javascript.astutil import (
    SAFE_INTERPOLATION,
    SQL_TEXT,
    literal_parts,
    literal_pieces,
    local_value,
)
from mcp_backend.review.javascript.context import JsFileContext
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
# SQL text that ends where a value goes: a comparison, LIKE, LIMIT/OFFSET, an IN/VALUES list.
VALUE_BEFORE = re.compile(
    r"(=|<|>|\blike|\bilike|\blimit|\boffset|\bbetween|\bin\s*\(|\bvalues\s*\(|\binterval)\s*$",
    re.IGNORECASE,
)
LIST_OPENER = re.compile(r"\b(in|values)\s*\($", re.IGNORECASE)
# SQL a query builder generated: TypeORM `sub.getQuery()` / `getSql()`, knex `q.toSQL().sql`.
# Its values are named or positional parameters bound beside it (`setParameters`), so splicing
# the text into an outer query splices no value.
BUILDER_SQL = re.compile(r"^[\w$.]+\.(getQuery|getSql)\(\)$|^[\w$.]+\.toSQL\(\)\.sql$")
NUMERIC_CAST = re.compile(
    r"^(Number|parseInt|parseFloat|Math\.\w+|BigInt)\(|^\+\w|\.(length|toFixed\(.*\))$"
)


class SqlStringQuery:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        # Test code builds SQL from values the test itself chose, migrations from the app's own
        # tables and constants at deploy time; no request reaches either.
        if ctx.is_test or ctx.runs_offline or not ctx.has_call(SQL_NAMES):
            return
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
                part
                for part in dynamic
                if not SAFE_INTERPOLATION.match(ctx.text(part).strip())
                and not BUILDER_SQL.search(ctx.text(part).strip())
            ]
            if not risky:
                continue
            from_request = any(ctx.is_request_data(part) for part in risky)
            if not from_request:
                # Not request data: only a value spliced where SQL expects one counts, and not
                # when the call passes parameters beside the text (then the splices are
                # identifiers or fragments) unless the value is quoted into the text.
                has_params = len(call.args) > 1
                valued = _value_parts(ctx, first)
                risky = [
                    part
                    for part in risky
                    if part.id in valued
                    and (not has_params or valued[part.id])
                    and not _numeric(ctx, part)
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
            yield ctx.finding(
                RULE,
                call.node,
                f"SQL built from {'request data' if from_request else 'a dynamic string'} "
                f"reaches {call.callee}(); values are spliced into the query text",
                fix="Pass values as parameters (`db.query('... WHERE id = $1', [id])`), or use a "
                "tagged template (sql`...`, Prisma $queryRaw`...`) that parameterises them.",
                # as documented: critical when traced to request data, medium otherwise
                severity="critical" if from_request else "medium",
                confidence="high" if from_request else "medium",
            )


def _value_parts(ctx: JsFileContext, node: Node) -> dict[int, bool]:
    """Dynamic parts in a value position, by node id, with True when quoted into the text
    (`'${name}'`). Table names, column lists, sort directions and sub-queries are not values."""
    found: dict[int, bool] = {}
    before = ""
    pieces = literal_pieces(ctx, node)
    for index, piece in enumerate(pieces):
        if isinstance(piece, str):
            before += piece
            continue
        after = pieces[index + 1] if index + 1 < len(pieces) else ""
        if isinstance(after, str) and re.match(r"\.\w", after):
            before += "x"
            continue  # `${table}.column`: a table name
        quoted = before.count("'") % 2 == 1
        tail = before.rstrip()
        in_list = False
        if tail.endswith(","):
            opener = tail.rfind("(")
            in_list = (
                opener != -1
                and ")" not in tail[opener:]
                and bool(LIST_OPENER.search(tail[: opener + 1]))
            )
        if quoted or in_list or VALUE_BEFORE.search(tail):
            found[piece.id] = quoted
        before += "x"
    return found


def _numeric(ctx: JsFileContext, part: Node) -> bool:
    """A number cannot inject: `Number(x)`, `x.length`, or a TypeScript `x: number` parameter."""
    text = ctx.text(part).strip()
    if NUMERIC_CAST.search(text):
        return True
    if part.type != "identifier":
        return False
    function = ctx.enclosing_function(part)
    params = function.child_by_field_name("parameters") if function is not None else None
    for param in params.named_children if params is not None else []:
        pattern = param.child_by_field_name("pattern")
        annotation = param.child_by_field_name("type")
        if pattern is not None and annotation is not None and ctx.text(pattern) == text:
            return ctx.text(annotation).lstrip(":").strip() in {"number", "bigint"}
    return False


DETECTOR = SqlStringQuery()
