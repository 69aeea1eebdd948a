"""ESLint: `eslint -f json` (a list of files, each with its messages)."""

from __future__ import annotations

from pathlib import Path

from mcp_backend.quality.models import Diagnostic, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import load_json, relative_path, short_message


def parse_eslint(stdout: str, root: Path) -> ParsedOutput:
    if not stdout.strip():
        return ParsedOutput(parsed=False, problem="eslint printed no JSON (it may have crashed)")
    try:
        data = load_json(stdout)
    except ValueError as exc:
        return ParsedOutput(parsed=False, problem=f"eslint: {exc}")
    if not isinstance(data, list):
        return ParsedOutput(parsed=False, problem="eslint's JSON is not a list of files")
    diagnostics: list[Diagnostic] = []
    for file_result in data:
        file = relative_path(str(file_result.get("filePath") or ""), root)
        for message in file_result.get("messages") or []:
            fatal = bool(message.get("fatal"))
            diagnostics.append(
                Diagnostic(
                    file=file,
                    line=message.get("line"),
                    column=message.get("column"),
                    code=str(message.get("ruleId") or ("parse-error" if fatal else "")),
                    severity="error" if message.get("severity") == 2 or fatal else "warning",
                    message=short_message(str(message.get("message") or "")),
                    fix_available="fix" in message,
                )
            )
    errors = [d for d in diagnostics if d.severity == "error"]
    counts = StageCounts(
        errors=len(errors),
        warnings=len(diagnostics) - len(errors),
        fixable=sum(d.fix_available for d in diagnostics),
        files=len({d.file for d in diagnostics}),
    )
    return ParsedOutput(diagnostics=diagnostics, counts=counts)
