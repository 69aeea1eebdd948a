"""Small synthetic projects and stand-in detectors, so these tests exercise the engine core
without depending on the real rules (written and tested elsewhere)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from mcp_backend.review import engine, scan
from mcp_backend.review.model import Finding, ProjectIndex, RuleDoc, RuleMeta
from mcp_backend.review.python import analyzer
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.invalid_suppression import RULE as INVALID_SUPPRESSION

_DOC = RuleDoc(
    what="Flags calls to `danger()`.",
    why="It is dangerous.",
    example="```python\ndanger(x)\n```",
    instead="```python\nsafe(x)\n```",
    references=["https://example.invalid/danger"],
)
DANGER_RULE = RuleMeta(
    id="test-danger-call",
    name="Call to danger()",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=78,
    languages=["python"],
    doc=_DOC,
)
NOTICE_RULE = RuleMeta(
    id="test-notice-call",
    name="Call to notice()",
    checklist_item="logging",
    severity="low",
    confidence="medium",
    languages=["python"],
    doc=_DOC,
)
SECRET_RULE = RuleMeta(
    id="hardcoded-secret",
    name="Hard-coded secret",
    checklist_item="secrets",
    severity="high",
    confidence="medium",
    cwe=798,
    languages=["python", "javascript"],
    doc=_DOC,
)
OPEN_ROUTE_RULE = RuleMeta(
    id="test-open-route",
    name="Route without auth",
    checklist_item="authentication",
    severity="high",
    confidence="medium",
    cwe=306,
    languages=["python", "javascript"],
    doc=_DOC,
)
TEST_CATALOG = {
    r.id: r for r in (DANGER_RULE, NOTICE_RULE, SECRET_RULE, OPEN_ROUTE_RULE, INVALID_SUPPRESSION)
}


class CallDetector:
    """Flags every call to a given function name."""

    def __init__(self, rule: RuleMeta, function: str) -> None:
        self.rule = rule
        self.function = function

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        for node in ast.walk(ctx.tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == self.function
            ):
                yield ctx.finding(self.rule, node, f"{self.function}() called")


class SecretDetector:
    rule = SECRET_RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        for node in ast.walk(ctx.tree):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                and any(isinstance(t, ast.Name) and "KEY" in t.id for t in node.targets)
            ):
                yield ctx.finding(self.rule, node, "secret in source")


class ExplodingDetector:
    rule = NOTICE_RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        raise ZeroDivisionError("detector bug")


class OpenRouteProjectRule:
    """Project rule: one finding per route whose auth is absent."""

    rule = OPEN_ROUTE_RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        for route in index.routes:
            if route.auth.status == "absent":
                yield Finding(
                    rule_id=self.rule.id,
                    checklist_item=self.rule.checklist_item,
                    severity=self.rule.severity,
                    confidence=self.rule.confidence,
                    message="route without auth",
                    file=route.file,
                    line=route.line,
                    route=f"{route.method} {route.path}",
                )


STANDARD_DETECTORS = (
    CallDetector(DANGER_RULE, "danger"),
    CallDetector(NOTICE_RULE, "notice"),
    SecretDetector(),
)


@pytest.fixture
def detectors(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Install stand-in detectors and catalog for one test; returns an installer for others."""

    def install(
        python: tuple[object, ...] = STANDARD_DETECTORS, project: tuple[object, ...] = ()
    ) -> None:
        monkeypatch.setattr(analyzer, "python_detectors", lambda: python)
        monkeypatch.setattr(scan, "python_detectors", lambda: python)
        monkeypatch.setattr(engine, "python_detectors", lambda: python)
        monkeypatch.setattr(scan, "project_detectors", lambda: project)
        monkeypatch.setattr(engine, "project_detectors", lambda: project)
        monkeypatch.setattr(engine, "all_rules", lambda: TEST_CATALOG)

    install()
    return install


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache-home"
