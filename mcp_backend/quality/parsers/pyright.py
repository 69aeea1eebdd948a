"""pyright: `pyright --outputjson` (generalDiagnostics with 0-based ranges, and a summary)."""

from __future__ import annotations

from pathlib import Path

from mcp_backend.quality.models import Diagnostic, DiagnosticSeverity, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import load_json, relative_path, short_message


def _severity(raw: str) -> DiagnosticSeverity:
    if raw == "error":
        return "error"
    return "warning" if raw == "warning" else "info"


def parse_pyright(stdout: str, root: Path) -> ParsedOutput:
    if not stdout.strip():
        return ParsedOutput(parsed=False, problem="pyright printed no JSON")
    try:
        data = load_json(stdout)
    except ValueError as exc:
        return ParsedOutput(parsed=False, problem=f"pyright: {exc}")
    if not isinstance(data, dict) or "generalDiagnostics" not in data:
        return ParsedOutput(parsed=False, problem="pyright's JSON lacks generalDiagnostics")
    diagnostics: list[Diagnostic] = []
    for item in data["generalDiagnostics"]:
        start = (item.get("range") or {}).get("start") or {}
        line, character = start.get("line"), start.get("character")
        diagnostics.append(
            Diagnostic(
                file=relative_path(str(item.get("file") or ""), root),
                line=line + 1 if isinstance(line, int) else None,
                column=character + 1 if isinstance(character, int) else None,
                code=str(item.get("rule") or ""),
                severity=_severity(str(item.get("severity") or "error")),
                message=short_message(str(item.get("message") or "")),
            )
        )
    errors = [d for d in diagnostics if d.severity == "error"]
    counts = StageCounts(
        errors=len(errors),
        warnings=sum(d.severity == "warning" for d in diagnostics),
        files=len({d.file for d in errors}),
    )
    summary = data.get("summary") or {}
    nothing = (
        "pyright analysed no file (filesAnalyzed: 0)"
        if isinstance(summary, dict) and summary.get("filesAnalyzed") == 0
        else None
    )
    return ParsedOutput(diagnostics=diagnostics, counts=counts, nothing_examined=nothing)
