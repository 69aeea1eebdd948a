"""Catalog entry: server-side request forgery."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="ssrf",
    name="Outbound request to a URL from the request",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=918,
    owasp="A10:2021 Server-Side Request Forgery",
    languages=["python", "javascript"],  # JS/TS through the taint engine
    doc=rule_doc(__name__),
)
