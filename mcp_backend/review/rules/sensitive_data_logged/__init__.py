"""Catalog entry: Sensitive data written to logs."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="sensitive-data-logged",
    name="Sensitive data written to logs",
    checklist_item="logging",
    severity="medium",
    confidence="medium",
    cwe=532,
    owasp="A09:2021 Security Logging and Monitoring Failures",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
