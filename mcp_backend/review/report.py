"""A ReviewReport as Markdown, plain text or JSON (the `mcp-backend review` command is in
mcp_backend/cli/review.py).

Every format starts with the one-line summary, then the checklist, then the detail. Secrets are
masked before a report exists (engine), so nothing here has to think about them.
"""

from __future__ import annotations

from pathlib import Path

from mcp_backend.review.docs import rule_uri
from mcp_backend.review.model import (
    Finding,
    Protection,
    ReviewReport,
    Route,
)

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
