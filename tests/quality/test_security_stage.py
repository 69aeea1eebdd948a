"""The security stage: review findings become diagnostics; high and critical fail the stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from mcp_backend.quality.engine import apply_review, review_engine_available
from mcp_backend.quality.models import Stage
from mcp_backend.quality.run import base_result
from mcp_backend.review.model import Finding, ReviewReport, ReviewSummary


def review_report(findings: list[Finding]) -> ReviewReport:
    by_severity: dict[str, int] = {}
    for finding in findings:
        by_severity[finding.severity] = by_severity.get(finding.severity, 0) + 1
    summary = ReviewSummary(
        headline=f"{len(findings)} findings", files_scanned=3, files_skipped=0,
        lines_scanned=120, routes=2, findings=len(findings), by_severity=by_severity,
    )  # fmt: skip
    return ReviewReport(
        root="/srv/api", summary=summary, checklist=[], findings=findings,
        findings_total=len(findings) + 5, routes=[], routes_total=2,
    )  # fmt: skip


def finding(severity: str, rule: str, line: int, cwe: int | None = None) -> Finding:
    return Finding.model_validate(
        {
            "rule_id": rule, "checklist_item": "sql-injection", "severity": severity,
            "confidence": "high", "message": f"{rule} here", "file": "app/db.py",
            "line": line, "cwe": cwe,
        }
    )  # fmt: skip


def security_stage() -> Stage:
    return Stage(id="security", name="security", language="any", tool="mcp-backend review",
                 cwd=Path("/srv/api"), in_process=True)  # fmt: skip


def test_high_findings_fail_the_stage_with_cwe_in_the_message() -> None:
    result = base_result(security_stage())
    report = review_report(
        [finding("high", "sql-string-query", 12, cwe=89), finding("medium", "no-rate-limit", 3)]
    )
    apply_review(result, report)
    assert result.status == "failed"
    assert (result.counts.errors, result.counts.warnings) == (1, 1)
    high = result.diagnostics[0]
    assert (high.file, high.line, high.code, high.severity) == (
        "app/db.py", 12, "sql-string-query", "error",
    )  # fmt: skip
    assert high.message == "[high] sql-string-query here (CWE-89)"
    assert result.diagnostics[1].severity == "warning"
    assert result.diagnostics_total == 7  # the review's own total, beyond its first page


def test_only_medium_and_low_findings_pass() -> None:
    result = base_result(security_stage())
    apply_review(result, review_report([finding("medium", "x", 1), finding("low", "y", 2)]))
    assert result.status == "passed"
    assert [d.severity for d in result.diagnostics] == ["warning", "info"]


@pytest.mark.skipif(not review_engine_available(), reason="review engine not built yet")
def test_review_engine_is_importable_the_way_the_stage_imports_it() -> None:
    from mcp_backend.review.engine import review
    from mcp_backend.review.model import ReviewRequest

    assert callable(review)
    assert ReviewRequest(root=Path("/srv/api"), jobs=1, min_severity="low").jobs == 1
