"""nosql-injection: request objects or fields used directly as MongoDB filters; `$where`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.javascript.frameworks import common
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.nosql_injection import RULE

QUERY_METHODS = frozenset(
    {
        "find",
        "findOne",
        "findOneAndUpdate",
        "findOneAndDelete",
        "findOneAndRemove",
        "updateOne",
        "updateMany",
        "deleteOne",
        "deleteMany",
        "countDocuments",
        "exists",
        "remove",
        "count",
        "distinct",
    }
)
MODEL_LIKE = re.compile(
    r"^([A-Z]\w*|\w*(Model|Collection|collection|Repo)|db\.collection\(.*\)|\w+\.collection\(.*\)|this\.\w+Model|mongoose\.model\(.*\))$"
)
RAW_FIELD = re.compile(r"^(req|request)\.(body|query)(\.\w+|\[['\"]\w+['\"]\])$")
WHOLE_OBJECT = re.compile(r"^(req|request)\.(body|query)$")
CAST = re.compile(
    r"^(String|Number|parseInt|parseFloat|sanitize\w*|escape\w*|mongoSanitize|ObjectId|new\s)"
)


class NoSqlInjection:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(QUERY_METHODS | {"$where"}):
            return
        if not ctx.has(b"req.body", b"req.query", b"request.body", b"request.query", b"$where"):
            return
        if ctx.has(b"sanitizeFilter", b"mongoSanitize", b"mongo-sanitize", b"express-validator"):
            return  # sanitised globally, or fields checked (body('email').isEmail()) in this file
        for call in ctx.calls_named(QUERY_METHODS | {"$where"}):
            if (call.name not in QUERY_METHODS and call.name != "$where") or not call.args:
                continue
            if not MODEL_LIKE.match(call.obj) and call.name != "$where":
                continue
            first = call.args[0]
            text = "".join(ctx.text(first).split())
            if "$where" in text and first.type == "object":
                where = re.search(r"\$where['\"]?:([^,}]+)", text)
                if (where and not where.group(1).startswith(("'", '"'))) or (
                    where and "+" in where.group(1)
                ):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        "$where runs JavaScript built from data on the database server",
                        fix="Replace $where with query operators ($eq, $gt, $regex with escaping).",
                        severity="critical",
                    )
                    continue
            function = ctx.enclosing_function(call.node)
            if function is not None and common.validation_in(ctx.text(function)):
                continue  # the handler validates the body first (zod, joi, class-validator)
            if WHOLE_OBJECT.match(text):
                yield ctx.finding(
                    RULE,
                    call.node,
                    f"request object used as the whole {call.callee}() filter: clients can "
                    f"inject operators ($ne, $gt, $regex)",
                    fix="Build the filter from validated scalar fields.",
                )
                continue
            if first.type != "object" or re.search(r"\bwhere\s*:", text):
                continue  # Sequelize/TypeORM style { where: ... } takes no string operators
            for pair in first.named_children:
                if pair.type == "spread_element" and WHOLE_OBJECT.match(
                    "".join(ctx.text(pair).lstrip(".").split())
                ):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        f"request object spread into {call.callee}(): operators get through",
                        fix="Build the filter from validated scalar fields.",
                    )
                    break
                if pair.type != "pair":
                    continue
                value = pair.child_by_field_name("value")
                value_text = "".join(ctx.text(value).split())
                if RAW_FIELD.match(value_text) and not CAST.match(value_text):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        f"{value_text} goes straight into a {call.callee}() filter; a JSON "
                        f"object there becomes an operator",
                        fix=(
                            "Validate the body (zod/joi) or cast: { email: "
                            "String(req.body.email) }."
                        ),
                    )
                    break


DETECTOR = NoSqlInjection()
