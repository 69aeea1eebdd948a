"""Catalog entry: a GraphQL server with no query depth or complexity limit."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="graphql-no-depth-limit",
    name="GraphQL server without a query depth or cost limit",
    checklist_item="rate-limiting",
    severity="low",
    confidence="medium",
    cwe=770,
    owasp="API4:2023 Unrestricted Resource Consumption",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
