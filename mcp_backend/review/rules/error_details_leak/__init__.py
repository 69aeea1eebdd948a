"""Catalog entry: Internal error details returned to clients."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="error-details-leak",
    name="Internal error details returned to clients",
    checklist_item="error-handling",
    severity="medium",
    confidence="medium",
    cwe=209,
    owasp="A04:2021 Insecure Design",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
