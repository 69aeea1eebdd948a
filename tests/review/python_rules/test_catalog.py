from __future__ import annotations

import pytest

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import all_rules, python_detectors

FILE_LOCAL_RULES = {
    "sql-string-query",
    "hardcoded-secret",
    "weak-password-hash",
    "plaintext-password",
    "jwt-unverified",
    "cors-wildcard",
    "error-details-leak",
    "debug-mode-enabled",
    "sensitive-data-logged",
    "blocking-call-in-async",
    "n-plus-one-query",
    "giant-handler",
    "unsafe-deserialization",
    "code-eval",
    "command-injection",
    "path-traversal",
    "ssl-verify-disabled",
    "allowed-hosts-wildcard",
    "insecure-cookie",
}


def _detector_rules() -> dict[str, RuleMeta]:
    rules: dict[str, RuleMeta] = {}
    for detector in python_detectors():
        rule = detector.rule
        assert isinstance(rule, RuleMeta)
        assert callable(detector.check)
        rules[rule.id] = rule
    return rules


def test_every_detector_rule_is_in_the_catalog() -> None:
    catalog = all_rules()
    for rule_id, rule in _detector_rules().items():
        assert catalog.get(rule_id) is rule


def test_every_file_local_rule_has_a_python_detector() -> None:
    assert set(_detector_rules()) >= FILE_LOCAL_RULES


@pytest.mark.parametrize("rule_id", sorted(FILE_LOCAL_RULES))
def test_doc_has_all_parts_with_examples(rule_id: str) -> None:
    rule = all_rules()[rule_id]
    doc = rule.doc
    assert len(doc.what) > 80 and len(doc.why) > 80
    for part in (doc.example, doc.instead):
        assert "```python" in part
        if "javascript" in rule.languages:
            assert "```ts" in part or "```js" in part
        assert part.count("```") % 2 == 0
    assert doc.references and all(r.startswith("https://") for r in doc.references)
