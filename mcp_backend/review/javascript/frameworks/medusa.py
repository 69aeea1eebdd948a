"""Medusa (v2): file-based API routes and their middleware config, per file.

- Routes: `api/**/route.(ts|js)` exporting `GET`, `POST`, ... handlers `(req, res)`; the path
  comes from the folders below `api` (`[id]` -> `:id`). Compiled CommonJS (`exports.GET = GET`)
  is read like ESM.
- `api/middlewares.(ts|js)`: `defineMiddlewares({ routes: [...] })` (or an array), whose entries
  `{ matcher, method, middlewares: [authenticate('user', ['session', 'bearer'])] }` protect the
  routes they match; arrays are often spread in from other modules, by name.
- `export const AUTHENTICATE = false` opts a route out of the default protection of `/admin`
  and `/store/customers/me` (the framework's own, see packages.FILE_ROUTE_FRAMEWORKS).

Which projects are Medusa projects, and what `authenticate` is, is decided by the package it is
imported from (the linker), never by the name.
"""

from __future__ import annotations

import posixpath
import re

from tree_sitter import Node

from mcp_backend.review.facts import FullstackFacts, MountList, MountRule
from mcp_backend.review.javascript.astutil import unwrap
from mcp_backend.review.javascript.context import JsFileContext

_ZERO_CALL = re.compile(r"^\(\s*0\s*,\s*([\w$.]+)\s*\)$")  # `(0, ns.fn)` of compiled code
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


def route_path(rel: str, routes_dir: str = "api") -> tuple[str, str] | None:
    """`src/api/admin/posts/[id]/route.ts` -> ('src/api', '/admin/posts/:id'): the routes
    folder and the URL path; None when the file is not a route file below one."""
    from mcp_backend.review.javascript.frameworks.nextjs import ROUTE_EXTENSIONS, _join

    parts = rel.split("/")
    stem, ext = posixpath.splitext(parts[-1])
    if stem != "route" or ext not in ROUTE_EXTENSIONS or routes_dir not in parts[:-1]:
        return None
    index = parts.index(routes_dir)
    path = _join(parts[index + 1 : -1])
    if path is None:
        return None
    return "/".join(parts[: index + 1]), path


def matcher_regex(matcher: str) -> re.Pattern[str] | None:
    """A Medusa matcher (`/admin/posts/:id`, `/admin*`, `/store/orders/*`) as a regex."""
    pieces: list[str] = []
    for piece in re.split(r"(\*|:\w+)", matcher):
        if piece == "*":
            pieces.append(".*")
        elif piece.startswith(":"):
            pieces.append("[^/]+")
        else:
            pieces.append(re.escape(piece))
    try:
        return re.compile("".join(pieces))
    except re.error:
        return None


def _callee(ctx: JsFileContext, node: Node | None) -> str:
    text = "".join(ctx.text(node).split())
    match = _ZERO_CALL.match(text)
    return match.group(1) if match is not None else text


def _pair(ctx: JsFileContext, obj: Node, key: str) -> Node | None:
    for child in obj.named_children:
        if child.type == "pair":
            name = ctx.text(child.child_by_field_name("key")).strip("'\"")
            if name == key:
                return unwrap(child.child_by_field_name("value"))
    return None


def _strings(ctx: JsFileContext, node: Node | None) -> list[str] | None:
    if node is None:
        return None
    if node.type == "string":
        return [ctx.text(node).strip("'\"`")]
    if node.type == "array":
        found = [ctx.text(c).strip("'\"`") for c in node.named_children if c.type == "string"]
        return found if len(found) == len(node.named_children) else None
    return None


def _rule(ctx: JsFileContext, obj: Node) -> MountRule:
    matcher = _strings(ctx, _pair(ctx, obj, "matcher"))
    methods = _strings(ctx, _pair(ctx, obj, "method"))
    rule = MountRule(
        matcher=matcher[0] if matcher and len(matcher) == 1 else None,
        methods=[m.upper() for m in methods] if methods is not None else None,
        policies=_pair(ctx, obj, "policies") is not None,
        line=obj.start_point[0] + 1,
    )
    middlewares = _pair(ctx, obj, "middlewares")
    if middlewares is not None and middlewares.type == "array":
        for raw in middlewares.named_children:
            element = unwrap(raw) or raw
            if element.type == "call_expression":
                rule.middlewares.append(_callee(ctx, element.child_by_field_name("function")))
                rule.args.append(ctx.text(element.child_by_field_name("arguments"))[:300])
            else:
                rule.middlewares.append(_callee(ctx, element))
                rule.args.append("")
    elif middlewares is not None:
        rule.middlewares.append("?")  # built elsewhere: out of sight
        rule.args.append(ctx.text(middlewares)[:80])
    return rule


def _mount_list(ctx: JsFileContext, array: Node) -> MountList:
    found = MountList()
    for element in array.named_children:
        if element.type == "comment":
            continue
        if element.type == "spread_element" and element.named_children:
            found.spreads.append(_callee(ctx, element.named_children[0]))
        elif element.type == "object":
            found.rules.append(_rule(ctx, element))
        else:
            found.unreadable.append(ctx.text(element)[:60])
    return found


def _config_list(ctx: JsFileContext, value: Node | None) -> MountList | None:
    """An array of entries, or `defineMiddlewares({ routes: [...] })` (or of an array)."""
    value = unwrap(value)
    if value is None:
        return None
    if value.type == "array":
        return _mount_list(ctx, value)
    if value.type != "call_expression":
        return None
    if not _callee(ctx, value.child_by_field_name("function")).endswith("defineMiddlewares"):
        return None
    arguments = value.child_by_field_name("arguments")
    first = unwrap(arguments.named_children[0]) if arguments and arguments.named_children else None
    if first is not None and first.type == "object":
        first = _pair(ctx, first, "routes")
    if first is None:
        return MountList()
    if first.type != "array":
        return MountList(unreadable=[ctx.text(first)[:60]])
    return _mount_list(ctx, first)


def _exports_assignment(ctx: JsFileContext, statement: Node) -> tuple[str, Node] | None:
    """`exports.X = value` / `module.exports.X = value` -> (X, value)."""
    if statement.type != "expression_statement" or not statement.named_children:
        return None
    expression = statement.named_children[0]
    if expression.type != "assignment_expression":
        return None
    left = ctx.text(expression.child_by_field_name("left"))
    right = expression.child_by_field_name("right")
    for prefix in ("exports.", "module.exports."):
        if left.startswith(prefix) and right is not None:
            return left[len(prefix) :], right
    return None


def extract(ctx: JsFileContext, out: FullstackFacts) -> None:
    """Middleware configs, CommonJS re-exports and the AUTHENTICATE opt-out of one file."""
    is_middlewares = posixpath.splitext(posixpath.basename(ctx.file))[0] == "middlewares"
    for statement in ctx.root.named_children:
        assigned = _exports_assignment(ctx, statement)
        if assigned is not None:
            name, value = assigned
            value = unwrap(value) or value
            if name == "AUTHENTICATE" and ctx.text(value) == "false":
                out.authenticate_opt_out = True
            elif value.type == "member_expression" and name not in _METHODS:
                out.reexports[name] = "".join(ctx.text(value).split())
            elif is_middlewares:
                found = _config_list(ctx, value)
                if found is not None:
                    out.mount_lists[name] = found
            continue
        node = statement
        is_default = statement.type == "export_statement" and any(
            child.type == "default" for child in statement.children
        )
        if statement.type == "export_statement":
            if is_default and is_middlewares:
                found = _config_list(ctx, statement.child_by_field_name("value"))
                if found is not None:
                    out.mount_lists["default"] = found
                continue
            node = statement.child_by_field_name("declaration") or statement
        if node.type not in {"lexical_declaration", "variable_declaration"}:
            continue
        for declarator in node.named_children:
            name_node = declarator.child_by_field_name("name")
            declared = unwrap(declarator.child_by_field_name("value"))
            if name_node is None or declared is None:
                continue
            name = ctx.text(name_node)
            if name == "AUTHENTICATE" and ctx.text(declared) == "false":
                out.authenticate_opt_out = True
            elif is_middlewares:
                found = _config_list(ctx, declared)
                if found is not None:
                    out.mount_lists[name] = found


def cjs_method_exports(ctx: JsFileContext) -> list[tuple[str, str, int]]:
    """`exports.GET = GET` of compiled route files: (method, local name, line)."""
    found: list[tuple[str, str, int]] = []
    for statement in ctx.root.named_children:
        assigned = _exports_assignment(ctx, statement)
        if assigned is None:
            continue
        name, assigned_value = assigned
        value = unwrap(assigned_value) or assigned_value
        if name in _METHODS and value.type == "identifier":
            found.append((name, ctx.text(value), statement.start_point[0] + 1))
    return found
