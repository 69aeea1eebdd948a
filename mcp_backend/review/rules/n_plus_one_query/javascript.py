"""n-plus-one-query: an awaited ORM/driver read inside a loop (Prisma, Drizzle, Sequelize,
TypeORM, Mongoose, knex, SQL drivers)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.n_plus_one_query import RULE

READS = frozenset(
    {
        "findUnique",
        "findFirst",
        "findMany",
        "findUniqueOrThrow",
        "findFirstOrThrow",
        "count",
        "aggregate",
        "findOne",
        "findById",
        "findByPk",
        "findAll",
        "findOneBy",
        "findBy",
        "findAndCountAll",
        "countDocuments",
        "first",
        "select",
        "query",
        "execute",
        "get",
        "all",
    }
)
MODEL = re.compile(
    r"^((this\.)?(prisma|db|tx|database)\.\w+|[A-Z]\w*|(this\.)?\w*(Repository|Repo|repository|repo|Model|model)|"
    r"(this\.)?(pool|client|connection|conn|db|knex|database|sequelize|trx)|\w+\.pg|knex\(.*\)(\.\w+\(.*\))*|"
    r"db\.query\.\w+|db\.select\(.*\)(\.\w+\(.*\))*)$",
    re.S,
)
# Injected repositories (`this.orders.findBy(...)`): methods arrays do not have.
REPOSITORY_READS = frozenset(
    {
        "findBy",
        "findOneBy",
        "findOne",
        "findOneOrFail",
        "findUnique",
        "findFirst",
        "findMany",
        "findById",
        "findByPk",
        "findAndCount",
    }
)
INJECTED = re.compile(r"^this\.\w+$")
SQL_READ = re.compile(r"^\s*['\"`]\s*(select|with)\b", re.I)


class NPlusOneQuery:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(READS):
            return
        if ctx.is_test or not ctx.has(b"await") or "seed" in ctx.file or "migration" in ctx.file:
            return
        reported: set[int] = set()
        for call in ctx.calls_named(READS):
            if call.name not in READS:
                continue
            if not MODEL.match(call.obj) and not (
                call.name in REPOSITORY_READS and INJECTED.match(call.obj)
            ):
                continue
            if call.name in {"query", "execute", "get", "all"} and not (
                call.args and SQL_READ.match(ctx.text(call.args[0]))
            ):
                continue
            if call.name in {"count", "first", "select"} and not call.obj.startswith(
                ("prisma", "this.prisma", "db", "knex", "tx")
            ):
                continue
            parent = call.node.parent
            while parent is not None and parent.type in {"member_expression", "call_expression"}:
                parent = parent.parent
            if parent is None or parent.type != "await_expression":
                continue
            function = ctx.enclosing_function(call.node)
            loop = ctx.inside_loop(call.node, None)
            if loop is None or function is None or loop.id in reported:
                continue
            if loop.type in {"while_statement", "do_statement"}:
                continue  # probing for a free slug, paging with a cursor: not one query per item
            iterated = loop.child_by_field_name("right")
            if loop.type == "for_in_statement" and _constant_list(iterated):
                continue  # `for (const role of ["public", "user"])`: a fixed count, not per row
            if (
                loop.type in {"for_in_statement", "for_statement"}
                and "retry" in ctx.text(loop)[:80].lower()
            ):
                continue
            reported.add(loop.id)
            yield ctx.finding(
                RULE,
                call.node,
                f"{call.callee}() runs once per loop iteration (N+1 queries)",
                fix=(
                    "Fetch in one query: `where: { id: { in: ids } }`, `include`/`populate`, a "
                    "JOIN, or a DataLoader."
                ),
            )


def _constant_list(node: Node | None) -> bool:
    """An array literal of literals: the loop runs a fixed number of times, whatever the data."""
    return (
        node is not None
        and node.type == "array"
        and all(
            child.type in {"string", "number", "true", "false"}
            or (child.type == "template_string" and child.named_child_count == 0)
            for child in node.named_children
        )
    )


DETECTOR = NPlusOneQuery()
