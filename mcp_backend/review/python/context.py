"""What a Python detector sees of one file, and the one way it makes a Finding."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from mcp_backend.review.model import (
    ChecklistItemId,
    Confidence,
    Finding,
    RuleMeta,
    Severity,
    Signal,
)

OFFLINE_DIRECTORIES = ("/migrations/", "/alembic/versions/", "/management/commands/")


@dataclass
class PythonFileContext:
    file: str  # POSIX path relative to the review root
    source: str
    tree: ast.Module
    is_test: bool = False
    lines: list[str] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = self.source.splitlines()

    @property
    def runs_offline(self) -> bool:
        """Code no request reaches: schema/data migrations (Django migrations/, Alembic
        alembic/versions/) and Django management commands, run once by an operator."""
        where = f"/{self.file}"
        return any(part in where for part in OFFLINE_DIRECTORIES)

    def snippet(self, node: ast.AST, max_lines: int = 3) -> str:
        start = getattr(node, "lineno", 1)
        end = min(getattr(node, "end_lineno", start) or start, start + max_lines - 1)
        return "\n".join(self.lines[start - 1 : end]).strip()

    def finding(
        self,
        rule: RuleMeta,
        node: ast.AST,
        message: str,
        *,
        fix: str = "",
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        snippet: str | None = None,
    ) -> Finding:
        return rule.finding(
            message,
            file=self.file,
            line=getattr(node, "lineno", 1),
            column=getattr(node, "col_offset", 0) + 1,
            end_line=getattr(node, "end_lineno", None),
            snippet=self.snippet(node) if snippet is None else snippet,
            fix=fix,
            severity=severity,
            confidence=confidence,
        )

    def signal(self, item: ChecklistItemId, detail: str, node: ast.AST) -> None:
        """Record positive evidence (e.g. 'parameterised query') for the checklist verdicts."""
        self.signals.append(
            Signal(item=item, detail=detail, file=self.file, line=getattr(node, "lineno", 1))
        )


class PythonDetector(Protocol):
    """A rule's python.py (review/rules/<id>/): `DETECTOR = SomeDetector()` at module level."""

    rule: RuleMeta

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]: ...
