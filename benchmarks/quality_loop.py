"""Quality loop wall time beside the same tools run one after another, cold and warm.

Targets: a copy of this repository (lint, format, typecheck, security and a slice of its
tests) and a copy of the TypeScript fixture (eslint, tsc, vitest). For each target:

- cold: every tool cache removed (ruff, mypy, pytest, eslint, tsc build info, the review's
  result cache), then the exact commands the loop plans run one after another (the security
  review called directly), caches removed again, then the loop;
- warm: one file edited, the sequential commands; another edit, the loop.

The loop runs as the MCP server runs it: with a pool of warm workers (tsc, eslint; see
mcp_backend/quality/workers.py) kept across calls in one event loop. Before the cold loop the
pool is closed (every worker killed) and the caches cleared, so the cold loop starts the
workers itself; the warm loop reuses them. `--no-workers` measures the loop without a pool (the
one-shot `mcp-backend check`). The output says which stages a worker served.

Overhead of our own code = loop wall time − the loop's critical path (its own schedule — at
most one stage per core, long poles first — replayed with the stage durations the loop
measured), as a share of the loop's wall time.

Usage: python benchmarks/quality_loop.py [--target repo|ts|all] [--tests PATH ...] [--no-workers]
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from anyio.from_thread import BlockingPortal, start_blocking_portal

from mcp_backend.quality.detect import detect_project
from mcp_backend.quality.engine import (
    SCHEDULE_PRIORITY,
    TESTS_ALONGSIDE_CORES,
    review_engine_available,
    run_quality_loop,
    usable_cores,
)
from mcp_backend.quality.models import (
    STAGE_ORDER,
    LoopReport,
    LoopRequest,
    PlanOptions,
    StageName,
)
from mcp_backend.quality.plan import plan
from mcp_backend.quality.render import ran_in_worker
from mcp_backend.quality.workers import WorkerPool

REPO = Path(__file__).resolve().parent.parent
TS_FIXTURE = REPO / "tests" / "fixtures" / "quality" / "ts_catalog"
NPM_CACHE = REPO / "tests" / ".npm-cache"
DEFAULT_REPO_TESTS = ["tests/quality/test_plan.py", "tests/quality/test_parsers.py"]
CACHE_DIRS = (".ruff_cache", ".mypy_cache", ".pytest_cache", "node_modules/.cache/mcp-backend")
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
    "node_modules", "*.egg-info", "build", "dist", ".npm-cache", ".cache", ".hypothesis",
)  # fmt: skip
STEP_TIMEOUT_S = 900


@dataclass
class Target:
    name: str
    root: Path
    stages: list[StageName]
    tests: list[str]
    edit_file: str


def clear_caches(root: Path) -> None:
    for relative in CACHE_DIRS:
        shutil.rmtree(root / relative, ignore_errors=True)
    # The review's result cache lives outside the project (see main()).
    shutil.rmtree(os.environ["MCP_BACKEND_CACHE_DIR"], ignore_errors=True)


def edit(root: Path, relative: str, marker: str) -> None:
    path = root / relative
    comment = "#" if path.suffix == ".py" else "//"
    with path.open("a") as handle:
        handle.write(f"\n{comment} benchmark edit {marker}\n")


def run_sequential(target: Target) -> tuple[float, dict[str, float]]:
    """The loop's own planned commands, one after another; returns (wall, per stage)."""
    project = detect_project(target.root)
    with tempfile.TemporaryDirectory() as reports:
        options = PlanOptions(
            stages=target.stages,
            tests=target.tests,
            report_dir=Path(reports),
            our_python=sys.executable,
            security_available=review_engine_available(),
        )
        stages = plan(project, options)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        for stage in stages:
            if stage.skip_reason or stage.error:
                continue
            step = time.perf_counter()
            if stage.in_process:
                from mcp_backend.review.engine import review
                from mcp_backend.review.model import ReviewRequest

                review(ReviewRequest(root=target.root, jobs=1, min_severity="low"))
            else:
                subprocess.run(
                    stage.argv, cwd=stage.cwd, capture_output=True, timeout=STEP_TIMEOUT_S,
                    env={**os.environ, **stage.env}, check=False,
                )  # fmt: skip
            timings[stage.id] = time.perf_counter() - step
        return time.perf_counter() - started, timings


@dataclass
class Runner:
    """One event loop for every loop run, as in the server, and its pool (None: no workers)."""

    portal: BlockingPortal
    pool: WorkerPool | None

    def close_workers(self) -> None:
        if self.pool is not None:
            self.portal.call(self.pool.aclose)


def run_loop(target: Target, runner: Runner) -> tuple[float, LoopReport]:
    request = LoopRequest(
        root=target.root, stages=target.stages, tests=target.tests, timeout_s=STEP_TIMEOUT_S
    )
    started = time.perf_counter()
    report = runner.portal.call(functools.partial(run_quality_loop, request, workers=runner.pool))
    return time.perf_counter() - started, report


def critical_path(report: LoopReport) -> float:
    """How long the loop's own schedule takes with the measured stage durations and no cost of
    ours: at most one stage per core, long poles first (engine.SCHEDULE_PRIORITY); without
    cores enough for the tests alongside, the tests after the checks."""
    ran = [s for s in report.stages if s.status != "skipped"]
    order = sorted(ran, key=lambda s: SCHEDULE_PRIORITY.get(s.name, len(STAGE_ORDER)))
    alongside = usable_cores() >= TESTS_ALONGSIDE_CORES
    checks = [s for s in order if alongside or s.name != "test"]
    tests = [] if alongside else [s for s in order if s.name == "test"]
    return _makespan([s.duration_s for s in checks]) + _makespan([s.duration_s for s in tests])


def _makespan(durations: list[float]) -> float:
    """Each job, in order, starts on the core that frees first."""
    cores = [0.0] * usable_cores()
    for duration in durations:
        earliest = min(range(len(cores)), key=cores.__getitem__)
        cores[earliest] += duration
    return max(cores, default=0.0)


def describe(report: LoopReport) -> str:
    return ", ".join(
        f"{s.id}={s.status} {s.duration_s:.1f}s" + (" [worker]" if ran_in_worker(s) else "")
        for s in report.stages
    )


def workers_used(report: LoopReport) -> str:
    served = [s.id for s in report.stages if ran_in_worker(s)]
    return ", ".join(served) if served else "none"


def measure(target: Target, runner: Runner) -> None:
    print(f"\n## {target.name}: {target.root}")
    print(f"stages: {', '.join(target.stages)}; tests: {' '.join(target.tests) or '(all)'}")
    clear_caches(target.root)
    cold_seq, cold_steps = run_sequential(target)
    runner.close_workers()  # an honest cold loop: no warm process, no cache
    clear_caches(target.root)
    cold_loop, cold_report = run_loop(target, runner)
    edit(target.root, target.edit_file, "1")
    warm_seq, warm_steps = run_sequential(target)
    edit(target.root, target.edit_file, "2")
    warm_loop, warm_report = run_loop(target, runner)

    def steps(timings: dict[str, float]) -> str:
        return ", ".join(f"{k}={v:.1f}s" for k, v in timings.items())

    print(f"cold sequential: {cold_seq:7.2f}s  ({steps(cold_steps)})")
    print(f"cold loop:       {cold_loop:7.2f}s  ({describe(cold_report)})")
    print(f"warm sequential: {warm_seq:7.2f}s  ({steps(warm_steps)})")
    print(f"warm loop:       {warm_loop:7.2f}s  ({describe(warm_report)})")
    print(f"cold loop / cold sequential: {cold_loop / cold_seq:.2f}  (target <= 0.8)")
    print(f"warm loop / warm sequential: {warm_loop / warm_seq:.2f}")
    print(f"warm loop / cold loop:       {warm_loop / cold_loop:.2f}  (target <= 0.5)")
    if runner.pool is None:
        print("warm workers: off (--no-workers)")
    else:
        print(
            f"warm workers: cold loop started them for {workers_used(cold_report)}; "
            f"warm loop used them for {workers_used(warm_report)}"
        )
    for label, wall, report in (("cold", cold_loop, cold_report), ("warm", warm_loop, warm_report)):
        overhead = wall - critical_path(report)
        print(
            f"{label} overhead of our code: {overhead:.2f}s = {100 * overhead / wall:.1f}% "
            f"of the loop (critical path {critical_path(report):.2f}s; target <= 5%)"
        )


def ensure_node_modules(root: Path) -> bool:
    if shutil.which("npm") is None:
        print("npm is not installed: the TypeScript target is skipped")
        return False
    if not (root / "node_modules" / ".bin" / "tsc").exists():
        subprocess.run(
            ["npm", "ci", "--cache", str(NPM_CACHE), "--prefer-offline", "--no-audit",
             "--no-fund", "--loglevel=error"],
            cwd=root, check=True, timeout=STEP_TIMEOUT_S,
        )  # fmt: skip
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["repo", "ts", "all"], default="all")
    parser.add_argument("--tests", nargs="*", default=DEFAULT_REPO_TESTS)
    parser.add_argument(
        "--no-workers", action="store_true", help="run the loop without warm workers"
    )
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    with (
        tempfile.TemporaryDirectory(prefix="quality-bench-") as scratch,
        start_blocking_portal() as portal,
    ):
        runner = Runner(portal, None if args.no_workers else WorkerPool())
        os.environ["MCP_BACKEND_CACHE_DIR"] = str(Path(scratch) / "review-cache")
        try:
            if args.target in ("repo", "all"):
                copy = Path(scratch) / "repo"
                shutil.copytree(REPO, copy, ignore=COPY_IGNORE)
                measure(Target("this repository", copy, list(STAGE_ORDER), args.tests,
                               "mcp_backend/quality/render.py"), runner)  # fmt: skip
            if args.target in ("ts", "all") and ensure_node_modules(TS_FIXTURE):
                copy = Path(scratch) / "ts_catalog"
                shutil.copytree(TS_FIXTURE, copy, symlinks=True)
                measure(Target("TypeScript fixture", copy, ["lint", "typecheck", "test"], [],
                               "src/search.ts"), runner)  # fmt: skip
        finally:
            runner.close_workers()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
