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


# A condition on a setting whose name says it switches certificate checks off
# (ALLOW_UNAUTHORIZED_CERTS, TLS_INSECURE, SKIP_TLS_VERIFY, sslVerify, allowSelfSigned):
# an opt-in the operator makes, the default verifying.
OPT_IN = re.compile(
    r"unauthori[sz]ed|insecure|skip_?(tls|ssl|cert)|no_?verify|"
    r"(ssl|tls|cert)_?verif|verify_?(ssl|tls|cert)|self_?signed",
    re.I,
)


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
                if ctx.guarded_by(value, OPT_IN):
                    continue  # the operator asked for it by a setting named for what it does
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
