"""TypeScript: `tsc --noEmit --pretty false`, lines like `file(line,col): error TS2322: …`."""

from __future__ import annotations

import re
from pathlib import Path

from mcp_backend.quality.models import Diagnostic, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import relative_path, short_message

_LOCATED = re.compile(
    r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): (?P<sev>error|warning|message) "
    r"(?P<code>TS\d+): (?P<msg>.*)$"
)
# Errors about the whole run (a missing tsconfig, a bad option) carry no location.
_GLOBAL = re.compile(r"^(?P<sev>error|warning) (?P<code>TS\d+): (?P<msg>.*)$")


def parse_tsc(stdout: str, root: Path) -> ParsedOutput:
    diagnostics: list[Diagnostic] = []
    for raw_line in stdout.splitlines():
        line = raw_line.rstrip()
        located = _LOCATED.match(line)
        if located is not None:
            diagnostics.append(
                Diagnostic(
                    file=relative_path(located["file"], root),
                    line=int(located["line"]),
                    column=int(located["col"]),
                    code=located["code"],
                    severity="error" if located["sev"] == "error" else "warning",
                    message=short_message(located["msg"]),
                )
            )
            continue
        general = _GLOBAL.match(line)
        if general is not None:
            diagnostics.append(
                Diagnostic(
                    file="",
                    code=general["code"],
                    severity="error" if general["sev"] == "error" else "warning",
                    message=short_message(general["msg"]),
                )
            )
        elif line.startswith("  ") and diagnostics:
            # tsc continues a message on indented lines ("Type 'x' is missing …").
            last = diagnostics[-1]
            last.message = short_message(f"{last.message} {line.strip()}")
    errors = [d for d in diagnostics if d.severity == "error"]
    counts = StageCounts(
        errors=len(errors),
        warnings=len(diagnostics) - len(errors),
        files=len({d.file for d in errors if d.file}),
    )
    return ParsedOutput(diagnostics=diagnostics, counts=counts)
