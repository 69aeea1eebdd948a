"""The CLI entry (exit codes, --json, progress display) and the Markdown/text renderings."""

from __future__ import annotations

import io
import json
from pathlib import Path

import anyio
import pytest

from mcp_backend.cli.check import ProgressDisplay, run_check_cli
from mcp_backend.quality.models import (
    Diagnostic,
    LoopReport,
    Project,
    StageCounts,
    StageResult,
)
from mcp_backend.quality.render import render_markdown, render_text

from .conftest import CopyFixture


def sample_report() -> LoopReport:
    lint = StageResult(
        id="lint", name="lint", package=".", tool="ruff", cwd="/p",
        command=["ruff", "check", "--output-format", "json", "."],
        status="failed", exit_code=1, duration_s=0.4,
        counts=StageCounts(errors=2, fixable=1, files=1),
        diagnostics=[
            Diagnostic(file="app/main.py", line=3, column=8, code="F401",
                       message="`os` imported but unused", fix_available=True),
            Diagnostic(file="app/main.py", line=9, column=1, code="E711",
                       message="Comparison to `None` | should be `is`"),
        ],
        diagnostics_total=2,
    )  # fmt: skip
    typecheck = StageResult(
        id="typecheck", name="typecheck", package=".", tool="pyright", cwd="/p",
        command=["pyright", "--outputjson"], status="error",
        reason="pyright is not installed: install it with `uv add --dev pyright`.",
    )  # fmt: skip
    test = StageResult(
        id="test", name="test", package=".", tool="pytest", cwd="/p", command=["pytest"],
        status="passed", duration_s=2.0,
        counts=StageCounts(tests_total=4, tests_passed=3, tests_skipped=1),
    )  # fmt: skip
    return LoopReport(
        root="/p", status="failed", headline="failed: lint failed (2 errors)", duration_s=2.5,
        stages=[lint, typecheck, test], fix_first=["typecheck: pyright is not installed"],
        project=Project(root=Path("/p")), notes=["lint: 2 of 2 diagnostics shown"],
    )  # fmt: skip


def test_render_markdown() -> None:
    markdown = render_markdown(sample_report())
    assert markdown.startswith("## Quality loop: failed\n")
    assert "### Fix first\n\n1. typecheck: pyright is not installed" in markdown
    assert "| lint | ruff | ✗ failed | 2 errors, 1 auto-fixable | 0.4s |" in markdown
    assert "| test | pytest | ✓ passed | 3 passed, 1 skipped of 4 tests | 2.0s |" in markdown
    assert "`ruff check --output-format json .`" in markdown
    assert "- `app/main.py:3:8` F401 `os` imported but unused" in markdown
    assert "Comparison to `None` | should be" in markdown  # only table cells are escaped
    assert "### test" not in markdown  # passed stages have no detail section


def test_render_text() -> None:
    text = render_text(sample_report())
    lines = text.splitlines()
    assert lines[0].startswith("✗ lint") and "2 errors, 1 auto-fixable" in lines[0]
    assert lines[1].startswith("! typecheck") and "uv add --dev pyright" in lines[1]
    assert "   app/main.py:3:8: error: F401 `os` imported but unused [fixable]" in lines
    assert lines[-1] == "failed: lint failed (2 errors)"
    assert "Fix first:" in lines


def test_progress_display_plain_and_live() -> None:
    plain = io.StringIO()
    display = ProgressDisplay(plain, live=False)

    async def feed(target: ProgressDisplay) -> None:
        await target(0, 2, "lint: running ruff")
        await target(1, 2, "lint: failed in 0.4s (2 errors)")
        await target(2, 2, "test: passed in 2.0s")

    anyio.run(feed, display)
    assert plain.getvalue().splitlines() == [
        "[0/2] lint: running ruff",
        "✗ [1/2] lint: failed in 0.4s (2 errors)",
        "✓ [2/2] test: passed in 2.0s",
    ]
    terminal = io.StringIO()
    live = ProgressDisplay(terminal, live=True)
    anyio.run(feed, live)
    live.finish()
    output = terminal.getvalue()
    assert "running: lint" in output  # the redrawn status line
    assert "\r\x1b[K" in output and output.endswith("\r\x1b[K")


def test_check_cli_exit_codes_and_json(
    copy_fixture: CopyFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = copy_fixture("inventory_clean")
    assert run_check_cli(clean, stages=["lint", "format"], live=False) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("passed: 2 stages clean")

    broken = copy_fixture("orders_service")
    assert run_check_cli(broken, stages=["lint"], as_json=True, live=False) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["status"] == "failed" and report["stages"][0]["counts"]["errors"] == 5
    assert "[1/1] lint: failed" in captured.err  # progress on stderr, not stdout

    assert run_check_cli(broken / "nope", live=False) == 2
    assert "is not a directory" in capsys.readouterr().err
    assert run_check_cli(broken, stages=["lint", "style"], live=False) == 2
    assert "unknown stage(s) style" in capsys.readouterr().err
    assert run_check_cli(broken, timeout_s=0, live=False) == 2
    assert "timeout_s" in capsys.readouterr().err


def test_check_cli_error_status_is_exit_2(
    copy_fixture: CopyFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_check_cli(copy_fixture("tool_missing"), stages=["typecheck"], live=False) == 2
    assert "npm install" in capsys.readouterr().out


def test_format_stage_counts_files_to_reformat() -> None:
    report = sample_report()
    report.stages.append(
        StageResult(
            id="format",
            name="format",
            package=".",
            tool="ruff",
            cwd="/p",
            command=["ruff", "format", "--check"],
            status="failed",
            exit_code=1,
            counts=StageCounts(errors=2, fixable=2, files=2),
        )
    )
    assert "| format | ruff | ✗ failed | 2 files to reformat |" in render_markdown(report)
