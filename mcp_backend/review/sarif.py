"""SARIF 2.1.0, the format code-scanning systems read.

`to_sarif(report, all_findings)`: the report gives the run's context (root, notes), the
findings are all of them (not one page). With a baseline, results carry `baselineState`: the
reported findings are `new`, and the ones the baseline hid are listed too, `unchanged` and
suppressed externally (code-scanning systems then do not raise them as alerts). Rules come
from the catalog, each with its Markdown doc and a helpUri to backend://rules/{id}.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mcp_backend import __version__
from mcp_backend.review.docs import render_rule_markdown, rule_uri
from mcp_backend.review.model import Finding, ReviewReport, RuleMeta
from mcp_backend.review.rules import all_rules
from mcp_backend.review.secrets_mask import mask_finding

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
_LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning reads this property (0.1-10) to rank security results.
_SECURITY_SEVERITY = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.5",
    "low": "3.0",
    "info": "1.0",
}


def sarif_level(severity: str) -> str:
    return _LEVELS.get(severity, "warning")


def _rule_descriptor(meta: RuleMeta) -> dict[str, Any]:
    tags = ["security" if meta.cwe is not None else "maintainability", meta.checklist_item]
    if meta.cwe is not None:
        tags.append(f"external/cwe/cwe-{meta.cwe}")
        tags.append(f"CWE-{meta.cwe}")
    properties: dict[str, Any] = {
        "tags": tags,
        "precision": {"high": "high", "medium": "medium", "low": "low"}[meta.confidence],
        "problem.severity": sarif_level(meta.severity).replace("note", "recommendation"),
        "checklistItem": meta.checklist_item,
    }
    if meta.cwe is not None:
        properties["security-severity"] = _SECURITY_SEVERITY[meta.severity]
    return {
        "id": meta.id,
        "name": "".join(part.capitalize() for part in meta.id.split("-")),
        "shortDescription": {"text": meta.name},
        "fullDescription": {"text": meta.doc.what},
        "helpUri": rule_uri(meta.id),
        "help": {
            "text": f"{meta.doc.what}\n\n{meta.doc.why}",
            "markdown": render_rule_markdown(meta),
        },
        "defaultConfiguration": {"level": sarif_level(meta.severity)},
        "properties": properties,
    }


def _fallback_descriptor(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.rule_id,
        "shortDescription": {"text": finding.rule_id},
        "helpUri": rule_uri(finding.rule_id),
        "defaultConfiguration": {"level": sarif_level(finding.severity)},
        "properties": {"tags": [finding.checklist_item], "checklistItem": finding.checklist_item},
    }


def _fingerprint(finding: Finding) -> str:
    # Stable across line moves: rule, file and the offending text (not the line number).
    material = "\x00".join(
        (finding.rule_id, finding.file, finding.snippet.strip(), finding.route or "")
    )
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def _result(
    finding: Finding, rule_index: int, baseline_state: str | None = None, baseline: str = ""
) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": finding.line, "startColumn": finding.column}
    if finding.end_line is not None and finding.end_line >= finding.line:
        region["endLine"] = finding.end_line
    if finding.snippet:
        region["snippet"] = {"text": finding.snippet}
    text = finding.message if not finding.fix else f"{finding.message} Fix: {finding.fix}"
    properties: dict[str, Any] = {
        "severity": finding.severity,
        "confidence": finding.confidence,
        "checklistItem": finding.checklist_item,
    }
    if finding.cwe is not None:
        properties["cwe"] = f"CWE-{finding.cwe}"
    if finding.route:
        properties["route"] = finding.route
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": sarif_level(finding.severity),
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.file, "uriBaseId": "SRCROOT"},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {"mcpBackendFinding/v1": _fingerprint(finding)},
        "properties": properties,
    }
    if baseline_state is not None:
        result["baselineState"] = baseline_state
    if baseline_state == "unchanged":
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": f"in {baseline}"}
        ]
    return result


def to_sarif(
    report: ReviewReport,
    all_findings: Sequence[Finding],
    catalog: Mapping[str, RuleMeta] | None = None,
    *,
    baselined: Sequence[Finding] = (),
) -> dict[str, Any]:
    """SARIF for every finding. When `report.summary.baseline` names the baseline applied,
    `all_findings` are the new ones and `baselined` the ones it hid."""
    rules_by_id = dict(all_rules() if catalog is None else catalog)
    descriptors: list[dict[str, Any]] = [_rule_descriptor(meta) for meta in rules_by_id.values()]
    index_of = {meta_id: i for i, meta_id in enumerate(rules_by_id)}
    results: list[dict[str, Any]] = []
    baseline = report.summary.baseline
    states = [(f, "new" if baseline is not None else None) for f in all_findings]
    if baseline is not None:
        states.extend((f, "unchanged") for f in baselined)
    for raw, state in states:
        finding = mask_finding(raw)  # already masked by the engine; cheap insurance
        if finding.rule_id not in index_of:
            index_of[finding.rule_id] = len(descriptors)
            descriptors.append(_fallback_descriptor(finding))
        results.append(_result(finding, index_of[finding.rule_id], state, baseline or ""))

    root_uri = Path(report.root).resolve().as_uri().rstrip("/") + "/"
    notifications = [{"level": "note", "message": {"text": note}} for note in report.notes] + [
        {"level": "note", "message": {"text": f"skipped {s.file}: {s.reason}"}}
        for s in report.skipped
    ]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mcp-backend",
                        "semanticVersion": __version__,
                        "informationUri": "https://example.invalid/mcp-backend",
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": root_uri}},
                "invocations": [invocation],
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": {
                    "summary": report.summary.headline,
                    "checklist": [
                        {"item": v.item, "verdict": v.verdict, "reason": v.reason}
                        for v in report.checklist
                    ],
                },
            }
        ],
    }
