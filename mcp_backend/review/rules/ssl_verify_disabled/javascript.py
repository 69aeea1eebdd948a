"""ssl-verify-disabled: rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED = '0'."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.ssl_verify_disabled import RULE

QUERY = """
[(pair key: [(property_identifier) (string)] @key value: (false) @value)
 (assignment_expression left: (member_expression) @key right: [(string) (number)] @value)]
"""


class SslVerifyDisabled:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if ctx.is_test or not ctx.has(
            b"rejectUnauthorized", b"NODE_TLS_REJECT_UNAUTHORIZED", b"strictSSL"
        ):
            return
        for value in ctx.descendants(ctx.root, QUERY, "value"):
            parent = value.parent
            if parent is None:
                continue
            key = ctx.text(
                parent.child_by_field_name("key") or parent.child_by_field_name("left")
            ).strip("'\"")
            if key in {"rejectUnauthorized", "strictSSL"} or (
                key.endswith("NODE_TLS_REJECT_UNAUTHORIZED")
                and re.fullmatch(r"['\"]?0['\"]?", ctx.text(value))
            ):
                if ctx.guarded_by(value, re.compile(r"NODE_ENV|development|isDev|test", re.I)):
                    continue
                yield ctx.finding(
                    RULE,
                    parent,
                    "TLS certificate verification disabled: connections can be intercepted",
                    fix=(
                        "Keep verification on; give the client the CA bundle (ca: "
                        "fs.readFileSync(...)) instead."
                    ),
                )


DETECTOR = SslVerifyDisabled()
