"""Catalog entry: Giant route handler."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="giant-handler",
    name="Giant route handler",
    checklist_item="architecture",
    severity="low",
    confidence="medium",
    cwe=None,
    owasp=None,
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
