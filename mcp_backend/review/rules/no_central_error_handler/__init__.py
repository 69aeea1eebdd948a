"""Catalog entry: a web project with routes and no global error handler."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="no-central-error-handler",
    name="No central error handler",
    checklist_item="error-handling",
    severity="medium",
    confidence="medium",
    cwe=755,
    owasp="A04:2021 Insecure Design",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
