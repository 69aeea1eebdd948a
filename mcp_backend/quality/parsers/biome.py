"""Biome: `biome lint|format|check --reporter=json` (experimental in Biome 2; shape checked
against 2.6: a summary and diagnostics with category, severity and 1-based start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mcp_backend.quality.models import Diagnostic, DiagnosticSeverity, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import load_json, relative_path, short_message


def _severity(raw: str) -> DiagnosticSeverity:
    if raw in ("error", "fatal"):
        return "error"
    return "warning" if raw == "warning" else "info"


def _path(location: dict[str, Any]) -> str:
    path = location.get("path")
    if isinstance(path, dict):  # Biome 1.x wrapped it: {"file": "..."}
        path = path.get("file")
    return str(path or "")


def parse_biome(stdout: str, root: Path) -> ParsedOutput:
    if not stdout.strip():
        return ParsedOutput(parsed=False, problem="biome printed no JSON")
    try:
        data = load_json(stdout)
    except ValueError as exc:
        return ParsedOutput(parsed=False, problem=f"biome: {exc}")
    if not isinstance(data, dict) or "diagnostics" not in data:
        return ParsedOutput(parsed=False, problem="biome's JSON lacks diagnostics")
    diagnostics: list[Diagnostic] = []
    for item in data["diagnostics"]:
        location = item.get("location") or {}
        start = location.get("start") or {}
        line = start.get("line")
        category = str(item.get("category") or "")
        advices = item.get("advices") or []
        fixable = category == "format" or any(
            "fix" in str(advice.get("text", "")).lower() for advice in advices
        )
        diagnostics.append(
            Diagnostic(
                file=relative_path(_path(location), root),
                line=line if isinstance(line, int) and line >= 1 else None,
                column=start.get("column") if isinstance(line, int) and line >= 1 else None,
                code=category,
                severity=_severity(str(item.get("severity") or "error")),
                message=short_message(str(item.get("message") or "")),
                fix_available=fixable,
            )
        )
    errors = [d for d in diagnostics if d.severity == "error"]
    counts = StageCounts(
        errors=len(errors),
        warnings=sum(d.severity == "warning" for d in diagnostics),
        fixable=sum(d.fix_available for d in diagnostics),
        files=len({d.file for d in diagnostics}),
    )
    return ParsedOutput(diagnostics=diagnostics, counts=counts)
