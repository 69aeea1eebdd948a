"""Catalog entry: admin route that authenticates but never checks a role."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="admin-route-missing-role",
    name="Admin route without a role check",
    checklist_item="authorization",
    severity="high",
    confidence="medium",
    cwe=285,
    owasp="A01:2021 Broken Access Control",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
