"""Small AST helpers shared by the framework extractors: names, literals, keyword lookup."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import PurePosixPath

HTTP_METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
STATE_CHANGING: frozenset[str] = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def preorder(roots: list[ast.stmt] | ast.AST) -> list[ast.AST]:
    """Every node under `roots`, parents before children, in source order. A plain stack over
    `_fields` is cheaper than `ast.walk` / `NodeVisitor` on large modules."""
    stack: list[ast.AST] = list(reversed(roots)) if isinstance(roots, list) else [roots]
    out: list[ast.AST] = []
    append, pop, push = out.append, stack.pop, stack.append
    ast_type = ast.AST
    while stack:
        node = pop()
        append(node)
        for name in reversed(node._fields):  # pushed last-first so they pop in source order
            value = getattr(node, name, None)
            if type(value) is list:
                for item in reversed(value):
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(value, ast_type):
                push(value)
    return out


def returns_none(node: ast.AST) -> bool:
    """`return`, `return None`."""
    return isinstance(node, ast.Return) and (
        node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)
    )


def module_name_for(file: str) -> str:
    """'app/routers/orders.py' -> 'app.routers.orders'; a package's __init__ is the package."""
    parts = list(PurePosixPath(file).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def dotted(node: ast.AST | None) -> str | None:
    """`a.b.c` -> 'a.b.c'; a call `a.b()` -> 'a.b'; anything else -> None."""
    if isinstance(node, ast.Call):
        return dotted(node.func)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def last_name(node: ast.AST | None) -> str:
    name = dotted(node) or ""
    return name.rsplit(".", 1)[-1]


def const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def template_str(node: ast.AST | None) -> str | None:
    """A literal string or an f-string with its holes written as '{}' (for test paths)."""
    text = const_str(node)
    if text is not None:
        return text
    if isinstance(node, ast.JoinedStr):
        pieces: list[str] = []
        for value in node.values:
            piece = const_str(value)
            pieces.append(piece if piece is not None else "{}")
        return "".join(pieces)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = template_str(node.left)
        right = template_str(node.right)
        if left is not None:
            return left + (right if right is not None else "{}")
    return None


def str_list(node: ast.AST | None) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [text for element in node.elts if (text := const_str(element)) is not None]
    text = const_str(node)
    return [text] if text is not None else []


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def positional_or_keyword(call: ast.Call, index: int, name: str) -> ast.expr | None:
    found = keyword(call, name)
    if found is not None:
        return found
    if len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return None


def elements(node: ast.AST | None) -> list[ast.expr]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return list(node.elts)
    return []


def source_text(node: ast.AST) -> str:
    """`ast.unparse(node)`, once per node: the body visitors ask for the same attribute chains
    and comparisons many times (each level of `a.b.c.d` is visited)."""
    cached = getattr(node, "_review_source_text", None)
    if isinstance(cached, str):
        return cached
    try:
        text = ast.unparse(node)
    except (ValueError, TypeError, AttributeError, RecursionError):
        text = ""
    setattr(node, "_review_source_text", text)  # noqa: B010 - cache on the node itself
    return text


class Imports:
    """Alias -> fully qualified name for one module, relative imports resolved."""

    def __init__(self, nodes: list[ast.AST], module: str, is_package: bool) -> None:
        self.module = module
        self.aliases: dict[str, str] = {}
        package_parts = module.split(".") if module else []
        if not is_package and package_parts:
            package_parts = package_parts[:-1]
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".", 1)[0]
                        self.aliases.setdefault(head, head)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    keep = len(package_parts) - (node.level - 1)
                    prefix = ".".join(package_parts[: max(keep, 0)])
                    base = ".".join(part for part in (prefix, base) if part)
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    qualified = f"{base}.{alias.name}" if base else alias.name
                    self.aliases[alias.asname or alias.name] = qualified

    def qualify(self, node: ast.AST | None, local_names: frozenset[str] = frozenset()) -> str:
        """The qualified name an expression refers to ('' when it is not a plain name chain)."""
        name = dotted(node)
        if not name:
            return ""
        head, _, rest = name.partition(".")
        if head in self.aliases:
            base = self.aliases[head]
        elif head in local_names:
            base = f"{self.module}.{head}" if self.module else head
        else:
            base = head
        return f"{base}.{rest}" if rest else base

    def refers_to(self, node: ast.AST | None, *qualified_names: str) -> bool:
        target = self.qualify(node)
        return any(target == q or target.endswith("." + q) for q in qualified_names)


def composed_name(node: ast.AST, qualify: Callable[[ast.AST], str]) -> str:
    """`IsOwner | IsAdminUser` -> 'any(app.perms.IsOwner,rest_framework.permissions.IsAdminUser)',
    `A & B` -> 'all(...)', `~A` -> 'not(...)': one name the classifier reads back (composed)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr | ast.BitAnd):
        op = "any" if isinstance(node.op, ast.BitOr) else "all"
        parts: list[str] = []
        for side in (node.left, node.right):
            inner = composed_name(side, qualify)
            if inner.startswith(f"{op}("):  # A | B | C: one level
                parts.extend(split_composed(inner)[1])
            else:
                parts.append(inner)
        return f"{op}({','.join(parts)})"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        return f"not({composed_name(node.operand, qualify)})"
    return qualify(node) or "?"


def split_composed(name: str) -> tuple[str, list[str]]:
    """'any(a.A,all(b.B,c.C))' -> ('any', ['a.A', 'all(b.B,c.C)']); ('', []) for plain names."""
    op, paren, rest = name.partition("(")
    if not paren or op not in {"any", "all", "not"} or not rest.endswith(")"):
        return "", []
    parts: list[str] = []
    depth, start = 0, 0
    body = rest[:-1]
    for i, char in enumerate(body):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return op, parts


def short_name(name: str, nested: bool = False) -> str:
    """What to show for a mechanism: its last name; `A | (B & C)` for a composition."""
    op, parts = split_composed(name)
    if not op:
        return name.rsplit(".", 1)[-1]
    if op == "not":
        return f"~{short_name(parts[0], True)}"
    joined = (" | " if op == "any" else " & ").join(short_name(p, True) for p in parts)
    return f"({joined})" if nested else joined
