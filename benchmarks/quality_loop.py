"""Quality loop wall time beside the same tools run one after another, cold and warm.

Targets: a copy of this repository (lint, format, typecheck, security and a slice of its
tests) and a copy of the TypeScript fixture (eslint, tsc, vitest). For each target:

- cold: every tool cache removed (ruff, mypy, pytest, eslint, tsc build info, the review's
  result cache), then the exact commands the loop plans run one after another (the security
  review called directly), caches removed again, then the loop;
- warm: one file edited, the sequential commands; another edit, the loop.

Overhead of our own code = loop wall time − the loop's critical path (the longest stage, as
measured by the loop itself, when tests run alongside the checks; else the longest check plus
the tests), as a share of the loop's wall time.

Usage: python benchmarks/quality_loop.py [--target repo|ts|all] [--tests PATH ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import anyio

from mcp_backend.quality.detect import detect_project
from mcp_backend.quality.engine import (
    TESTS_ALONGSIDE_CORES,
    review_engine_available,
    run_quality_loop,
)
from mcp_backend.quality.models import (
    STAGE_ORDER,
    LoopReport,
    LoopRequest,
    PlanOptions,
    StageName,
)
from mcp_backend.quality.plan import plan

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


def run_loop(target: Target) -> tuple[float, LoopReport]:
    request = LoopRequest(
        root=target.root, stages=target.stages, tests=target.tests, timeout_s=STEP_TIMEOUT_S
    )
    started = time.perf_counter()
    report = anyio.run(run_quality_loop, request)
    return time.perf_counter() - started, report


def critical_path(report: LoopReport) -> float:
    """The longest chain of stages: all at once, or the tests after the checks."""
    durations = [s.duration_s for s in report.stages]
    if (os.cpu_count() or 1) >= TESTS_ALONGSIDE_CORES:
        return max(durations, default=0.0)
    checks = [s.duration_s for s in report.stages if s.name != "test"]
    tests = [s.duration_s for s in report.stages if s.name == "test"]
    return max(checks, default=0.0) + max(tests, default=0.0)


def describe(report: LoopReport) -> str:
    return ", ".join(f"{s.id}={s.status} {s.duration_s:.1f}s" for s in report.stages)


def measure(target: Target) -> None:
    print(f"\n## {target.name}: {target.root}")
    print(f"stages: {', '.join(target.stages)}; tests: {' '.join(target.tests) or '(all)'}")
    clear_caches(target.root)
    cold_seq, cold_steps = run_sequential(target)
    clear_caches(target.root)
    cold_loop, cold_report = run_loop(target)
    edit(target.root, target.edit_file, "1")
    warm_seq, warm_steps = run_sequential(target)
    edit(target.root, target.edit_file, "2")
    warm_loop, warm_report = run_loop(target)

    def steps(timings: dict[str, float]) -> str:
        return ", ".join(f"{k}={v:.1f}s" for k, v in timings.items())

    print(f"cold sequential: {cold_seq:7.2f}s  ({steps(cold_steps)})")
    print(f"cold loop:       {cold_loop:7.2f}s  ({describe(cold_report)})")
    print(f"warm sequential: {warm_seq:7.2f}s  ({steps(warm_steps)})")
    print(f"warm loop:       {warm_loop:7.2f}s  ({describe(warm_report)})")
    print(f"cold loop / cold sequential: {cold_loop / cold_seq:.2f}  (target <= 0.8)")
    print(f"warm loop / warm sequential: {warm_loop / warm_seq:.2f}")
    print(f"warm loop / cold loop:       {warm_loop / cold_loop:.2f}  (target <= 0.5)")
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
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="quality-bench-") as scratch:
        os.environ["MCP_BACKEND_CACHE_DIR"] = str(Path(scratch) / "review-cache")
        if args.target in ("repo", "all"):
            copy = Path(scratch) / "repo"
            shutil.copytree(REPO, copy, ignore=COPY_IGNORE)
            measure(Target("this repository", copy, list(STAGE_ORDER), args.tests,
                           "mcp_backend/quality/render.py"))  # fmt: skip
        if args.target in ("ts", "all") and ensure_node_modules(TS_FIXTURE):
            copy = Path(scratch) / "ts_catalog"
            shutil.copytree(TS_FIXTURE, copy, symlinks=True)
            measure(Target("TypeScript fixture", copy, ["lint", "typecheck", "test"], [],
                           "src/search.ts"))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
