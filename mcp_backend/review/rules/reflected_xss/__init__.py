"""Catalog entry: reflected XSS."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="reflected-xss",
    name="HTML response built from request data",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=79,
    owasp="A03:2021 Injection",
    languages=["python", "javascript"],  # JS/TS through the taint engine
    doc=rule_doc(__name__),
)
