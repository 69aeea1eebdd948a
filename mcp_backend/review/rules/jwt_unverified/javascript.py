"""jwt-unverified: jwt.decode used as verification, 'none' algorithm, ignoreExpiration."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

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
# Claims that make a token a credential (an identity or a role), as opposed to signed data.
IDENTITY_CLAIMS = frozenset(
    {"sub", "id", "userId", "user_id", "uid", "email", "username", "role", "roles", "user"}
)
EXPIRY_CHECK = re.compile(
    r"\.exp\b[^;]*(Date\.now|clock|now\b)|(Date\.now|clock|now\b)[^;]*\.exp\b"
)


# Claims that say how to handle a token, not who holds it: reading only these (to route a
# token to its verifier, or to schedule its expiry) trusts no identity.
HANDLING_CLAIMS = frozenset({"iss", "exp", "iat", "nbf", "kid", "alg", "typ", "aud", "jti"})
_WRAPPING = frozenset({"await_expression", "parenthesized_expression", "non_null_expression"})


def _claims_read(ctx: JsFileContext, call: Node, function: Node) -> set[str] | None:
    """The claims read from the decoded token, or None when the whole payload is used (returned,
    passed on, stored) or cannot be followed."""
    node = call
    while node.parent is not None and node.parent.type in _WRAPPING:
        node = node.parent
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
        return {ctx.text(parent.child_by_field_name("property"))}
    if parent.type != "variable_declarator":
        return None
    name_node = parent.child_by_field_name("name")
    if name_node is None or name_node.type != "identifier":
        return None
    name = re.escape(ctx.text(name_node))
    body = ctx.text(function)
    claims: set[str] = set()
    for match in re.finditer(rf"(?<![\w$.]){name}\b(?!\s*=[^=])", body):
        after = body[match.end() :]
        before = body[: match.start()].rstrip()
        accessed = re.match(r"\s*\??\.\s*([A-Za-z_$][\w$]*)", after)
        if accessed:
            claims.add(accessed.group(1))
        elif before.endswith(("typeof", "!", "&&", "(", "||")) and re.match(
            r"\s*(&&|\)|\|\||===?|!==?)", after
        ):
            continue  # a presence or type test: `decoded && typeof decoded === 'object'`
        elif before.endswith(("const", "let", "var")):
            continue  # the declaration itself
        else:
            return None
    return claims


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
                if (
                    function is not None
                    and re.search(r"\bcomplete\s*:\s*true", args_text)
                    and _only_wraps(ctx, function, call.node)
                ):
                    # safeDecode(token) asking for header and payload: the key-id / issuer
                    # routing step in front of a verify; its callers decide what is trusted
                    continue
                claims = _claims_read(ctx, call.node, function) if function is not None else None
                if claims is not None and claims <= HANDLING_CLAIMS:
                    continue  # only the issuer or the expiry: which verifier, when to renew
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
                elif (
                    call.name == "sign"
                    and ("jwt" in call.callee.lower() or ctx.has(b"jsonwebtoken"))
                    and _issued_without_expiry(ctx, call.args)
                ):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        'Token issued without an expiry (no expiresIn, no "exp" claim): it '
                        "stays valid forever once stolen",
                        fix="Pass { expiresIn: '15m' } (or set exp) and keep access tokens "
                        "short-lived; renew them with a refresh token.",
                        severity="low",
                    )


def _only_wraps(ctx: JsFileContext, function: Node, decode: Node) -> bool:
    """`safeDecode(token) { try { return jwt.decode(token, { complete: true }) } catch {
    return null } }`: a helper that calls nothing but the decode and hands its result back."""
    calls = ctx.descendants(function, "(call_expression) @c", "c")
    others = [
        c
        for c in calls
        if c.id != decode.id and not (decode.start_byte <= c.start_byte < decode.end_byte)
    ]
    return not others and re.search(r"\breturn\b", ctx.text(function)) is not None


def _keys(ctx: JsFileContext, node: Node) -> set[str] | None:
    """The literal keys of an object literal; None when a spread may add others."""
    keys: set[str] = set()
    for child in node.named_children:
        if child.type == "spread_element":
            return None
        if child.type == "pair":
            keys.add(ctx.text(child.child_by_field_name("key")).strip("'\""))
        elif child.type in {"shorthand_property_identifier", "method_definition"}:
            name = child if child.type != "method_definition" else child.child_by_field_name("name")
            keys.add(ctx.text(name))
    return keys


def _issued_without_expiry(ctx: JsFileContext, args: list[Node]) -> bool:
    """jwt.sign({ sub: user.id }, secret[, options]) with an identity in the payload and no
    expiry in either: only object literals are judged (a variable may carry exp)."""
    if len(args) < 2 or args[0].type != "object":
        return False
    payload = _keys(ctx, args[0])
    if payload is None or "exp" in payload or not payload & IDENTITY_CLAIMS:
        return False
    if len(args) == 2:
        # sign(payload, options) (@fastify/jwt, NestJS JwtService) takes its expiry from the
        # plugin's or module's defaults, which are registered elsewhere.
        return args[1].type != "object"
    options = args[2]
    if options.type != "object":
        return False  # a variable, or a callback: the options are not visible here
    option_keys = _keys(ctx, options)
    return option_keys is not None and not option_keys & {"expiresIn", "exp"}


DETECTOR = JwtUnverified()
