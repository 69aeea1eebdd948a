"""Catalog entry: GraphQL introspection or an in-browser IDE left on in production."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="graphql-introspection-enabled",
    name="GraphQL introspection or IDE enabled in production",
    checklist_item="transport-security",
    severity="low",
    confidence="high",
    cwe=200,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
