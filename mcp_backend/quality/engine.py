"""The quality loop's entry point: detect, plan, run the stages in parallel, report.

`run_quality_loop(LoopRequest, on_progress, workers) -> LoopReport`. Cancelling the caller's
anyio scope ends every running tool's process group before the cancellation propagates.
A long-lived caller (the MCP server) passes its `WorkerPool`: the type check and lint stages
it can serve then run in warm workers (see workers.py); without a pool every stage is a CLI run.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio

from mcp_backend.quality.detect import detect_project
from mcp_backend.quality.models import (
    STAGE_ORDER,
    Diagnostic,
    DiagnosticSeverity,
    LoopReport,
    LoopRequest,
    LoopStatus,
    PlanOptions,
    Project,
    Stage,
    StageCounts,
    StageResult,
)
from mcp_backend.quality.plan import plan
from mcp_backend.quality.render import counts_phrase
from mcp_backend.quality.run import base_result, child_environment, run_process, run_stage
from mcp_backend.quality.workers import WorkerPool, run_stage_warm

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], Awaitable[None]]

GIT_TIMEOUT_S = 30.0
GIT_OUTPUT_CAP = 4 * 1024 * 1024
# A whole report stays far below the 25k-token limit clients enforce (about 4 chars a token).
REPORT_CHAR_BUDGET = 60_000
FIX_FIRST_LIMIT = 6
# Cores at which tests run alongside the checks instead of after them. Measured on 2 cores
# (benchmarks/quality_loop.py): warm checks finish in seconds and would leave a core idle
# while the tests run alone, so alongside wins; fail_fast keeps tests after the checks.
TESTS_ALONGSIDE_CORES = 2
# Longest first, at most one stage per core. With more stages than cores, starting them all at
# once slowed each: on 2 cores mypy took 21 s alone and 28 s beside the review, the tests,
# ruff and ruff format, and the loop waits for its slowest stage. The type check is usually
# the long pole, then the tests, then the review; ruff's stages take a fraction of a second.
SCHEDULE_PRIORITY: dict[str, int] = {
    "typecheck": 0,
    "test": 1,
    "security": 2,
    "lint": 3,
    "format": 4,
}
FAILING: frozenset[str] = frozenset({"failed", "error", "timed_out"})
REVIEW_SEVERITY: dict[str, DiagnosticSeverity] = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "info",
    "info": "info",
}


def review_engine_available() -> bool:
    try:
        return importlib.util.find_spec("mcp_backend.review.engine") is not None
    except (ImportError, ValueError):
        return False


async def run_quality_loop(
    request: LoopRequest,
    on_progress: ProgressCallback | None = None,
    workers: WorkerPool | None = None,
) -> LoopReport:
    """Lint, format check, type check, security review and tests on `request.root`.

    `workers`: the caller's pool of warm workers (long-lived processes only), or None."""
    started = time.monotonic()
    root = request.root.resolve()
    if not root.is_dir():
        return _error_report(root, f"{root} is not a directory: pass a project folder.", started)
    project = await anyio.to_thread.run_sync(detect_project, root)
    notes: list[str] = list(project.notes)
    changed: list[str] | None = None
    if request.changed_only:
        changed, problem = await changed_files(root)
        if problem:
            notes.append(f"changed_only ignored: {problem}")
            changed = None
    with tempfile.TemporaryDirectory(prefix="mcp-backend-quality-") as report_dir:
        options = PlanOptions(
            stages=request.stages or list(STAGE_ORDER),
            fix=request.fix,
            changed_files=changed,
            tests=request.tests,
            tests_alongside=not request.fail_fast and usable_cores() >= TESTS_ALONGSIDE_CORES,
            report_dir=Path(report_dir),
            our_python=sys.executable,
            security_available=review_engine_available(),
        )
        stages = plan(project, options)
        results = await _execute(stages, request, project, on_progress, workers)
    return build_report(root, project, results, request, notes, time.monotonic() - started)


# ---------------------------------------------------------------- execution


async def _execute(
    stages: list[Stage],
    request: LoopRequest,
    project: Project,
    on_progress: ProgressCallback | None,
    workers: WorkerPool | None = None,
) -> list[StageResult]:
    results: dict[str, StageResult] = {}
    finished = {stage.id: anyio.Event() for stage in stages}
    running: dict[str, anyio.CancelScope] = {}
    first_failure: list[str] = []
    total = len(stages)

    progress_broken: list[bool] = []
    causes: dict[str, str] = {}  # reason → the first stage reported with it

    async def report_progress(message: str) -> None:
        if on_progress is None or progress_broken:
            return
        try:
            await on_progress(len(results), total, message)
        except Exception:  # a client that went away must not stop the checks
            logger.warning("progress callback failed; no more progress is sent", exc_info=True)
            progress_broken.append(True)

    async def run_one(stage: Stage) -> None:
        try:
            if stage.skip_reason is not None or stage.error is not None:
                result = base_result(stage)
                result.status = "skipped" if stage.skip_reason else "error"
                result.reason = stage.skip_reason or stage.error
            else:
                for dependency in stage.after:
                    await finished[dependency].wait()
                async with slots:
                    if first_failure:
                        result = base_result(stage)
                        result.reason = f"fail_fast: not run after {first_failure[0]} failed"
                    else:
                        await report_progress(f"{stage.id}: running {stage.tool}")
                        try:
                            result = await _run_cancellable(
                                stage, request, project, running, workers
                            )
                        except Exception as exc:  # a bug of ours: this stage errors, not the loop
                            logger.exception("stage %s failed unexpectedly", stage.id)
                            result = base_result(stage)
                            result.status = "error"
                            result.reason = f"internal error in mcp-backend: {exc!r} (logged)"
            results[stage.id] = result
            if request.fail_fast and result.status in FAILING and not first_failure:
                first_failure.append(stage.id)
                for other, scope in running.items():
                    if other != stage.id:
                        scope.cancel()
            await report_progress(_progress_line(result, causes))
        finally:
            finished[stage.id].set()

    # At most one stage per core, the long poles first: the tasks queue on the limiter in the
    # order they start.
    slots = anyio.CapacityLimiter(usable_cores())
    async with anyio.create_task_group() as group:
        for stage in sorted(stages, key=lambda s: SCHEDULE_PRIORITY.get(s.name, len(STAGE_ORDER))):
            group.start_soon(run_one, stage)
    return [results[stage.id] for stage in stages]


def usable_cores() -> int:
    """The cores this process may run on (its affinity, which containers narrow), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


async def _run_cancellable(
    stage: Stage,
    request: LoopRequest,
    project: Project,
    running: dict[str, anyio.CancelScope],
    workers: WorkerPool | None = None,
) -> StageResult:
    """Run a stage in a scope fail_fast can cancel (an outer cancellation still propagates)."""
    result: StageResult | None = None
    with anyio.CancelScope() as scope:
        running[stage.id] = scope
        try:
            if stage.in_process:
                result = await run_security_stage(stage, request, project)
            elif workers is not None and stage.worker is not None:
                result = await run_stage_warm(
                    workers, stage, request.timeout_s, request.output_cap_bytes, request.tail_chars
                )
            else:
                result = await run_stage(
                    stage, request.timeout_s, request.output_cap_bytes, request.tail_chars
                )
        finally:
            running.pop(stage.id, None)
    if result is None:  # cancelled by fail_fast
        result = base_result(stage)
        result.reason = "fail_fast: stopped when another stage failed"
    return result


def _progress_line(result: StageResult, causes: dict[str, str]) -> str:
    """`id: status in 1.2s (detail)`; a reason already given for another stage is not
    repeated (`causes` remembers which stage gave it first)."""
    detail = result.reason or ""
    if detail and result.status in ("error", "timed_out"):
        first = causes.setdefault(detail, result.id)
        if first != result.id:
            detail = f"same cause as {first}"
    if result.status in ("passed", "failed"):
        detail = counts_phrase(result.counts, result.name) or detail
    return f"{result.id}: {result.status} in {result.duration_s:.1f}s" + (
        f" ({detail})" if detail else ""
    )


# ---------------------------------------------------------------- git


async def changed_files(root: Path) -> tuple[list[str] | None, str | None]:
    """Root-relative files changed against HEAD plus untracked ones, or (None, problem)."""
    commands = (
        ["git", "diff", "--name-only", "--relative", "HEAD", "--"],
        ["git", "ls-files", "--others", "--exclude-standard"],
    )
    found: set[str] = set()
    for argv in commands:
        try:
            outcome = await run_process(
                argv, root, child_environment({}), GIT_TIMEOUT_S, GIT_OUTPUT_CAP
            )
        except OSError:
            return None, "git is not installed"
        if outcome.timed_out:
            return None, f"git took longer than {GIT_TIMEOUT_S:g}s"
        if outcome.exit_code != 0:
            message = outcome.stderr.text()
            if "not a git repository" in message:
                return None, f"{root} is not inside a git work tree"
            if argv[1] == "diff" and "HEAD" in message:
                continue  # no commit yet: ls-files lists every file as new
            return None, f"git failed: {message.strip()[:200]}"
        found.update(
            line.strip()
            for line in outcome.stdout.text().splitlines()
            if line.strip() and (root / line.strip()).exists()
        )
    return sorted(found), None


# ---------------------------------------------------------------- security


async def run_security_stage(stage: Stage, request: LoopRequest, project: Project) -> StageResult:
    """The review engine, in process (in a worker thread), its findings as diagnostics."""
    result = base_result(stage)
    try:
        from mcp_backend.review.engine import review
        from mcp_backend.review.model import ReviewRequest
    except ImportError as exc:
        result.reason = f"the review engine is not available: {exc}"
        return result
    limit = max(1, min(request.max_diagnostics, 500))
    # One worker: the loop already runs several tools at once.
    review_request = ReviewRequest(
        root=project.root, limit=limit, min_severity="low", jobs=1, baseline=request.baseline
    )
    cancel_requested = threading.Event()
    started = time.monotonic()
    report: Any = None
    try:
        with anyio.move_on_after(request.timeout_s) as deadline:
            try:
                if inspect.iscoroutinefunction(review):
                    report = await review(review_request)
                else:
                    # Abandoned on cancellation; the flag set below then stops the thread.
                    report = await anyio.to_thread.run_sync(
                        _call_review,
                        review,
                        review_request,
                        cancel_requested.is_set,
                        abandon_on_cancel=True,
                    )
            finally:
                cancel_requested.set()  # a cancelled or timed-out review stops its thread
    except Exception as exc:  # the review's own errors become a stage error, not a crash
        logger.warning("security review failed", exc_info=True)
        result.status, result.reason = "error", f"review failed: {exc}"
        result.duration_s = round(time.monotonic() - started, 3)
        return result
    result.duration_s = round(time.monotonic() - started, 3)
    if deadline.cancelled_caught or report is None:
        result.status = "timed_out"
        result.reason = f"time limit of {request.timeout_s:g}s reached"
        return result
    apply_review(result, report)
    return result


def _call_review(review: Any, request: Any, should_cancel: Callable[[], bool]) -> Any:
    try:
        return review(request, should_cancel=should_cancel)
    except TypeError:
        return review(request)


def apply_review(result: StageResult, report: Any) -> None:
    diagnostics = [
        Diagnostic(
            file=finding.file,
            line=finding.line,
            column=finding.column,
            code=finding.rule_id,
            severity=REVIEW_SEVERITY.get(finding.severity, "info"),
            message=(
                f"[{finding.severity}] {finding.message}"
                + (f" (CWE-{finding.cwe})" if finding.cwe else "")
            )[:400],
            fix_available=False,
        )
        for finding in report.findings
    ]
    by_severity: dict[str, int] = dict(report.summary.by_severity)
    errors = by_severity.get("critical", 0) + by_severity.get("high", 0)
    result.counts = StageCounts(
        errors=errors,
        warnings=by_severity.get("medium", 0),
        files=len({d.file for d in diagnostics}),
    )
    result.diagnostics = diagnostics
    result.diagnostics_total = int(report.findings_total)
    result.status = "failed" if errors else "passed"
    result.notes.append(str(report.summary.headline))


# ---------------------------------------------------------------- report


def _overall(results: list[StageResult]) -> LoopStatus:
    if any(r.status in ("failed", "timed_out") for r in results):
        return "failed"
    if any(r.status == "error" for r in results):
        return "error"
    if all(r.status == "skipped" for r in results):
        return "error"  # nothing was checked: that is not a pass
    return "passed"


def _headline(status: LoopStatus, results: list[StageResult], duration_s: float) -> str:
    problems = []
    for result in results:
        if result.status in ("passed", "skipped"):
            continue
        phrase = counts_phrase(result.counts, result.name) if result.status == "failed" else ""
        problems.append(f"{result.id} {result.status}" + (f" ({phrase})" if phrase else ""))
    ran = sum(r.status != "skipped" for r in results)
    if ran == 0:
        reasons = "; ".join(dict.fromkeys(f"{r.id}: {r.reason}" for r in results))
        reasons = reasons or "no stage applies to this folder"
        return f"error: nothing was checked, every stage was skipped ({reasons})"
    if status == "passed":
        return f"passed: {ran} stage{'s' if ran != 1 else ''} clean in {duration_s:.1f}s"
    return f"{status}: " + "; ".join(problems) + f" — {duration_s:.1f}s"


def _location(diagnostic: Diagnostic) -> str:
    if not diagnostic.file:
        return ""
    where = diagnostic.file
    if diagnostic.line:
        where += f":{diagnostic.line}"
    return where


def _first_error(result: StageResult, skip_fixable: bool = False) -> Diagnostic | None:
    """The first error; for lint the first one a person must fix (fixable ones go by fix=true)."""
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if skip_fixable:
        errors = [d for d in errors if not d.fix_available] or errors
    return errors[0] if errors else None


def fix_first(results: list[StageResult]) -> list[str]:
    """The few things to do first, most blocking first: broken tools, syntax, security, types,
    failing tests, then lint and formatting (with the automatic fix when there is one)."""
    items: list[str] = []
    # One item per cause: stages that fail for the same reason (a missing poetry, say) share it.
    stages_by_cause: dict[str, list[str]] = {}
    for result in results:
        if result.status in ("error", "timed_out"):
            stages_by_cause.setdefault(result.reason or result.status, []).append(result.id)
    for cause, ids in stages_by_cause.items():
        items.append(f"{', '.join(ids)}: {cause}")
    syntax = [
        (r, d)
        for r in results
        for d in r.diagnostics
        if d.code in ("invalid-syntax", "parse-error", "E999") or d.code.startswith("TS1")
    ]
    for _result, diagnostic in syntax[:2]:
        items.append(f"syntax error at {_location(diagnostic)}: {diagnostic.message}")
    for name in ("security", "typecheck", "test", "lint"):
        for result in results:
            if result.name != name or result.status != "failed":
                continue
            first = _first_error(result, skip_fixable=name == "lint")
            phrase = counts_phrase(result.counts, name)
            if first is None:
                items.append(f"{result.id}: {phrase or 'failed'} (see output_tail)")
                continue
            unfixable = result.counts.errors - result.counts.fixable
            if name == "lint" and unfixable <= 0:
                continue  # all auto-fixable: covered by the fix line below
            items.append(
                f"{result.id}: {phrase} — first: {_location(first)} "
                f"{first.code + ' ' if first.code else ''}{first.message}"
            )
    fixable = [
        r
        for r in results
        if r.status == "failed" and r.name in ("lint", "format") and r.counts.fixable
    ]
    if fixable:
        count = sum(r.counts.fixable for r in fixable)
        tools = sorted({r.tool for r in fixable})
        items.append(
            f"{count} lint/format issue{'s are' if count != 1 else ' is'} auto-fixable: "
            f"run again with fix=true, CLI --fix ({', '.join(tools)} will rewrite files)"
        )
    return [item[:300] for item in items[:FIX_FIRST_LIMIT]]


def _cap(results: list[StageResult], request: LoopRequest, notes: list[str]) -> None:
    for result in results:
        if len(result.diagnostics) > request.max_diagnostics:
            result.diagnostics = result.diagnostics[: request.max_diagnostics]
            notes.append(
                f"{result.id}: {len(result.diagnostics)} of {result.diagnostics_total} "
                "diagnostics shown (errors first); run the command for the rest"
            )


def build_report(
    root: Path,
    project: Project,
    results: list[StageResult],
    request: LoopRequest,
    notes: list[str],
    duration_s: float,
) -> LoopReport:
    _cap(results, request, notes)
    status = _overall(results)
    report = LoopReport(
        root=str(root),
        status=status,
        headline=_headline(status, results, duration_s),
        duration_s=round(duration_s, 3),
        stages=results,
        fix_first=fix_first(results),
        project=project,
        notes=notes,
    )
    _fit_budget(report)
    return report


def _fit_budget(report: LoopReport) -> None:
    """Halve the lists and tails until the JSON fits the budget; say so."""
    size = len(report.model_dump_json())
    rounds = 0
    while size > REPORT_CHAR_BUDGET and rounds < 8:
        rounds += 1
        for result in report.stages:
            result.diagnostics = result.diagnostics[: len(result.diagnostics) // 2]
            result.output_tail = result.output_tail[-max(200, len(result.output_tail) // 2) :]
        size = len(report.model_dump_json())
    if rounds:
        report.notes.append(
            f"report shortened to about {size} characters: fewer diagnostics and shorter "
            "output tails are shown; diagnostics_total keeps the real counts"
        )


def _error_report(root: Path, message: str, started: float) -> LoopReport:
    return LoopReport(
        root=str(root),
        status="error",
        headline=f"error: {message}",
        duration_s=round(time.monotonic() - started, 3),
        stages=[],
        fix_first=[message],
        project=Project(root=root),
        notes=[message],
    )
