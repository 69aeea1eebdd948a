"""cors-wildcard: '*' origins, or any origin reflected, above all with credentials."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.javascript.astutil import pair_value
from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.cors_wildcard import RULE

CORS_CALLS = frozenset({"cors", "enableCors", "Cors"})
CORS_NAMES = CORS_CALLS | {"register", "setHeader", "header", "set"}
REFLECT_FUNCTION = re.compile(
    r"(callback|cb|done)\s*\(\s*null\s*,\s*(true|origin)\s*\)|return\s+(true|origin)\s*;?\s*\}?\s*$",
    re.S,
)


# Responses meant for any site: API descriptions, images, fonts, static files.
PUBLIC_ASSETS = re.compile(
    r"openapi|swagger|api-?docs|static|assets?|images?|\bimg\b|fonts?|favicon|robots|thumbnails?"
    r"|avatars?|icons?",
    re.IGNORECASE,
)


def _serves_public_assets(ctx: JsFileContext, function: Node | None) -> bool:
    """`*` is the point for a spec or an image endpoint: judged by the route path the handler
    is registered on, or the middleware's name."""
    if function is None:
        return False
    name = function.child_by_field_name("name")
    holder = function.parent
    if name is None and holder is not None and holder.type == "variable_declarator":
        name = holder.child_by_field_name("name")
    if name is not None and PUBLIC_ASSETS.search(ctx.text(name)):
        return True
    if holder is not None and holder.type == "arguments" and holder.named_children:
        first = holder.named_children[0]
        if first.type in {"string", "template_string"} and PUBLIC_ASSETS.search(ctx.text(first)):
            return True
    return False


_ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "del", "head", "options", "all", "on"}
)


def _route_registration(ctx: JsFileContext, node: Node) -> bool:
    """`node` is an argument of one route's registration: `app.get('/jwks', cors(...), h)`."""
    holder = node.parent
    if holder is None or holder.type != "arguments":
        return False
    call = holder.parent
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None or callee.type != "member_expression":
        return False
    prop = callee.child_by_field_name("property")
    if prop is None or ctx.text(prop) not in _ROUTE_METHODS:
        return False
    first = holder.named_children[0] if holder.named_children else None
    return first is not None and first is not node and first.type in {"string", "template_string"}


def _scoped_to_routes(ctx: JsFileContext, node: Node) -> bool:
    """The CORS call or header is one route's choice, not the app's: the options are a
    route-level middleware, or the header is set in a function that is only ever registered on
    single routes (inline, or by name in this file)."""
    if _route_registration(ctx, node):
        return True
    function = ctx.enclosing_function(node)
    if function is None:
        return False
    if _route_registration(ctx, function):
        return True
    name = function.child_by_field_name("name")
    holder = function.parent
    if name is None and holder is not None and holder.type == "variable_declarator":
        name = holder.child_by_field_name("name")
    if name is None:
        return False
    wanted = ctx.text(name)
    uses = [
        ref
        for ref in ctx.descendants(ctx.root, "(arguments (identifier) @ref)", "ref")
        if ctx.text(ref) == wanted
    ]
    return bool(uses) and all(_route_registration(ctx, ref) for ref in uses)


class CorsWildcard:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(CORS_NAMES):
            return
        if not ctx.has(b"cors", b"Cors", b"Access-Control-Allow-Origin", b"origin"):
            return
        for call in ctx.calls_named(CORS_NAMES):
            options = None
            if call.callee in CORS_CALLS or call.name in {"enableCors"}:
                options = call.args[0] if call.args and call.args[0].type == "object" else None
            elif (
                call.name == "register"
                and len(call.args) >= 2
                and re.search(r"cors", ctx.text(call.args[0]), re.I)
                and call.args[1].type == "object"
            ):
                options = call.args[1]
            elif (
                call.name in {"setHeader", "header", "set"}
                and len(call.args) >= 2
                and ctx.text(call.args[0]).strip("'\"").lower() == "access-control-allow-origin"
            ):
                value = ctx.text(call.args[1])
                function = ctx.enclosing_function(call.node)
                credentials = (
                    function is not None and "allow-credentials" in ctx.text(function).lower()
                )
                if value.strip("'\"") == "*" and (
                    _serves_public_assets(ctx, function)
                    or (not credentials and _scoped_to_routes(ctx, call.node))
                ):
                    # Without credentials a browser reads only what any client could fetch;
                    # set for chosen routes (keys, discovery, tokens), it is a decision.
                    ctx.signal("cors", "wildcard origin on chosen public routes", call.node)
                elif value.strip("'\"") == "*":
                    yield ctx.finding(
                        RULE,
                        call.node,
                        "Access-Control-Allow-Origin: * lets any site read these responses",
                        fix="Answer with an allow-listed origin.",
                        severity="high" if credentials else "medium",
                    )
                elif (
                    re.search(r"headers\.origin|header\(['\"]origin|get\(['\"]origin", value, re.I)
                    and credentials
                ):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        "request Origin reflected with credentials allowed: any site can act "
                        "as the user",
                        fix="Check the origin against an allow-list before echoing it.",
                        severity="high",
                    )
                continue
            else:
                continue
            if options is None:
                continue
            origin = pair_value(ctx, options, "origin")
            credentials_node = pair_value(ctx, options, "credentials")
            credentials = credentials_node is not None and ctx.text(credentials_node) == "true"
            if origin is None:
                continue
            origin_text = ctx.text(origin)
            wildcard = origin_text.strip("'\"`") == "*"
            if wildcard and not credentials and _scoped_to_routes(ctx, call.node):
                ctx.signal("cors", "wildcard origin on chosen public routes", call.node)
            elif wildcard:
                yield ctx.finding(
                    RULE,
                    call.node,
                    f"CORS allows every origin ('*'){' with credentials' if credentials else ''}",
                    fix="List the front-end origins: origin: ['https://app.example.com'].",
                    severity="high" if credentials else "medium",
                )
            elif origin_text == "true" or (
                origin.type in {"arrow_function", "function_expression"}
                and REFLECT_FUNCTION.search(ctx.text(origin))
                and not re.search(
                    r"includes|indexOf|has\(|test\(|match|===|allow", ctx.text(origin)
                )
            ):
                if credentials:
                    yield ctx.finding(
                        RULE,
                        call.node,
                        "CORS reflects any Origin with credentials: every site can make "
                        "authenticated requests",
                        fix="Check the origin against an allow-list.",
                        severity="high",
                    )
                else:
                    yield ctx.finding(
                        RULE,
                        call.node,
                        "CORS reflects any Origin",
                        fix="Check the origin against an allow-list.",
                        severity="low",
                    )
            elif origin.type in {
                "array",
                "string",
                "identifier",
                "member_expression",
                "call_expression",
                "arrow_function",
                "function_expression",
            }:
                ctx.signal("cors", "explicit CORS origins", call.node)


DETECTOR = CorsWildcard()
