"""Baselines (issue 15): record today's findings, report only the ones a change introduces."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mcp_backend.cli.review import run_review_cli
from mcp_backend.review.baseline import (
    DEFAULT_BASELINE_NAME,
    fingerprint,
    load_baseline,
    normalise_code,
)
from mcp_backend.review.engine import ReviewError, ReviewOutcome, run_review
from mcp_backend.review.model import Finding, ReviewRequest
from mcp_backend.review.sarif import to_sarif

APP = """\
import os
import sqlite3

from flask import Flask

app = Flask(__name__)


def count_rows(table_rows):
    count = 0
    for row in table_rows:
        count += 1
    return count


def find_user(name):
    db = sqlite3.connect("app.db")
    return db.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()


def ping(host):
    os.system("ping -c 1 " + host)
"""
SQL_LINE = (
    """    return db.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()\n"""
)
EVAL = "\n\ndef run(expression):\n    return eval(expression)\n"
PING = """

def ping_again(host):
    os.system("ping -c 1 " + host)
"""


def review(root: Path, **options: object) -> ReviewOutcome:
    return run_review(ReviewRequest.model_validate({"root": root, "use_cache": False, **options}))


def rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text(APP)
    return root


@pytest.fixture
def baselined(project: Path) -> Path:
    """The project with today's findings recorded in its default baseline file."""
    recorded = review(project, write_baseline=project / DEFAULT_BASELINE_NAME)
    assert rules(recorded.findings) == ["command-injection", "sql-string-query"]
    return project


def edit(root: Path, old: str, new: str) -> None:
    source = (root / "app.py").read_text()
    assert old in source
    (root / "app.py").write_text(source.replace(old, new, 1))


# --------------------------------------------------------------------------- what survives


def test_unchanged_code_has_no_new_findings(baselined: Path) -> None:
    outcome = review(baselined)
    assert outcome.findings == []
    assert rules(outcome.baselined) == ["command-injection", "sql-string-query"]
    assert (outcome.summary.baseline, outcome.summary.baseline_hidden) == (DEFAULT_BASELINE_NAME, 2)
    assert outcome.summary.headline.startswith("No new findings in 1 file")
    assert "2 hidden by the baseline .mcp-backend-baseline.json" in outcome.summary.headline


def test_lines_inserted_above_a_finding_keep_it_baselined(baselined: Path) -> None:
    edit(baselined, "def find_user(name):\n", "# one\n# two\n# three\ndef find_user(name):\n")
    outcome = review(baselined)
    assert outcome.findings == []
    assert [f.line for f in outcome.baselined if f.rule_id == "sql-string-query"] == [21]


def test_a_variable_renamed_elsewhere_in_the_file_keeps_findings_baselined(
    baselined: Path,
) -> None:
    for old in ("    count = 0\n", "        count += 1\n", "    return count\n"):
        edit(baselined, old, old.replace("count", "total"))
    assert "total += 1" in (baselined / "app.py").read_text()
    assert review(baselined).findings == []


def test_a_variable_renamed_on_the_finding_line_keeps_it_baselined(baselined: Path) -> None:
    edit(baselined, 'system("ping -c 1 " + host)', 'system("ping -c 1 " + target)')
    edit(baselined, "def ping(host):", "def ping(target):")
    assert review(baselined).findings == []


def test_a_finding_whose_own_line_changed_is_new(baselined: Path) -> None:
    edit(baselined, SQL_LINE, SQL_LINE.replace("SELECT *", "SELECT id, email"))
    outcome = review(baselined)
    assert rules(outcome.findings) == ["sql-string-query"]
    assert rules(outcome.baselined) == ["command-injection"]
    assert outcome.summary.headline.startswith("1 new finding (1 medium)")
    assert outcome.summary.baseline_unmatched == 1  # the old SQL line's entry


def test_a_new_vulnerability_is_the_only_new_finding(baselined: Path) -> None:
    (baselined / "app.py").write_text(APP + EVAL)
    outcome = review(baselined)
    assert [(f.rule_id, f.line) for f in outcome.findings] == [("code-eval", 26)]
    assert outcome.summary.findings == 1 and outcome.summary.baseline_hidden == 2


def test_two_identical_findings_with_one_baselined_leave_one_new(baselined: Path) -> None:
    (baselined / "app.py").write_text(APP + PING)
    outcome = review(baselined)
    assert [(f.rule_id, f.line) for f in outcome.findings] == [("command-injection", 26)]
    assert sorted(f.line for f in outcome.baselined) == [18, 22]


def test_a_baseline_with_two_identical_entries_hides_both(project: Path) -> None:
    (project / "app.py").write_text(APP + PING)
    review(project, write_baseline=project / DEFAULT_BASELINE_NAME)
    entries = load_baseline(project / DEFAULT_BASELINE_NAME).findings
    pings = [e for e in entries if e.rule == "command-injection"]
    assert len(pings) == 2 and pings[0].fingerprint == pings[1].fingerprint
    assert review(project).findings == []


def test_no_baseline_reports_everything_and_the_default_file_can_be_ignored(
    project: Path, baselined: Path
) -> None:
    outcome = review(baselined, use_baseline=False)
    assert rules(outcome.findings) == ["command-injection", "sql-string-query"]
    assert outcome.summary.baseline is None and outcome.baselined == []
    assert "hidden" not in outcome.summary.headline


def test_a_named_baseline_elsewhere_is_applied(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "baselines" / "api.json"
    elsewhere.parent.mkdir()
    review(project, write_baseline=elsewhere)
    assert not (project / DEFAULT_BASELINE_NAME).exists()
    assert review(project).summary.baseline is None  # no default file: nothing applied
    outcome = review(project, baseline=elsewhere)
    assert outcome.findings == [] and outcome.summary.baseline == str(elsewhere)


# --------------------------------------------------------------------------- the file


def test_the_baseline_file_is_stable_sorted_versioned_json(project: Path) -> None:
    path = project / DEFAULT_BASELINE_NAME
    review(project, write_baseline=path)
    first = path.read_bytes()
    review(project, write_baseline=path)
    assert path.read_bytes() == first  # same findings, same bytes: a clean diff
    data = json.loads(first)
    assert list(data) == ["tool", "version", "findings"]
    assert (data["tool"], data["version"]) == ("mcp-backend", 1)
    assert [list(e) for e in data["findings"]] == [
        ["rule", "file", "line", "fingerprint", "message"]
    ] * 2
    assert [(e["file"], e["line"], e["rule"]) for e in data["findings"]] == [
        ("app.py", 18, "sql-string-query"),
        ("app.py", 22, "command-injection"),
    ]
    assert "SQL built with concatenation" in data["findings"][0]["message"]
    assert first.decode().count("\n") > 10  # one field a line, readable in a diff


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"tool": "mcp-backend", "version": 1, "findings": [', "is corrupt: not valid JSON"),
        ('{"name": "my-app", "version": "1.0.0"}', "is not an mcp-backend baseline"),
        ("[1, 2, 3]", "is not an mcp-backend baseline"),
        ('{"tool": "mcp-backend", "version": 2, "findings": []}', "has version 2, newer than"),
        ('{"tool": "mcp-backend", "version": 1, "findings": [{"rule": "x"}]}', "is corrupt: "),
        ('{"tool": "mcp-backend", "version": "one", "findings": []}', "is corrupt: version"),
    ],
    ids=["corrupt", "foreign", "foreign-array", "future", "bad-entry", "bad-version"],
)
def test_an_unusable_baseline_is_a_clear_error_never_no_findings(
    project: Path, content: str, expected: str
) -> None:
    (project / DEFAULT_BASELINE_NAME).write_text(content)
    with pytest.raises(ReviewError, match=expected) as caught:
        review(project)
    assert "\n" not in str(caught.value)
    err = io.StringIO()
    out = io.StringIO()
    code = run_review_cli(project, stdout=out, stderr=err, use_cache=False)
    assert code == 2 and out.getvalue() == ""
    assert err.getvalue().startswith("error: baseline ") or "not an mcp-backend" in err.getvalue()
    assert expected in err.getvalue() and err.getvalue().count("\n") == 1


def test_a_missing_named_baseline_is_an_error(project: Path) -> None:
    with pytest.raises(ReviewError, match="does not exist"):
        review(project, baseline=project / "nope.json")


def test_writing_a_baseline_needs_the_whole_project(project: Path) -> None:
    with pytest.raises(ReviewError, match="whole project"):
        review(project, write_baseline=project / "b.json", changed_only=True)
    with pytest.raises(ReviewError, match="not both"):
        review(project, write_baseline=project / "b.json", baseline=project / "a.json")


def test_a_default_baseline_linked_from_outside_the_project_is_refused(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.json"
    review(project, write_baseline=outside)
    (project / DEFAULT_BASELINE_NAME).symlink_to(outside)
    with pytest.raises(ReviewError, match="leads outside the project"):
        review(project)


# --------------------------------------------------------------------------- CLI and SARIF


def test_cli_writes_then_applies_a_baseline_with_exit_codes(project: Path) -> None:
    path = project / "review-baseline.json"
    err = io.StringIO()
    assert run_review_cli(project, write_baseline=path, stdout=io.StringIO(), stderr=err) == 0
    assert "2 findings recorded" in err.getvalue()
    # no default baseline: the medium findings fail the run again
    assert (
        run_review_cli(project, fail_on="medium", stdout=io.StringIO(), stderr=io.StringIO()) == 1
    )
    out = io.StringIO()
    assert run_review_cli(project, baseline=path, stdout=out, stderr=io.StringIO()) == 0
    assert "No new findings" in out.getvalue()
    (project / "app.py").write_text(APP + EVAL)
    out = io.StringIO()
    code = run_review_cli(
        project, baseline=path, fail_on="medium", stdout=out, stderr=io.StringIO()
    )
    assert code == 1 and "1 new finding (1 medium)" in out.getvalue()


def test_sarif_marks_new_and_unchanged_results(baselined: Path) -> None:
    edit(baselined, SQL_LINE, SQL_LINE.replace("SELECT *", "SELECT id"))
    outcome = review(baselined)
    sarif = to_sarif(outcome.page(0, None), outcome.findings, baselined=outcome.baselined)
    results = sarif["runs"][0]["results"]
    states = sorted((r["ruleId"], r["baselineState"]) for r in results)
    assert states == [("command-injection", "unchanged"), ("sql-string-query", "new")]
    unchanged = next(r for r in results if r["baselineState"] == "unchanged")
    assert unchanged["suppressions"][0]["kind"] == "external"
    assert "suppressions" not in next(r for r in results if r["baselineState"] == "new")


def test_sarif_without_a_baseline_has_no_baseline_state(project: Path) -> None:
    outcome = review(project)
    results = to_sarif(outcome.page(0, None), outcome.findings)["runs"][0]["results"]
    assert results and all("baselineState" not in r for r in results)


# --------------------------------------------------------------------------- fingerprint


def test_normalisation_drops_whitespace_and_comments_and_numbers_local_names() -> None:
    a = normalise_code('db.execute(  "SELECT " +name)  # legacy', "app.py")
    b = normalise_code('db.execute(\n    "SELECT " + user_name,\n)'.replace(",\n", "\n"), "app.py")
    assert a == b == '_1 . execute ( "SELECT " + _2 )'
    assert normalise_code("a + b", "x.py") != normalise_code("a + a", "x.py")
    assert normalise_code('os.system("x")', "x.py") != normalise_code('os.popen("x")', "x.py")
    assert normalise_code('"SELECT a"', "x.py") != normalise_code('"SELECT b"', "x.py")
    js = normalise_code("db.query(`SELECT ${id}` + q) // old\n/* c */", "api.ts")
    assert js == "_1 . query ( `SELECT ${id}` + _2 )"
    assert normalise_code("return eval(code)", "x.js") == "return eval ( _1 )"


def test_fingerprint_includes_rule_file_and_route() -> None:
    base = Finding(
        rule_id="route-missing-auth", checklist_item="authentication", severity="high",
        confidence="high", message="m", file="app.py", line=3, snippet="@app.get('/a')",
        route="GET /a",
    )  # fmt: skip
    moved = base.model_copy(update={"line": 90, "message": "other words"})
    assert fingerprint(base) == fingerprint(moved)
    for change in ({"route": "GET /b"}, {"file": "other.py"}, {"rule_id": "x"}):
        assert fingerprint(base) != fingerprint(base.model_copy(update=change))
