"""Clarify: open aspects become questions; a flat elicitation form; answers fill Requirements."""

from __future__ import annotations

import pytest
from mcp.server.elicitation import render_elicitation_schema
from pydantic import BaseModel, ValidationError

from mcp_backend.knowledge import load_knowledge
from mcp_backend.recommend import (
    Requirements,
    apply_answers,
    elicitation_message,
    elicitation_model,
    missing_aspects,
    recommend,
)

ASPECTS = load_knowledge().clarify.aspects
ASPECT_IDS = [aspect.id for aspect in ASPECTS]


def test_clarify_table_has_the_seed_aspects() -> None:
    assert ASPECT_IDS == ["runtime", "framework", "database", "api_style", "auth", "deployment"]


@pytest.mark.parametrize("aspect_id", ASPECT_IDS)
def test_every_aspect_yields_a_question_when_unspecified(aspect_id: str) -> None:
    questions = {question.aspect: question for question in missing_aspects(Requirements())}
    assert aspect_id in questions
    question = questions[aspect_id]
    aspect = next(a for a in ASPECTS if a.id == aspect_id)
    assert question.question == aspect.question
    assert [option.id for option in question.options] == aspect.options
    assert all(option.name for option in question.options)


@pytest.mark.parametrize(
    ("aspect_id", "answer"),
    [
        ("runtime", {"runtime": "python"}),
        ("runtime", {"team_languages": ["Python"]}),
        ("runtime", {"existing_stack": ["fastify"]}),
        ("framework", {"scenarios": ["high-performance"]}),
        ("framework", {"framework": "flask"}),
        ("database", {"data_needs": ["simple-local"]}),
        ("database", {"existing_stack": ["postgresql"]}),
        ("api_style", {"clients": ["public-api"]}),
        ("auth", {"auth": ["session"]}),
        ("auth", {"oauth_providers": ["github"]}),
        ("deployment", {"deployment": "vps"}),
    ],
)
def test_a_specified_aspect_is_not_asked(aspect_id: str, answer: dict[str, object]) -> None:
    questions = missing_aspects(Requirements.model_validate(answer))
    assert aspect_id not in {question.aspect for question in questions}


def test_team_with_two_languages_is_still_asked_the_runtime() -> None:
    req = Requirements(team_languages=["python", "typescript"])
    assert "runtime" in {question.aspect for question in missing_aspects(req)}


def test_an_aspect_that_cannot_change_the_answer_is_not_asked() -> None:
    # On the edge with a TypeScript runtime every framework option ends as Hono.
    req = Requirements(runtime="node", deployment="edge")
    asked = {question.aspect for question in missing_aspects(req)}
    assert "framework" not in asked
    assert {"database", "api_style", "auth"} <= asked


def test_without_elicitation_the_answer_is_provisional_with_questions() -> None:
    rec = recommend(Requirements(runtime="python"))
    assert rec.status == "needs_clarification"
    assert rec.provisional
    assert rec.open_questions
    assert all(question.options for question in rec.open_questions)
    assert "favourite-stack" in {anti.id for anti in rec.anti_defaults}


def test_elicitation_form_is_flat_optional_enums_accepted_by_mcp() -> None:
    questions = missing_aspects(Requirements())
    form = elicitation_model(questions)
    assert list(form.model_fields) == [question.aspect for question in questions]
    schema = render_elicitation_schema(form)  # raises if MCP would reject the form
    assert schema.get("required", []) == []
    for question in questions:
        prop = schema["properties"][question.aspect]
        assert prop["type"] == "string"
        assert prop["enum"] == [option.id for option in question.options]
        assert prop["enumNames"] == [option.name for option in question.options]
        assert prop["title"] == question.name
        assert question.question in prop["description"]
    assert form().model_dump() == dict.fromkeys(form.model_fields)
    assert "runtime" in elicitation_message(questions)


def test_elicitation_form_rejects_values_outside_the_options() -> None:
    form = elicitation_model(missing_aspects(Requirements()))
    with pytest.raises(ValidationError, match="'node'"):
        form.model_validate({"runtime": "rust"})


def test_answers_round_trip_to_a_firm_recommendation() -> None:
    questions = missing_aspects(Requirements())
    form = elicitation_model(questions)
    answers: BaseModel = form.model_validate(
        {
            "runtime": "node",
            "framework": "hono",
            "database": "turso",
            "api_style": "trpc",
            "auth": "jwt",
            "deployment": "edge",
        }
    )
    req = apply_answers(Requirements(), answers)
    assert req.runtime == "node"
    assert req.framework == "hono"
    assert req.database == "turso"
    assert req.api_style == "trpc"
    assert req.auth == ["jwt"]
    assert req.deployment == "edge"
    assert missing_aspects(req) == []
    rec = recommend(req)
    assert rec.status == "recommended"
    assert not rec.provisional
    assert rec.choice("framework") == "hono"
    assert rec.choice("database") == "turso"


def test_partial_answers_leave_the_rest_open() -> None:
    form = elicitation_model(missing_aspects(Requirements()))
    req = apply_answers(Requirements(), form.model_validate({"runtime": "python"}))
    assert req.runtime == "python"
    asked = {question.aspect for question in missing_aspects(req)}
    assert "runtime" not in asked
    assert "database" in asked


def test_apply_answers_accepts_a_dict_and_appends_auth() -> None:
    req = apply_answers(Requirements(auth=["roles"]), {"auth": "session", "database": None})
    assert req.auth == ["roles", "session"]
    assert req.database is None


def test_apply_answers_rejects_unknown_keys_and_values() -> None:
    with pytest.raises(ValueError, match="unknown clarify answer"):
        apply_answers(Requirements(), {"language": "go"})
    with pytest.raises(ValidationError, match="'postgresql'"):
        apply_answers(Requirements(), {"database": "mongodb"})
