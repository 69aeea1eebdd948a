"""Catalog entry: Dynamic code evaluation."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="code-eval",
    name="Dynamic code evaluation",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=95,
    owasp="A03:2021 Injection",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
