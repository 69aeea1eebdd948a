"""The whole loop on Python fixture projects, checked against the tools run directly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import anyio
import pytest

from mcp_backend.quality.engine import run_quality_loop
from mcp_backend.quality.models import LoopReport, LoopRequest, StageResult

from .conftest import CopyFixture, pid_alive, run_loop, wait_for_file

BIN = Path(sys.executable).parent
DIRECT_TIMEOUT_S = 300


def stage(report: LoopReport, stage_id: str) -> StageResult:
    return next(s for s in report.stages if s.id == stage_id)


def direct(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, timeout=DIRECT_TIMEOUT_S, check=False
    )


@pytest.mark.anyio
async def test_broken_project_counts_equal_the_tools_run_directly(
    copy_fixture: CopyFixture, tmp_path: Path
) -> None:
    root = copy_fixture("orders_service")
    report = await run_loop(root)

    ruff = json.loads(direct([str(BIN / "ruff"), "check", "--output-format", "json"], root).stdout)
    formatting = json.loads(
        direct([str(BIN / "ruff"), "format", "--check", "--output-format", "json"], root).stdout
    )
    mypy_lines = direct([str(BIN / "mypy"), "-O", "json"], root).stdout.splitlines()
    mypy_errors = [json.loads(line) for line in mypy_lines if line.strip()]
    junit = tmp_path / "direct.xml"
    direct([str(BIN / "pytest"), "-p", "no:cacheprovider", f"--junitxml={junit}"], root)
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None

    lint, fmt, types, tests = (stage(report, n) for n in ("lint", "format", "typecheck", "test"))
    assert lint.status == "failed" and lint.counts.errors == len(ruff) == 5
    assert {d.code for d in lint.diagnostics} == {item["code"] for item in ruff}
    assert fmt.status == "failed" and fmt.counts.files == len(formatting) == 1
    assert types.status == "failed"
    assert types.counts.errors == sum(e["severity"] == "error" for e in mypy_errors) == 2
    assert tests.status == "failed"
    assert tests.counts.tests_total == int(suite.get("tests", "-1")) == 8
    assert tests.counts.tests_failed == int(suite.get("failures", "-1")) == 2
    assert tests.counts.tests_skipped == int(suite.get("skipped", "-1")) == 1
    assert stage(report, "security").status in ("passed", "failed", "skipped")

    assert report.status == "failed"
    assert [s.name for s in report.stages] == ["lint", "format", "typecheck", "security", "test"]
    assert tests.command[0] == str(BIN / "pytest")
    assert report.fix_first[0].startswith("typecheck: 2 errors")
    assert any("fix=true" in item for item in report.fix_first)
    assert len(report.model_dump_json()) < 60_000


@pytest.mark.anyio
async def test_clean_project_passes_every_stage(copy_fixture: CopyFixture) -> None:
    report = await run_loop(copy_fixture("inventory_clean"))
    statuses = {s.id: s.status for s in report.stages}
    assert statuses == {
        "lint": "passed",
        "format": "passed",
        "typecheck": "passed",
        "security": statuses["security"],
        "test": "passed",
    }
    assert statuses["security"] in ("passed", "skipped")
    assert report.status == "passed" and report.fix_first == []
    assert stage(report, "test").counts.tests_passed == 3
    assert all(s.output_tail == "" for s in report.stages)


@pytest.mark.anyio
async def test_missing_tools_are_errors_with_install_commands(copy_fixture: CopyFixture) -> None:
    report = await run_loop(copy_fixture("tool_missing"), stages=["lint", "typecheck"])
    by_id = {s.id: s for s in report.stages}
    pyright = by_id["typecheck (., python)"]
    assert pyright.status == "error" and pyright.tool == "pyright"
    assert pyright.reason is not None and "pip install pyright" in pyright.reason
    for node_stage in ("lint (., node)", "typecheck (., node)"):
        assert by_id[node_stage].status == "error"
        assert "run `npm install`" in (by_id[node_stage].reason or "")
    # No ruff configured and none installed in the project: ours runs, and says so.
    python_lint = by_id["lint (., python)"]
    assert python_lint.status == "passed"
    assert any("mcp-backend's own ruff" in note for note in python_lint.notes)
    assert report.status == "error"
    # One cause, one item: both Node stages need the same `npm install`.
    assert report.fix_first[0].startswith(
        "lint (., node), typecheck (., node): node_modules is missing"
    )


@pytest.mark.anyio
async def test_hanging_tests_are_ended_with_their_children(
    copy_fixture: CopyFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "pids"
    monkeypatch.setenv("QUALITY_FIXTURE_PID_FILE", str(pid_file))
    report = await run_loop(copy_fixture("hanging_tests"), stages=["test"], timeout_s=8)
    [result] = report.stages
    assert result.status == "timed_out" and result.exit_code is None
    assert result.reason is not None and "every process it started" in result.reason
    pids = [int(pid) for pid in pid_file.read_text().split()]
    assert len(pids) == 2  # pytest itself and the `sleep` it started
    assert not any(pid_alive(pid) for pid in pids)
    assert report.status == "failed"


@pytest.mark.anyio
async def test_cancelling_the_loop_leaves_no_process(
    copy_fixture: CopyFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "pids"
    monkeypatch.setenv("QUALITY_FIXTURE_PID_FILE", str(pid_file))
    root = copy_fixture("hanging_tests")
    request = LoopRequest(root=root, stages=["lint", "test"], timeout_s=600)
    finished: list[LoopReport] = []

    async def loop() -> None:
        finished.append(await run_quality_loop(request))

    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as group:
            group.start_soon(loop)
            await wait_for_file(pid_file)
            scope.cancel()
    assert scope.cancelled_caught and finished == []
    pids = [int(pid) for pid in pid_file.read_text().split()]
    assert len(pids) == 2 and not any(pid_alive(pid) for pid in pids)


@pytest.mark.anyio
async def test_fail_fast_skips_what_has_not_run(copy_fixture: CopyFixture) -> None:
    report = await run_loop(copy_fixture("orders_service"), fail_fast=True)
    test = stage(report, "test")
    assert test.status == "skipped"
    assert test.reason is not None and test.reason.startswith("fail_fast")
    assert any(s.status == "failed" for s in report.stages)


@pytest.mark.anyio
async def test_fix_rewrites_files_and_reports_what_is_left(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("orders_service")
    report = await run_loop(root, stages=["lint", "format"], fix=True)
    lint, fmt = stage(report, "lint"), stage(report, "format")
    assert lint.modifies_files and fmt.modifies_files
    # ruff fixed the imports; E711 (unsafe fix) and B006 need a person.
    assert sorted(d.code for d in lint.diagnostics) == ["B006", "E711"]
    assert fmt.status == "passed"
    after = json.loads(direct([str(BIN / "ruff"), "check", "--output-format", "json"], root).stdout)
    assert sorted(item["code"] for item in after) == ["B006", "E711"]
    assert direct([str(BIN / "ruff"), "format", "--check"], root).returncode == 0


@pytest.mark.anyio
async def test_changed_only_lints_just_the_changed_file(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("inventory_clean")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    for argv in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "initial"]):
        assert direct([*git, *argv], root).returncode == 0
    stock = root / "inventory" / "stock.py"
    stock.write_text(stock.read_text() + "\n\ndef _draft() -> None:\n    unused = 1\n")
    report = await run_loop(root, stages=["lint", "format"], changed_only=True)
    lint = stage(report, "lint")
    assert lint.command[-1] == "inventory/stock.py"
    assert [(d.file, d.code) for d in lint.diagnostics] == [("inventory/stock.py", "F841")]
    direct([*git, "checkout", "-q", "--", "."], root)
    nothing = await run_loop(root, stages=["lint"], changed_only=True)
    assert stage(nothing, "lint").status == "skipped"


@pytest.mark.anyio
async def test_changed_only_outside_git_checks_everything(copy_fixture: CopyFixture) -> None:
    report = await run_loop(copy_fixture("orders_service"), stages=["lint"], changed_only=True)
    assert any("changed_only ignored" in note for note in report.notes)
    assert stage(report, "lint").counts.errors == 5


@pytest.mark.anyio
async def test_test_selection_by_path_and_node_id(copy_fixture: CopyFixture) -> None:
    root = copy_fixture("orders_service")
    by_path = await run_loop(root, stages=["test"], tests=["tests/test_pricing.py"])
    assert stage(by_path, "test").counts.tests_total == 5
    node_id = "tests/test_store.py::test_add_and_count"
    by_node = await run_loop(root, stages=["test"], tests=[node_id])
    result = stage(by_node, "test")
    assert result.status == "passed" and result.counts.tests_total == 1
    assert result.command[-1] == node_id


@pytest.mark.anyio
async def test_progress_is_reported_and_a_failing_callback_does_not_stop_the_loop(
    copy_fixture: CopyFixture,
) -> None:
    root = copy_fixture("inventory_clean")
    seen: list[tuple[int, int, str]] = []

    async def record(done: int, total: int, message: str) -> None:
        seen.append((done, total, message))

    # fail_fast keeps the tests after the checks, whatever the number of cores.
    request = LoopRequest(root=root, stages=["lint", "format", "test"], fail_fast=True)
    report = await run_quality_loop(request, record)
    assert report.status == "passed"
    assert all(total == 3 for _, total, _ in seen)
    started = sorted(m for _, _, m in seen if "running" in m)
    assert started == ["format: running ruff", "lint: running ruff", "test: running pytest"]
    assert seen[-1][0] == 3 and seen[-1][2].startswith("test: passed")
    # tests wait for the checks: both check stages finished before pytest started
    test_start = next(i for i, (_, _, m) in enumerate(seen) if m == "test: running pytest")
    assert seen[test_start][0] == 2

    async def broken(done: int, total: int, message: str) -> None:
        raise ConnectionResetError("client went away")

    again = await run_quality_loop(request, broken)
    assert again.status == "passed" and len(again.stages) == 3
