"""run_quality_loop through a real client: structured stages, progress, and cancellation that
leaves no process behind."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import anyio
import pytest
from mcp import Client

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "quality"


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("node_modules"))
    return target


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


async def test_loop_reports_each_stage_with_diagnostics(tmp_path: Path) -> None:
    project = copy_fixture("orders_service", tmp_path)
    seen: list[str] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(message or "")

    async with Client(build_server(Workspace.configure([str(project)])), mode="legacy") as client:
        result = await client.call_tool(
            "run_quality_loop",
            {"path": ".", "stages": ["lint", "typecheck"]},
            progress_callback=on_progress,
        )
    assert not result.is_error
    data = result.structured_content
    assert data is not None
    assert data["status"] == "failed"
    stages = {stage["name"]: stage for stage in data["stages"]}
    assert set(stages) == {"lint", "typecheck"}
    assert any(d["code"] == "F401" for d in stages["lint"]["diagnostics"])
    assert stages["typecheck"]["diagnostics"][0]["file"].endswith(".py")
    assert seen, "progress notifications were sent"
    assert "Fix first" in result.content[0].text or "fix first" in result.content[0].text.lower()  # type: ignore[union-attr]


async def test_path_outside_roots_is_refused(tmp_path: Path) -> None:
    project = copy_fixture("orders_service", tmp_path)
    async with Client(build_server(Workspace.configure([str(project)])), mode="legacy") as client:
        result = await client.call_tool("run_quality_loop", {"path": "../"})
    assert result.is_error
    assert "outside the allowed roots" in result.content[0].text  # type: ignore[union-attr]


async def test_cancel_mid_loop_kills_the_whole_process_group(tmp_path: Path) -> None:
    project = copy_fixture("hanging_tests", tmp_path)
    pid_file = tmp_path / "pids"
    os.environ["QUALITY_FIXTURE_PID_FILE"] = str(pid_file)
    try:
        async with Client(
            build_server(Workspace.configure([str(project)])), mode="legacy"
        ) as client:
            with anyio.move_on_after(60):
                async with anyio.create_task_group() as group:

                    async def call() -> None:
                        await client.call_tool("run_quality_loop", {"stages": ["test"]})

                    group.start_soon(call)
                    while not pid_file.exists():  # the hanging test and its helper are running
                        await anyio.sleep(0.1)
                    group.cancel_scope.cancel()
            assert pid_file.exists(), "the hanging test never started"
            pids = [int(pid) for pid in pid_file.read_text().split()]
            deadline = time.monotonic() + 20
            while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
                await anyio.sleep(0.2)
            assert not any(alive(pid) for pid in pids), f"left running: {pids}"
            # The session is still usable after the cancellation.
            after = await client.call_tool("get_guidance", {"topic": "quality-loop"})
            assert not after.is_error
    finally:
        os.environ.pop("QUALITY_FIXTURE_PID_FILE", None)
