"""Python 3.12-3.14 syntax parsed on the host we run on (CI runs 3.11), lines and columns exact.

Each test parses code the 3.11 `ast` rejects and checks the tree the analysers get: the node a
newer interpreter builds, at the place it stands in the text.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcp_backend.review.python.parse import _parse_lowered, parse_python


def parse(code: str) -> ast.Module:
    return parse_python(textwrap.dedent(code).lstrip("\n"))


def text_at(code: str, node: ast.AST) -> str:
    """The source text a node's position covers (columns are UTF-8 byte offsets)."""
    assert isinstance(node, ast.expr | ast.stmt | ast.arg)
    assert node.end_lineno is not None and node.end_col_offset is not None
    lines = textwrap.dedent(code).lstrip("\n").encode().splitlines(keepends=True)
    start_line, start_col = node.lineno - 1, node.col_offset
    end_line, end_col = node.end_lineno - 1, node.end_col_offset
    if start_line == end_line:
        return lines[start_line][start_col:end_col].decode()
    chunk = lines[start_line][start_col:] + b"".join(lines[start_line + 1 : end_line])
    return (chunk + lines[end_line][:end_col]).decode()


def only(tree: ast.AST, kind: type[ast.AST]) -> list[ast.AST]:
    return [node for node in ast.walk(tree) if isinstance(node, kind)]


# --------------------------------------------------------------------------- PEP 701


def test_quotes_reused_inside_an_fstring_field() -> None:
    code = """
        user = {"sub": "a"}
        query = f"SELECT * FROM t WHERE id = '{user["sub"]}'"; after = 1
    """
    tree = parse(code)
    (joined,) = only(tree, ast.JoinedStr)
    assert isinstance(joined, ast.JoinedStr)
    assert [type(v).__name__ for v in joined.values] == ["Constant", "FormattedValue", "Constant"]
    field = joined.values[1]
    assert isinstance(field, ast.FormattedValue)
    assert text_at(code, field.value) == 'user["sub"]'
    assert text_at(code, joined) == """f"SELECT * FROM t WHERE id = '{user["sub"]}'\""""
    after = tree.body[2]
    assert isinstance(after, ast.Assign) and text_at(code, after) == "after = 1"


def test_backslashes_in_an_fstring_field() -> None:
    code = r"""
        text = f"{'\n'.join(names)} and {'\t'}"
    """
    (joined,) = only(parse(code), ast.JoinedStr)
    call = joined.values[0].value  # type: ignore[attr-defined]
    assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
    assert call.func.value.value == "\n"  # type: ignore[attr-defined]
    assert text_at(code, call) == r"'\n'.join(names)"


def test_comments_and_line_breaks_inside_an_fstring_field() -> None:
    code = """
        total = f"{
            prices[
                "net"
            ]  # before tax
        } EUR"
        done = True
    """
    tree = parse(code)
    (joined,) = only(tree, ast.JoinedStr)
    subscript = joined.values[0].value  # type: ignore[attr-defined]
    assert isinstance(subscript, ast.Subscript)
    assert (subscript.lineno, subscript.end_lineno) == (2, 4)
    assert text_at(code, subscript).split() == ["prices[", '"net"', "]"]
    assert joined.values[1].value == " EUR"  # type: ignore[attr-defined]
    assert tree.body[1].lineno == 6


def test_nested_fstrings_debug_conversion_and_format_spec() -> None:
    code = """
        x = f"{f"{f"{deep["k"]}"}"}" + f"{value=} {value!s:>{width}}"
    """
    tree = parse(code)
    inner = [n for n in only(tree, ast.Subscript)]
    assert len(inner) == 1 and text_at(code, inner[0]) == 'deep["k"]'
    second = tree.body[0].value.right  # type: ignore[attr-defined]
    assert isinstance(second, ast.JoinedStr)
    debug, value, _gap, formatted = second.values
    assert debug.value == "value="  # type: ignore[attr-defined]
    assert value.conversion == ord("r")  # type: ignore[attr-defined]
    assert formatted.conversion == ord("s")  # type: ignore[attr-defined]
    spec = formatted.format_spec  # type: ignore[attr-defined]
    assert isinstance(spec, ast.JoinedStr) and isinstance(spec.values[1], ast.FormattedValue)
    assert text_at(code, spec.values[1].value) == "width"


def test_implicit_concatenation_and_utf8_columns() -> None:
    code = """
        msg = "café " f"{row["é"]} é" 'tail'; n = 1
    """
    tree = parse(code)
    (joined,) = only(tree, ast.JoinedStr)
    assert joined.values[0].value == "café "  # type: ignore[attr-defined]
    assert joined.values[-1].value == " étail"  # type: ignore[attr-defined]
    assert text_at(code, joined.values[1].value) == 'row["é"]'  # type: ignore[attr-defined]
    assert text_at(code, tree.body[1]) == "n = 1"


def test_template_strings_are_not_str() -> None:
    """PEP 750: a t-string builds a Template, so string-formatting rules must not see a str."""
    code = """
        q = t"SELECT * FROM users WHERE name = {name}"
    """
    value = parse(code).body[0].value  # type: ignore[attr-defined]
    assert isinstance(value, ast.Call)
    assert ast.unparse(value.func) == "string.templatelib.Template"
    assert [ast.unparse(a) for a in value.args] == ["'SELECT * FROM users WHERE name = '", "name"]
    assert not only(value, ast.JoinedStr)


# --------------------------------------------------------------------------- PEP 695 / 696


def test_generic_functions_and_classes_keep_their_bodies_and_positions() -> None:
    code = """
        def first[T](items: list[T]) -> T:
            return items[0]
        class Box[T, *Ts, **P](Base):
            async def get[S: int](self, key: S) -> S: ...
    """
    tree = parse(code)
    func, cls = tree.body
    assert isinstance(func, ast.FunctionDef) and func.name == "first"
    assert text_at(code, func.args.args[0]) == "items: list[T]"
    assert isinstance(cls, ast.ClassDef) and [ast.unparse(b) for b in cls.bases] == ["Base"]
    method = cls.body[0]
    assert isinstance(method, ast.AsyncFunctionDef)
    assert text_at(code, method.args.args[1]) == "key: S"


def test_type_parameter_defaults() -> None:
    code = """
        class Page[T = dict[str, int], *Ts = *tuple[int]]:
            size: int = 10
        def paged[T = int](rows: list[T]) -> Page[T]: ...
    """
    tree = parse(code)
    assert [type(n).__name__ for n in tree.body] == ["ClassDef", "FunctionDef"]
    assert text_at(code, tree.body[1].args.args[0]) == "rows: list[T]"  # type: ignore[attr-defined]


def test_type_alias_statements_become_assignments_at_their_place() -> None:
    code = """
        type CurrentUser = Annotated[User, Depends(get_current_user)]
        type Pair[K, V = int] = tuple[K, V]
        type = "a plain name"
        type(type)
    """
    tree = parse(code)
    alias, pair, plain, call = tree.body
    assert isinstance(alias, ast.Assign)
    (target,) = alias.targets
    assert isinstance(target, ast.Name) and target.id == "CurrentUser"
    assert text_at(code, target) == "CurrentUser"
    assert text_at(code, alias.value) == "Annotated[User, Depends(get_current_user)]"
    assert isinstance(pair, ast.Assign) and text_at(code, pair.value) == "tuple[K, V]"
    assert isinstance(plain, ast.Assign) and plain.targets[0].id == "type"  # type: ignore[attr-defined]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)


# --------------------------------------------------------------------------- PEP 758


def test_except_without_parentheses() -> None:
    code = """
        try:
            run()
        except ValueError, TypeError:
            pass
        except KeyError as error:
            raise
        try:
            run()
        except* errors.A, errors.B[0], make():
            pass
    """
    tree = parse(code)
    first, star = tree.body[0].handlers[0], tree.body[1].handlers[0]  # type: ignore[attr-defined]
    assert isinstance(first.type, ast.Tuple)
    assert [text_at(code, e) for e in first.type.elts] == ["ValueError", "TypeError"]
    assert text_at(code, first.type) == "ValueError, TypeError"
    assert [text_at(code, e) for e in star.type.elts] == ["errors.A", "errors.B[0]", "make()"]
    last = tree.body[0].handlers[1]  # type: ignore[attr-defined]
    assert isinstance(last.type, ast.Name) and last.name == "error"


# --------------------------------------------------------------------------- failures


def test_code_that_is_not_python_is_reported_where_it_goes_wrong() -> None:
    """Not at the first modern construct (line 1 here, which 3.11 alone rejects)."""
    code = 'x = f"{a["b"]}"\nprint "python 2"\n'
    with pytest.raises(SyntaxError) as raised:
        parse_python(code, "legacy.py")
    assert (raised.value.lineno, raised.value.filename) == (2, "legacy.py")
    assert raised.value.text == 'print "python 2"'
    assert "Missing parentheses" in raised.value.msg
    with pytest.raises(SyntaxError) as plain:
        parse_python("def broken(:\n    pass\n")
    assert plain.value.lineno == 1


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ['f"', "f'", '"', "'", '"""', "{", "}", "[", "]", "(", ")", "type ", "except ",
             "def f", "class C", ":", ",", "=", "x", " ", "\n", "\\", "#", "!r", "t'", 'rf"',
             "\n    ", "é", "*", "\t", "{{", "}}", "N{", "1e-", "as "]
        ),
        max_size=30,
    )
)  # fmt: skip
def test_any_text_parses_or_raises_syntax_error(pieces: list[str]) -> None:
    with contextlib.suppress(SyntaxError):
        parse_python("".join(pieces))


# --------------------------------------------------------------------------- against CPython


def _newer_interpreters() -> list[str]:
    """Working Python 3.12+ interpreters on this machine (PATH, pyenv); none is needed to pass."""
    candidates = [shutil.which(f"python3.{minor}") for minor in range(12, 16)]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv.is_dir():
        candidates.extend(str(v / "bin" / "python") for v in sorted(pyenv.glob("3.1[2-9]*")))
    found: dict[str, str] = {}
    for path in filter(None, candidates):
        try:
            probe = subprocess.run(
                [path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True, text=True, timeout=30,
            )  # fmt: skip
        except OSError:
            continue
        version = probe.stdout.strip()
        if probe.returncode == 0 and version >= "3.12":
            found.setdefault(version, path)
    return [found[v] for v in sorted(found)]


_SERIALIZE = r"""
import ast, json, sys, warnings
warnings.simplefilter("ignore")

def ser(node, parent=None):
    if isinstance(node, ast.AST):
        name = type(node).__name__
        fields = {f: ser(getattr(node, f, None), name) for f in node._fields
                  if f not in ("type_params", "kind", "type_comment")}
        pos = [getattr(node, a, None)
               for a in ("lineno", "col_offset", "end_lineno", "end_col_offset")]
        if name == "TypeAlias":
            name, fields = "Assign", {"targets": [fields["name"]], "value": fields["value"]}
        if name == "JoinedStr":  # 3.12.1 ends some format specs with an empty Constant
            empty = ["Constant", {"value": "''"}]
            fields["values"] = [v for v in fields["values"] if v[:2] != empty]
        if parent == "JoinedStr" or (name == "JoinedStr" and parent == "FormattedValue"):
            pos = None  # where a literal piece of an f-string starts is not ours to match
        return [name, fields, pos]
    if isinstance(node, list):
        return [ser(x, parent) for x in node]
    return repr(node)
"""

_MODERN_SAMPLE = """
user = {"sub": 1}
a = f"{user["sub"]}"
b = f"hello {user["sub"]!r:>10} and {'x'}"
c = f"{'\\n'.join(['a', 'b'])}"
d = f"{
    user[
        "sub"
    ]  # a comment
}"
e = f"{f"{f"{user["sub"]}"}"}"
g = f"{x=} {x = !s} {x=:>4}" if (x := 1) else 0
h = "plain" f"mix {user["sub"]}" 'tail'
i = f\'\'\'multi
{user["sub"]} line
and {x:{width}.{prec}}\'\'\'
j = f"caf\\u00e9 {user["sub"]} é {'é'}"; k = 1
n = rf"\\d+{user["sub"]}\\w {{}}" + f"\\N{EM DASH} {user["sub"]}"
o = f"{a, b} {c,} {3!s  } {1+2 = # a note
  }"
def first[T](items: list[T]) -> T:
    return items[0]
class Box[T, *Ts, **P](dict):
    def get[S: int](self, x: S) -> S:
        return x
type Payload = dict[str, int]
async def agen[T](x: T) -> list[T]:
    return [i async for i in x if (y := i)]
"""


def test_cpythons_own_fstring_tests_parse_as_cpython_parses_them() -> None:
    """CPython's test_fstring.py exercises every corner of PEP 701; read from a newer
    interpreter's standard library where one is installed."""
    found = 0
    for interpreter in _newer_interpreters():
        probe = subprocess.run(
            [interpreter, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        source = Path(probe.stdout.strip()) / "test" / "test_fstring.py"
        if not source.is_file():
            continue
        script = _SERIALIZE + "print(json.dumps(ser(ast.parse(open(sys.argv[1]).read()))))"
        theirs = subprocess.run(
            [interpreter, "-c", script, str(source)], capture_output=True, text=True,
            timeout=120, check=True,
        ).stdout  # fmt: skip
        namespace: dict[str, object] = {}
        exec(_SERIALIZE, namespace)
        text = source.read_text(encoding="utf-8")
        parse_python(text)  # what the review does: it parses
        # every f-string rebuilt by us, none left to the host (whose 3.11 positions differ)
        rebuilt = _parse_lowered(text, "exec", every_string=True)
        ours = namespace["ser"](rebuilt)  # type: ignore[operator]
        assert json.loads(theirs) == json.loads(json.dumps(ours)), interpreter
        found += 1
    if not found:
        pytest.skip("no Python 3.12+ standard library with test_fstring.py on this machine")


@pytest.mark.parametrize("interpreter", _newer_interpreters() or [None])
def test_lowered_trees_match_what_a_newer_cpython_builds(interpreter: str | None) -> None:
    if interpreter is None:
        pytest.skip("no Python 3.12+ on this machine to compare with")
    script = _SERIALIZE + "print(json.dumps(ser(ast.parse(sys.stdin.read()))))"
    theirs = subprocess.run(
        [interpreter, "-c", script], input=_MODERN_SAMPLE, capture_output=True, text=True,
        timeout=60, check=True,
    ).stdout  # fmt: skip
    namespace: dict[str, object] = {}
    exec(_SERIALIZE, namespace)
    ours = namespace["ser"](parse_python(_MODERN_SAMPLE))  # type: ignore[operator]
    assert json.loads(theirs) == json.loads(json.dumps(ours))


def test_lowering_leaves_every_other_node_where_the_host_put_it() -> None:
    """The lowering path on code the host accepts gives the host's own tree: every f-string with
    fields in this project's sources goes through the lowering."""
    namespace: dict[str, object] = {}
    exec(_SERIALIZE, namespace)
    ser = namespace["ser"]
    package = Path(__file__).resolve().parents[3] / "mcp_backend"
    checked = 0
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if 'f"' not in source:
            continue
        rebuilt = _parse_lowered(source, "exec", every_string=True)
        assert ser(rebuilt) == ser(ast.parse(source)), path  # type: ignore[operator]
        checked += 1
    assert checked > 50


def test_bare_tuples_conversion_spacing_and_commented_debug_fields() -> None:
    code = """
        x = f"{a, b} {3!s  } {value = # the total
        }"
    """
    (joined,) = only(parse(code), ast.JoinedStr)
    assert isinstance(joined, ast.JoinedStr)
    tuple_field, spec_field, debug, value_field = (
        v for v in joined.values if not (isinstance(v, ast.Constant) and v.value == " ")
    )
    assert isinstance(tuple_field, ast.FormattedValue)
    assert text_at(code, tuple_field.value) == "a, b"
    assert isinstance(spec_field, ast.FormattedValue) and spec_field.conversion == ord("s")
    assert isinstance(debug, ast.Constant) and debug.value == " value = \n"
    assert isinstance(value_field, ast.FormattedValue) and value_field.conversion == ord("r")
