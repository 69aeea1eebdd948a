"""Catalog entry: TLS certificate verification disabled."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="ssl-verify-disabled",
    name="TLS certificate verification disabled",
    checklist_item="transport-security",
    severity="high",
    confidence="high",
    cwe=295,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
