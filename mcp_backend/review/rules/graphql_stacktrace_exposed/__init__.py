"""Catalog entry: a GraphQL server that puts stack traces in its error responses."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="graphql-stacktrace-exposed",
    name="GraphQL errors expose stack traces",
    checklist_item="error-handling",
    severity="medium",
    confidence="high",
    cwe=209,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
