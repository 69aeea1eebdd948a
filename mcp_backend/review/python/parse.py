"""Parse Python of every grammar up to 3.14 with the `ast` of the interpreter we run on (3.11+).

The host's own `ast.parse` is tried first, so code it accepts costs nothing extra. Only a file it
rejects is lowered: the constructs newer than the host are rewritten into text the host accepts,
**keeping every other token at its line and column**, the lowered text is parsed, and the nodes
that stood for new constructs are replaced by what a newer interpreter would have built:

- PEP 701 f-strings (quotes reused inside fields, backslashes, comments and line breaks in
  fields) and PEP 750 t-strings: the whole string group becomes a placeholder name of the same
  byte length; each field's expression is parsed on its own (recursively, so nested modern
  strings work) at its real position and assembled into a `JoinedStr` (a t-string into a
  `string.templatelib.Template(...)` call: it is not a `str`, so string rules must not fire);
- PEP 695 / PEP 696 type parameters (`def f[T = int](...)`, `class C[T]:`) are blanked: the
  analysers do not use them;
- PEP 695 `type X[T] = value` becomes the assignment `X = value` (the name keeps its column);
- PEP 758 `except A, B:` / `except* A, B:` become a `Tuple` of the parsed elements.

Why this and not another parser: the analysers are written against `ast`, and this costs nothing
on code the host accepts (a converter from another parser's tree would cost on every file), needs
no other interpreter or package, and is deterministic. A file that still fails raises the host's
original `SyntaxError`, so the reason a user reads is about their code, not about the lowering.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from itertools import product
from typing import Literal, TypeVar

_Mode = Literal["exec", "eval"]
_T = TypeVar("_T", bound=ast.AST)

_NAME = re.compile(r"[^\W\d]\w*")
_NUMBER = re.compile(r"(?:\d[\w.]*|\.\d[\w.]*)(?:(?<=[eE])[+-]\d\w*)?")
_STRING_PREFIX = frozenset(
    "".join(chars)
    for base in ("r", "u", "b", "br", "rb", "f", "fr", "rf", "t", "tr", "rt")
    for chars in product(*((c, c.upper()) for c in base))
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(")]}")
_THREE_CHAR_OPS = frozenset({"**=", "//=", ">>=", "<<=", "..."})
_TWO_CHAR_OPS = frozenset(
    {"==", "!=", "<=", ">=", "->", ":=", "**", "//", "<<", ">>", "+=", "-=", "*=", "/=", "%="}
    | {"&=", "|=", "^=", "@="}
)


class LoweringError(Exception):
    """The text uses a construct the lowering cannot place without moving other tokens."""


def parse_python(text: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse(text)`, accepting every grammar up to Python 3.14 on any host we support.

    Raises the host's `SyntaxError` when the text is not valid Python of any version. The
    compiler's warnings about the code (invalid escapes) are the project's business, not ours:
    they are not printed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text, filename=filename)
        except SyntaxError as error:
            original = error
        try:
            tree = _parse_lowered(text, "exec")
        except SyntaxError as error:
            # Lowering keeps lines and columns, so this error points at the real problem (a
            # Python 2 print after some 3.12 syntax), not at the first modern construct.
            lines = text.splitlines()
            if error.lineno is None or not 0 < error.lineno <= len(lines):
                raise original from None
            error.text, error.filename = lines[error.lineno - 1], filename
            raise error from None
        except (LoweringError, ValueError):
            raise original from None
    assert isinstance(tree, ast.Module)
    return tree


def _parse(text: str, mode: _Mode) -> ast.AST:
    try:
        return ast.parse(text, mode=mode)
    except SyntaxError:
        return _parse_lowered(text, mode)


# --------------------------------------------------------------------------- scanning


@dataclass
class _Field:
    """`{expr=!r:spec}` inside an f-string or t-string."""

    expr_start: int
    expr_end: int
    debug_text: str | None  # 'x = ' for `{x = }`: the text a debug field prints before the value
    conversion: int
    spec: list[_Literal | _Field] | None
    written_end: int  # end of the field's text before `!`/`:`, a debug `=` and comments included


@dataclass
class _Literal:
    text: str  # with `{{`/`}}` already undoubled; escapes not yet decoded


@dataclass
class _String:
    start: int
    end: int
    prefix: str  # lower-cased
    quote: str  # ', ", ''' or """
    parts: list[_Literal | _Field] = field(default_factory=list)

    @property
    def is_template(self) -> bool:
        return "f" in self.prefix or "t" in self.prefix


@dataclass
class _Token:
    kind: str  # NAME OP STRING NEWLINE
    start: int
    end: int
    string: _String | None = None


class _Scanner:
    """Python's lexical grammar as of 3.14, enough to find strings, brackets and logical lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.comments: list[tuple[int, int]] = []  # spans of comments outside strings

    def tokens(self) -> list[_Token]:
        text, pos, depth = self.text, 0, 0
        out: list[_Token] = []
        while pos < len(text):
            char = text[pos]
            if char in " \t\f":
                pos += 1
            elif char == "\\" and text.startswith("\n", pos + 1):
                pos += 2
            elif char == "\n":
                if depth == 0:
                    out.append(_Token("NEWLINE", pos, pos + 1))
                pos += 1
            elif char == "#":
                end = self._line_end(pos)
                self.comments.append((pos, end))
                pos = end
            elif (match := _NAME.match(text, pos)) is not None:
                end = match.end()
                if end < len(text) and text[end] in "'\"" and match.group() in _STRING_PREFIX:
                    string = self.string(pos, end)
                    out.append(_Token("STRING", pos, string.end, string))
                    pos = string.end
                else:
                    out.append(_Token("NAME", pos, end))
                    pos = end
            elif char in "'\"":
                string = self.string(pos, pos)
                out.append(_Token("STRING", pos, string.end, string))
                pos = string.end
            elif (match := _NUMBER.match(text, pos)) is not None:
                pos = match.end()
            else:
                width = self._op_width(pos)
                if char in _OPENERS:
                    depth += 1
                elif char in _CLOSERS:
                    depth = max(0, depth - 1)
                out.append(_Token("OP", pos, pos + width))
                pos += width
        return out

    def _op_width(self, pos: int) -> int:
        if self.text[pos : pos + 3] in _THREE_CHAR_OPS:
            return 3
        if self.text[pos : pos + 2] in _TWO_CHAR_OPS:
            return 2
        return 1

    def _line_end(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def string(self, start: int, quote_at: int) -> _String:
        text = self.text
        prefix = text[start:quote_at].lower()
        quote = text[quote_at : quote_at + 3]
        if quote not in ('"""', "'''"):
            quote = text[quote_at]
        string = _String(start, 0, prefix, quote)
        body = quote_at + len(quote)
        if string.is_template:
            string.end = self._template_body(string, body)
        else:
            string.end = self._plain_body(body, quote)
        return string

    def _plain_body(self, pos: int, quote: str) -> int:
        text = self.text
        while pos < len(text):
            if text.startswith(quote, pos):
                return pos + len(quote)
            char = text[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "\n" and len(quote) == 1:
                raise LoweringError("unterminated string")
            pos += 1
        raise LoweringError("unterminated string")

    def _template_body(self, string: _String, pos: int) -> int:
        end, parts = self._template_parts(pos, string.quote, "r" in string.prefix, in_spec=False)
        string.parts = parts
        return end

    def _template_parts(
        self, pos: int, quote: str, raw: bool, *, in_spec: bool
    ) -> tuple[int, list[_Literal | _Field]]:
        """Literal text and fields up to the closing quote (or, in a format spec, up to the `}`
        that closes the field). Returns the position after it and the parts."""
        text = self.text
        parts: list[_Literal | _Field] = []
        chunk: list[str] = []
        run = pos

        def flush_literal(upto: int) -> None:
            chunk.append(text[run:upto])
            joined = "".join(chunk)
            if joined:
                parts.append(_Literal(joined))
            chunk.clear()

        while pos < len(text):
            char = text[pos]
            if not in_spec and text.startswith(quote, pos):
                flush_literal(pos)
                return pos + len(quote), parts
            if in_spec and char == "}":
                flush_literal(pos)
                return pos, parts
            if char == "\\":
                if not raw and text.startswith("N{", pos + 1):
                    close = text.find("}", pos)
                    pos = len(text) if close < 0 else close + 1
                else:  # `\{` still opens a field
                    pos += 1 if text[pos + 1 : pos + 2] in ("{", "}") else 2
                continue
            if char in "{}" and text.startswith(char * 2, pos) and not in_spec:
                chunk.append(text[run : pos + 1])
                pos += 2
                run = pos
                continue
            if char == "{":
                flush_literal(pos)
                pos, part = self._field(pos + 1, quote, raw)
                parts.append(part)
                run = pos
                continue
            if char == "}":
                raise LoweringError("single '}' in f-string")
            if char == "\n" and len(quote) == 1 and not in_spec:
                raise LoweringError("unterminated f-string")
            pos += 1
        raise LoweringError("unterminated f-string")

    def _field(self, pos: int, quote: str, raw: bool) -> tuple[int, _Field]:
        """From just after `{` to just after its `}`."""
        text = self.text
        expr_start = pos
        expr_end = self._expression_end(pos)
        pos = expr_end
        expression = text[expr_start:expr_end]
        written_end = expr_end
        debug_text = None
        if "=" in expression:  # `{x = }`, `{x=  # why\n}`: a debug field ends with a lone `=`
            scanner = _Scanner(expression)
            tokens = scanner.tokens()
            last = next((t for t in reversed(tokens) if t.kind != "NEWLINE"), None)
            if last is not None and last.kind == "OP" and expression[last.start : last.end] == "=":
                debug_text = expression  # what it prints: the text, comments left out
                for begin, stop in reversed(scanner.comments):
                    debug_text = debug_text[:begin] + debug_text[stop:]
                expr_end = expr_start + last.start
        conversion = -1
        if text.startswith("!", pos):
            conversion = ord(text[pos + 1]) if pos + 1 < len(text) else -1
            pos += 2
            while pos < len(text) and text[pos] in " \t\n":  # `{x!s  }` is allowed
                pos += 1
        spec: list[_Literal | _Field] | None = None
        if text.startswith(":", pos):
            pos, spec = self._template_parts(pos + 1, quote, raw, in_spec=True)
        if not text.startswith("}", pos):
            raise LoweringError("f-string field not closed")
        if debug_text is not None and conversion == -1 and spec is None:
            conversion = ord("r")
        return pos + 1, _Field(expr_start, expr_end, debug_text, conversion, spec, written_end)

    def _expression_end(self, pos: int) -> int:
        """The end of a field's expression: `}`, `!` (not `!=`) or `:` at bracket depth 0."""
        text, depth = self.text, 0
        while pos < len(text):
            char = text[pos]
            if depth == 0 and (char in "}:" or (char == "!" and not text.startswith("!=", pos))):
                return pos
            if char == "#":
                pos = self._line_end(pos)
            elif char in _OPENERS:
                depth += 1
                pos += 1
            elif char in _CLOSERS:
                depth -= 1
                pos += 1
            elif (match := _NAME.match(text, pos)) is not None:
                end = match.end()
                if end < len(text) and text[end] in "'\"" and match.group() in _STRING_PREFIX:
                    pos = self.string(pos, end).end
                else:
                    pos = end
            elif char in "'\"":
                pos = self.string(pos, pos).end
            elif char == "=" and text.startswith("==", pos):
                pos += 2
            else:
                pos += 1
        raise LoweringError("f-string field not closed")


# --------------------------------------------------------------------------- lowering


@dataclass
class _Lowered:
    text: str
    placeholders: dict[str, tuple[int, int, list[_String]]]  # name -> span, strings in group
    excepts: dict[tuple[int, int], list[tuple[int, int]]]  # (line, col) -> element spans
    aliases: dict[tuple[int, int], tuple[int, int]]  # Assign (line, col) -> real name span


class _Positions:
    """Offsets in the original text to (line, UTF-8 column), as `ast` counts them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.comments: list[tuple[int, int]] = []  # spans of comments outside strings
        self.starts = [0]
        self.starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")

    def at(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:  # the last line start <= offset
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        start = self.starts[lo]
        return lo + 1, len(self.text[start:offset].encode("utf-8"))


def _parse_lowered(text: str, mode: _Mode, *, every_string: bool = False) -> ast.AST:
    """`every_string`: rebuild every f-string with fields, not only those the host rejects
    (for tests: it puts the f-string reconstruction to work on code the host can check)."""
    text = text.replace("\r\n", "\n")
    lowered = _lower(text, every_string)
    tree = ast.parse(lowered.text, mode=mode)
    restored = _Restorer(text, lowered).visit(tree)
    assert isinstance(restored, ast.AST)
    return restored


def _lower(text: str, every_string: bool = False) -> _Lowered:
    tokens = _Scanner(text).tokens()
    out = list(text)
    lowered = _Lowered("", {}, {}, {})
    positions = _Positions(text)
    prefix = _placeholder_prefix(text)

    def blank(start: int, end: int, keep: str = "") -> None:
        """Spaces over [start, end), line breaks kept with a continuation backslash."""
        for index in range(start, end):
            if text[index] == "\n":
                if index == start or text[index - 1] == "\n":
                    raise LoweringError("cannot blank an empty line")
                out[index - 1] = "\\"
            else:
                out[index] = " "
        for offset, char in enumerate(keep):
            out[start + offset] = char

    index = 0
    statement_start = True
    while index < len(tokens):
        token = tokens[index]
        word = text[token.start : token.end] if token.kind == "NAME" else ""
        if token.kind == "STRING":
            index = _lower_string_group(
                tokens, index, text, out, lowered, prefix, positions, every_string
            )
            statement_start = False
            continue
        if token.kind == "NEWLINE" or (token.kind == "OP" and text[token.start] in ";"):
            statement_start = True
            index += 1
            continue
        if word in ("def", "class") and index + 2 < len(tokens):
            after = tokens[index + 2]
            if tokens[index + 1].kind == "NAME" and _is(text, after, "["):
                close = _matching(tokens, index + 2, text)
                blank(after.start, tokens[close].end)
        elif statement_start and word == "type" and (equals := _type_alias(tokens, index, text)):
            name = tokens[index + 1]
            lowered.aliases[positions.at(token.start)] = (name.start, name.end)
            blank(token.start, tokens[equals].start, keep=text[name.start : name.end])
        elif statement_start and word == "except":
            _lower_except(tokens, index, text, out, lowered, positions)
        statement_start = False
        index += 1
    lowered.text = "".join(out)
    return lowered


def _is(text: str, token: _Token, op: str) -> bool:
    return token.kind == "OP" and text[token.start : token.end] == op


def _matching(tokens: list[_Token], opener: int, text: str) -> int:
    depth = 0
    for index in range(opener, len(tokens)):
        char = text[tokens[index].start]
        if tokens[index].kind != "OP":
            continue
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
            if depth == 0:
                return index
    raise LoweringError("unbalanced brackets")


def _type_alias(tokens: list[_Token], index: int, text: str) -> int | None:
    """Index of the `=` of `type NAME [params] =`, or None when `type` is an ordinary name."""
    if index + 2 >= len(tokens) or tokens[index + 1].kind != "NAME":
        return None
    after = index + 2
    if _is(text, tokens[after], "["):
        after = _matching(tokens, after, text) + 1
    if after < len(tokens) and _is(text, tokens[after], "="):
        return after
    return None


def _lower_except(
    tokens: list[_Token],
    index: int,
    text: str,
    out: list[str],
    lowered: _Lowered,
    positions: _Positions,
) -> None:
    """`except A, B:` -> `except A| B:`, remembering where each element stands."""
    cursor = index + 1
    if cursor < len(tokens) and _is(text, tokens[cursor], "*"):
        cursor += 1
    first = cursor
    commas: list[int] = []
    depth = 0
    while cursor < len(tokens):
        token = tokens[cursor]
        if token.kind == "NEWLINE":
            return
        char = text[token.start]
        if token.kind == "OP" and char in _OPENERS:
            depth += 1
        elif token.kind == "OP" and char in _CLOSERS:
            depth -= 1
        elif depth == 0 and _is(text, token, ":"):
            break
        elif depth == 0 and token.kind == "NAME" and text[token.start : token.end] == "as":
            return
        elif depth == 0 and _is(text, token, ","):
            commas.append(cursor)
        cursor += 1
    if not commas or cursor >= len(tokens) or first >= cursor:
        return
    bounds = [first, *[c + 1 for c in commas]]
    ends = [*commas, cursor]
    spans = []
    for begin, stop in zip(bounds, ends, strict=True):
        if begin >= stop:
            return  # a trailing comma: leave it to the parser to judge
        spans.append((tokens[begin].start, tokens[stop - 1].end))
    for comma in commas:
        out[tokens[comma].start] = "|"
    lowered.excepts[positions.at(tokens[index].start)] = spans


def _newer_than_311(string: _String, text: str) -> bool:
    """A t-string, or an f-string whose fields use what only 3.12 allows there: the string's
    quote, a backslash, a comment, a line break in a one-line string (conservative: lowering
    a string 3.11 could read costs time, never correctness)."""
    if "t" in string.prefix:
        return True
    if not string.is_template:
        return False
    pending = list(string.parts)
    while pending:
        part = pending.pop()
        if not isinstance(part, _Field):
            continue
        expression = text[part.expr_start : part.written_end]
        if (
            string.quote[0] in expression
            or "\\" in expression
            or "#" in expression
            or (len(string.quote) == 1 and "\n" in expression)
        ):
            return True
        pending.extend(part.spec or [])
    return False


def _host_reads(expression: str) -> bool:
    """Whether the running interpreter parses this expression (the exact test for what the
    quick one above does not catch, such as format specs nested three deep)."""
    try:
        ast.parse("(" + expression + "\n)", mode="eval")
    except (SyntaxError, ValueError):
        return False
    return True


def _placeholder_prefix(text: str) -> str:
    prefix = "_Q"
    while prefix in text:
        prefix += "Q"
    return prefix


def _lower_string_group(
    tokens: list[_Token],
    index: int,
    text: str,
    out: list[str],
    lowered: _Lowered,
    prefix: str,
    positions: _Positions,
    every_string: bool,
) -> int:
    """Adjacent string literals form one expression; replace the group when any part of it is
    an f-string or t-string with fields. Returns the index after the group."""
    stop = index
    while stop < len(tokens) and tokens[stop].kind == "STRING":
        stop += 1
    strings = [t.string for t in tokens[index:stop] if t.string is not None]
    if every_string:
        needs = any(
            "t" in s.prefix or (s.is_template and any(isinstance(p, _Field) for p in s.parts))
            for s in strings
        )
    else:
        needs = any(_newer_than_311(s, text) for s in strings)
        if not needs and any(s.is_template for s in strings):
            needs = not _host_reads(text[strings[0].start : strings[-1].end])
    if not needs:
        return stop
    start, end = strings[0].start, strings[-1].end
    name = f"{prefix}{len(lowered.placeholders):x}"
    first_line, _ = positions.at(start)
    last_line, _ = positions.at(end)
    if first_line == last_line:
        width = len(text[start:end].encode("utf-8"))
        if width < len(name):
            raise LoweringError("no room for a placeholder")
        replacement = name.ljust(width, "_")
        name = replacement
    else:
        tail_width = len(text[positions.starts[last_line - 1] : end].encode("utf-8"))
        replacement = "(" + name + "\n" * (last_line - first_line) + " " * (tail_width - 1) + ")"
    out[start:end] = [replacement] + [""] * (end - start - 1)
    lowered.placeholders[name] = (start, end, strings)
    return stop


# --------------------------------------------------------------------------- restoring


class _Restorer(ast.NodeTransformer):
    def __init__(self, text: str, lowered: _Lowered) -> None:
        self.text = text
        self.lowered = lowered
        self.positions = _Positions(text)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        group = self.lowered.placeholders.get(node.id)
        if group is None:
            return node
        start, end, strings = group
        return self._string_group(start, end, strings)

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        span = self.lowered.aliases.get((node.lineno, node.col_offset))
        if span is not None and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target = node.targets[0]
            target.lineno, target.col_offset = self.positions.at(span[0])
            target.end_lineno, target.end_col_offset = self.positions.at(span[1])
        return node

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.AST:
        self.generic_visit(node)
        spans = self.lowered.excepts.get((node.lineno, node.col_offset))
        if spans is not None:
            elements = [self._expression(begin, stop) for begin, stop in spans]
            node.type = self._place(
                ast.Tuple(elts=elements, ctx=ast.Load()), spans[0][0], spans[-1][1]
            )
        return node

    # --- building ---------------------------------------------------------------------------
    def _place(self, node: _T, start: int, end: int) -> _T:
        node.lineno, node.col_offset = self.positions.at(start)  # type: ignore[attr-defined]
        node.end_lineno, node.end_col_offset = self.positions.at(end)  # type: ignore[attr-defined]
        return node

    def _expression(self, start: int, end: int) -> ast.expr:
        """Parse text[start:end] as an expression and move it to where it stands."""
        wrapped = "(" + self.text[start:end] + "\n)"
        parsed = _parse(wrapped, "eval")
        assert isinstance(parsed, ast.Expression)
        body = parsed.body
        if isinstance(body, ast.Tuple) and (body.lineno, body.col_offset) == (1, 0) and body.elts:
            # `{a, b}` is a bare tuple: it spans its elements (and a trailing comma), not the
            # parentheses we added.
            first, last = body.elts[0], body.elts[-1]
            body.lineno, body.col_offset = first.lineno, first.col_offset
            body.end_lineno, body.end_col_offset = last.end_lineno, last.end_col_offset
            lines = wrapped.encode("utf-8").split(b"\n")
            rest = lines[(last.end_lineno or 1) - 1][last.end_col_offset or 0 :]
            if rest.lstrip().startswith(b","):
                body.end_col_offset = (last.end_col_offset or 0) + rest.index(b",") + 1
        line, column = self.positions.at(start)
        for node in ast.walk(parsed.body):
            if not isinstance(node, ast.expr | ast.arg | ast.keyword):
                continue
            end_line, end_column = node.end_lineno or 1, node.end_col_offset or 0
            if node.lineno == 1:
                node.col_offset += column - 1
            if end_line == 1:
                end_column += column - 1
            node.lineno += line - 1
            node.end_lineno, node.end_col_offset = end_line + line - 1, end_column
        return parsed.body

    def _string_group(self, start: int, end: int, strings: list[_String]) -> ast.expr:
        values: list[ast.expr] = []
        template = any("t" in s.prefix for s in strings)
        for string in strings:
            if not string.is_template:
                values.append(self._place(ast.Constant(_decode(string, self.text)), start, end))
                continue
            values.extend(self._parts(string, string.parts, start, end, template))
        merged = _merge_constants(values, start, end, self)
        if template:
            func = ast.Attribute(
                ast.Attribute(ast.Name("string", ast.Load()), "templatelib", ast.Load()),
                "Template",
                ast.Load(),
            )
            for node in (func, func.value, func.value.value):  # type: ignore[attr-defined]
                self._place(node, start, end)
            return self._place(ast.Call(func=func, args=merged, keywords=[]), start, end)
        return self._place(ast.JoinedStr(values=merged), start, end)

    def _parts(
        self,
        string: _String,
        parts: list[_Literal | _Field],
        start: int,
        end: int,
        template: bool,
    ) -> list[ast.expr]:
        values: list[ast.expr] = []
        raw = "r" in string.prefix
        for part in parts:
            if isinstance(part, _Literal):
                value = _decode_literal(part.text, string.quote, raw)
                values.append(self._place(ast.Constant(value), start, end))
                continue
            if part.debug_text is not None:
                values.append(self._place(ast.Constant(part.debug_text), start, end))
            expression = self._expression(part.expr_start, part.expr_end)
            if template:
                values.append(expression)
                continue
            spec = None
            if part.spec is not None:
                spec_values = _merge_constants(
                    self._parts(string, part.spec, start, end, template), start, end, self
                )
                spec = self._place(ast.JoinedStr(values=spec_values), start, end)
            values.append(
                self._place(
                    ast.FormattedValue(
                        value=expression, conversion=part.conversion, format_spec=spec
                    ),
                    start,
                    end,
                )
            )
        return values


def _merge_constants(
    values: list[ast.expr], start: int, end: int, restorer: _Restorer
) -> list[ast.expr]:
    merged: list[ast.expr] = []
    for value in values:
        previous = merged[-1] if merged else None
        if (
            isinstance(value, ast.Constant)
            and isinstance(previous, ast.Constant)
            and isinstance(value.value, str)
            and isinstance(previous.value, str)
        ):
            merged[-1] = restorer._place(ast.Constant(previous.value + value.value), start, end)
        else:
            merged.append(value)
    return [v for v in merged if not (isinstance(v, ast.Constant) and v.value == "")]


def _decode(string: _String, text: str) -> str | bytes:
    """A plain string literal's value."""
    value = ast.literal_eval(text[string.start : string.end])
    assert isinstance(value, (str, bytes))
    return value


def _decode_literal(body: str, quote: str, raw: bool) -> str:
    """The value of literal text from an f-string body (escapes decoded unless raw)."""
    if raw or "\\" not in body:
        return body
    try:
        value = ast.literal_eval(f'"""{body}"""' if '"' not in body else f"'''{body}'''")
    except (SyntaxError, ValueError):
        return body
    return value if isinstance(value, str) else body
