"""The tool handlers are module-level functions: called here directly, without a client, with
the workspace (and the quality loop's workers) passed as the server would pass them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent

from mcp_backend.server import QualityWorkers, recommend_stack, review_backend, run_quality_loop
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "review"


@pytest.fixture
def vulnerable(tmp_path: Path) -> Path:
    target = tmp_path / "app"
    shutil.copytree(FIXTURES / "express_vulnerable", target)
    return target


def text_of(result: CallToolResult) -> str:
    [content] = result.content
    assert isinstance(content, TextContent)
    return content.text


async def test_review_backend_called_directly_pages_its_findings(vulnerable: Path) -> None:
    workspace = Workspace.configure([str(vulnerable)])
    result = await review_backend(workspace, path=".", limit=2, min_severity="high")
    data = result.structured_content
    assert data is not None
    assert data["findings_total"] > 0 and len(data["findings"]) <= 2
    assert {finding["severity"] for finding in data["findings"]} <= {"critical", "high"}
    assert text_of(result).strip()


async def test_review_backend_refuses_a_path_outside_the_workspace(
    vulnerable: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    with pytest.raises(ToolError):
        await review_backend(Workspace.configure([str(vulnerable)]), path=str(outside))


async def test_review_backend_confines_a_baseline_to_the_workspace(vulnerable: Path) -> None:
    with pytest.raises(ToolError):
        await review_backend(
            Workspace.configure([str(vulnerable)]), path=".", baseline="../../baseline.json"
        )


async def test_run_quality_loop_refuses_options_as_test_ids(tmp_path: Path) -> None:
    workers = QualityWorkers()
    with pytest.raises(ToolError, match="options are not accepted"):
        await run_quality_loop(
            Workspace.configure([str(tmp_path)]), workers, tests=["--basetemp=/tmp/x"]
        )
    assert workers.pool is None  # refused before any worker was started


async def test_run_quality_loop_refuses_tests_outside_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "other.py").write_text("")
    with pytest.raises(ToolError):
        await run_quality_loop(
            Workspace.configure([str(tmp_path)]),
            QualityWorkers(),
            path=str(project),
            tests=["../other.py"],
        )


async def test_run_quality_loop_refuses_a_file_as_the_project(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("")
    with pytest.raises(ToolError):
        await run_quality_loop(
            Workspace.configure([str(tmp_path)]), QualityWorkers(), path="app.py"
        )


async def test_recommend_stack_called_directly_uses_the_given_requirements() -> None:
    result = await recommend_stack(runtime="python", framework="fastapi", database="postgresql")
    data = result.structured_content
    assert data is not None
    assert "fastapi" in text_of(result).lower()


async def test_recommend_stack_ignores_arguments_given_as_none() -> None:
    given = await recommend_stack(runtime="python", deployment=None)
    plain = await recommend_stack(runtime="python")
    assert given.structured_content == plain.structured_content


async def test_recommend_stack_explains_invalid_arguments_per_parameter() -> None:
    with pytest.raises(ToolError) as raised:
        await recommend_stack(runtime="cobol", requests_per_second="many")
    message = str(raised.value)
    assert message.startswith("invalid arguments for recommend_stack:")
    assert "- runtime: expected" in message and "'cobol'" in message
    assert "- requests_per_second:" in message


class FakePool:
    def __init__(self) -> None:
        self.closed = 0

    async def aclose(self) -> None:
        self.closed += 1


async def test_the_servers_public_lifespan_closes_the_workers_after_the_last_client(
    tmp_path: Path,
) -> None:
    from mcp import Client

    from mcp_backend.server import QUALITY_WORKER_POOLS, build_server

    server = build_server(Workspace.configure([str(tmp_path)]))
    assert server.settings.lifespan is not None  # the SDK's public hook, not a patch
    pool = FakePool()
    QUALITY_WORKER_POOLS[server].pool = pool  # type: ignore[assignment]
    async with Client(server, mode="legacy") as first:
        async with Client(server, mode="legacy") as second:
            await second.list_tools()
        assert pool.closed == 0  # the first client is still connected
        await first.list_tools()
    assert pool.closed == 1
