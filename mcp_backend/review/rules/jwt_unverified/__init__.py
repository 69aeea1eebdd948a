"""Catalog entry: JWT not verified."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="jwt-unverified",
    name="JWT not verified",
    checklist_item="jwt",
    severity="critical",
    confidence="high",
    cwe=347,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
