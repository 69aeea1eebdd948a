"""Catalog entry: NoSQL (MongoDB) operator injection."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="nosql-injection",
    name="Request data used as a MongoDB query",
    checklist_item="sql-injection",
    severity="high",
    confidence="medium",
    cwe=943,
    owasp="A03:2021 Injection",
    languages=["javascript"],
    doc=rule_doc(__name__),
)
