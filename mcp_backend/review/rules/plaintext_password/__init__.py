"""Catalog entry: Password stored or compared in plain text."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="plaintext-password",
    name="Password stored or compared in plain text",
    checklist_item="password-hashing",
    severity="critical",
    confidence="medium",
    cwe=256,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
