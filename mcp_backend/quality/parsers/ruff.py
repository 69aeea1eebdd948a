"""ruff: `ruff check --output-format json` and `ruff format --check --output-format json`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mcp_backend.quality.models import Diagnostic, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import load_json, relative_path, short_message


def _diagnostics(items: list[Any], root: Path) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for item in items:
        location = item.get("location") or {}
        fix = item.get("fix")
        diagnostics.append(
            Diagnostic(
                file=relative_path(str(item.get("filename", "")), root),
                line=location.get("row"),
                column=location.get("column"),
                code=str(item.get("code") or ""),
                severity="error",
                message=short_message(str(item.get("message") or "")),
                fix_available=bool(fix) and (fix or {}).get("applicability") == "safe",
            )
        )
    return diagnostics


def _parse(stdout: str, root: Path) -> list[Diagnostic] | str:
    if not stdout.strip():
        return "ruff printed nothing"
    try:
        data = load_json(stdout)
    except ValueError as exc:
        return str(exc)
    if not isinstance(data, list):
        return "ruff's JSON is not a list"
    return _diagnostics(data, root)


def parse_ruff_check(stdout: str, root: Path) -> ParsedOutput:
    result = _parse(stdout, root)
    if isinstance(result, str):
        return ParsedOutput(parsed=False, problem=result)
    counts = StageCounts(
        errors=len(result),
        fixable=sum(d.fix_available for d in result),
        files=len({d.file for d in result}),
    )
    return ParsedOutput(diagnostics=result, counts=counts)


def parse_ruff_format(stdout: str, root: Path) -> ParsedOutput:
    """Each entry is a file that would be reformatted (or one ruff could not parse)."""
    result = _parse(stdout, root)
    if isinstance(result, str):
        return ParsedOutput(parsed=False, problem=result)
    for diagnostic in result:
        if diagnostic.code == "unformatted":
            diagnostic.fix_available = True
    counts = StageCounts(
        errors=len(result),
        fixable=sum(d.fix_available for d in result),
        files=len({d.file for d in result}),
    )
    return ParsedOutput(diagnostics=result, counts=counts)
