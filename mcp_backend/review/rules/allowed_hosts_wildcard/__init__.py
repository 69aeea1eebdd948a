"""Catalog entry: Django ALLOWED_HOSTS accepts any host."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="allowed-hosts-wildcard",
    name="Django ALLOWED_HOSTS accepts any host",
    checklist_item="transport-security",
    severity="medium",
    confidence="high",
    cwe=16,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python"],
    doc=rule_doc(__name__),
)
