"""Every detector must survive unusual but valid Python without raising."""

from __future__ import annotations

import pytest

from mcp_backend.review.python.context import PythonDetector
from mcp_backend.review.rules import python_detectors

from ._support import context_for

TRICKY = """
import os as _os, subprocess
from typing import Annotated
x = y = z = "SELECT * FROM t WHERE a = %s"
x += z
(a, *rest), b = [1, 2, 3], 4
lambda password="hunter2-Xy9!": eval(password)

class Meta(type):
    def __new__(mcs, name, bases, ns, **kw):
        return super().__new__(mcs, name, bases, ns)

async def gen(request, *args, token: str = "", **kwargs):
    async for row in request.app.db.fetch(f"SELECT {args[0]}"):
        yield row
    match request.method:
        case "POST" if (n := request.json["n"]):
            q = f"DELETE FROM t WHERE id = {n}"
            await request.app.db.execute(q)
        case _:
            pass
    return

def loop(q):
    q = q + q
    q = q + q
    q = q + q
    for _ in range(3):
        q = f"{q} OR {q}"
    return cursor.execute(q)

def deep():
    return ((((((((((((((((((((1))))))))))))))))))))

@app.route("/<path:p>", methods=["GET"])
def serve(p):
    with open(p) as f, open(_os.path.join("x", p)) as g:
        return f.read() + g.read()

print(f"{'nested ' + f'{x!r:>10}'}")
def empty(): ...
"""

MANY_REASSIGNMENTS = (
    "def f(x):\n"
    + "".join(f"    x = g(x, {i})\n" for i in range(200))
    + ("    return cursor.execute(f'SELECT {x}')\n")
)


def _detectors() -> list[PythonDetector]:
    return list(python_detectors())


@pytest.mark.parametrize("source", [TRICKY, MANY_REASSIGNMENTS, "", "# only a comment\n"])
def test_detectors_do_not_raise(source: str) -> None:
    for detector in _detectors():
        for path in ("app/views.py", "config/settings.py"):
            ctx = context_for(source, path)
            findings = list(detector.check(ctx))
            assert all(f.rule_id == detector.rule.id for f in findings)
            assert all(f.line >= 1 for f in findings)


def test_tricky_source_still_finds_real_problems() -> None:
    rule_ids: set[str] = set()
    for detector in _detectors():
        rule_ids.update(f.rule_id for f in detector.check(context_for(TRICKY, "app/views.py")))
    assert {"sql-string-query", "path-traversal"} <= rule_ids
