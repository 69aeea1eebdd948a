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


# Claims that say which key verifies a token or when to renew it, not who the caller is.
_HANDLING_CLAIMS = {"exp", "iat", "nbf", "iss", "kid", "alg", "typ", "aud"}


def _claim_read(node: ast.AST, parents: dict[int, ast.AST]) -> str | None:
    """The claim read from the decoded payload `node`: `payload["exp"]`, `payload.get("exp")`."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return au.const_str(parent.slice)
    if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr == "get":
        call = parents.get(id(parent))
        if isinstance(call, ast.Call) and call.func is parent and call.args:
            return au.const_str(call.args[0])
    return None


def _reads_only_handling_claims(scope: ast.AST, decode: ast.Call) -> bool:
    """The unverified payload is only asked when the token expires or who issued it (to
    schedule a refresh, to pick the issuer's keys): no identity is taken from it."""
    parents = {id(child): node for node in ast.walk(scope) for child in ast.iter_child_nodes(node)}
    claim = _claim_read(decode, parents)
    if claim is not None:
        return claim in _HANDLING_CLAIMS
    parent = parents.get(id(decode))
    if not (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        return False
    name = parent.targets[0].id
    uses = [
        n
        for n in ast.walk(scope)
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
    ]
    return bool(uses) and all(_claim_read(use, parents) in _HANDLING_CLAIMS for use in uses)


_HTTP_CLIENTS = ("requests.", "httpx.", "aiohttp.", "urllib3.")


def _from_token_endpoint(flow: au.ScopeFlow, token: ast.expr, line: int, depth: int = 0) -> bool:
    """The token is part of the JSON answer the server itself fetched (`r = requests.post(
    token_endpoint, ...)`, then `r.json()["id_token"]`): an ID token received straight from the
    provider's token endpoint over TLS, which OpenID Connect Core (3.1.3.7) lets a client
    accept without checking its signature. Not request data."""
    while True:  # r.json()["id_token"], token.get("id_token"): the container it came in
        if isinstance(token, ast.Subscript):
            token = token.value
        elif (
            isinstance(token, ast.Call)
            and isinstance(token.func, ast.Attribute)
            and token.func.attr == "get"
        ):
            token = token.func.value
        else:
            break
    if isinstance(token, ast.Await):
        token = token.value
    if isinstance(token, ast.Name) and depth < 3:
        values = [b.value for b in flow.values_of(token.id, line)]
        return bool(values) and all(_from_token_endpoint(flow, v, line, depth + 1) for v in values)
    return _is_response_json(flow, token, line)


def _is_response_json(flow: au.ScopeFlow, value: ast.expr, line: int) -> bool:
    if isinstance(value, ast.Await):
        value = value.value
    if not (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "json"
    ):
        return False
    response = value.func.value
    if isinstance(response, ast.Await):
        response = response.value
    if isinstance(response, ast.Name):
        calls = [b.value for b in flow.values_of(response.id, line)]
    else:
        calls = [response]
    return bool(calls) and all(_is_http_call(flow, c) for c in calls)


def _is_http_call(flow: au.ScopeFlow, call: ast.expr) -> bool:
    if isinstance(call, ast.Await):
        call = call.value
    if not isinstance(call, ast.Call):
        return False
    qualified = flow.module.qualify(call.func) or au.dotted_name(call.func) or ""
    return qualified.startswith(_HTTP_CLIENTS) or qualified.rsplit(".", 1)[-1] in {
        "post",
        "get",
        "request",
    }


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
                    yield from self._decode(ctx, flow, scope, call, once)
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
        self,
        ctx: PythonFileContext,
        flow: au.ScopeFlow,
        scope: ast.AST,
        call: ast.Call,
        once: au.SignalOnce,
    ) -> Iterator[Finding]:
        options = _resolve_dict(flow, au.keyword(call, "options"))
        unverified = au.is_false(au.keyword(call, "verify")) or (
            options is not None and au.is_false(_dict_value(options, "verify_signature"))
        )
        if unverified and (
            _reads_only_handling_claims(scope, call)
            or (call.args and _from_token_endpoint(flow, call.args[0], call.lineno))
        ):
            return
        if au.is_false(au.keyword(call, "verify")):
            yield ctx.finding(
                RULE, call, "jwt.decode(verify=False) skips the signature check", fix=_FIX
            )
            return
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
