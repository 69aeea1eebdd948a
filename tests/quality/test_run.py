"""The process runner: time limits, process groups, capped output, cancellation."""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest

from mcp_backend.quality.models import ParsedOutput, Stage, StageCounts
from mcp_backend.quality.run import (
    TAIL_KEEP_BYTES,
    CappedBuffer,
    child_environment,
    run_process,
    run_stage,
    stage_status,
)

from .conftest import pid_alive, wait_for_file

# A parent that starts a grandchild, reports both pids, then hangs.
SPAWN_AND_HANG = """
import os, subprocess, sys, time
child = subprocess.Popen(["sleep", "600"])
print(os.getpid(), child.pid, flush=True)
if len(sys.argv) > 1:
    with open(sys.argv[1], "w") as pid_file:
        pid_file.write(f"{os.getpid()} {child.pid}")
time.sleep(600)
"""
# A parent that starts a grandchild holding its stdout, then exits at once.
SPAWN_AND_LEAVE = """
import subprocess
child = subprocess.Popen(["sleep", "600"])
print(child.pid, flush=True)
"""
FLOOD = """
import sys
line = b"x" * 1023 + b"\\n"
for _ in range(50 * 1024):
    sys.stdout.buffer.write(line)
sys.stdout.buffer.write(b"LAST LINE\\n")
"""


def test_capped_buffer_keeps_head_and_tail() -> None:
    buffer = CappedBuffer(head_cap=10)
    buffer.add(b"0123456789abc")
    for _ in range(100):
        buffer.add(b"y" * 4096)
    buffer.add(b"THE END")
    assert buffer.total == 13 + 100 * 4096 + 7
    assert bytes(buffer.head) == b"0123456789"
    assert len(buffer.tail) <= 2 * TAIL_KEEP_BYTES
    assert buffer.truncated
    text = buffer.text()
    assert text.startswith("0123456789\n[… ") and text.endswith("THE END")
    assert buffer.last(8) == "…THE END"
    small = CappedBuffer(head_cap=100)
    small.add(b"hello")
    assert small.text() == "hello" and not small.truncated


@pytest.mark.anyio
async def test_flood_is_capped() -> None:
    outcome = await run_process(
        [sys.executable, "-c", FLOOD], Path.cwd(), child_environment({}), 60, stdout_cap=100_000
    )
    assert outcome.exit_code == 0 and not outcome.timed_out
    assert outcome.stdout.total == 50 * 1024 * 1024 + len(b"LAST LINE\n")
    assert len(outcome.stdout.head) == 100_000
    assert len(outcome.stdout.tail) <= 2 * TAIL_KEEP_BYTES
    assert outcome.stdout.text().rstrip().endswith("LAST LINE")
    assert "bytes of output cut" in outcome.stdout.text()


@pytest.mark.anyio
async def test_time_limit_ends_the_tool_and_its_children() -> None:
    outcome = await run_process(
        [sys.executable, "-c", SPAWN_AND_HANG], Path.cwd(), child_environment({}), 2, 10_000
    )
    assert outcome.timed_out and outcome.exit_code is None
    parent, child = (int(pid) for pid in outcome.stdout.text().split())
    assert parent == outcome.pid
    assert not pid_alive(parent)
    assert not pid_alive(child)


@pytest.mark.anyio
async def test_children_left_behind_are_ended_when_the_tool_exits() -> None:
    outcome = await run_process(
        [sys.executable, "-c", SPAWN_AND_LEAVE], Path.cwd(), child_environment({}), 60, 10_000
    )
    # Without ending the group, the grandchild would hold stdout open until the time limit.
    assert not outcome.timed_out and outcome.exit_code == 0
    assert not pid_alive(int(outcome.stdout.text()))


@pytest.mark.anyio
async def test_cancellation_ends_the_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    argv = [sys.executable, "-c", SPAWN_AND_HANG, str(pid_file)]

    async def run() -> None:
        await run_process(argv, tmp_path, child_environment({}), 600, 10_000)

    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as group:
            group.start_soon(run)
            await wait_for_file(pid_file)
            scope.cancel()
    assert scope.cancelled_caught
    pids = [int(pid) for pid in pid_file.read_text().split()]
    assert len(pids) == 2
    assert not any(pid_alive(pid) for pid in pids)


@pytest.mark.anyio
async def test_missing_executable_is_a_stage_error_with_a_hint(tmp_path: Path) -> None:
    stage = Stage(
        id="lint", name="lint", language="node", tool="eslint", cwd=tmp_path,
        argv=["pnpm", "run", "lint"],
    )  # fmt: skip
    result = await run_stage(stage, 10, 10_000, 500)
    assert result.status == "error"
    assert result.reason is not None and "corepack enable" in result.reason


def test_status_from_exit_code_and_parsed_output(tmp_path: Path) -> None:
    ruff = Stage(id="lint", name="lint", language="python", tool="ruff", cwd=tmp_path,
                 parser="ruff_check")  # fmt: skip
    with_errors = ParsedOutput(counts=StageCounts(errors=3))
    clean = ParsedOutput()
    unparsed = ParsedOutput(parsed=False, problem="not JSON")
    assert stage_status(ruff, 0, clean) == "passed"
    assert stage_status(ruff, 1, with_errors) == "failed"
    assert stage_status(ruff, 2, unparsed) == "error"  # ruff's own failure
    assert stage_status(ruff, 1, unparsed) == "error"  # non-zero without a usable report
    script = Stage(id="lint", name="lint", language="node", tool="npm run lint", cwd=tmp_path)
    assert stage_status(script, 1, None) == "failed"
    assert stage_status(script, 0, None) == "passed"
