"""Catalog entry: Query inside a loop over query results (N+1)."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="n-plus-one-query",
    name="Query inside a loop over query results (N+1)",
    checklist_item="n-plus-one",
    severity="medium",
    confidence="medium",
    cwe=1073,
    owasp=None,
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
