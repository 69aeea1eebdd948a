"""jwt-unverified: JWTs decoded without signature, algorithm or expiry checks."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.jwt_unverified import RULE

_DECODE = {"jwt.decode", "jwt.api_jwt.decode", "jose.jwt.decode", "jwt.PyJWT().decode"}
_ENCODE = {"jwt.encode", "jose.jwt.encode"}
_IDENTITY_CLAIMS = {"sub", "user_id", "uid", "user", "username", "email", "role", "scope"}
_UNVERIFIED_CLAIMS = {"jose.jwt.get_unverified_claims", "jwt.get_unverified_claims"}
_FIX = (
    'Verify every token: jwt.decode(token, key, algorithms=["HS256"]) (or your RS256 public '
    'key), keep signature and expiry checks on, and require "exp".'
)


def _resolve_dict(flow: au.ScopeFlow, node: ast.AST | None) -> ast.Dict | None:
    if isinstance(node, ast.Dict):
        return node
    if isinstance(node, ast.Name):
        for binding in flow.values_of(node.id, getattr(node, "lineno", 10**9)):
            if isinstance(binding.value, ast.Dict):
                return binding.value
    return None


def _dict_value(node: ast.Dict, key: str) -> ast.expr | None:
    for k, v in zip(node.keys, node.values, strict=True):
        if au.const_str(k) == key:
            return v
    return None


def _verified_decodes(flow: au.ScopeFlow, decodes: list[ast.Call]) -> list[tuple[str, int]]:
    """(token, line) of each decode in the scope that checks a signature with a key: a token
    read unverified first (`iss` to find the issuer's keys) and verified after is verified."""
    found: list[tuple[str, int]] = []
    for call in decodes:
        token = au.dotted_name(call.args[0]) if call.args else None
        key = au.argument(call, 1, "key")
        if token is None or key is None or au.is_false(au.keyword(call, "verify")):
            continue
        if isinstance(key, ast.Constant) and not key.value:
            continue  # jwt.decode(token, None, ...) / "": no key, nothing verified
        options = _resolve_dict(flow, au.keyword(call, "options"))
        if options is not None and au.is_false(_dict_value(options, "verify_signature")):
            continue
        found.append((token, call.lineno))
    return found


class JwtUnverified:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if "jwt" not in lowered:
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test:
            return
        info = au.module_info(ctx.tree)
        once = au.SignalOnce()
        for scope in au.iter_scopes(ctx.tree):
            flow = au.scope_flow(ctx.tree, scope)
            calls = au.scope_calls(scope)
            decodes = [c for c in calls if (info.qualify(c.func) or "") in _DECODE]
            verifies_here = bool(decodes)
            verified_later = _verified_decodes(flow, decodes)
            for call in calls:
                qualified = info.qualify(call.func) or ""
                if qualified in _DECODE:
                    token = au.dotted_name(call.args[0]) if call.args else None
                    if token is not None and any(
                        name == token and line > call.lineno for name, line in verified_later
                    ):
                        continue  # peeks at a claim (the issuer) to pick the key, then verifies
                    yield from self._decode(ctx, flow, call, once)
                elif qualified in _UNVERIFIED_CLAIMS and not verifies_here:
                    yield ctx.finding(
                        RULE,
                        call,
                        "get_unverified_claims() reads the token without checking its "
                        "signature; any claim in it can be forged",
                        severity="medium",
                        fix=_FIX,
                    )
                elif qualified in _ENCODE:
                    yield from self._encode(ctx, flow, call)

    def _decode(
        self, ctx: PythonFileContext, flow: au.ScopeFlow, call: ast.Call, once: au.SignalOnce
    ) -> Iterator[Finding]:
        if au.is_false(au.keyword(call, "verify")):
            yield ctx.finding(
                RULE, call, "jwt.decode(verify=False) skips the signature check", fix=_FIX
            )
            return
        options = _resolve_dict(flow, au.keyword(call, "options"))
        if options is not None and au.is_false(_dict_value(options, "verify_signature")):
            yield ctx.finding(
                RULE,
                call,
                'jwt.decode with options={"verify_signature": False}: the token is not verified',
                fix=_FIX,
            )
            return
        algorithms = au.keyword(call, "algorithms")
        if algorithms is None and len(call.args) >= 3:
            algorithms = call.args[2]
        if isinstance(algorithms, ast.List | ast.Tuple | ast.Set):
            names = [(au.const_str(e) or "").lower() for e in algorithms.elts]
            if "none" in names:
                yield ctx.finding(
                    RULE,
                    call,
                    'jwt.decode accepts the "none" algorithm (unsigned tokens)',
                    fix=_FIX,
                )
                return
        elif (
            au.const_str(algorithms) is not None
            and (au.const_str(algorithms) or "").lower() == "none"
        ):
            yield ctx.finding(RULE, call, 'jwt.decode accepts the "none" algorithm', fix=_FIX)
            return
        has_kwargs = any(kw.arg is None for kw in call.keywords)
        if algorithms is None and not has_kwargs:
            yield ctx.finding(
                RULE,
                call,
                "jwt.decode without algorithms=: the accepted algorithm is left to the token "
                "header or the library version (algorithm confusion)",
                severity="medium",
                fix=_FIX,
            )
            return
        if options is not None and au.is_false(_dict_value(options, "verify_exp")):
            yield ctx.finding(
                RULE,
                call,
                "jwt.decode with verify_exp False: expired tokens are accepted forever",
                severity="medium",
                fix=_FIX,
            )
            return
        if once.first("verified decode"):
            ctx.signal("jwt", "jwt.decode with a key and an algorithm list", call)

    def _encode(
        self, ctx: PythonFileContext, flow: au.ScopeFlow, call: ast.Call
    ) -> Iterator[Finding]:
        payload_node = au.argument(call, 0, "claims") or au.keyword(call, "payload")
        payload = _resolve_dict(flow, payload_node)
        if payload is None or any(k is None for k in payload.keys):
            return
        keys = {au.const_str(k) for k in payload.keys}
        if "exp" in keys or not keys & _IDENTITY_CLAIMS:
            return  # not a session/access token (client assertions, signed links...)
        # payload["exp"] = ... / payload.update(exp=...) later in the function
        name = payload_node.id if isinstance(payload_node, ast.Name) else None
        if name is not None:
            for node in au.walk_scope(flow.scope):
                if (
                    isinstance(node, ast.Subscript)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == name
                ):
                    return
                if isinstance(node, ast.Call) and au.call_method(node) in {"update", "setdefault"}:
                    func = node.func
                    if isinstance(func, ast.Attribute) and au.dotted_name(func.value) == name:
                        return
        yield ctx.finding(
            RULE,
            call,
            'Token issued without an "exp" claim: it stays valid forever once stolen',
            severity="low",
            fix='Add "exp" (and "iat") to the payload; keep access tokens short-lived.',
        )


DETECTOR = JwtUnverified()
