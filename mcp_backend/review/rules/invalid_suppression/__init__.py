from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="invalid-suppression",
    name="Suppression comment without a reason or with an unknown rule id",
    checklist_item="architecture",
    severity="low",
    confidence="high",
    cwe=None,
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)
