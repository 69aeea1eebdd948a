"""Analyse every discovered file (in parallel for large trees, from cache when unchanged), then
link the per-file facts into one project index and run the route-level rules on it."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol, cast

from mcp_backend.review import rules
from mcp_backend.review.cache import CacheEntry, ResultCache, content_hash
from mcp_backend.review.discover import SourceFile, published_package
from mcp_backend.review.model import FileResult, Finding, Language, ProjectIndex, RuleMeta
from mcp_backend.review.python.analyzer import analyze_python_file
from mcp_backend.review.rules import python_detectors
from mcp_backend.review.suppress import Suppression, find_suppressions

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]

# Below these sizes starting worker processes costs more than it saves (see
# benchmarks/review_speed.py, which prints the in-process and pooled times for a tree).
PARALLEL_MIN_FILES = 48
PARALLEL_MIN_BYTES = 512 * 1024
_PROGRESS_INTERVAL_S = 0.2


class ReviewCancelled(Exception):
    """The caller's should_cancel() said stop; partial results are discarded."""


class ProjectDetector(Protocol):
    rule: RuleMeta

    def check(self, index: ProjectIndex) -> Iterator[Finding]: ...


@dataclass
class ScanResult:
    results: list[FileResult] = field(default_factory=list)
    suppressions: dict[str, list[Suppression]] = field(default_factory=dict)
    cache_hits: int = 0
    analysed: int = 0
    workers: int = 1
    notes: list[str] = field(default_factory=list)


# (absolute path, rel, language, is_test)
_Task = tuple[str, str, str, bool]
# (rel, sha256, result, suppressions)
_Outcome = tuple[str, str, FileResult, list[Suppression]]


def analyze_source(rel: str, data: bytes, language: Language, is_test: bool) -> FileResult:
    """One file's analysis, whatever its language. Never raises."""
    if language == "python":
        return analyze_python_file(rel, data, is_test=is_test)
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return FileResult(
            file=rel, language=language, is_test=is_test, skipped=f"not valid UTF-8 ({exc})"
        )
    try:
        from mcp_backend.review.javascript import analyze_file

        result = analyze_file(rel, source, language)
    except RecursionError:
        return FileResult(
            file=rel, language=language, is_test=is_test, skipped="nesting too deep to analyse"
        )
    except Exception as exc:
        logger.exception("JavaScript analysis failed on %s", rel)
        return FileResult(
            file=rel,
            language=language,
            is_test=is_test,
            skipped=f"analyzer failed: {type(exc).__name__}",
            notes=[f"JavaScript analysis failed on {rel}: {type(exc).__name__}: {exc}"],
        )
    updates: dict[str, object] = {"is_test": is_test}
    if not result.lines:
        updates["lines"] = source.count("\n") + (0 if source.endswith("\n") or not source else 1)
    return result.model_copy(update=updates)


def _analyze_task(task: _Task) -> _Outcome:
    path, rel, language, is_test = task
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        lang = cast(Language, language)
        skipped = FileResult(
            file=rel, language=lang, is_test=is_test, skipped=f"unreadable: {exc.strerror}"
        )
        return rel, "", skipped, []
    result = analyze_source(rel, data, cast(Language, language), is_test)
    suppressions: list[Suppression] = []
    if b"mcp-backend-ignore" in data:
        suppressions = find_suppressions(data.decode("utf-8", errors="replace"), language)
    return rel, content_hash(data), result, suppressions


def _analyze_batch(tasks: list[_Task]) -> list[_Outcome]:
    return [_analyze_task(task) for task in tasks]


def _warm_worker() -> None:
    # Import detectors once per worker rather than on its first file.
    python_detectors()


def _pool_context() -> multiprocessing.context.BaseContext:
    # forkserver: workers fork from a clean single-threaded server (fork from a threaded MCP
    # server can deadlock) and the server stays up, so a second review starts them quickly.
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["mcp_backend.review.scan"])
        return context
    return multiprocessing.get_context("spawn")


def default_workers(task_count: int, total_bytes: int) -> int:
    if task_count < PARALLEL_MIN_FILES or total_bytes < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, 8, task_count // 16))


class _Progress:
    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = total
        self.done = 0
        self.callback = callback
        self._last = 0.0

    def advance(self, count: int, message: str) -> None:
        self.done += count
        if self.callback is None:
            return
        now = time.monotonic()
        if self.done >= self.total or now - self._last >= _PROGRESS_INTERVAL_S:
            self._last = now
            self.callback(self.done, self.total, message)


def _with_identity(entry: CacheEntry, source_file: SourceFile) -> CacheEntry:
    """The entry with the size, mtime and inode the file had when discovery saw it (before
    it was read), so a change made after that is never hidden behind them."""
    if not source_file.mtime_ns:
        return entry
    return entry.model_copy(
        update={
            "size": source_file.size,
            "mtime_ns": source_file.mtime_ns,
            "inode": source_file.inode,
        }
    )


def scan_files(
    files: Sequence[SourceFile],
    *,
    cache: ResultCache | None = None,
    jobs: int | None = None,
    on_progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> ScanResult:
    """Analyse files (cache first). Results come back in the order of `files`."""
    scan = ScanResult()
    outcomes: dict[str, tuple[FileResult, list[Suppression]]] = {}
    progress = _Progress(len(files), on_progress)
    cancelled = should_cancel or (lambda: False)

    pending: list[SourceFile] = []
    if cache is not None:
        cache.load()
    use_cache = cache is not None and len(cache) > 0
    for source_file in files:
        if use_cache and cache is not None:
            if cancelled():
                raise ReviewCancelled
            entry = cache.get_unchanged(
                source_file.rel,
                source_file.size,
                source_file.mtime_ns,
                source_file.inode,
                source_file.is_test,
            )
            if entry is None:
                try:
                    data = source_file.path.read_bytes()
                except OSError:
                    pending.append(source_file)
                    continue
                entry = cache.get(source_file.rel, content_hash(data), source_file.is_test)
                if entry is not None and source_file.mtime_ns:
                    # Same content, new mtime (a checkout, a touch): remember the new identity.
                    cache.put(source_file.rel, _with_identity(entry, source_file))
            if entry is not None:
                outcomes[source_file.rel] = (entry.result, entry.suppressions)
                progress.advance(1, f"{source_file.rel} (cached)")
                continue
        pending.append(source_file)
    scan.cache_hits = len(outcomes)

    python_detectors()  # load once here: a broken rule fails now, forked workers inherit
    tasks: list[_Task] = [(str(f.path), f.rel, f.language, f.is_test) for f in pending]
    total_bytes = sum(f.size for f in pending)
    workers = jobs if jobs is not None else default_workers(len(tasks), total_bytes)
    workers = max(1, min(workers, len(tasks) or 1))
    scan.workers = workers

    fresh: list[_Outcome] = []
    if workers > 1:
        try:
            fresh = _run_pool(tasks, workers, progress, cancelled)
        except (OSError, BrokenProcessPool) as exc:
            logger.warning("worker processes unavailable (%s); analysing in-process", exc)
            scan.notes.append(f"parallel analysis unavailable ({exc}); ran in one process")
            scan.workers = 1
            fresh = []
            workers = 1
    if workers == 1:
        for task in tasks:
            if cancelled():
                raise ReviewCancelled
            fresh.append(_analyze_task(task))
            progress.advance(1, task[1])

    by_rel = {f.rel: f for f in pending}
    for rel, sha, result, suppressions in fresh:
        outcomes[rel] = (result, suppressions)
        if cache is not None and sha:
            entry = CacheEntry(
                sha256=sha, is_test=result.is_test, result=result, suppressions=suppressions
            )
            cache.put(rel, _with_identity(entry, by_rel[rel]))
    scan.analysed = len(fresh)

    for source_file in files:
        outcome = outcomes.get(source_file.rel)
        if outcome is None:
            continue
        result, suppressions = outcome
        scan.results.append(result)
        scan.notes.extend(result.notes)
        if suppressions:
            scan.suppressions[source_file.rel] = suppressions
    return scan


def _run_pool(
    tasks: list[_Task], workers: int, progress: _Progress, cancelled: CancelCheck
) -> list[_Outcome]:
    # Largest files first so one big file does not finish last; small batches keep
    # progress and cancellation responsive.
    ordered = sorted(tasks, key=lambda t: -_size_of(t[0]))
    batch_size = max(1, min(32, len(ordered) // (workers * 6) or 1))
    batches = [ordered[i : i + batch_size] for i in range(0, len(ordered), batch_size)]
    results: list[_Outcome] = []
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=_pool_context(), initializer=_warm_worker
    )
    try:
        futures: set[Future[list[_Outcome]]] = {
            executor.submit(_analyze_batch, batch) for batch in batches
        }
        while futures:
            done, futures = wait(futures, timeout=0.5, return_when=FIRST_COMPLETED)
            if cancelled():
                raise ReviewCancelled
            for future in done:
                batch_result = future.result()
                results.extend(batch_result)
                progress.advance(len(batch_result), batch_result[-1][0] if batch_result else "")
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return results


def _size_of(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


# --------------------------------------------------------------------------- project level


@cache
def project_detectors() -> tuple[ProjectDetector, ...]:
    """The rules' project detectors, then the taint engine's reporter, which turns the flows
    found while linking into findings of several rules (taint/findings.py)."""
    from mcp_backend.review.taint.findings import DETECTOR as TAINT_FLOWS

    return (*rules.project_detectors(), TAINT_FLOWS)


def merge_indexes(root: str, indexes: Sequence[ProjectIndex]) -> ProjectIndex:
    """One index for a mixed repository: lists joined without duplicates, facts merged per key
    (a Python app's error handlers and a TypeScript service's both count)."""
    merged = ProjectIndex(root=root)
    for index in indexes:
        merged.routes.extend(index.routes)
        merged.signals.extend(index.signals)
        for mine, theirs in (
            (merged.frameworks, index.frameworks),
            (merged.test_files, index.test_files),
            (merged.source_files, index.source_files),
            (merged.unread_wiring, index.unread_wiring),
        ):
            seen = set(mine)
            mine.extend(item for item in theirs if item not in seen)
        for key, value in index.facts.items():
            merged.facts[key] = _merge_fact(merged.facts.get(key), value)
    return merged


def _merge_fact(current: Any, new: Any) -> Any:
    if isinstance(current, list) and isinstance(new, list):
        return [*current, *new]
    if isinstance(current, dict) and isinstance(new, dict):
        return {**current, **new}
    if isinstance(current, bool) and isinstance(new, bool):
        return current or new
    return new if current is None else current if new is None else new


def link_project(results: Sequence[FileResult], root: str) -> tuple[ProjectIndex, list[str]]:
    """Python and JS/TS linkers -> one index. A linker that fails is noted, not fatal."""
    notes: list[str] = []
    analysed = [r for r in results if r.skipped is None]
    indexes: list[ProjectIndex] = []
    # Unparsed Python files go to the linker too: what depends on them is `unknown`.
    python_results = [r for r in results if r.language == "python"]
    if python_results:
        try:
            from mcp_backend.review.python.linker import link_python

            indexes.append(link_python(python_results, root))
        except Exception as exc:
            logger.exception("Python route linking failed")
            notes.append(f"Python route inventory failed ({type(exc).__name__}: {exc})")
        try:
            from mcp_backend.review.taint.link import TaintLinker, seen_sinks

            linker = TaintLinker(python_results)
            flows = list(linker.flows())
            if indexes:
                routes = indexes[-1].routes
                privileged = {
                    (route.file, route.handler.rsplit(".", 1)[-1])
                    for route in routes
                    if route.authz.status == "present"
                }
                routed = {(route.file, route.handler.rsplit(".", 1)[-1]) for route in routes}
                indexes[-1].facts["taint_flows"] = [
                    {
                        **asdict(flow),
                        "privileged": (flow.handler_file, flow.handler) in privileged,
                        # a `request`-first function no URL pattern of the inventory routes to
                        "unrouted": bool(flow.view_by_shape)
                        and (flow.handler_file, flow.view_by_shape) not in routed,
                    }
                    for flow in flows
                ]
                indexes[-1].facts["taint_seen"] = seen_sinks(python_results)
                indexes[-1].facts["taint_uncalled"] = linker.uncalled_sinks()
        except Exception as exc:
            logger.exception("Python taint linking failed")
            notes.append(f"Python taint analysis failed ({type(exc).__name__}: {exc})")
    js_results = [r for r in analysed if r.language in ("javascript", "typescript")]
    if js_results:
        try:
            from mcp_backend.review.javascript import link_javascript

            js_index = link_javascript(js_results, root)
            indexes.append(js_index)
        except Exception as exc:
            js_index = None
            logger.exception("JavaScript route linking failed")
            notes.append(f"JavaScript route inventory failed ({type(exc).__name__}: {exc})")
        try:
            from mcp_backend.review.taint.link import JsTaintLinker, seen_sinks

            js_linker = JsTaintLinker(js_results)
            js_flows = list(js_linker.flows())
            if js_index is not None:
                privileged = {
                    (route.file, name)
                    for route in js_index.routes
                    if route.authz.status == "present"
                    for name in (route.handler, route.handler.rsplit(".", 1)[-1])
                }
                js_index.facts["taint_flows"] = [
                    *js_index.facts.get("taint_flows", []),
                    *(
                        {
                            **asdict(flow),
                            "privileged": (flow.handler_file, flow.handler) in privileged,
                        }
                        for flow in js_flows
                    ),
                ]
                js_index.facts["taint_seen"] = [
                    *js_index.facts.get("taint_seen", []),
                    *seen_sinks(js_results),
                ]
                js_index.facts["taint_uncalled"] = [
                    *js_index.facts.get("taint_uncalled", []),
                    *js_linker.uncalled_sinks(),
                ]
        except Exception as exc:
            logger.exception("JavaScript taint linking failed")
            notes.append(f"JavaScript taint analysis failed ({type(exc).__name__}: {exc})")
    index = merge_indexes(root, indexes)
    # The linkers may leave these to us; rules such as critical-route-untested need them.
    if not index.test_files:
        index.test_files = [r.file for r in analysed if r.is_test]
    if not index.source_files:
        index.source_files = [r.file for r in analysed if not r.is_test]
    index.facts["published_package"] = published_package(Path(root))
    return index, notes


def run_project_rules(
    index: ProjectIndex, detectors: Sequence[ProjectDetector] | None = None
) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    notes: list[str] = []
    for detector in project_detectors() if detectors is None else detectors:
        rule_id = getattr(getattr(detector, "rule", None), "id", type(detector).__name__)
        try:
            findings.extend(detector.check(index))
        except Exception as exc:
            logger.exception("project rule %s failed", rule_id)
            notes.append(f"rule {rule_id} failed: {type(exc).__name__}: {exc}")
    return findings, notes
