"""Catalog entry: a GraphQL field resolver that queries once per parent object."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="graphql-resolver-n-plus-one",
    name="GraphQL field resolver queries once per parent (no DataLoader)",
    checklist_item="n-plus-one",
    severity="low",
    confidence="medium",
    cwe=1073,
    owasp=None,
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
