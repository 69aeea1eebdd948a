"""mypy: `mypy -O json` (one JSON object a line, mypy >= 1.11) or its plain text output."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mcp_backend.quality.models import Diagnostic, DiagnosticSeverity, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import relative_path, short_message

# file:line:col: severity: message  [code]   (line and column optional)
_TEXT_LINE = re.compile(
    r"^(?P<file>[^:\n]+?):(?:(?P<line>\d+):)?(?:(?P<col>\d+):)?\s*"
    r"(?P<sev>error|warning|note): (?P<msg>.*?)(?:\s{2}\[(?P<code>[a-z0-9-]+)\])?$"
)


def _severity(raw: str) -> DiagnosticSeverity:
    if raw == "error":
        return "error"
    return "warning" if raw == "warning" else "info"


def _counts(diagnostics: list[Diagnostic]) -> StageCounts:
    errors = [d for d in diagnostics if d.severity == "error"]
    return StageCounts(
        errors=len(errors),
        warnings=sum(d.severity == "warning" for d in diagnostics),
        files=len({d.file for d in errors}),
    )


def _line(value: Any) -> int | None:
    return value if isinstance(value, int) and value >= 1 else None


def parse_mypy_json(stdout: str, root: Path) -> ParsedOutput:
    diagnostics: list[Diagnostic] = []
    unparsed = 0
    for raw_line in stdout.splitlines():
        if not raw_line.strip():
            continue
        try:
            item = json.loads(raw_line)
        except json.JSONDecodeError:
            unparsed += 1
            continue
        if not isinstance(item, dict):
            unparsed += 1
            continue
        message = str(item.get("message") or "")
        if item.get("hint"):
            message = f"{message} ({str(item['hint']).splitlines()[0]})"
        column = item.get("column")
        diagnostics.append(
            Diagnostic(
                file=relative_path(str(item.get("file") or ""), root),
                line=_line(item.get("line")),
                # mypy's JSON columns count from 0, its text columns from 1.
                column=column + 1 if isinstance(column, int) and column >= 0 else None,
                code=str(item.get("code") or ""),
                severity=_severity(str(item.get("severity") or "error")),
                message=short_message(message),
            )
        )
    if unparsed and not diagnostics:
        return ParsedOutput(parsed=False, problem="mypy's output is not JSON lines")
    return ParsedOutput(diagnostics=diagnostics, counts=_counts(diagnostics))


def parse_mypy_text(stdout: str, root: Path) -> ParsedOutput:
    diagnostics: list[Diagnostic] = []
    for raw_line in stdout.splitlines():
        match = _TEXT_LINE.match(raw_line.rstrip())
        if match is None:
            continue
        diagnostics.append(
            Diagnostic(
                file=relative_path(match["file"], root),
                line=int(match["line"]) if match["line"] else None,
                column=int(match["col"]) if match["col"] else None,
                code=match["code"] or "",
                severity=_severity(match["sev"]),
                message=short_message(match["msg"]),
            )
        )
    return ParsedOutput(diagnostics=diagnostics, counts=_counts(diagnostics))
