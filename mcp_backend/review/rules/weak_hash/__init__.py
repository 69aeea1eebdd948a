"""Catalog entry: MD5/SHA-1 protecting something against an attacker."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="weak-hash",
    name="MD5 or SHA-1 used for a security purpose",
    checklist_item="secrets",
    severity="medium",
    confidence="medium",
    cwe=328,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python"],
    doc=rule_doc(__name__),
)
