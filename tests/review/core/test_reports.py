from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from mcp_backend.cli.review import run_review_cli
from mcp_backend.review import engine
from mcp_backend.review.docs import render_rule_markdown
from mcp_backend.review.engine import ReviewError, review, run_review
from mcp_backend.review.model import Evidence, ProjectIndex, Protection, ReviewRequest, Route
from mcp_backend.review.report import render_json, render_markdown, render_text
from mcp_backend.review.sarif import to_sarif

from .conftest import (
    DANGER_RULE,
    STANDARD_DETECTORS,
    TEST_CATALOG,
    OpenRouteProjectRule,
    write_tree,
)

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
STRIPE_KEY = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "proj",
        {
            "app/settings.py": f'STRIPE_KEY = "{STRIPE_KEY}"\nDEBUG = False\n',
            "app/aws.py": f'def client():\n    danger("{AWS_KEY}")\n',
            "app/jobs.py": "".join(f"def job{i}():\n    danger({i})\n" for i in range(7)),
            "app/log.py": "notice('started')\n",
        },
    )


def full(root: Path, cache_dir: Path, **kwargs: object) -> engine.ReviewOutcome:
    request = ReviewRequest.model_validate(
        {"root": root, "cache_dir": cache_dir, "jobs": 1} | kwargs
    )
    return run_review(request)


def test_findings_sorted_most_severe_first_and_paginated(
    project: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    first = review(ReviewRequest(root=project, cache_dir=cache_dir, jobs=1, limit=4))
    assert first.findings_total == 10
    assert len(first.findings) == 4
    assert first.next_offset == 4
    assert first.findings[0].severity == "high"
    assert any("pass offset=4" in note for note in first.notes)
    pages = [first]
    while pages[-1].next_offset is not None:
        pages.append(
            review(
                ReviewRequest(
                    root=project,
                    cache_dir=cache_dir,
                    jobs=1,
                    limit=4,
                    offset=pages[-1].next_offset,
                )
            )
        )
    everything = [f for page in pages for f in page.findings]
    assert len(everything) == 10
    assert len({(f.file, f.line, f.rule_id) for f in everything}) == 10
    severities = [f.severity for f in everything]
    assert severities == sorted(severities, key=lambda s: {"high": 0, "low": 1}[s])
    assert pages[-1].next_offset is None
    # summary and checklist are the same on every page
    assert all(p.summary.findings == 10 for p in pages)


def test_items_filter_limits_findings_and_checklist(
    project: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    report = review(ReviewRequest(root=project, cache_dir=cache_dir, jobs=1, items=["logging"]))
    assert {f.checklist_item for f in report.findings} == {"logging"}
    assert [v.item for v in report.checklist] == ["logging"]


def test_secrets_masked_in_markdown_text_json_and_sarif(
    project: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    outcome = full(project, cache_dir)
    report = outcome.page(0, None)
    secret_findings = [f for f in outcome.findings if f.rule_id == "hardcoded-secret"]
    assert secret_findings and secret_findings[0].snippet == 'STRIPE_KEY = "sk_l****"'
    rendered = {
        "markdown": render_markdown(report),
        "text": render_text(report),
        "json": render_json(report),
        "sarif": json.dumps(to_sarif(report, outcome.findings, catalog=TEST_CATALOG)),
    }
    for name, text in rendered.items():
        assert STRIPE_KEY not in text, name
        assert AWS_KEY not in text, name  # a known token format, masked in any rule's snippet
        assert "AKIA****" in text, name


def test_sarif_is_valid_against_the_official_schema(
    project: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    outcome = full(project, cache_dir)
    sarif = to_sarif(outcome.page(0, 5), outcome.findings, catalog=TEST_CATALOG)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)

    run = sarif["runs"][0]
    assert len(run["results"]) == 10  # all findings, not one page
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    danger = rules["test-danger-call"]
    assert danger["helpUri"] == "backend://rules/test-danger-call"
    assert "## What it does" in danger["help"]["markdown"]
    assert "CWE-78" in danger["properties"]["tags"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {
        "test-danger-call": "error",
        "hardcoded-secret": "error",
        "test-notice-call": "note",
    }
    first = run["results"][0]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uriBaseId"] == "SRCROOT"
    assert location["region"]["startLine"] >= 1
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == first["ruleId"]


def test_sarif_schema_rejects_a_broken_log() -> None:
    # Guards the guard: the vendored schema really constrains the document.
    schema = json.loads(SCHEMA.read_text())
    broken = {"version": "2.1.0", "runs": [{"results": [{"level": "fatal"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(broken)


def test_routes_are_listed_and_feed_project_rules(
    project: Path,
    detectors: Callable[..., None],
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    detectors(python=STANDARD_DETECTORS, project=(OpenRouteProjectRule(),))
    routes = [
        Route(
            method="POST",
            path="/orders",
            handler="create",
            file="app/jobs.py",
            line=1,
            framework="fastapi",
        ),
        Route(
            method="GET",
            path="/me",
            handler="me",
            file="app/jobs.py",
            line=3,
            framework="fastapi",
            auth=Protection(
                status="present",
                evidence=[
                    Evidence(kind="dependency", detail="Depends(current_user)", file="app/jobs.py")
                ],
            ),
        ),
    ]

    def fake_link(results: object, root: str) -> tuple[ProjectIndex, list[str]]:
        return ProjectIndex(root=root, routes=routes, frameworks=["fastapi"]), []

    monkeypatch.setattr(engine, "link_project", fake_link)
    report = review(ReviewRequest(root=project, cache_dir=cache_dir, jobs=1))
    assert report.routes_total == 2
    open_route = [f for f in report.findings if f.rule_id == "test-open-route"]
    assert [(f.route, f.line) for f in open_route] == [("POST /orders", 1)]
    auth = next(v for v in report.checklist if v.item == "authentication")
    assert auth.verdict == "fail"
    markdown = render_markdown(report)
    assert "| POST | `/orders` | `create` | no |" in markdown
    assert "yes: Depends(current_user)" in markdown
    assert report.summary.frameworks == ["fastapi"]


def test_markdown_starts_with_summary_and_fences_snippets(
    project: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    report = full(project, cache_dir).page(0, 3)
    markdown = render_markdown(report)
    lines = markdown.splitlines()
    assert lines[0].startswith("# Backend review:")
    assert lines[2] == f"**{report.summary.headline}**"
    assert markdown.index("## Checklist") < markdown.index("## Findings (1-3 of 10)")
    assert "```python\n" in markdown
    assert "[`test-danger-call`](backend://rules/test-danger-call)" in markdown
    assert "_More results: pass offset=3._" in markdown


def test_rule_doc_markdown() -> None:
    text = render_rule_markdown(DANGER_RULE)
    assert text.startswith("# Call to danger()\n")
    for heading in ("## What it does", "## Why it matters", "## Example", "## Use instead"):
        assert heading in text
    assert "[CWE-78](https://cwe.mitre.org/data/definitions/78.html)" in text
    assert "mcp-backend-ignore test-danger-call:" in text


def test_cli_exit_codes_and_formats(
    project: Path, detectors: Callable[..., None], cache_dir: Path, tmp_path: Path
) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_review_cli(project, "json", None, "high", stdout=out, stderr=err) == 1
    assert json.loads(out.getvalue())["findings_total"] == 10
    assert run_review_cli(project, "text", None, "critical", stdout=out, stderr=err) == 0
    assert run_review_cli(project, "text", None, "none", stdout=out, stderr=err) == 0
    target = tmp_path / "review.sarif"
    assert run_review_cli(project, "sarif", target, "low", stdout=out, stderr=err) == 1
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert "report written to" in err.getvalue()
    clean = write_tree(tmp_path / "clean", {"ok.py": "x = 1\n"})
    assert run_review_cli(clean, "markdown", None, "info", stdout=out, stderr=err) == 0


def test_cli_usage_errors_exit_2(tmp_path: Path, detectors: Callable[..., None]) -> None:
    err = io.StringIO()
    assert run_review_cli(tmp_path / "missing", "text", None, "high", stderr=err) == 2
    assert "is not a directory" in err.getvalue()
    assert run_review_cli(tmp_path, "yaml", None, "high", stderr=err) == 2
    assert "unknown format" in err.getvalue()
    assert run_review_cli(tmp_path, "text", None, "severe", stderr=err) == 2
    assert run_review_cli(tmp_path, "text", None, "high", min_severity="loud", stderr=err) == 2
    assert "min_severity" in err.getvalue()


def test_missing_root_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="does not exist"):
        review(ReviewRequest(root=tmp_path / "nope"))


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True,
        capture_output=True,
        timeout=30,
    )


def test_changed_only_reviews_modified_and_untracked_files(
    project: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "init")
    (project / "app" / "log.py").write_text("notice('changed')\ndanger(1)\n")
    (project / "app" / "new.py").write_text("danger(2)\n")
    report = review(ReviewRequest(root=project, cache_dir=cache_dir, jobs=1, changed_only=True))
    assert {f.file for f in report.findings} == {"app/log.py", "app/new.py"}
    assert report.summary.files_scanned == 2


def test_changed_only_outside_git_is_a_clear_error(
    project: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    with pytest.raises(ReviewError, match="not inside a git work tree"):
        review(ReviewRequest(root=project, cache_dir=cache_dir, jobs=1, changed_only=True))
