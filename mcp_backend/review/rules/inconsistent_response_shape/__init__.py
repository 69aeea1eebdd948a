"""Catalog entry: JSON routes returning different envelope shapes."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="inconsistent-response-shape",
    name="Inconsistent response shape",
    checklist_item="response-format",
    severity="low",
    confidence="low",
    cwe=None,
    owasp=None,
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
