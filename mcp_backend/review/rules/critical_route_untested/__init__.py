"""Catalog entry: critical route (auth, payments, deletion, admin) that no test refers to."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="critical-route-untested",
    name="Critical route without a test",
    checklist_item="tests",
    severity="medium",
    confidence="medium",
    cwe=None,
    owasp=None,
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
