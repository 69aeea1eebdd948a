"""flake8's default output: `path:line:col: CODE message`."""

from __future__ import annotations

import re
from pathlib import Path

from mcp_backend.quality.models import Diagnostic, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import relative_path, short_message

# `--benchmark` ends the output with figures, among them `12   total files processed`.
_FILES_PROCESSED = re.compile(r"^(?P<count>\d+)\s+total files processed\s*$")
_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<msg>.*)$")


def parse_flake8(stdout: str, root: Path) -> ParsedOutput:
    diagnostics: list[Diagnostic] = []
    files_processed: int | None = None
    for raw_line in stdout.splitlines():
        processed = _FILES_PROCESSED.match(raw_line.strip())
        if processed is not None:
            files_processed = int(processed["count"])
            continue
        match = _LINE.match(raw_line.rstrip())
        if match is None:
            continue
        code = match["code"]
        diagnostics.append(
            Diagnostic(
                file=relative_path(match["file"], root),
                line=int(match["line"]),
                column=int(match["col"]),
                code=code,
                # pycodestyle's W codes are warnings; everything else fails the check.
                severity="warning" if code.startswith("W") else "error",
                message=short_message(match["msg"]),
            )
        )
    errors = [d for d in diagnostics if d.severity == "error"]
    counts = StageCounts(
        errors=len(errors),
        warnings=len(diagnostics) - len(errors),
        files=len({d.file for d in diagnostics}),
    )
    nothing = "flake8 checked no file (0 files processed)" if files_processed == 0 else None
    return ParsedOutput(diagnostics=diagnostics, counts=counts, nothing_examined=nothing)
