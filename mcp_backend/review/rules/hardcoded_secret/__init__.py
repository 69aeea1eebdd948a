"""Catalog entry: Hard-coded secret."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="hardcoded-secret",
    name="Hard-coded secret",
    checklist_item="secrets",
    severity="high",
    confidence="medium",
    cwe=798,
    owasp="A07:2021 Identification and Authentication Failures",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
