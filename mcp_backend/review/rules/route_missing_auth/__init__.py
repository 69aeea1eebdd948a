"""Catalog entry: route that changes data or exposes user data without authentication."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="route-missing-auth",
    name="Route without authentication",
    checklist_item="authentication",
    severity="high",
    confidence="medium",
    cwe=306,
    owasp="A01:2021 Broken Access Control",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
