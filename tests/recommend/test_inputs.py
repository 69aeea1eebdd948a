"""Input validation, the allowed-value constants, and alignment with the knowledge base."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mcp_backend.knowledge import load_knowledge
from mcp_backend.recommend import (
    AUTH_NEEDS,
    CLIENTS,
    DATA_NEEDS,
    RUNTIMES,
    SCENARIOS,
    Requirements,
)
from mcp_backend.recommend.clarify import ANSWER_FIELDS
from mcp_backend.recommend.data import ConflictRule, Preference, RecommendData, load_recommend_data

KB = load_knowledge()


def test_allowed_values_match_the_decision_tables() -> None:
    assert set(SCENARIOS) == {row.id for row in KB.framework_selection.rows}
    assert set(DATA_NEEDS) == {row.id for row in KB.database_selection.rows}
    assert set(CLIENTS) == {row.id for row in KB.api_style_selection.rows}
    assert RUNTIMES == ("node", "bun", "deno", "python", "any")
    assert AUTH_NEEDS == ("jwt", "session", "oauth", "roles", "none")


def test_every_clarify_option_is_accepted_by_its_field() -> None:
    for aspect in KB.clarify.aspects:
        _, allowed = ANSWER_FIELDS[aspect.id]
        assert set(aspect.options) <= set(allowed), aspect.id


def test_unknown_runtime_names_the_allowed_values() -> None:
    with pytest.raises(ValidationError) as error:
        Requirements.model_validate({"runtime": "rust"})
    message = str(error.value)
    for allowed in RUNTIMES:
        assert f"'{allowed}'" in message


def test_unknown_scenario_names_the_allowed_values() -> None:
    with pytest.raises(ValidationError) as error:
        Requirements.model_validate({"scenarios": ["blockchain"]})
    assert "'edge-serverless'" in str(error.value)
    assert "'enterprise-cms'" in str(error.value)


@pytest.mark.parametrize(("field", "value"), [("requests_per_second", -1), ("data_size_gb", -0.5)])
def test_negative_scale_is_rejected(field: str, value: float) -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        Requirements.model_validate({field: value})


def test_unknown_existing_technology_names_the_allowed_ids() -> None:
    with pytest.raises(ValidationError) as error:
        Requirements(existing_stack=["cobol-on-cics"])
    message = str(error.value)
    assert "'cobol-on-cics'" in message
    assert "express" in message and "postgresql" in message


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="language"):
        Requirements.model_validate({"language": "go"})


def test_lists_are_deduplicated_and_words_normalised() -> None:
    req = Requirements(
        scenarios=["high-performance", "high-performance"],
        team_languages=[" Python ", "python"],
        existing_stack=["Redis"],
    )
    assert req.scenarios == ["high-performance"]
    assert req.team_languages == ["python"]
    assert req.existing_stack == ["redis"]


def test_field_descriptions_document_allowed_values() -> None:
    for name, info in Requirements.model_fields.items():
        assert info.description, name
    assert "edge-serverless" in (Requirements.model_fields["scenarios"].description or "")


def test_recommend_data_is_cross_checked_and_complete() -> None:
    data = load_recommend_data()
    do_not_default = {entry.id for entry in KB.clarify.do_not_default}
    assert {trigger.id for trigger in data.anti_defaults.triggers} == do_not_default
    for tech in data.techs_of("framework"):
        layout = data.layout_for(tech.id)
        assert layout is not None
        assert {layer.layer for layer in layout.layers} == {
            "controller",
            "service",
            "repository",
            "validation",
            "errors",
            "auth",
        }


def _rebuilt(**changes: object) -> None:
    data = load_recommend_data()
    parts: dict[str, object] = {
        "knowledge": data.knowledge,
        "catalog": data.catalog,
        "stack": data.stack,
        "conflicts": data.conflicts,
        "anti_defaults": data.anti_defaults,
        "layouts": data.layouts,
    }
    parts.update(changes)
    RecommendData.model_validate(parts)


def test_data_errors_are_caught_when_loading() -> None:
    data = load_recommend_data()
    late = Preference(
        id="orm-reads-jobs",
        aspect="orm",
        when=[{"jobs": ["celery"]}],
        prefer=["drizzle"],
        reason="x",
    )
    with pytest.raises(ValidationError, match="orm-reads-jobs reads \\['jobs'\\]"):
        _rebuilt(stack=data.stack.model_copy(update={"preferences": [late]}))

    typo = ConflictRule(
        id="typo",
        title="t",
        when={"framework": ["expresss"], "deployment": ["edge"]},
        explanation="e",
        resolution="r",
    )
    with pytest.raises(ValidationError, match="unknown technology 'expresss'"):
        _rebuilt(conflicts=data.conflicts.model_copy(update={"conflicts": [typo]}))


def test_a_conflict_over_inputs_alone_is_rejected() -> None:
    with pytest.raises(ValidationError, match="at least one chosen aspect"):
        ConflictRule(
            id="inputs-only",
            title="t",
            when={"scenarios": ["edge-serverless"], "data_needs": ["simple-local"]},
            explanation="e",
            resolution="r",
        )
