from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from mcp_backend.review.engine import review
from mcp_backend.review.model import Finding, ReviewRequest
from mcp_backend.review.python.analyzer import analyze_python_file
from mcp_backend.review.python.context import PythonFileContext

from .conftest import DANGER_RULE, STANDARD_DETECTORS, CallDetector, ExplodingDetector, write_tree


def test_findings_from_every_detector(detectors: Callable[..., None]) -> None:
    result = analyze_python_file("app.py", b"danger(1)\nnotice(2)\nsafe(3)\n")
    assert result.skipped is None
    assert [(f.rule_id, f.line) for f in result.findings] == [
        ("test-danger-call", 1),
        ("test-notice-call", 2),
    ]
    assert result.lines == 3


def test_syntax_error_is_skipped_with_reason(detectors: Callable[..., None]) -> None:
    result = analyze_python_file("bad.py", b"def broken(:\n    pass\n")
    assert result.skipped is not None
    assert result.skipped.startswith("syntax error at line 1")
    assert result.findings == []


def test_invalid_utf8_is_skipped_with_reason(detectors: Callable[..., None]) -> None:
    result = analyze_python_file("latin.py", b"name = '\xe9t\xe9'\n")
    assert result.skipped is not None
    assert "UTF-8" in result.skipped


def test_declared_encoding_is_honoured(detectors: Callable[..., None]) -> None:
    source = "# -*- coding: latin-1 -*-\nname = 'été'\ndanger(name)\n".encode("latin-1")
    result = analyze_python_file("latin.py", source)
    assert result.skipped is None
    assert [f.line for f in result.findings] == [3]


def test_deep_nesting_is_skipped_not_a_crash(detectors: Callable[..., None]) -> None:
    # Deep expression nesting: the parser or any recursive visitor may give up.
    source = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    result = analyze_python_file("deep.py", source.encode())
    assert result.skipped is not None
    assert "nest" in result.skipped or "syntax error" in result.skipped


def test_deep_tree_that_parses_but_breaks_recursive_detectors(
    detectors: Callable[..., None],
) -> None:
    class RecursiveDetector:
        rule = DANGER_RULE

        def check(self, ctx: PythonFileContext) -> list[Finding]:
            def depth(node: ast.AST) -> int:
                return 1 + max((depth(c) for c in ast.iter_child_nodes(node)), default=0)

            depth(ctx.tree)
            return []

    detectors(python=(RecursiveDetector(),))
    source = "x = " + " + ".join(["1"] * 1500) + "\n"  # a left-deep BinOp chain
    result = analyze_python_file("chain.py", source.encode())
    assert result.skipped == "nesting too deep to analyse"


def test_a_failing_detector_is_noted_and_others_still_run(
    detectors: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    detectors(python=(ExplodingDetector(), CallDetector(DANGER_RULE, "danger")))
    result = analyze_python_file("app.py", b"danger(1)\n")
    assert [f.rule_id for f in result.findings] == ["test-danger-call"]
    assert any("test-notice-call failed" in note for note in result.notes)
    assert "detector bug" in caplog.text


def test_review_survives_a_hostile_tree(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(
        tmp_path / "proj",
        {
            "ok.py": "danger(1)\n",
            "syntax.py": "def f(:\n",
            "latin.py": b"x = '\xff\xfe'\n",
            "nul.py": b"x = 1\x00\n",
            "deep.py": "x = " + "[" * 3000 + "]" * 3000 + "\n",
        },
    )
    (root / "loop").symlink_to(root)
    report = review(ReviewRequest(root=root, use_cache=False, jobs=1, cache_dir=cache_dir))
    reasons = {s.file: s.reason for s in report.skipped}
    assert set(reasons) == {"syntax.py", "latin.py", "nul.py", "deep.py", "loop"}
    assert report.summary.files_scanned == 1
    assert [f.file for f in report.findings] == ["ok.py"]
    assert STANDARD_DETECTORS  # the standard stand-ins were active
