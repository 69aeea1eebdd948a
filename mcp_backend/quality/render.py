"""LoopReport as Markdown (for assistants and PR comments) and as plain text (for terminals)."""

from __future__ import annotations

import shlex

from mcp_backend.quality.models import Diagnostic, LoopReport, StageCounts, StageResult

STATUS_MARK = {
    "passed": "✓",
    "failed": "✗",
    "error": "!",
    "timed_out": "⏱",
    "skipped": "-",
}
MAX_RENDERED_DIAGNOSTICS = 10


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def counts_phrase(counts: StageCounts, stage_name: str) -> str:
    """The one wording of a stage's counts: the stage line, the headline, progress and the
    fix-first list all use it, so they never disagree."""
    if counts.tests_total is not None:
        parts: list[str] = []
        if counts.tests_failed:
            parts.append(f"{counts.tests_failed} failed")
        if counts.tests_errors:
            parts.append(_plural(counts.tests_errors, "error"))
        parts.append(f"{counts.tests_passed or 0} passed")
        if counts.tests_skipped:
            parts.append(f"{counts.tests_skipped} skipped")
        return ", ".join(parts) + f" of {_plural(counts.tests_total, 'test')}"
    parts = []
    if stage_name == "format" and counts.files:
        parts.append(f"{_plural(counts.files, 'file')} to reformat")
    elif counts.errors:
        parts.append(_plural(counts.errors, "error"))
    if counts.warnings:
        parts.append(_plural(counts.warnings, "warning"))
    if counts.fixable and stage_name != "format":
        parts.append(f"{counts.fixable} auto-fixable")
    return ", ".join(parts)


def counts_summary(result: StageResult) -> str:
    if result.counts.tests_total is None and result.status not in ("passed", "failed"):
        return ""
    return counts_phrase(result.counts, result.name)


def _where(diagnostic: Diagnostic) -> str:
    where = diagnostic.file or "(project)"
    if diagnostic.line:
        where += f":{diagnostic.line}"
        if diagnostic.column:
            where += f":{diagnostic.column}"
    return where


def _diagnostic_line(diagnostic: Diagnostic) -> str:
    code = f"{diagnostic.code} " if diagnostic.code else ""
    fix = " [fixable]" if diagnostic.fix_available else ""
    return f"{_where(diagnostic)}: {diagnostic.severity}: {code}{diagnostic.message}{fix}"


def ran_in_worker(result: StageResult) -> bool:
    """A warm worker served the stage (its command is the equivalent CLI run)."""
    return any(note.startswith("warm worker: ran") for note in result.notes)


def _cause_pointers(report: LoopReport) -> dict[str, str]:
    """Stage id → "see fix first N" for the stages whose reason a fix-first item states: the
    hint is printed once, there, not once per stage."""
    pointers: dict[str, str] = {}
    for result in report.stages:
        if result.status not in ("error", "timed_out") or not result.reason:
            continue
        for index, item in enumerate(report.fix_first, 1):
            if result.reason[:120] in item:
                pointers[result.id] = f"see fix first {index}"
                break
    return pointers


def _detail(result: StageResult, pointers: dict[str, str]) -> str:
    return counts_summary(result) or pointers.get(result.id) or (result.reason or "")


def render_markdown(report: LoopReport) -> str:
    lines = [f"## Quality loop: {report.status}", "", report.headline, ""]
    if report.fix_first:
        lines += ["### Fix first", ""]
        lines += [f"{index}. {item}" for index, item in enumerate(report.fix_first, 1)]
        lines.append("")
    pointers = _cause_pointers(report)
    lines += ["| stage | tool | status | result | time |", "|---|---|---|---|---|"]
    for result in report.stages:
        detail = _detail(result, pointers).replace("|", "\\|")
        lines.append(
            f"| {result.id} | {result.tool} | {STATUS_MARK[result.status]} {result.status} "
            f"| {detail} | {result.duration_s:.1f}s |"
        )
    for result in report.stages:
        if result.status in ("passed", "skipped"):
            continue
        lines += ["", f"### {result.id}: {result.status}", ""]
        worker = " — ran in a warm worker, same result" if ran_in_worker(result) else ""
        lines.append(f"`{shlex.join(result.command)}` (in `{result.cwd}`){worker}")
        if result.reason:
            lines += ["", pointers.get(result.id, result.reason)]
        shown = result.diagnostics[:MAX_RENDERED_DIAGNOSTICS]
        if shown:
            lines.append("")
            lines += [f"- `{_where(d)}` {d.code} {d.message}".rstrip() for d in shown]
            if result.diagnostics_total > len(shown):
                lines.append(f"- … {result.diagnostics_total - len(shown)} more")
        if result.output_tail and not shown:
            lines += ["", "```text", result.output_tail.replace("```", "'''"), "```"]
    own_tools = [n for result in report.stages for n in result.notes if "mcp-backend's own" in n]
    notes = list(dict.fromkeys(own_tools))  # one line per tool, not per stage
    if notes or report.notes:
        lines += ["", "### Notes", ""]
        lines += [f"- {note}" for note in [*notes, *report.notes]]
    return "\n".join(lines) + "\n"


def render_text(report: LoopReport, verbose: bool = False) -> str:
    """Terminal output: one line a stage, then the problems, then what to fix first."""
    lines: list[str] = []
    pointers = _cause_pointers(report)
    width = max((len(r.id) for r in report.stages), default=5)
    for result in report.stages:
        detail = _detail(result, pointers)
        lines.append(
            f"{STATUS_MARK[result.status]} {result.id:<{width}}  {result.status:<9} "
            f"{result.duration_s:5.1f}s  {result.tool}  {detail}".rstrip()
        )
    for result in report.stages:
        if result.status in ("passed", "skipped") and not verbose:
            continue
        if not result.diagnostics and not result.output_tail and not result.reason:
            continue
        worker = " (ran in a warm worker)" if ran_in_worker(result) else ""
        lines += ["", f"── {result.id} ({result.status}) ── {shlex.join(result.command)}{worker}"]
        if result.reason and result.id not in pointers:
            lines.append(f"   {result.reason}")
        for diagnostic in result.diagnostics[:MAX_RENDERED_DIAGNOSTICS]:
            lines.append(f"   {_diagnostic_line(diagnostic)}")
        hidden = result.diagnostics_total - min(len(result.diagnostics), MAX_RENDERED_DIAGNOSTICS)
        if hidden > 0:
            lines.append(f"   … {hidden} more (--json shows up to the report's cap)")
        if result.output_tail and not result.diagnostics:
            lines += [f"   | {line}" for line in result.output_tail.splitlines()[-20:]]
        for note in result.notes:
            if "mcp-backend's own" in note or "output not understood" in note:
                lines.append(f"   note: {note}")
    if report.fix_first:
        lines += ["", "Fix first:"]
        lines += [f"  {index}. {item}" for index, item in enumerate(report.fix_first, 1)]
    for note in report.notes:
        lines.append(f"note: {note}")
    lines += ["", report.headline]
    return "\n".join(lines) + "\n"
