"""The per-file index every JS detector shares: one query, calls found by name, bindings by
scope. Each test would fail if a call or binding went missing or came back in the wrong order."""

from __future__ import annotations

import pytest

from mcp_backend.review.javascript import parser
from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Language

SOURCE = """\
const express = require('express');
const app = express();
const { exec } = require('child_process');
app.use(cors()).get('/a', (req, res) => res.json({ ok: true }));
app?.post?.('/b', handler);
const client = new Pool({ max: 2 });
const lazy = await import('./lazy.js');
sql`select 1`;
getThing<User>(id);
function run(req, res) {
  const id = req.params.id;
  let other;
  other = id;
  for (const each of req.body.items) exec(each);
}
"""


def context_of(
    source: str, file: str = "src/app.ts", language: Language = "typescript"
) -> JsFileContext:
    grammar = parser.grammar_for(file, language)
    data = source.encode()
    return JsFileContext(
        file=file, language=language, grammar=grammar, source=data, tree=parser.parse(data, grammar)
    )


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ({"require"}, ["require('express')", "require('child_process')"]),
        ({"express", "Pool"}, ["express()", "new Pool({ max: 2 })"]),
        # Nested calls that start together: the inner one runs (and is listed) first.
        ({"use", "get"}, ["app.use(cors())", "app.use(cors()).get"]),
        ({"post"}, ["app?.post?.('/b', handler)"]),
        ({"import"}, ["import('./lazy.js')"]),
        ({"sql"}, ["sql`select 1`"]),
        ({"getThing"}, ["getThing<User>(id)"]),
        ({"exec", "json"}, ["res.json({ ok: true })", "exec(each)"]),
        ({"missing"}, []),
    ],
)
def test_calls_named_finds_every_call_by_its_last_segment(
    names: set[str], expected: list[str]
) -> None:
    ctx = context_of(SOURCE)
    found = [ctx.text(call.node) for call in ctx.calls_named(names)]
    assert [text[: len(want)] for text, want in zip(found, expected, strict=True)] == expected
    assert ctx.has_call(names) is bool(expected)


def test_calls_named_and_calls_share_one_call_object_per_node() -> None:
    ctx = context_of(SOURCE)
    named = ctx.calls_named({"json"})[0]
    assert named.name == "json"
    assert named.callee == "res.json"
    same = next(call for call in ctx.calls if call.node == named.node)
    assert same is named
    # The full list holds calls the name index cannot (a call of a call's result).
    curried = context_of("make()(req);\n", "src/x.js", "javascript")
    assert [call.name for call in curried.calls] == ["make", "make()"]


def test_bindings_in_stay_inside_the_scope_in_order() -> None:
    ctx = context_of(SOURCE)
    run = next(f for f in ctx.functions if ctx.text(f).startswith("function run"))
    inside = [ctx.text(node).split("\n")[0] for node in ctx.bindings_in(run)]
    assert inside == [
        "id = req.params.id",
        "other",
        "other = id",
        "for (const each of req.body.items) exec(each);",
    ]
    assert ctx.tainted_names(run) == frozenset({"id", "other", "each"})
    everything = ctx.bindings_in(ctx.root)
    assert len(everything) == len(inside) + 5  # express, app, { exec }, client, lazy
