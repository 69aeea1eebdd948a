"""Catalog entry: login / registration / password reset without a rate limit in code."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="auth-route-missing-rate-limit",
    name="Authentication endpoint without rate limiting",
    checklist_item="rate-limiting",
    severity="medium",
    confidence="low",
    cwe=307,
    owasp="A07:2021 Identification and Authentication Failures",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
