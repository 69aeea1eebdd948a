"""Catalog entry: Debug mode enabled."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="debug-mode-enabled",
    name="Debug mode enabled",
    checklist_item="error-handling",
    severity="high",
    confidence="high",
    cwe=489,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python"],
    doc=rule_doc(__name__),
)
