"""A ReviewReport as Markdown, terminal text or JSON; and the `mcp-backend review` command body.

Every format starts with the one-line summary, then the checklist, then the detail. Secrets are
masked before a report exists (engine), so nothing here has to think about them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO, get_args

from mcp_backend.review.docs import rule_uri
from mcp_backend.review.model import (
    SEVERITY_ORDER,
    ChecklistItemId,
    Finding,
    Protection,
    ReviewReport,
    ReviewRequest,
    Route,
    Severity,
)

logger = logging.getLogger(__name__)

FORMATS = ("text", "markdown", "json", "sarif")
FAIL_ON_CHOICES = (*get_args(Severity), "none")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

_VERDICT_MARK = {
    "pass": "PASS",
    "fail": "FAIL",
    "warning": "WARN",
    "not_applicable": "N/A",
    "unknown": "?",
}
_FENCE_LANG = {".py": "python", ".ts": "typescript", ".tsx": "tsx", ".js": "javascript"}


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _fence(code: str, file: str) -> str:
    longest = 0
    run = 0
    for char in code:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    language = _FENCE_LANG.get(Path(file).suffix, "")
    return f"{fence}{language}\n{code}\n{fence}"


def _protection(p: Protection) -> str:
    if p.status == "present":
        return "yes: " + (p.evidence[0].detail if p.evidence else "seen")
    return "unknown" if p.status == "unknown" else "no"


def _range_label(report: ReviewReport, shown: int, total: int) -> str:
    if total == 0:
        return "none"
    if shown == total:
        return f"{total}"
    if shown == 0:
        return f"none on this page of {total}"
    return f"{report.offset + 1}-{report.offset + shown} of {total}"


# --------------------------------------------------------------------------- Markdown


def render_markdown(report: ReviewReport) -> str:
    s = report.summary
    out: list[str] = [f"# Backend review: `{report.root}`", "", f"**{s.headline}**", ""]
    facts = [
        f"{s.files_scanned} files ({s.lines_scanned} lines) scanned",
        f"{s.files_skipped} skipped",
        f"{s.routes} routes",
    ]
    if s.frameworks:
        facts.append("frameworks: " + ", ".join(s.frameworks))
    if s.suppressed:
        facts.append(f"{s.suppressed} findings suppressed inline")
    if s.baseline is not None:
        facts.append(f"{s.baseline_hidden} findings hidden by the baseline `{s.baseline}`")
    if s.cache_hits:
        facts.append(f"{s.cache_hits} files from cache")
    facts.append(f"{s.duration_s:.2f}s")
    out.extend(["- " + "; ".join(facts)])
    if s.by_severity:
        out.append("- findings: " + ", ".join(f"{n} {sev}" for sev, n in s.by_severity.items()))
    if s.failing_items:
        out.append("- failing: " + ", ".join(s.failing_items))
    if s.warning_items:
        out.append("- warnings: " + ", ".join(s.warning_items))

    out.extend(["", "## Checklist", "", "| Item | Verdict | Why |", "|---|---|---|"])
    for verdict in report.checklist:
        mark = _VERDICT_MARK[verdict.verdict]
        out.append(f"| {_cell(verdict.title)} | {mark} | {_cell(verdict.reason)} |")

    label = _range_label(report, len(report.findings), report.findings_total)
    out.extend(["", f"## Findings ({label})", ""])
    if not report.findings:
        out.append("No findings." if report.findings_total == 0 else "No findings on this page.")
    for number, finding in enumerate(report.findings, start=report.offset + 1):
        out.extend(_markdown_finding(number, finding))

    label = _range_label(report, len(report.routes), report.routes_total)
    out.extend(["", f"## Routes ({label})", ""])
    if report.routes:
        out.extend(
            [
                "| Method | Path | Handler | Auth | Authorization | Validation | Rate limit "
                "| Where |",
                "|---|---|---|---|---|---|---|---|",
            ]
        )
        for route in report.routes:
            path = route.path + (
                f" (public: {route.public_by_design})" if route.public_by_design else ""
            )
            out.append(
                f"| {route.method} | `{_cell(path)}` | `{_cell(route.handler)}` | "
                f"{_cell(_protection(route.auth))} | {_cell(_protection(route.authz))} | "
                f"{_cell(_protection(route.validation))} | "
                f"{_cell(_protection(route.rate_limit))} | "
                f"{route.file}:{route.line} |"
            )
    else:
        out.append("No routes found." if report.routes_total == 0 else "No routes on this page.")

    if report.skipped:
        out.extend(["", f"## Skipped files ({s.files_skipped})", ""])
        out.extend(f"- `{item.file}`: {item.reason}" for item in report.skipped)
    if report.notes:
        out.extend(["", "## Notes", ""])
        out.extend(f"- {note}" for note in report.notes)
    if report.next_offset is not None:
        out.extend(["", f"_More results: pass offset={report.next_offset}._"])
    return "\n".join(out) + "\n"


def _markdown_finding(number: int, finding: Finding) -> list[str]:
    meta = [
        f"`{finding.file}:{finding.line}:{finding.column}`",
        f"rule [`{finding.rule_id}`]({rule_uri(finding.rule_id)})",
    ]
    if finding.cwe is not None:
        meta.append(f"CWE-{finding.cwe}")
    meta.append(f"confidence {finding.confidence}")
    if finding.route:
        meta.append(f"route `{finding.route}`")
    lines = [
        f"### {number}. {finding.severity.upper()}: {finding.message}",
        "",
        " · ".join(meta),
        "",
    ]
    if finding.snippet:
        lines.extend([_fence(finding.snippet, finding.file), ""])
    if finding.fix:
        lines.extend([f"**Fix:** {finding.fix}", ""])
    return lines


# --------------------------------------------------------------------------- terminal text


def render_text(report: ReviewReport) -> str:
    s = report.summary
    out: list[str] = [f"mcp-backend review: {report.root}", s.headline]
    extra = [f"{s.files_skipped} skipped"]
    if s.suppressed:
        extra.append(f"{s.suppressed} suppressed")
    if s.baseline is not None:
        extra.append(f"{s.baseline_hidden} in baseline {s.baseline}")
    if s.cache_hits:
        extra.append(f"{s.cache_hits} cached")
    extra.append(f"{s.duration_s:.2f}s")
    out.append("(" + ", ".join(extra) + ")")

    out.extend(["", "Checklist"])
    width = max((len(v.title) for v in report.checklist), default=10)
    for verdict in report.checklist:
        mark = _VERDICT_MARK[verdict.verdict]
        out.append(f"  {mark:<4}  {verdict.title:<{width}}  {verdict.reason}")

    label = _range_label(report, len(report.findings), report.findings_total)
    out.extend(["", f"Findings ({label})"])
    for finding in report.findings:
        where = f"{finding.file}:{finding.line}:{finding.column}"
        out.append(
            f"  {finding.severity.upper():<8} {where}  [{finding.rule_id}] {finding.message}"
        )
        for snippet_line in finding.snippet.splitlines()[:3]:
            out.append(f"           | {snippet_line}")
        if finding.fix:
            out.append(f"           fix: {finding.fix}")
    if not report.findings:
        out.append("  none")

    label = _range_label(report, len(report.routes), report.routes_total)
    out.extend(["", f"Routes ({label})"])
    for route in report.routes:
        out.append(_text_route(route))
    if not report.routes:
        out.append("  none")

    if report.skipped:
        out.extend(["", f"Skipped ({s.files_skipped})"])
        out.extend(f"  {item.file}: {item.reason}" for item in report.skipped)
    if report.notes:
        out.extend(["", "Notes"])
        out.extend(f"  - {note}" for note in report.notes)
    return "\n".join(out) + "\n"


def _text_route(route: Route) -> str:
    flags = " ".join(
        f"{name}={_short_status(p)}"
        for name, p in (
            ("auth", route.auth),
            ("authz", route.authz),
            ("validation", route.validation),
            ("rate-limit", route.rate_limit),
        )
    )
    public = f" public:{route.public_by_design}" if route.public_by_design else ""
    where = f"{route.file}:{route.line}"
    return f"  {route.method:<7} {route.path}  {route.handler}  {where}  {flags}{public}"


def _short_status(protection: Protection) -> str:
    return {"present": "yes", "absent": "no", "unknown": "?"}[protection.status]


# --------------------------------------------------------------------------- JSON


def render_json(report: ReviewReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


# --------------------------------------------------------------------------- CLI body


def _stderr_progress(stream: TextIO) -> Callable[[int, int, str], None]:
    def on_progress(done: int, total: int, message: str) -> None:
        if total:
            stream.write(f"\r\x1b[2K[{done}/{total}] {message[-60:]}")
            if done >= total:
                stream.write("\n")
        else:
            stream.write(f"\r\x1b[2K{message}")
        stream.flush()

    return on_progress


def run_review_cli(
    root: str | Path,
    fmt: str = "text",
    output: str | Path | None = None,
    fail_on: str = "high",
    *,
    items: Sequence[str] | None = None,
    min_severity: str = "info",
    changed_only: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
    baseline: str | Path | None = None,
    use_baseline: bool = True,
    write_baseline: str | Path | None = None,
    show_progress: bool | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """`mcp-backend review`: 0 clean, 1 findings at/above fail_on, 2 usage or runtime error.

    With `write_baseline` the findings are recorded there and the exit code is 0 (adopting a
    baseline is not a failure); with a baseline only the findings it does not record count."""
    from pydantic import ValidationError

    from mcp_backend.review.engine import ReviewCancelled, ReviewError, run_review
    from mcp_backend.review.sarif import to_sarif

    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if fmt not in FORMATS:
        err.write(f"error: unknown format {fmt!r}; use one of {', '.join(FORMATS)}\n")
        return EXIT_ERROR
    if fail_on not in FAIL_ON_CHOICES:
        err.write(f"error: --fail-on must be one of {', '.join(FAIL_ON_CHOICES)}\n")
        return EXIT_ERROR
    root_path = Path(root).expanduser()
    if not root_path.is_dir():
        err.write(f"error: {root} is not a directory; pass the project's directory\n")
        return EXIT_ERROR
    try:
        request = ReviewRequest(
            root=root_path.resolve(),
            items=list(items) if items else None,
            min_severity=min_severity,
            changed_only=changed_only,
            use_cache=use_cache,
            jobs=jobs,
            baseline=Path(baseline).expanduser().absolute() if baseline is not None else None,
            use_baseline=use_baseline,
            write_baseline=(
                Path(write_baseline).expanduser().absolute() if write_baseline is not None else None
            ),
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        err.write(f"error: {problems}\n")
        return EXIT_ERROR

    progress = err.isatty() if show_progress is None else show_progress
    try:
        outcome = run_review(
            request,
            on_progress=_stderr_progress(err) if progress else None,
        )
    except ReviewError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_ERROR
    except (ReviewCancelled, KeyboardInterrupt):
        err.write("review cancelled\n")
        return EXIT_ERROR
    except Exception as exc:
        logger.exception("review failed")
        err.write(f"error: the review failed unexpectedly ({type(exc).__name__}: {exc})\n")
        return EXIT_ERROR

    report = outcome.page(0, None)
    if fmt == "sarif":
        sarif = to_sarif(report, outcome.findings, baselined=outcome.baselined)
        text = json.dumps(sarif, indent=2) + "\n"
    elif fmt == "json":
        text = render_json(report)
    elif fmt == "markdown":
        text = render_markdown(report)
    else:
        text = render_text(report)

    if output is not None:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            err.write(f"error: cannot write {output}: {exc.strerror}\n")
            return EXIT_ERROR
        err.write(f"{report.summary.headline}\nreport written to {output}\n")
    else:
        out.write(text)

    if write_baseline is not None:
        err.write(
            f"baseline: {len(outcome.findings)} findings recorded in {write_baseline}; "
            f"later reviews of {root} report only new ones\n"
        )
        return EXIT_CLEAN
    if fail_on == "none":
        return EXIT_CLEAN
    threshold = SEVERITY_ORDER[fail_on]
    failing = any(SEVERITY_ORDER[f.severity] >= threshold for f in outcome.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


_ = ChecklistItemId  # re-exported type for callers building `items`
