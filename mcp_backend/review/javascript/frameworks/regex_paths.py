"""Route paths written as regular expressions (`app.get(/^\\/nodes\\/([^\\/]+)$/, h)`).

Express and Koa accept a RegExp wherever a path goes. The inventory shows such a route as a
path: literal text stays, every capturing group or character class becomes one parameter
(`:re1`, `:re2`, …), an optional literal group disappears, anchors and escapes are dropped.
`/^\\/library\\/([^\\/]+)\\/([^\\/]+)(?:$|\\/(.*))/` → `/library/:re1/:re2:re3`.
"""

from __future__ import annotations

import re

_LITERAL = re.compile(r"[\w./-]*")


def _group_end(text: str, start: int) -> int:
    """Index just past the group opening at text[start] == "(" (nesting and escapes)."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            close = text.find("]", i + 2)
            i = len(text) if close == -1 else close + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def regex_route_path(pattern: str) -> str:
    """The path a route regex stands for, parameters named `:re1`, `:re2`, … in order."""
    text = re.sub(r"^\^", "", pattern)
    text = re.sub(r"(\\Z|\$)$", "", text)
    out: list[str] = []
    count = 0

    def parameter() -> str:
        nonlocal count
        count += 1
        return f":re{count}"

    i = 0
    while i < len(text):
        char = text[i]
        if char == "(":
            end = _group_end(text, i)
            group = text[i:end]
            plain = group.startswith("(?:") or not group.startswith("(?")
            body_start = 3 if group.startswith("(?:") else 1
            inner = group[body_start:-1]
            literal = re.sub(r"\\(.)", r"\1", inner)
            if plain and "(" not in inner and _LITERAL.fullmatch(literal):
                optional = text[end : end + 1] == "?"
                out.append("" if optional else literal)
                i = end + (1 if optional else 0)
                continue
            out.append(parameter())
            i = end + (1 if text[end : end + 1] in ("?", "*", "+") else 0)
            continue
        if char == "[":
            close = text.find("]", i + 2)
            i = len(text) if close == -1 else close + 1
            while text[i : i + 1] in ("+", "*", "?"):
                i += 1
            out.append(parameter())
            continue
        if char == "\\" and i + 1 < len(text):
            following = text[i + 1]
            if following in "dwsDWS":
                i += 2
                while text[i : i + 1] in ("+", "*", "?"):
                    i += 1
                out.append(parameter())
                continue
            out.append(following)
            i += 2
            continue
        if char == "?" and out and out[-1] == "/":
            out.pop()  # an optional trailing slash
            i += 1
            continue
        if char in "^$":
            i += 1
            continue
        out.append(char)
        i += 1
    path = "".join(out)
    return path if path.startswith("/") else "/" + path
