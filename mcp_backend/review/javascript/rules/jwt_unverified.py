"""jwt-unverified: jwt.decode used as verification, 'none' algorithm, ignoreExpiration."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.jwt_unverified import RULE

VERIFY_CALL = re.compile(r"\b(verify|jwtVerify|verifyToken|verifyAsync)\s*\(")
JWT_NAMES = frozenset(
    {"decode", "decodeJwt", "jwtDecode", "jwt_decode", "verify", "sign", "jwtVerify"}
)
NONE_ALG = re.compile(r"algorithms?\s*:\s*(\[[^\]]*['\"]none['\"]|['\"]none['\"])", re.IGNORECASE)
IGNORE_EXP = re.compile(r"ignoreExpiration\s*:\s*true")
# Decoding without verifying is fine when nothing trusts the claims: reading the header to pick
# the key (`kid`) before verification, or a client checking its own token's expiry to renew it.
CLAIMS_TRUSTED = re.compile(
    r"\.payload\b|req(uest)?\.user\b|res\.locals|c\.set\(|\.sub\b|user|role|\bid\b", re.I
)
EXPIRY_CHECK = re.compile(
    r"\.exp\b[^;]*(Date\.now|clock|now\b)|(Date\.now|clock|now\b)[^;]*\.exp\b"
)


class JwtUnverified:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if ctx.is_test or not ctx.has(b"jwt", b"Jwt", b"JWT", b"jose", b"decode"):
            return
        if ctx.has(b"ignoreExpiration") and ctx.has(b"Strategy", b"passport"):
            # passport-jwt: super({ ignoreExpiration: true, ... }) in a JwtStrategy.
            for pair in ctx.descendants(ctx.root, "(pair key: (property_identifier) @k) @p", "p"):
                key = pair.child_by_field_name("key")
                value = pair.child_by_field_name("value")
                if ctx.text(key) == "ignoreExpiration" and ctx.text(value) == "true":
                    yield ctx.finding(
                        RULE,
                        pair,
                        "JWT strategy ignores token expiry (ignoreExpiration: true)",
                        fix="Remove ignoreExpiration; issue short-lived tokens with refresh.",
                        severity="medium",
                    )
            return
        for call in ctx.calls_named(JWT_NAMES):
            args_text = ctx.text(call.node.child_by_field_name("arguments"))
            if (
                call.name == "decode"
                and ("jwt" in call.obj.lower() or call.obj in {"jsonwebtoken", "jose"})
            ) or call.callee in {"decodeJwt", "jwtDecode", "jwt_decode"}:
                function = ctx.enclosing_function(call.node)
                body = ctx.text(function) if function is not None else ""
                if VERIFY_CALL.search(body):
                    continue
                if function is None or not re.search(
                    r"req\.user|request\.user|\bnext\(|c\.set\(|return\s+\w*\s*;?|user", body
                ):
                    continue
                if re.search(r"\.header\b", body) and not CLAIMS_TRUSTED.search(body):
                    continue  # the header only: which key verifies the token
                if EXPIRY_CHECK.search(body) and not re.search(
                    r"req(uest)?\.user|res\.locals|c\.set\(|user|role", body, re.I
                ):
                    continue  # a client renewing its own token when it expires
                yield ctx.finding(
                    RULE,
                    call.node,
                    f"{call.callee}() reads a JWT without checking its signature; anyone can "
                    f"forge the claims",
                    fix=(
                        "Use jwt.verify(token, key, { algorithms: ['HS256'] }) (or jose "
                        "jwtVerify) and reject on error."
                    ),
                )
            elif call.name in {"verify", "sign", "jwtVerify"} and (
                "jwt" in call.callee.lower() or call.callee in {"verify", "sign"}
            ):
                if NONE_ALG.search(args_text):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        "JWT accepted or issued with the 'none' algorithm (no signature)",
                        fix="Pin a real algorithm: { algorithms: ['HS256'] } or an asymmetric one.",
                        severity="critical",
                    )
                elif IGNORE_EXP.search(args_text):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        "JWT verification ignores expiry (ignoreExpiration: true); stolen "
                        "tokens never expire",
                        fix="Remove ignoreExpiration and issue short-lived tokens with refresh.",
                        severity="medium",
                    )
                elif call.name in {"verify", "jwtVerify"}:
                    ctx.signal("jwt", f"JWT verified with {call.callee}()", call.node)


DETECTOR = JwtUnverified()
