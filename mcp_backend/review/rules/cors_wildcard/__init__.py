"""Catalog entry: CORS allows any origin."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="cors-wildcard",
    name="CORS allows any origin",
    checklist_item="cors",
    severity="medium",
    confidence="high",
    cwe=942,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
