"""The fixture apps: the route inventory matches labels.toml, the route-level rules find exactly
the labelled route-level issues, and the clean apps produce no findings at all."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from mcp_backend.review.engine import review
from mcp_backend.review.model import ReviewRequest
from mcp_backend.review.rules import all_rules
from tests.review.routes.helpers import PROJECT_DETECTORS, index_for_dir, project_findings, route

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "review"
APPS = [
    "fastapi_vulnerable",
    "fastapi_clean",
    "flask_vulnerable",
    "flask_clean",
    "django_vulnerable",
    "django_clean",
]
CLEAN_APPS = [name for name in APPS if name.endswith("_clean")]
PROJECT_RULE_IDS = {detector.rule.id for detector in PROJECT_DETECTORS}
PROTECTIONS = ("auth", "authz", "validation", "rate_limit")


def labels(app: str) -> dict[str, Any]:
    with (FIXTURES / app / "labels.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("app", APPS)
def test_inventory_matches_route_labels(app: str) -> None:
    index = index_for_dir(FIXTURES / app)
    expected_routes = labels(app).get("route", [])
    assert expected_routes, f"{app}/labels.toml lists no [[route]] entries"
    for entry in expected_routes:
        found = route(index, entry["method"], entry["path"])
        where = f"{app}: {entry['method']} {entry['path']}"
        for name in PROTECTIONS:
            if name in entry:
                assert getattr(found, name).status == entry[name], f"{where} {name}"
        if "public_by_design" in entry:
            assert (found.public_by_design is not None) == entry["public_by_design"], where
        for flag in ("loads_by_id", "reads_request_data"):
            if flag in entry:
                assert getattr(found, flag) == entry[flag], f"{where} {flag}"


@pytest.mark.parametrize("app", APPS)
def test_route_rules_find_exactly_the_labelled_issues(app: str) -> None:
    expected = [e for e in labels(app).get("expected", []) if e["rule"] in PROJECT_RULE_IDS]
    findings = project_findings(index_for_dir(FIXTURES / app))
    unmatched = list(findings)
    for entry in expected:
        match = next(
            (
                f
                for f in unmatched
                if f.rule_id == entry["rule"]
                and f.file == entry["file"]
                and f.line == entry.get("line", f.line)
                and f.route == entry.get("route", f.route)
            ),
            None,
        )
        assert match is not None, f"{app}: missed {entry}"
        unmatched.remove(match)
    extra = [f"{f.rule_id} {f.file}:{f.line} {f.route}" for f in unmatched]
    assert extra == [], f"{app}: unexpected route-level findings"


@pytest.mark.parametrize("app", APPS)
def test_labels_name_known_rules(app: str) -> None:
    catalog = all_rules()
    for entry in labels(app).get("expected", []):
        assert entry["rule"] in catalog, f"{app}: unknown rule {entry['rule']}"
        assert (FIXTURES / app / entry["file"]).is_file(), f"{app}: no file {entry['file']}"


@pytest.mark.parametrize("app", CLEAN_APPS)
def test_clean_apps_have_no_findings_end_to_end(app: str, tmp_path: Path) -> None:
    report = review(
        ReviewRequest(root=(FIXTURES / app).resolve(), cache_dir=tmp_path, limit=500, jobs=1)
    )
    assert report.routes_total > 0
    found = [f"{f.rule_id} {f.file}:{f.line} {f.message}" for f in report.findings]
    assert found == []
