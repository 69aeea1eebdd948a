"""Baselines through a real in-process MCP client: review_backend and run_quality_loop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from mcp_backend.review.baseline import DEFAULT_BASELINE_NAME
from mcp_backend.review.engine import run_review
from mcp_backend.review.model import ReviewRequest
from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio

APP = """\
import sqlite3

API_TOKEN = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def find_user(name):
    db = sqlite3.connect("app.db")
    return db.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()

"""
EVAL = "\n\ndef run(expression):\n    return eval(expression)\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text(APP)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0.1.0"\n')
    return root


def record(root: Path, path: Path) -> None:
    run_review(ReviewRequest(root=root, use_cache=False, write_baseline=path))


async def call(root: Path, tool: str = "review_backend", **arguments: Any) -> Any:
    async with Client(build_server(Workspace.configure([str(root)])), mode="legacy") as client:
        return await client.call_tool(tool, arguments)


async def test_a_named_baseline_hides_recorded_findings_and_says_how_many(project: Path) -> None:
    (project / "ci").mkdir()
    record(project, project / "ci" / "baseline.json")
    (project / "app.py").write_text(APP + EVAL)
    result = await call(project, path=".", baseline="ci/baseline.json", min_severity="info")
    assert not result.is_error, result.content[0].text
    data = result.structured_content
    assert [f["rule_id"] for f in data["findings"]] == ["code-eval"]
    summary = data["summary"]
    assert (summary["baseline"], summary["baseline_hidden"]) == ("ci/baseline.json", 2)
    assert "1 new finding" in summary["headline"]
    assert "2 hidden by the baseline ci/baseline.json" in summary["headline"]
    assert "2 hidden by the baseline" in result.content[0].text


async def test_the_default_baseline_file_is_picked_up(project: Path) -> None:
    record(project, project / DEFAULT_BASELINE_NAME)
    data = (await call(project, path=".")).structured_content
    assert data["findings_total"] == 0
    assert data["summary"]["baseline"] == DEFAULT_BASELINE_NAME
    assert data["summary"]["baseline_hidden"] == 2
    everything = (await call(project, path=".", use_baseline=False)).structured_content
    assert everything["findings_total"] == 2 and everything["summary"]["baseline"] is None


async def test_a_baseline_outside_the_allowed_roots_is_refused(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.json"
    record(project, outside)
    for given in ("../outside.json", str(outside)):
        result = await call(project, path=".", baseline=given)
        assert result.is_error
        assert "outside the allowed roots" in result.content[0].text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON"),
        ('{"compilerOptions": {}}', "is not an mcp-backend baseline"),
        ('{"tool": "mcp-backend", "version": 7, "findings": []}', "has version 7, newer"),
    ],
    ids=["corrupt", "foreign", "future"],
)
async def test_an_unusable_baseline_is_an_error_result(
    project: Path, content: str, expected: str
) -> None:
    (project / "given.json").write_text(content)
    result = await call(project, path=".", baseline="given.json")
    assert result.is_error and expected in result.content[0].text
    (project / DEFAULT_BASELINE_NAME).write_text(content)
    result = await call(project, path=".")
    assert result.is_error and expected in result.content[0].text


async def test_quality_loop_security_stage_applies_the_baseline(project: Path) -> None:
    before = await call(project, "run_quality_loop", path=".", stages=["security"])
    stage = before.structured_content["stages"][0]
    assert stage["status"] == "failed", stage  # a high finding, no baseline yet

    record(project, project / "review-baseline.json")
    after = await call(
        project, "run_quality_loop", path=".", stages=["security"], baseline="review-baseline.json"
    )
    stage = after.structured_content["stages"][0]
    assert stage["status"] == "passed", stage
    assert any("2 hidden by the baseline review-baseline.json" in n for n in stage["notes"])

    (project / DEFAULT_BASELINE_NAME).write_text("[]")
    broken = await call(project, "run_quality_loop", path=".", stages=["security"])
    stage = broken.structured_content["stages"][0]
    assert stage["status"] == "error" and "not an mcp-backend baseline" in stage["reason"]
