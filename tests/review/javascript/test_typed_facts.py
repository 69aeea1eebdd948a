"""The per-file JS/TS facts are typed (review/facts.py): what the analyzer stores is what the
linker validates back, and a result of another shape fails loudly instead of being misread."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mcp_backend.review.facts import JsModuleFacts
from mcp_backend.review.javascript import analyze_file, link_javascript

_APP = (
    "import express from 'express';\n"
    "import { requireAuth as auth } from './auth';\n"
    "const app = express();\n"
    "app.get('/users', auth, (req, res) => res.json([]));\n"
    "export default app;\n"
)


def test_stored_facts_validate_and_round_trip() -> None:
    result = analyze_file("src/app.ts", _APP, "typescript")
    facts = JsModuleFacts.model_validate(result.facts)
    assert facts.imports["auth"].source == "./auth"
    assert facts.imports["auth"].name == "requireAuth"
    assert facts.exports == {"default": "app"}
    assert facts.model_dump(exclude_defaults=True) == result.facts


def test_facts_of_an_older_shape_fail_loudly() -> None:
    result = analyze_file("src/app.ts", _APP, "typescript")
    stale = result.model_copy(update={"facts": {**result.facts, "imports": {"x": "./x"}}})
    with pytest.raises(ValidationError):
        link_javascript([stale], "/project")
    unknown = result.model_copy(update={"facts": {**result.facts, "routers": {}}})
    with pytest.raises(ValidationError):
        link_javascript([unknown], "/project")
