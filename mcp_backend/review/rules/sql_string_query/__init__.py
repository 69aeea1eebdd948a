"""Catalog entry: SQL built from strings."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="sql-string-query",
    name="SQL built from strings",
    checklist_item="sql-injection",
    severity="high",
    confidence="high",
    cwe=89,
    owasp="A03:2021 Injection",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
