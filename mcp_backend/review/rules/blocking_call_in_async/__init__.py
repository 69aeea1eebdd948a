"""Catalog entry: Blocking call inside async code."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="blocking-call-in-async",
    name="Blocking call inside async code",
    checklist_item="blocking-io",
    severity="medium",
    confidence="high",
    cwe=None,
    owasp=None,
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
