"""Warm tsc/eslint workers: the CLI's result, cold and after edits, and no process left behind.

The TypeScript fixture's own typescript and eslint run in the workers and as CLIs side by side
(two copies of the project, so that each keeps its own caches). The protocol's failure paths
use small Node scripts in place of a worker: they speak the same protocol (protocol.cjs) or
break it on purpose.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from mcp_backend.quality import workers
from mcp_backend.quality.detect import detect_project
from mcp_backend.quality.models import PlanOptions, Stage, StageName, StageResult, WorkerSpec
from mcp_backend.quality.plan import plan
from mcp_backend.quality.run import run_stage
from mcp_backend.quality.workers import WorkerPool, run_stage_warm

from .conftest import pid_alive

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
LIMIT_S = 120.0
CAP = 1024 * 1024
TAIL = 1500
PROTOCOL = workers.SCRIPTS_DIR / "protocol.cjs"

# Speaks the real protocol; prints to stdout the way a chatty plugin would.
ECHO_WORKER = """
const { serve } = require(%s);
serve(async (request) => {
  console.log("a plugin printing to stdout");
  process.stdout.write("and writing to it directly\\n");
  return { status: "ok", exit_code: 0, stdout: "[]\\n", stderr: "", note: `echo ${request.id}` };
});
"""
# Ready (with a child in its process group when asked), then never an answer.
HANGING_WORKER = """
const { spawn } = require("child_process");
const fs = require("fs");
const pids = [process.pid];
if (process.env.QUALITY_WORKER_CHILD) {
  pids.push(spawn("sleep", ["600"], { stdio: "ignore" }).pid);
}
fs.writeFileSync(process.env.QUALITY_WORKER_PIDS, pids.join(" "));
process.stdout.write(JSON.stringify({ ready: true }) + "\\n");
process.stdin.on("data", () => {});
"""
GARBAGE_WORKER = """
process.stdout.write(JSON.stringify({ ready: true }) + "\\n");
process.stdin.on("data", () => process.stdout.write("this is not JSON\\n"));
"""


def project_copy(ts_catalog: Path, target: Path) -> Path:
    """The fixture with its installed packages linked one by one: the tools' caches
    (node_modules/.cache) stay in the copy."""
    shutil.copytree(ts_catalog, target, ignore=shutil.ignore_patterns("node_modules"))
    modules = target / "node_modules"
    modules.mkdir()
    for entry in (ts_catalog / "node_modules").iterdir():
        if entry.name != ".cache":
            (modules / entry.name).symlink_to(entry)
    return target


def planned(root: Path, name: StageName, fix: bool = False) -> Stage:
    options = PlanOptions(
        stages=[name],
        fix=fix,
        report_dir=root,
        our_python=sys.executable,
        security_available=False,
    )
    [stage] = plan(detect_project(root), options)
    assert stage.worker is not None, stage
    return stage


def view(result: StageResult) -> tuple[object, ...]:
    diagnostics = [
        (d.file, d.line, d.column, d.code, d.severity, d.message) for d in result.diagnostics
    ]
    return (result.status, result.exit_code, result.counts, diagnostics)


def worker_note(result: StageResult) -> str:
    return next(note for note in result.notes if note.startswith("warm worker:"))


def edit(roots: tuple[Path, ...], relative: str, change: Callable[[str], str]) -> None:
    for root in roots:
        path = root / relative
        path.write_text(change(path.read_text()))


async def side_by_side(
    pool: WorkerPool, warm: Stage, cli: Stage
) -> tuple[StageResult, StageResult]:
    """The worker on one copy and the CLI on the other, at the same time."""
    results: dict[str, StageResult] = {}

    async def in_worker() -> None:
        results["worker"] = await run_stage_warm(pool, warm, LIMIT_S, CAP, TAIL)

    async def as_cli() -> None:
        results["cli"] = await run_stage(cli, LIMIT_S, CAP, TAIL)

    async with anyio.create_task_group() as group:
        group.start_soon(in_worker)
        group.start_soon(as_cli)
    assert not any(n.startswith("warm worker") for n in results["cli"].notes)
    return results["worker"], results["cli"]


@needs_node
@pytest.mark.npm
@pytest.mark.slow
@pytest.mark.anyio
async def test_tsc_worker_gives_the_cli_result_cold_after_edits_and_config_changes(
    ts_catalog: Path, tmp_path: Path
) -> None:
    warm_root = project_copy(ts_catalog, tmp_path / "warm")
    cli_root = project_copy(ts_catalog, tmp_path / "cli")
    both = (warm_root, cli_root)
    pool = WorkerPool()
    try:
        worker, cli = await side_by_side(
            pool, planned(warm_root, "typecheck"), planned(cli_root, "typecheck")
        )
        assert view(worker) == view(cli) and worker.counts.errors == 2
        assert worker.command == planned(warm_root, "typecheck").argv  # the equivalent CLI
        assert "first request" in worker_note(worker) and "ran in a persistent tsc" in (
            worker_note(worker)
        )
        pid = pool.pids[(str(warm_root), "tsc")]

        # An edit that adds an error: only that file is parsed again.
        edit(both, "src/search.ts", lambda text: text + "export const n: number = 'three';\n")
        worker, cli = await side_by_side(
            pool, planned(warm_root, "typecheck"), planned(cli_root, "typecheck")
        )
        assert view(worker) == view(cli) and worker.counts.errors == 3
        assert re.search(r"1 of \d+ files re-parsed", worker_note(worker))

        # Edits that fix errors.
        edit(both, "src/search.ts", lambda text: text.replace("number = 'three'", "number = 3"))
        edit(both, "src/catalog.ts", lambda text: text.replace('"0")', "0)"))
        worker, cli = await side_by_side(
            pool, planned(warm_root, "typecheck"), planned(cli_root, "typecheck")
        )
        assert view(worker) == view(cli) and worker.counts.errors == 1

        # A new file is part of the program on the next request.
        (warm_root / "src" / "flags.ts").write_text("export const on: boolean = 1;\n")
        worker = await run_stage_warm(pool, planned(warm_root, "typecheck"), LIMIT_S, CAP, TAIL)
        found = {(d.file, d.line, d.code) for d in worker.diagnostics}
        assert found == {("src/search.ts", 9, "TS2322"), ("src/flags.ts", 1, "TS2322")}

        # A tsconfig edit is read on the next request; changed options start from scratch.
        config = json.loads((warm_root / "tsconfig.json").read_text())
        config["compilerOptions"]["strictNullChecks"] = False
        (warm_root / "tsconfig.json").write_text(json.dumps(config))
        worker = await run_stage_warm(pool, planned(warm_root, "typecheck"), LIMIT_S, CAP, TAIL)
        assert {(d.file, d.code) for d in worker.diagnostics} == {("src/flags.ts", "TS2322")}
        assert "first request with these options" in worker_note(worker)
        assert pool.pids[(str(warm_root), "tsc")] == pid  # one worker all along
    finally:
        await pool.aclose()
    assert pool.pids == {} and not pid_alive(pid)


@needs_node
@pytest.mark.npm
@pytest.mark.slow
@pytest.mark.anyio
async def test_eslint_worker_gives_the_cli_result_sees_config_edits_and_fixes(
    ts_catalog: Path, tmp_path: Path
) -> None:
    warm_root = project_copy(ts_catalog, tmp_path / "warm")
    cli_root = project_copy(ts_catalog, tmp_path / "cli")
    both = (warm_root, cli_root)
    pool = WorkerPool()
    try:
        worker, cli = await side_by_side(
            pool, planned(warm_root, "lint"), planned(cli_root, "lint")
        )
        assert view(worker) == view(cli) and worker.counts.errors == 3
        edit(both, "src/search.ts", lambda text: text + "export var same = 1 == 2;\n")
        worker, cli = await side_by_side(
            pool, planned(warm_root, "lint"), planned(cli_root, "lint")
        )
        assert view(worker) == view(cli) and worker.counts.errors == 5
        assert "kept from the previous request" in worker_note(worker)
        pid = pool.pids[(str(warm_root), "eslint")]

        # The config file changed: a new ESLint instance reads it.
        edit(
            (warm_root,),
            "eslint.config.js",
            lambda text: text.replace('eqeqeq: "error"', 'eqeqeq: "off"'),
        )
        worker = await run_stage_warm(pool, planned(warm_root, "lint"), LIMIT_S, CAP, TAIL)
        assert "eqeqeq" not in {d.code for d in worker.diagnostics}
        assert worker.counts.errors == 3 and "config file changed" in worker_note(worker)

        # --fix writes the fixes, as the CLI does.
        fixed = await run_stage_warm(pool, planned(warm_root, "lint", fix=True), LIMIT_S, CAP, TAIL)
        assert "prefer-const" not in {d.code for d in fixed.diagnostics}
        assert "const euros" in (warm_root / "src" / "catalog.ts").read_text()
        assert "ran in a persistent eslint" in worker_note(fixed)
        assert pool.pids[(str(warm_root), "eslint")] == pid
    finally:
        await pool.aclose()
    assert not pid_alive(pid)


@needs_node
@pytest.mark.npm
@pytest.mark.slow
@pytest.mark.anyio
async def test_a_worker_killed_during_a_request_is_dropped_and_the_cli_answers(
    ts_catalog: Path, tmp_path: Path
) -> None:
    root = project_copy(ts_catalog, tmp_path / "catalog")
    key = (str(root), "eslint")
    pool = WorkerPool()
    results: list[StageResult] = []

    async def lint() -> None:
        results.append(await run_stage_warm(pool, planned(root, "lint"), LIMIT_S, CAP, TAIL))

    try:
        async with anyio.create_task_group() as group:
            group.start_soon(lint)
            while key not in pool.pids:  # started; now loading eslint for the request
                await anyio.sleep(0.02)
            killed = pool.pids[key]
            await anyio.sleep(0.2)
            os.kill(killed, signal.SIGKILL)
        [answer] = results
        assert answer.status == "failed" and answer.counts.errors == 3  # the CLI answered
        assert f"worker pid {killed} failed" in worker_note(answer)
        assert "the command above ran instead" in worker_note(answer)
        assert key not in pool.pids and not pid_alive(killed)  # the next request starts anew
    finally:
        await pool.aclose()


# ---------------------------------------------------------------- the protocol's failure paths


def fake_stage(root: Path) -> Stage:
    """A lint stage whose CLI is a tiny node command printing an empty eslint report."""
    return Stage(
        id="lint",
        name="lint",
        language="node",
        tool="eslint",
        argv=["node", "-e", "console.log('[]')"],
        cwd=root,
        parser="eslint",
        worker=WorkerSpec(tool="eslint", bin=str(root / "node_modules" / ".bin" / "eslint")),
    )


def use_worker_script(monkeypatch: pytest.MonkeyPatch, path: Path, source: str) -> None:
    path.write_text(source)
    monkeypatch.setitem(workers.SCRIPTS, "eslint", str(path))


@needs_node
@pytest.mark.anyio
async def test_stdout_carries_only_answers_and_an_exited_worker_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_worker_script(monkeypatch, tmp_path / "echo.cjs", ECHO_WORKER % json.dumps(str(PROTOCOL)))
    pool = WorkerPool()
    try:
        first = await run_stage_warm(pool, fake_stage(tmp_path), 30, CAP, TAIL)
        assert first.status == "passed" and "echo 1" in worker_note(first)
        second = await run_stage_warm(pool, fake_stage(tmp_path), 30, CAP, TAIL)
        assert "echo 2" in worker_note(second)  # console output went to stderr, not stdout
        pid = pool.pids[(str(tmp_path), "eslint")]
        os.kill(pid, signal.SIGKILL)
        worker = pool.worker(tmp_path, "eslint")
        assert worker is not None
        with anyio.fail_after(10):
            while worker.alive:  # until the event loop has seen it exit
                await anyio.sleep(0.02)
        third = await run_stage_warm(pool, fake_stage(tmp_path), 30, CAP, TAIL)
        assert "the previous worker had exited" in worker_note(third)
        assert pool.pids[(str(tmp_path), "eslint")] != pid
    finally:
        await pool.aclose()


@needs_node
@pytest.mark.anyio
async def test_a_worker_that_breaks_the_protocol_is_ended_and_the_cli_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_worker_script(monkeypatch, tmp_path / "garbage.cjs", GARBAGE_WORKER)
    pool = WorkerPool()
    result = await run_stage_warm(pool, fake_stage(tmp_path), 30, CAP, TAIL)
    assert result.status == "passed" and result.command == fake_stage(tmp_path).argv
    note = worker_note(result)
    assert "not JSON" in note and "the command above ran instead" in note
    pid = int(re.findall(r"pid (\d+)", note)[0])
    assert pool.pids == {} and not pid_alive(pid)


@needs_node
@pytest.mark.anyio
async def test_time_limit_and_cancellation_end_the_workers_process_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_worker_script(monkeypatch, tmp_path / "hang.cjs", HANGING_WORKER)
    pid_file = tmp_path / "pids"
    monkeypatch.setenv("QUALITY_WORKER_PIDS", str(pid_file))
    monkeypatch.setenv("QUALITY_WORKER_CHILD", "1")
    pool = WorkerPool()
    result = await run_stage_warm(pool, fake_stage(tmp_path), 1.0, CAP, TAIL)
    assert result.status == "timed_out" and "time limit of 1s" in (result.reason or "")
    assert "the time limit ended the worker" in worker_note(result)
    pids = [int(pid) for pid in pid_file.read_text().split()]
    assert len(pids) == 2 and not any(pid_alive(pid) for pid in pids)  # the worker and its child
    assert pool.pids == {}

    pid_file.unlink()
    monkeypatch.delenv("QUALITY_WORKER_CHILD")
    with anyio.move_on_after(5) as scope:
        async with anyio.create_task_group() as group:
            group.start_soon(run_stage_warm, pool, fake_stage(tmp_path), 60.0, CAP, TAIL)
            while not pid_file.exists() or not pool.pids:
                await anyio.sleep(0.02)
            group.cancel_scope.cancel()
    assert not scope.cancelled_caught
    pids = [int(pid) for pid in pid_file.read_text().split()]
    assert not any(pid_alive(pid) for pid in pids) and pool.pids == {}


@needs_node
@pytest.mark.anyio
async def test_the_pool_keeps_at_most_its_size_and_closes_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_worker_script(monkeypatch, tmp_path / "echo.cjs", ECHO_WORKER % json.dumps(str(PROTOCOL)))
    pool = WorkerPool(max_workers=2)
    roots = [tmp_path / name for name in ("a", "b", "c")]
    started: list[int] = []
    for root in roots:
        root.mkdir()
        await run_stage_warm(pool, fake_stage(root), 30, CAP, TAIL)
        started.append(pool.pids[(str(root), "eslint")])
    # The least recently used (a) made room for c, and was ended.
    assert set(pool.pids) == {(str(roots[1]), "eslint"), (str(roots[2]), "eslint")}
    assert not pid_alive(started[0])
    await pool.aclose()
    assert pool.pids == {} and not any(pid_alive(pid) for pid in started)


@needs_node
def test_the_worker_scripts_ship_in_the_package_and_parse() -> None:
    for name in [*workers.SCRIPTS.values(), "protocol.cjs"]:
        script = workers.SCRIPTS_DIR / name
        assert script.is_file()
        checked = subprocess.run(["node", "--check", str(script)], capture_output=True, timeout=60)
        assert checked.returncode == 0, checked.stderr


@needs_node
@pytest.mark.npm
@pytest.mark.slow
@pytest.mark.anyio
async def test_eslint_skips_vendored_code_and_build_output_in_the_worker_and_the_cli(
    ts_catalog: Path, tmp_path: Path
) -> None:
    # The project's config ignores only node_modules and dist: vendored code and another
    # build folder, each with an eqeqeq error, are no part of the project's code.
    roots = (
        project_copy(ts_catalog, tmp_path / "warm"),
        project_copy(ts_catalog, tmp_path / "cli"),
    )
    for root in roots:
        for folder in ("vendor", "out"):
            (root / folder).mkdir()
            (root / folder / "legacy.js").write_text("export const same = (a, b) => a == b;\n")
    warm, cli = (planned(root, "lint") for root in roots)
    assert warm.worker is not None and warm.worker.ignore_patterns == ["**/out/", "**/vendor/"]
    assert cli.argv.count("--ignore-pattern") == 2
    pool = WorkerPool()
    try:
        worker, direct = await side_by_side(pool, warm, cli)
    finally:
        await pool.aclose()
    assert view(worker) == view(direct)
    assert "ran in a persistent eslint" in worker_note(worker)
    files = {d.file for d in direct.diagnostics}
    assert files and not {f for f in files if f.startswith(("vendor/", "out/"))}
    assert direct.counts.errors == 3  # the project's own three, as before
