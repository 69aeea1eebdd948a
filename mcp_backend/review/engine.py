"""The review's entry point: `review(ReviewRequest) -> ReviewReport`.

discover -> scan (cache, parallel) -> link routes -> project rules -> suppressions, config and
filters -> secrets masked -> checklist verdicts -> summary first, then one page of detail.
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mcp_backend.review.baseline import (
    Baseline,
    BaselineError,
    build_baseline,
    default_baseline,
    fingerprint,
    load_baseline,
    match_baseline,
    source_reader,
    write_baseline,
)
from mcp_backend.review.cache import ResultCache, cache_dir_for
from mcp_backend.review.checklist import ENGINE_RULE_IDS, build_checklist
from mcp_backend.review.config import ReviewConfig, load_config
from mcp_backend.review.discover import Discovery, discover, language_of
from mcp_backend.review.model import (
    CHECKLIST_ITEM_IDS,
    SEVERITY_ORDER,
    ChecklistVerdict,
    Finding,
    ProjectIndex,
    ReviewReport,
    ReviewRequest,
    ReviewSummary,
    Route,
    RuleMeta,
    Severity,
    Signal,
    SkippedFile,
)
from mcp_backend.review.route_context import drop_operator_diagnostics
from mcp_backend.review.rules import all_rules, python_detectors
from mcp_backend.review.rules.cors_wildcard._app import judge as judge_cors
from mcp_backend.review.scan import (
    CancelCheck,
    ProgressCallback,
    ReviewCancelled,
    link_project,
    project_detectors,
    run_project_rules,
    scan_files,
)
from mcp_backend.review.secrets_mask import mask_finding
from mcp_backend.review.suppress import apply_suppressions, check_suppressions
from mcp_backend.review.taint.link import split_flows, superseded

logger = logging.getLogger(__name__)

__all__ = ["ReviewCancelled", "ReviewError", "ReviewOutcome", "review", "run_review"]

MAX_SKIPPED_LISTED = 50
MAX_NOTES = 30
GIT_TIMEOUT_S = 20
_GIT_OUTPUT_CAP = 8 * 1024 * 1024
_CONFIDENCE_ORDER = {"high": 2, "medium": 1, "low": 0}


class ReviewError(ValueError):
    """A problem the user can fix (bad root, bad argument); the message says what to do."""


@dataclass
class ReviewOutcome:
    """Everything one review produced, before pagination (SARIF and the CLI need it all)."""

    root: str
    findings: list[Finding]
    routes: list[Route]
    checklist: list[ChecklistVerdict]
    summary: ReviewSummary
    skipped: list[SkippedFile]
    notes: list[str] = field(default_factory=list)
    index: ProjectIndex | None = None
    # The baseline applied (None: none was), and the findings it hid (SARIF lists them).
    baseline: str | None = None
    baselined: list[Finding] = field(default_factory=list)

    def page(self, offset: int = 0, limit: int | None = 50) -> ReviewReport:
        """One page of findings and routes; `limit=None` means everything."""
        end = None if limit is None else offset + limit
        findings = self.findings[offset:end]
        routes = self.routes[offset:end]
        more = end is not None and (end < len(self.findings) or end < len(self.routes))
        notes = list(self.notes)
        if more:
            notes.append(
                f"showing findings and routes {offset + 1}-{end} "
                f"({len(self.findings)} findings, {len(self.routes)} routes in all); "
                f"pass offset={end} for the next page"
            )
        skipped = self.skipped[:MAX_SKIPPED_LISTED]
        if len(self.skipped) > len(skipped):
            notes.append(f"{len(self.skipped)} files skipped; the first {len(skipped)} are listed")
        if len(notes) > MAX_NOTES:
            cut = len(notes) - MAX_NOTES + 1
            notes = [*notes[: MAX_NOTES - 1], f"... and {cut} more notes"]
        return ReviewReport(
            root=self.root,
            summary=self.summary,
            checklist=self.checklist,
            findings=findings,
            findings_total=len(self.findings),
            routes=routes,
            routes_total=len(self.routes),
            skipped=skipped,
            offset=offset,
            limit=limit if limit is not None else max(len(self.findings), len(self.routes), 1),
            next_offset=end if more else None,
            notes=notes,
        )


def review(
    request: ReviewRequest,
    on_progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> ReviewReport:
    """Review a project. Raises ReviewError for a problem the caller must fix and
    ReviewCancelled when should_cancel() returned True."""
    outcome = run_review(request, on_progress=on_progress, should_cancel=should_cancel)
    return outcome.page(request.offset, request.limit)


def changed_files(root: Path) -> list[Path]:
    """Files changed against HEAD plus untracked ones (git), relative to root.

    Raises ReviewError when root is not in a git work tree or git is missing.
    """
    commands = (
        ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
        ["git", "-C", str(root), "diff", "--name-only", "--relative", "HEAD", "--"],
        ["git", "-C", str(root), "ls-files", "--others", "--exclude-standard"],
    )
    found: list[Path] = []
    for argv in commands:
        try:
            completed = subprocess.run(
                argv, capture_output=True, timeout=GIT_TIMEOUT_S, check=False
            )
        except FileNotFoundError as exc:
            raise ReviewError("changed_only needs git, which is not installed") from exc
        except subprocess.TimeoutExpired as exc:
            raise ReviewError(
                f"git took longer than {GIT_TIMEOUT_S}s; run without changed_only"
            ) from exc
        if completed.returncode != 0:
            message = completed.stderr[:500].decode("utf-8", "replace").strip()
            if argv[3] == "rev-parse" or "not a git repository" in message.lower():
                raise ReviewError(f"changed_only: {root} is not inside a git work tree")
            if "HEAD" in message and argv[3] == "diff":
                # No commit yet: every file is new, and ls-files --others lists them.
                continue
            raise ReviewError(f"changed_only: git failed: {message}")
        if argv[3] == "rev-parse":
            continue
        output = completed.stdout[:_GIT_OUTPUT_CAP].decode("utf-8", "replace")
        found.extend(
            Path(line) for line in output.splitlines() if line.strip() and (root / line).exists()
        )
    return sorted(set(found))


def _effective_min_severity(request: ReviewRequest, config: ReviewConfig) -> Severity:
    if request.min_severity != "info":
        return request.min_severity
    return config.min_severity or "info"


def _sort_key(finding: Finding) -> tuple[int, int, str, int, int, str]:
    return (
        -SEVERITY_ORDER[finding.severity],
        -_CONFIDENCE_ORDER.get(finding.confidence, 0),
        finding.file,
        finding.line,
        finding.column,
        finding.rule_id,
    )


def _dedupe(findings: Sequence[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, int, int, str | None]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.rule_id, finding.file, finding.line, finding.column, finding.route)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def run_review(
    request: ReviewRequest,
    on_progress: ProgressCallback | None = None,
    should_cancel: CancelCheck | None = None,
) -> ReviewOutcome:
    started = time.monotonic()
    root = request.root
    if not root.exists():
        raise ReviewError(f"{root} does not exist; pass the project's directory")
    if not root.is_dir():
        raise ReviewError(f"{root} is not a directory; pass the project's directory")
    root_label = str(root)
    catalog = all_rules()
    notes: list[str] = []

    config = load_config(root, known_rule_ids=catalog.keys())
    notes.extend(config.notes)
    min_severity = _effective_min_severity(request, config)

    baseline_path, baseline = _baseline_for(request, root)

    paths = list(request.paths)
    for path in paths:
        named = path if path.is_absolute() else root / path
        if named.is_file() and language_of(named.name) is None:
            raise ReviewError(
                f"{named} is not a Python or JavaScript/TypeScript source file: review the "
                "project's directory, or one source file (.py, .js, .jsx, .mjs, .cjs, .ts, "
                ".tsx, .mts, .cts)"
            )
    if request.changed_only:
        changed = changed_files(root)
        notes.append(f"changed_only: {len(changed)} changed or untracked files considered")
        if paths:
            wanted = [p for p in changed if any(_under(p, scope) for scope in paths)]
            paths = wanted
        else:
            paths = changed

    cache: ResultCache | None = None
    if request.use_cache:
        cache = ResultCache(cache_dir_for(root, request.cache_dir))
    if on_progress is not None:
        on_progress(0, 0, "discovering files")
    if request.changed_only and not paths:
        found = Discovery()  # nothing changed: nothing to review
    else:
        found = discover(
            root,
            paths,
            exclude=config.exclude,
            max_file_kb=config.max_file_kb,
            unchanged=cache.unchanged if cache is not None else None,
        )
    notes.extend(found.notes)
    scan = scan_files(
        found.files,
        cache=cache,
        jobs=request.jobs,
        on_progress=on_progress,
        should_cancel=should_cancel,
    )
    notes.extend(scan.notes)
    if cache is not None:
        keep = None if (paths or request.changed_only) else {f.rel for f in found.files}
        cache.save(keep=keep)
        notes.extend(cache.notes)

    if should_cancel is not None and should_cancel():
        raise ReviewCancelled
    if on_progress is not None:
        total = len(found.files)
        on_progress(total, total, "linking routes and running project rules")
    index, link_notes = link_project(scan.results, root_label)
    notes.extend(link_notes)
    project_findings, rule_notes = run_project_rules(index)
    notes.extend(rule_notes)

    analysed = [r for r in scan.results if r.skipped is None]
    skipped = [*found.skipped]
    skipped.extend(
        SkippedFile(file=r.file, reason=r.skipped) for r in scan.results if r.skipped is not None
    )
    skipped.sort(key=lambda s: s.file)

    # Suppressions first (they apply to every rule), then config and request filters.
    # The taint engine's flows replace the file rules' findings at the same call (see
    # taint.link.superseded).
    flows, others = split_flows(project_findings, index.facts)
    file_findings = [f for r in analysed for f in r.findings]
    raw_findings = superseded(file_findings, flows, index.facts) + others
    raw_findings = drop_operator_diagnostics(raw_findings, index)
    raw_findings = judge_cors(raw_findings, index, analysed)
    kept, suppressed = apply_suppressions(raw_findings, scan.suppressions)
    kept.extend(check_suppressions(scan.suppressions, catalog.keys()))
    disabled = set(config.disable)
    threshold = SEVERITY_ORDER[min_severity]
    selected = [
        f
        for f in _dedupe(kept)
        if f.rule_id not in disabled
        and SEVERITY_ORDER[f.severity] >= threshold
        and (request.items is None or f.checklist_item in request.items)
    ]
    # Fingerprints read the unmasked source, so a changed secret is a new finding.
    baselined: list[Finding] = []
    baseline_unmatched = 0
    if baseline is not None or request.write_baseline is not None:
        read_lines = source_reader(root)
        fingerprints = [fingerprint(f, read_lines) for f in selected]
        if request.write_baseline is not None:
            recorded = build_baseline([mask_finding(f) for f in selected], fingerprints)
            try:
                write_baseline(request.write_baseline, recorded)
            except BaselineError as error:
                raise ReviewError(str(error)) from None
            notes.append(
                f"baseline written: {_plural(len(selected), 'finding')} recorded in "
                f"{request.write_baseline}"
            )
        if baseline is not None:
            matched = match_baseline(selected, fingerprints, baseline)
            selected, baselined = matched.new, [mask_finding(f) for f in matched.hidden]
            baselined.sort(key=_sort_key)
            baseline_unmatched = matched.unmatched
            if baselined:
                notes.append(
                    "verdicts and counts consider only findings the baseline does not record; "
                    "review without the baseline to see every finding"
                )
            if matched.unmatched and not (paths or request.changed_only):
                notes.append(
                    f"{_plural(matched.unmatched, 'baseline entry', 'baseline entries')} "
                    "matched no current finding (fixed, or their code changed); record the "
                    "baseline again to drop them"
                )
    findings = [mask_finding(f) for f in selected]
    findings.sort(key=_sort_key)
    if disabled:
        notes.append(f"rules disabled by configuration: {', '.join(sorted(disabled))}")
    if min_severity != "info":
        notes.append(f"findings below {min_severity} are not shown")

    signals: list[Signal] = [s for r in analysed for s in r.signals]
    languages = Counter(r.language for r in analysed)
    checklist = build_checklist(
        findings,
        index,
        signals,
        files_scanned=len(analysed),
        languages=set(languages),
        items=request.items,
        covered_items=covered_checklist_items(set(languages), catalog),
    )
    routes = sorted(index.routes, key=lambda r: (r.file, r.line, r.path, r.method))

    by_severity = Counter(f.severity for f in findings)
    summary = ReviewSummary(
        headline="",
        files_scanned=len(analysed),
        files_skipped=len(skipped),
        lines_scanned=sum(r.lines for r in analysed),
        languages=dict(sorted(languages.items())),
        frameworks=sorted(index.frameworks),
        routes=len(routes),
        findings=len(findings),
        by_severity={
            s: by_severity[s] for s in sorted(by_severity, key=lambda s: -SEVERITY_ORDER[s])
        },
        failing_items=[v.item for v in checklist if v.verdict == "fail"],
        warning_items=[v.item for v in checklist if v.verdict == "warning"],
        suppressed=suppressed,
        baseline=_display_path(baseline_path, root) if baseline_path is not None else None,
        baseline_hidden=len(baselined),
        baseline_unmatched=baseline_unmatched,
        cache_hits=scan.cache_hits,
        duration_s=round(time.monotonic() - started, 3),
    )
    summary.headline = _headline(summary, [f for f in findings if f.rule_id not in ENGINE_RULE_IDS])
    if request.items is not None:
        unknown_items = [i for i in request.items if i not in CHECKLIST_ITEM_IDS]
        if unknown_items:
            notes.append(f"unknown checklist items ignored: {', '.join(unknown_items)}")
    return ReviewOutcome(
        root=root_label,
        findings=findings,
        routes=routes,
        checklist=checklist,
        summary=summary,
        skipped=skipped,
        notes=notes,
        index=index,
        baseline=summary.baseline,
        baselined=baselined,
    )


def _baseline_for(request: ReviewRequest, root: Path) -> tuple[Path | None, Baseline | None]:
    """The baseline to apply: the one named, else the project's default file when present.
    Read before scanning, so a bad file is reported at once (never as 'no findings')."""
    if request.write_baseline is not None:
        if request.baseline is not None:
            raise ReviewError(
                "write a baseline or apply one, not both: drop the baseline to record a new one"
            )
        if request.paths or request.changed_only:
            raise ReviewError(
                "a baseline records the whole project: write it without paths or changed_only"
            )
        return None, None
    if not request.use_baseline:
        return None, None
    try:
        path = request.baseline if request.baseline is not None else default_baseline(root)
        if path is None:
            return None, None
        return path, load_baseline(path)
    except BaselineError as error:
        raise ReviewError(str(error)) from None


def _display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def covered_checklist_items(languages: set[str], catalog: Mapping[str, RuleMeta]) -> set[str]:
    """Checklist items some active rule examines for these languages: the Python detectors
    and project rules actually installed, and the catalog's word for JavaScript/TypeScript."""
    covered: set[str] = {d.rule.checklist_item for d in project_detectors()}
    if "python" in languages:
        covered.update(d.rule.checklist_item for d in python_detectors())
    if languages & {"javascript", "typescript"}:
        covered.update(m.checklist_item for m in catalog.values() if "javascript" in m.languages)
    return covered


def _under(path: Path, scope: Path) -> bool:
    return path == scope or scope in path.parents or str(scope) in ("", ".")


def _headline(summary: ReviewSummary, findings: Sequence[Finding]) -> str:
    scope = (
        f"{_plural(summary.files_scanned, 'file')}, {_plural(summary.lines_scanned, 'line')}, "
        f"{_plural(summary.routes, 'route')}"
    )
    if summary.files_scanned == 0:
        return (
            "Nothing to review: no Python or JavaScript/TypeScript source files found "
            f"({summary.files_skipped} skipped)."
        )
    new = "new " if summary.baseline is not None else ""
    hidden = (
        f"; {summary.baseline_hidden} hidden by the baseline {summary.baseline}"
        if summary.baseline is not None
        else ""
    )
    if not findings:
        return f"No {new}findings in {scope}{hidden}."
    counts = ", ".join(f"{n} {s}" for s, n in summary.by_severity.items())
    failing = f"; failing: {', '.join(summary.failing_items)}" if summary.failing_items else ""
    noun = f"{new}finding"
    return f"{_plural(len(findings), noun)} ({counts}) in {scope}{failing}{hidden}."


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"
