"""Catalog entry: File path built from request data."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="path-traversal",
    name="File path built from request data",
    checklist_item="injection",
    severity="high",
    confidence="medium",
    cwe=22,
    owasp="A01:2021 Broken Access Control",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
