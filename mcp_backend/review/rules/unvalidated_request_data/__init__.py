"""Catalog entry: raw request body used without a schema."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="unvalidated-request-data",
    name="Request data used without validation",
    checklist_item="input-validation",
    severity="medium",
    confidence="medium",
    cwe=20,
    owasp="A03:2021 Injection",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
