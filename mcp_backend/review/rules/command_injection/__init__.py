"""Catalog entry: OS command built from input."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="command-injection",
    name="OS command built from input",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=78,
    owasp="A03:2021 Injection",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
