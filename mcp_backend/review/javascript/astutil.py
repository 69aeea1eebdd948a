"""Tree-sitter helpers shared by the JavaScript detectors and the framework extractors."""

from __future__ import annotations

import re

from tree_sitter import Node

from mcp_backend.review.javascript.context import JsFileContext

SQL_TEXT = re.compile(
    r"^\s*(select\s.+\sfrom\b|insert\s+into\b|update\s+\S+\s+set\b|delete\s+from\b|with\s+\w+\s+as\b"
    r"|replace\s+into\b|merge\s+into\b|create\s+(table|index)\b|drop\s+table\b|alter\s+table\b)"
    r"|\b(select\s.+\sfrom|where\s+\w+\s*(=|like|in\b)|order\s+by|group\s+by|values\s*\()",
    re.IGNORECASE | re.DOTALL,
)
# Interpolations that are not data: module constants (and their fields: `T.users`,
# `SYSTEM_USER.name`), placeholder lists, numbers.
SAFE_INTERPOLATION = re.compile(
    r"^([A-Z][A-Z0-9_]*(\.[A-Za-z_]\w*)*|\d+|placeholders?|\w*[Pp]laceholders?|"
    r"\w+\.map\(.*['\"`](\?|\$).*\)\.join\(.*\)|(this\.)?(table|tableName|TABLE)\w*)$",
    re.DOTALL,
)
PASSWORD_WORD = re.compile(r"pass(word|wd|phrase)?\b|\bpwd\b|password", re.IGNORECASE)
# Expressions that only wrap a value: `(x)`, `await x`, `x as T`, `x satisfies T`, `x!`.
_WRAPPERS = frozenset(
    {
        "await_expression",
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
    }
)


def unwrap(node: Node | None) -> Node | None:
    """The value under any parentheses, `await`, and TypeScript `as`/`satisfies`/`!`."""
    while node is not None and node.type in _WRAPPERS:
        node = node.named_children[0] if node.named_children else None
    return node


def literal_pieces(ctx: JsFileContext, node: Node) -> list[str | Node]:
    """A template literal or `+` chain as its constant texts and dynamic nodes, in order."""
    if node.type == "template_string":
        out: list[str | Node] = []
        for child in node.named_children:
            if child.type == "template_substitution":
                out.extend(child.named_children)
            else:
                out.append(ctx.text(child))
        return out
    if node.type == "binary_expression" and ctx.text(node.child_by_field_name("operator")) == "+":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        return (literal_pieces(ctx, left) if left is not None else []) + (
            literal_pieces(ctx, right) if right is not None else []
        )
    if node.type == "string":
        return [ctx.text(node)[1:-1]]
    if node.type == "parenthesized_expression" and node.named_children:
        return literal_pieces(ctx, node.named_children[0])
    return [node]


def literal_parts(ctx: JsFileContext, node: Node) -> tuple[str, list[Node]]:
    """For a template literal or a `+` chain: its constant text and its dynamic parts."""
    pieces = literal_pieces(ctx, node)
    text = "".join(piece for piece in pieces if isinstance(piece, str))
    return text, [piece for piece in pieces if not isinstance(piece, str)]


def is_dynamic_string(ctx: JsFileContext, node: Node) -> bool:
    return node.type in {"template_string", "binary_expression"} and bool(
        literal_parts(ctx, node)[1]
    )


def local_value(ctx: JsFileContext, identifier: Node) -> Node | None:
    """The initial value of a local `const x = ...` in the same function, if simple."""
    name = ctx.text(identifier)
    scope = ctx.enclosing_function(identifier) or ctx.root
    best: Node | None = None
    for declarator in ctx.bindings_in(scope):
        if declarator.start_byte > identifier.start_byte:
            break
        if declarator.type != "variable_declarator":
            continue
        target = declarator.child_by_field_name("name")
        if target is not None and target.type == "identifier" and ctx.text(target) == name:
            best = declarator.child_by_field_name("value")
    return best


def pair_value(ctx: JsFileContext, obj: Node, key: str) -> Node | None:
    for pair in obj.named_children:
        if pair.type == "pair" and ctx.text(pair.child_by_field_name("key")).strip("'\"") == key:
            return pair.child_by_field_name("value")
    return None
