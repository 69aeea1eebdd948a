"""One parser per tool output; `parse_output` picks the one a stage names."""

from __future__ import annotations

from pathlib import Path

from mcp_backend.quality.models import ParsedOutput, ParserName
from mcp_backend.quality.parsers.biome import parse_biome
from mcp_backend.quality.parsers.black import parse_black
from mcp_backend.quality.parsers.common import short_message
from mcp_backend.quality.parsers.eslint import parse_eslint
from mcp_backend.quality.parsers.flake8 import parse_flake8
from mcp_backend.quality.parsers.jest import parse_jest_json
from mcp_backend.quality.parsers.junit import parse_junit
from mcp_backend.quality.parsers.mypy import parse_mypy_json, parse_mypy_text
from mcp_backend.quality.parsers.pyright import parse_pyright
from mcp_backend.quality.parsers.ruff import parse_ruff_check, parse_ruff_format
from mcp_backend.quality.parsers.tsc import parse_tsc

__all__ = ["parse_output"]


def parse_output(
    parser: ParserName, stdout: str, stderr: str, report: str | None, root: Path
) -> ParsedOutput | None:
    """Diagnostics and counts from a tool's output; None when only the exit code counts.

    `report` is the content of the stage's report file (JUnit XML, a JSON test report) when
    the tool writes one; it is None when the file was never written. When the tool checked no
    file or ran no test, `nothing_examined` says so: such a run proves nothing.
    """
    parsed = _parse(parser, stdout, stderr, report, root)
    if parsed is not None and parsed.nothing_examined is None:
        parsed.nothing_examined = _nothing_examined(parser, parsed, stdout + "\n" + stderr)
    return parsed


# What the tools print when they found nothing to check (each tool's own words).
_NOTHING_FOUND_MESSAGES = (
    "No Python files found under the given path(s)",  # ruff check, ruff format
    "No Python files are present to be formatted",  # black
    "There are no .py[i] files in directory",  # mypy
    "No files matching the pattern",  # eslint
    "All files matched by",  # eslint: "All files matched by '.' are ignored."
    "No files were processed",  # biome
    "No test files found",  # vitest
    "No tests found",  # jest
    "No inputs were found in config file",  # tsc (TS18003)
)
_TEST_PARSERS = ("pytest_junit", "node_junit", "vitest", "jest")


def _nothing_examined(parser: ParserName, parsed: ParsedOutput, output: str) -> str | None:
    counts = parsed.counts
    if parser in _TEST_PARSERS and parsed.parsed:
        # A test file that failed to load is a failure, not "no tests".
        return "no test was collected or run" if counts.tests_total == counts.errors == 0 else None
    for line in output.splitlines():
        if any(message in line for message in _NOTHING_FOUND_MESSAGES):
            text = line.strip().removeprefix("warning: ").removeprefix("Error: ")
            if parser not in _TEST_PARSERS and counts.errors:
                return None  # it found and reported problems elsewhere
            return short_message(text)
    return None


def _parse(
    parser: ParserName, stdout: str, stderr: str, report: str | None, root: Path
) -> ParsedOutput | None:
    match parser:
        case "ruff_check":
            return parse_ruff_check(stdout, root)
        case "ruff_format":
            return parse_ruff_format(stdout, root)
        case "flake8":
            return parse_flake8(stdout, root)
        case "black":
            return parse_black(stderr + "\n" + stdout, root)
        case "mypy_json":
            return parse_mypy_json(stdout, root)
        case "mypy_text":
            return parse_mypy_text(stdout, root)
        case "pyright":
            return parse_pyright(stdout, root)
        case "eslint":
            return parse_eslint(stdout, root)
        case "biome":
            return parse_biome(stdout, root)
        case "tsc":
            return parse_tsc(stdout, root)
        case "pytest_junit" | "node_junit":
            return parse_junit(report or "", root)
        case "vitest" | "jest":
            return parse_jest_json(report or "", root)
        case "text":
            return None
