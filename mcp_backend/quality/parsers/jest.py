"""Jest's `--json` report; Vitest's `--reporter=json` writes the same shape."""

from __future__ import annotations

import re
from pathlib import Path

from mcp_backend.quality.models import Diagnostic, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import (
    load_json,
    relative_path,
    short_message,
    strip_ansi,
)

_STACK_LOCATION = re.compile(r"(?:file://)?(?P<file>/[^\s():]+):(?P<line>\d+):(?P<col>\d+)")
# A TypeScript diagnostic ts-jest reports for a file it refuses to run:
# `test/a.test.ts:4:7 - error TS2322: Type 'number' is not assignable to type 'string'.`
_TS_DIAGNOSTIC = re.compile(
    r"^(?P<file>\S+?):(?P<line>\d+):(?P<col>\d+) - error (?P<code>TS\d+): (?P<msg>.*)$"
)


def _suite_error(message: str) -> tuple[str, int | None, str]:
    """(code, line, message) of a test file that could not run, without the "● Test suite
    failed to run" header jest puts first."""
    lines = [line.strip() for line in strip_ansi(message).splitlines()]
    lines = [line for line in lines if line and not line.startswith("●")]
    for line in lines:
        typescript = _TS_DIAGNOSTIC.match(line)
        if typescript is not None:
            return typescript["code"], int(typescript["line"]), typescript["msg"]
    return "suite", None, lines[0] if lines else "the test file failed to run"


def _failure_location(messages: list[str], test_file: str) -> int | None:
    for message in messages:
        for match in _STACK_LOCATION.finditer(message):
            if match["file"] == test_file:
                return int(match["line"])
    return None


def parse_jest_json(text: str, root: Path) -> ParsedOutput:
    if not text.strip():
        return ParsedOutput(parsed=False, problem="no JSON test report was written")
    try:
        data = load_json(text)
    except ValueError as exc:
        return ParsedOutput(parsed=False, problem=f"test report: {exc}")
    if not isinstance(data, dict) or "numTotalTests" not in data:
        return ParsedOutput(parsed=False, problem="test report lacks numTotalTests")
    diagnostics: list[Diagnostic] = []
    for suite in data.get("testResults") or []:
        test_file = str(suite.get("name") or "")
        file = relative_path(test_file, root)
        assertions = suite.get("assertionResults") or []
        for assertion in assertions:
            if assertion.get("status") != "failed":
                continue
            messages = [str(m) for m in assertion.get("failureMessages") or []]
            location = assertion.get("location") or {}
            first = next(iter(messages[0].strip().splitlines()), "") if messages else ""
            diagnostics.append(
                Diagnostic(
                    file=file,
                    line=location.get("line") or _failure_location(messages, test_file),
                    code=str(assertion.get("fullName") or assertion.get("title") or ""),
                    message=short_message(f"failed: {first or 'no message'}"),
                )
            )
        if not assertions and suite.get("status") == "failed":
            # A file that failed to load (syntax error, type error, missing import) has no
            # assertions.
            code, line, text = _suite_error(str(suite.get("message") or ""))
            diagnostics.append(
                Diagnostic(
                    file=file,
                    line=line,
                    code=code,
                    message=short_message(f"test file could not run: {text}"),
                )
            )
    failed = int(data.get("numFailedTests") or 0)
    suite_errors = int(data.get("numRuntimeErrorTestSuites") or 0)
    skipped = int(data.get("numPendingTests") or 0) + int(data.get("numTodoTests") or 0)
    total = int(data.get("numTotalTests") or 0)
    counts = StageCounts(
        errors=failed + suite_errors,
        files=len({d.file for d in diagnostics if d.file}),
        tests_total=total,
        tests_passed=int(data.get("numPassedTests") or 0),
        tests_failed=failed,
        tests_errors=suite_errors,
        tests_skipped=skipped,
    )
    return ParsedOutput(diagnostics=diagnostics, counts=counts)
