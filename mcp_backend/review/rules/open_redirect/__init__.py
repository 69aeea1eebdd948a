"""Catalog entry: open redirect."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="open-redirect",
    name="Redirect to a URL from the request",
    checklist_item="input-validation",
    severity="medium",
    confidence="high",
    cwe=601,
    owasp="A01:2021 Broken Access Control",
    languages=["python", "javascript"],  # JS/TS through the taint engine
    doc=rule_doc(__name__),
)
