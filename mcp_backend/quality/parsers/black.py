"""black --check: `would reformat PATH` lines on stderr."""

from __future__ import annotations

import re
from pathlib import Path

from mcp_backend.quality.models import Diagnostic, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import relative_path, short_message

_WOULD_REFORMAT = re.compile(r"^would reformat (?P<file>.+)$")
# black 25+: "error: cannot parse: path:1:11"; older: "error: cannot format path: Cannot …".
_CANNOT_PARSE = re.compile(r"^error: cannot parse: (?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+)")
_CANNOT_FORMAT = re.compile(r"^error: cannot format (?P<file>[^:]+): (?P<msg>.*)$")


def parse_black(output: str, root: Path) -> ParsedOutput:
    diagnostics: list[Diagnostic] = []
    for raw_line in output.splitlines():
        line = raw_line.strip()
        if match := _WOULD_REFORMAT.match(line):
            diagnostics.append(
                Diagnostic(
                    file=relative_path(match["file"], root),
                    code="unformatted",
                    message="File would be reformatted",
                    fix_available=True,
                )
            )
        elif match := _CANNOT_PARSE.match(line):
            diagnostics.append(
                Diagnostic(
                    file=relative_path(match["file"], root),
                    line=int(match["line"]),
                    column=int(match["col"]),
                    code="cannot-parse",
                    message="black cannot parse this file (syntax error)",
                )
            )
        elif match := _CANNOT_FORMAT.match(line):
            diagnostics.append(
                Diagnostic(
                    file=relative_path(match["file"], root),
                    code="cannot-format",
                    message=short_message(match["msg"]),
                )
            )
    counts = StageCounts(
        errors=len(diagnostics),
        fixable=sum(d.fix_available for d in diagnostics),
        files=len({d.file for d in diagnostics}),
    )
    return ParsedOutput(diagnostics=diagnostics, counts=counts)
