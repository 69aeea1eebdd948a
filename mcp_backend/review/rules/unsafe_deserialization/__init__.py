"""Catalog entry: Unsafe deserialization."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="unsafe-deserialization",
    name="Unsafe deserialization",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=502,
    owasp="A08:2021 Software and Data Integrity Failures",
    languages=["python", "javascript"],  # JS/TS through the taint engine
    doc=rule_doc(__name__),
)
