"""Catalog entry: record loaded by a client-supplied id without an ownership check (IDOR)."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="object-access-without-ownership",
    name="Object loaded by id without an ownership check",
    checklist_item="authorization",
    severity="medium",
    confidence="medium",
    cwe=639,
    owasp="A01:2021 Broken Access Control",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
