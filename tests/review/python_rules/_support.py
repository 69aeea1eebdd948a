"""Run one detector on a code sample, the way the analyzer does (parse once, one context)."""

from __future__ import annotations

import textwrap

from mcp_backend.review.model import Finding, Signal
from mcp_backend.review.python.context import PythonDetector, PythonFileContext
from mcp_backend.review.python.parse import parse_python


def context_for(
    source: str, file: str = "app/main.py", *, is_test: bool = False
) -> PythonFileContext:
    code = textwrap.dedent(source)
    return PythonFileContext(file=file, source=code, tree=parse_python(code), is_test=is_test)


def run(
    detector: PythonDetector, source: str, file: str = "app/main.py", *, is_test: bool = False
) -> list[Finding]:
    return list(detector.check(context_for(source, file, is_test=is_test)))


def run_with_signals(
    detector: PythonDetector, source: str, file: str = "app/main.py", *, is_test: bool = False
) -> tuple[list[Finding], list[Signal]]:
    ctx = context_for(source, file, is_test=is_test)
    findings = list(detector.check(ctx))
    return findings, ctx.signals


def lines(findings: list[Finding]) -> list[int]:
    return sorted(f.line for f in findings)
