"""Catalog entry: Weak password hashing."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="weak-password-hash",
    name="Weak password hashing",
    checklist_item="password-hashing",
    severity="high",
    confidence="high",
    cwe=916,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
