"""review_backend through a real client: summary, checklist, paginated findings, routes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "review"


@pytest.fixture
def vulnerable(tmp_path: Path) -> Path:
    target = tmp_path / "app"
    shutil.copytree(FIXTURES / "express_vulnerable", target)
    return target


async def call(root: Path, **arguments: Any) -> Any:
    async with Client(build_server(Workspace.configure([str(root)])), mode="legacy") as client:
        return await client.call_tool("review_backend", arguments)


async def test_review_returns_summary_checklist_findings_and_routes(vulnerable: Path) -> None:
    result = await call(vulnerable, path=".")
    assert not result.is_error
    data = result.structured_content
    assert data["summary"]["findings"] == data["findings_total"] > 0
    assert {verdict["item"] for verdict in data["checklist"]} >= {"sql-injection", "authentication"}
    severities = [finding["severity"] for finding in data["findings"]]
    order = ["critical", "high", "medium", "low", "info"]
    assert severities == sorted(severities, key=order.index)  # most severe first
    assert data["routes_total"] == len(data["routes"]) or data["next_offset"] is not None
    text = result.content[0].text
    assert text.startswith("# ") and "backend://rules/" in text


async def test_pages_cover_every_finding_once(vulnerable: Path) -> None:
    first = (await call(vulnerable, limit=5)).structured_content
    total, seen, offset = first["findings_total"], [], 0
    while offset is not None:
        page = (await call(vulnerable, limit=5, offset=offset)).structured_content
        seen += [(f["file"], f["line"], f["rule_id"]) for f in page["findings"]]
        offset = page["next_offset"]
    assert len(seen) == total and len(set(seen)) == total


async def test_items_and_min_severity_filter(vulnerable: Path) -> None:
    data = (await call(vulnerable, items=["sql-injection"], min_severity="high")).structured_content
    assert data["findings"]
    assert {f["checklist_item"] for f in data["findings"]} == {"sql-injection"}
    assert all(f["severity"] in ("critical", "high") for f in data["findings"])


async def test_single_file_and_confinement(vulnerable: Path) -> None:
    one = (await call(vulnerable, path="src/routes/auth.js")).structured_content
    assert one["findings"] and {f["file"] for f in one["findings"]} <= {
        "auth.js",
        "src/routes/auth.js",
    }
    outside = await call(vulnerable, path="../..")
    assert outside.is_error and "outside the allowed roots" in outside.content[0].text
    bad_item = await call(vulnerable, items=["not-an-item"])
    assert bad_item.is_error and "sql-injection" in bad_item.content[0].text


async def test_rule_docs_are_resources(vulnerable: Path) -> None:
    async with Client(
        build_server(Workspace.configure([str(vulnerable)])), mode="legacy"
    ) as client:
        doc = await client.read_resource("backend://rules/sql-string-query")
        text = doc.contents[0].text  # type: ignore[union-attr]
        assert "sql-string-query" in text and "CWE-89" in text
        meta = await client.read_resource("backend://rules/sql-string-query.json")
        assert '"checklist_item": "sql-injection"' in meta.contents[0].text  # type: ignore[union-attr]


async def test_a_file_that_is_not_source_is_answered_clearly(vulnerable: Path) -> None:
    (vulnerable / "NOTES.md").write_text("# notes\n")
    result = await call(vulnerable, path="NOTES.md")
    assert result.is_error
    text = result.content[0].text
    assert "NOTES.md is not a Python or JavaScript/TypeScript source file" in text
    assert "Nothing to review" not in text


async def test_one_source_file_is_reviewed_with_project_relative_paths(vulnerable: Path) -> None:
    data = (await call(vulnerable, path="src/routes/auth.js")).structured_content
    assert data["findings"]
    assert {f["file"] for f in data["findings"]} == {"src/routes/auth.js"}


async def test_every_rule_a_finding_links_to_is_served_by_get_guidance(vulnerable: Path) -> None:
    async with Client(
        build_server(Workspace.configure([str(vulnerable)])), mode="legacy"
    ) as client:
        review = await client.call_tool("review_backend", {"limit": 30})
        rule_ids = {finding["rule_id"] for finding in review.structured_content["findings"]}
        assert rule_ids
        for rule_id in rule_ids:
            page = await client.call_tool("get_guidance", {"topic": f"rules/{rule_id}"})
            assert not page.is_error, page.content
            assert f"`{rule_id}`" in page.content[0].text  # type: ignore[union-attr]
