"""cors-wildcard: CORS that accepts any origin, or reflects the caller's origin."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mcp_backend.review.model import Finding, Severity
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.cors_wildcard import RULE

_MATCH_ALL_REGEX = re.compile(r"^\^?(https?://)?\(?\.\*\)?\$?$|^\^?https?\?://\.\*\$?$")
_ALLOW_ORIGIN = "access-control-allow-origin"
_FIX = (
    "List the front-end origins that may call the API (from configuration); never combine a "
    "wildcard or a reflected origin with credentials."
)


def _resolve(flow: au.ScopeFlow, node: ast.AST | None, depth: int = 0) -> ast.AST | None:
    if isinstance(node, ast.Name) and depth < 4:
        bindings = flow.values_of(node.id, getattr(node, "lineno", 10**9))
        if len(bindings) == 1:
            return _resolve(flow, bindings[0].value, depth + 1)
    return node


def _possible_values(flow: au.ScopeFlow, node: ast.AST, depth: int = 0) -> set[str]:
    """The source of every expression a name may hold here (through a few assignments)."""
    if isinstance(node, ast.Name) and depth < 4:
        bindings = flow.values_of(node.id, getattr(node, "lineno", 10**9))
        if bindings:
            out: set[str] = set()
            for binding in bindings:
                out |= _possible_values(flow, binding.value, depth + 1)
            return out
    return {ast.unparse(node)}


def _is_wildcard(flow: au.ScopeFlow, node: ast.AST | None) -> bool:
    value = _resolve(flow, node)
    if au.const_str(value) == "*":
        return True
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return any(au.const_str(_resolve(flow, e)) == "*" for e in value.elts)
    return False


def _tests_configured_wildcard(test: ast.expr) -> bool:
    """`"*" in allowed_origins`, `origins == "*"`, `settings.CORS == ["*"]`: a test of a
    configured (non-literal) value for the wildcard."""
    for node in ast.walk(test):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            continue
        sides = [node.left, node.comparators[0]]
        if not isinstance(node.ops[0], ast.In | ast.Eq):
            continue
        star = [side for side in sides if au.const_str(side) == "*" or _is_star_list(side)]
        other = [side for side in sides if side not in star]
        if star and other and not any(isinstance(o, ast.Constant) for o in other):
            return True
    return False


def _is_star_list(node: ast.expr) -> bool:
    return isinstance(node, ast.List | ast.Tuple) and [au.const_str(e) for e in node.elts] == ["*"]


def _operator_opted_in(tree: ast.Module) -> set[int]:
    """Nodes that run only when the configuration asks for every origin."""
    marked: set[int] = set()
    for node in au.nodes_of(tree, ast.If):
        if isinstance(node, ast.If) and _tests_configured_wildcard(node.test):
            marked.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    return marked


class CorsWildcard:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if not ("cors" in lowered or "access-control" in lowered):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test:
            return
        info = au.module_info(ctx.tree)
        yield from self._django_settings(ctx)
        opted_in = _operator_opted_in(ctx.tree)
        for scope in au.iter_scopes(ctx.tree):
            flow = au.scope_flow(ctx.tree, scope)
            for node in au.walk_scope(scope):
                found: list[Finding] = []
                if isinstance(node, ast.Call):
                    found += self._middleware(ctx, info, flow, node)
                    found += self._flask_cors(ctx, info, flow, node)
                elif isinstance(node, ast.Assign):
                    found += self._manual_header(ctx, flow, node)
                for finding in found:
                    if id(node) in opted_in and finding.severity != "high":
                        # `if "*" in settings.CORS_ORIGINS:` the operator configured every
                        # origin, without credentials; the code carries out that choice
                        ctx.signal("cors", "wildcard only when configured", node)
                        continue
                    yield finding

    def _middleware(
        self, ctx: PythonFileContext, info: au.ModuleInfo, flow: au.ScopeFlow, call: ast.Call
    ) -> Iterator[Finding]:
        """app.add_middleware(CORSMiddleware, ...), Middleware(CORSMiddleware, ...),
        CORSMiddleware(app, ...)."""
        callee = info.qualify(call.func) or ""
        mentions = callee.endswith("CORSMiddleware") or any(
            (info.qualify(a) or "").endswith("CORSMiddleware") for a in call.args[:1]
        )
        if not mentions:
            return
        origins = au.keyword(call, "allow_origins")
        regex = au.const_str(_resolve(flow, au.keyword(call, "allow_origin_regex")))
        credentials = au.is_true(_resolve(flow, au.keyword(call, "allow_credentials")))
        wildcard = _is_wildcard(flow, origins) or bool(regex and _MATCH_ALL_REGEX.match(regex))
        if wildcard:
            yield self._finding(ctx, call, "CORSMiddleware allows every origin", credentials)
        elif origins is not None or regex:
            ctx.signal("cors", "CORSMiddleware with an explicit origin list", call)

    def _flask_cors(
        self, ctx: PythonFileContext, info: au.ModuleInfo, flow: au.ScopeFlow, call: ast.Call
    ) -> Iterator[Finding]:
        callee = info.qualify(call.func) or ""
        if callee not in {"flask_cors.CORS", "flask_cors.cross_origin", "quart_cors.cors"}:
            return
        credentials = au.is_true(_resolve(flow, au.keyword(call, "supports_credentials")))
        credentials = credentials or au.is_true(au.keyword(call, "allow_credentials"))
        origins = au.keyword(call, "origins") or au.keyword(call, "allow_origin")
        if callee == "flask_cors.cross_origin" and origins is None and call.args:
            origins = call.args[0]
        resources = _resolve(flow, au.keyword(call, "resources"))
        resource_origins: list[ast.expr] = []
        if isinstance(resources, ast.Dict):
            for options in resources.values:
                if isinstance(options, ast.Dict):
                    resource_origins += [
                        v
                        for k, v in zip(options.keys, options.values, strict=True)
                        if au.const_str(k) == "origins"
                    ]
        configured_elsewhere = "CORS_ORIGINS" in ctx.source
        if origins is not None:
            wildcard = _is_wildcard(flow, origins)
        elif resource_origins:
            wildcard = any(_is_wildcard(flow, o) for o in resource_origins)
        else:
            wildcard = not configured_elsewhere  # Flask-CORS defaults to "*"
        if wildcard:
            name = callee.rsplit(".", 1)[-1]
            yield self._finding(ctx, call, f"{name}() allows every origin", credentials)
        else:
            ctx.signal("cors", "Flask-CORS with explicit origins", call)

    def _django_settings(self, ctx: PythonFileContext) -> Iterator[Finding]:
        if au.is_dev_settings_file(ctx.file):
            return
        values: dict[str, ast.stmt] = {}
        for stmt in ctx.tree.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        values[target.id] = stmt
        credentials_stmt = values.get("CORS_ALLOW_CREDENTIALS")
        credentials = isinstance(credentials_stmt, ast.Assign) and au.is_true(
            credentials_stmt.value
        )
        for name in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"):
            setting = values.get(name)
            if isinstance(setting, ast.Assign) and au.is_true(setting.value):
                yield self._finding(ctx, setting, f"{name} = True allows every origin", credentials)
        for name in (
            "CORS_ALLOWED_ORIGINS",
            "CORS_ORIGIN_WHITELIST",
            "CORS_ALLOWED_ORIGIN_REGEXES",
        ):
            if name in values:
                ctx.signal("cors", f"{name} configured", values[name])

    def _manual_header(
        self, ctx: PythonFileContext, flow: au.ScopeFlow, node: ast.Assign
    ) -> Iterator[Finding]:
        for target in node.targets:
            if not isinstance(target, ast.Subscript):
                continue
            key = (au.const_str(target.slice) or "").lower()
            if key != _ALLOW_ORIGIN:
                continue
            if au.const_str(node.value) == "*":
                # A public resource opened to every site on purpose is fine; together with
                # credentials it is a misconfiguration (browsers refuse it, people then
                # "fix" it by reflecting the origin).
                if "allow-credentials" in ast.unparse(flow.scope).lower():
                    yield ctx.finding(
                        RULE,
                        node,
                        "Access-Control-Allow-Origin set to * next to Allow-Credentials",
                        severity="medium",
                        fix=_FIX,
                    )
            elif self._reflects_origin(flow, node.value):
                yield ctx.finding(
                    RULE,
                    node,
                    "Access-Control-Allow-Origin copies the request's Origin header: every "
                    "site is allowed",
                    severity="high",
                    fix="Compare the Origin with an allow-list before echoing it.",
                )

    def _reflects_origin(self, flow: au.ScopeFlow, value: ast.expr) -> bool:
        if isinstance(value, ast.Name) and value.id in flow.membership_checked:
            return False
        if au.taint_of(flow, value) < au.Taint.REQUEST:
            return False
        # `ok = request.headers.get("Origin") in ALLOWED` ... `if ok: value = <the same read>`:
        # an origin read the function tests for membership is an allow-listed one
        checked = {
            ast.unparse(node.left)
            for node in au.walk_scope(flow.scope)
            if isinstance(node, ast.Compare)
            and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
        }
        return any(
            "origin" in text.lower() and text not in checked
            for text in _possible_values(flow, value)
        )

    def _finding(
        self, ctx: PythonFileContext, node: ast.AST, what: str, credentials: bool
    ) -> Finding:
        severity: Severity = "high" if credentials else "medium"
        suffix = (
            " together with credentials: any website can make authenticated requests and read "
            "the answers"
            if credentials
            else ": any website can read the API's responses from a visitor's browser"
        )
        return ctx.finding(RULE, node, what + suffix, severity=severity, fix=_FIX)


DETECTOR = CorsWildcard()
