"""Fixture apps: the inventory matches labels' [[route]] entries; clean apps have no findings."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mcp_backend.review.javascript import analyze_file, link_javascript
from mcp_backend.review.model import FileResult, Language
from mcp_backend.review.scan import project_detectors

FIXTURES = Path(__file__).parents[2] / "fixtures" / "review"
APPS = sorted(
    p.name
    for p in FIXTURES.glob("*")
    if (p / "labels.toml").exists() and (p / "package.json").exists()
)


def analyse(app: Path) -> list[FileResult]:
    results = []
    for path in sorted(app.rglob("*")):
        if (
            path.suffix in {".js", ".ts", ".tsx", ".mjs", ".cjs"}
            and "node_modules" not in path.parts
        ):
            language: Language = "typescript" if path.suffix in {".ts", ".tsx"} else "javascript"
            results.append(
                analyze_file(path.relative_to(app).as_posix(), path.read_text(), language)
            )
    return results


@pytest.mark.parametrize("name", APPS)
def test_routes_match_labels(name: str) -> None:
    app = FIXTURES / name
    labels = tomllib.loads((app / "labels.toml").read_text())
    index = link_javascript(analyse(app), str(app))
    routes = {(r.method, r.path): r for r in index.routes}
    for expected in labels.get("route", []):
        route = routes.get((expected["method"], expected["path"]))
        assert route is not None, f"{name}: missing {expected['method']} {expected['path']}"
        for key in ("auth", "authz", "validation", "rate_limit"):
            if key in expected:
                assert getattr(route, key).status == expected[key], (
                    f"{name} {route.method} {route.path} {key}"
                )


@pytest.mark.parametrize("name", APPS)
def test_file_local_findings_match_labels(name: str) -> None:
    app = FIXTURES / name
    labels = tomllib.loads((app / "labels.toml").read_text())
    found = {(f.rule_id, f.file, f.line) for r in analyse(app) for f in r.findings}
    # Project rules (a GraphQL server's options) also carry a line; they are not file-local.
    project_rules = {d.rule.id for d in project_detectors()}
    expected = {
        (e["rule"], e["file"], e["line"])
        for e in labels.get("expected", [])
        if "line" in e and e["rule"] not in project_rules
    }
    assert expected <= found, f"missed: {sorted(expected - found)}"
    assert found <= expected, f"unexpected: {sorted(found - expected)}"
