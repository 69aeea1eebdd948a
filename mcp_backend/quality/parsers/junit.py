"""JUnit XML test reports: pytest's `--junitxml` and `node --test --test-reporter=junit`."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from mcp_backend.quality.models import Diagnostic, ParsedOutput, StageCounts
from mcp_backend.quality.parsers.common import relative_path, short_message

# "tests/test_x.py:18: AssertionError" at the end of pytest's failure text.
_PYTEST_LOCATION = re.compile(r"^(?P<file>[^\s:][^:\n]*\.py):(?P<line>\d+): ", re.MULTILINE)
# "file:///abs/path/x.test.mjs:5:36" in a node stack trace.
_NODE_LOCATION = re.compile(r"\(?(?:file://)?(?P<file>/[^\s():]+):(?P<line>\d+):(?P<col>\d+)")


def _test_id(case: ElementTree.Element) -> str:
    classname = case.get("classname") or ""
    name = case.get("name") or ""
    if classname and classname != "test":
        return f"{classname}::{name}"
    return name


def _location(text: str, root: Path) -> tuple[str, int | None]:
    last: tuple[str, int | None] = ("", None)
    for match in _PYTEST_LOCATION.finditer(text):
        last = (relative_path(match["file"], root), int(match["line"]))
    if last[0]:
        return last
    for match in _NODE_LOCATION.finditer(text):
        file = match["file"]
        if "/node_modules/" in file or file.startswith("/node:"):
            continue
        return relative_path(file, root), int(match["line"])
    return "", None


def parse_junit(xml_text: str, root: Path) -> ParsedOutput:
    if not xml_text.strip():
        return ParsedOutput(parsed=False, problem="no JUnit report was written")
    try:
        # The report comes from the project's own test run, as trusted as its code; expat
        # (>= 2.4.1, bundled with CPython) refuses external entities and caps expansion.
        document = ElementTree.fromstring(xml_text)  # noqa: S314
    except ElementTree.ParseError as exc:
        return ParsedOutput(parsed=False, problem=f"JUnit report is not valid XML: {exc}")
    diagnostics: list[Diagnostic] = []
    total = failed = errors = skipped = 0
    for case in document.iter("testcase"):
        total += 1
        failure = case.find("failure")
        error = case.find("error")
        if case.find("skipped") is not None:
            skipped += 1
            continue
        problem = failure if failure is not None else error
        if problem is None:
            continue
        if failure is not None:
            failed += 1
        else:
            errors += 1
        detail = problem.text or ""
        file, line = _location(detail, root)
        headline = next(iter((problem.get("message") or detail).strip().splitlines()), "")
        diagnostics.append(
            Diagnostic(
                file=file,
                line=line,
                code=_test_id(case),
                severity="error",
                message=short_message(
                    f"{'failed' if failure is not None else 'error'}: {headline or 'no message'}"
                ),
            )
        )
    counts = StageCounts(
        errors=failed + errors,
        files=len({d.file for d in diagnostics if d.file}),
        tests_total=total,
        tests_passed=total - failed - errors - skipped,
        tests_failed=failed,
        tests_errors=errors,
        tests_skipped=skipped,
    )
    return ParsedOutput(diagnostics=diagnostics, counts=counts)
