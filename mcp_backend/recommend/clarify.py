"""Clarify before recommending: which aspects are open, a form to ask them, and the answers.

How an MCP adapter uses it (never blocks: no elicitation, decline or cancel all fall through):

    questions = missing_aspects(req)
    if questions and client_supports_elicitation:
        result = await ctx.elicit(elicitation_message(questions), elicitation_model(questions))
        if result.action == "accept":
            req = apply_answers(req, result.data)
    return recommend(req)   # needs_clarification + provisional stack if questions remain

The form has one optional enum-string field per open aspect (named by the clarify aspect id),
so it fits MCP's flat elicitation schemas; skipped fields stay open questions.
"""

from __future__ import annotations

import logging
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, create_model

from mcp_backend.knowledge.models import ClarifyAspect
from mcp_backend.recommend.data import RecommendData, load_recommend_data
from mcp_backend.recommend.engine import (
    existing_language_families,
    solve,
    team_language_families,
)
from mcp_backend.recommend.models import (
    API_STYLES,
    AUTH_NEEDS,
    DATABASES,
    DEPLOYMENTS,
    FRAMEWORKS,
    RUNTIMES,
    ClarifyQuestion,
    Requirements,
    TechRef,
)

logger = logging.getLogger(__name__)

# Clarify aspect id → the Requirements field its answer fills, and the values that field takes.
ANSWER_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "runtime": ("runtime", RUNTIMES),
    "framework": ("framework", FRAMEWORKS),
    "database": ("database", DATABASES),
    "api_style": ("api_style", API_STYLES),
    "auth": ("auth", AUTH_NEEDS),
    "deployment": ("deployment", DEPLOYMENTS),
}
# Answers to these aspects add to a list field instead of replacing a value.
_LIST_FIELDS = frozenset({"auth"})


def _existing_kinds(req: Requirements, data: RecommendData) -> set[str]:
    return {data.tech(tech_id).kind for tech_id in req.existing_stack}


def is_specified(aspect: str, req: Requirements, data: RecommendData | None = None) -> bool:
    """Whether the inputs already answer a clarify aspect (directly or through the tables)."""
    data = data or load_recommend_data()
    existing = _existing_kinds(req, data)
    if aspect == "runtime":
        if req.runtime is not None or "runtime" in existing:
            return True
        families = set(existing_language_families(req, data)) | set(
            team_language_families(req, data)
        )
        return len(families) == 1
    if aspect == "framework":
        return bool(req.framework or req.scenarios or "framework" in existing)
    if aspect == "database":
        return bool(req.database or req.data_needs or "database" in existing)
    if aspect == "api_style":
        return bool(req.api_style or req.clients or "api_style" in existing)
    if aspect == "auth":
        return bool(req.auth or req.oauth_providers or "auth_library" in existing)
    if aspect == "deployment":
        return req.deployment is not None
    return False


def _option_ref(option: str, data: RecommendData) -> TechRef:
    if data.has_tech(option):
        return TechRef(id=option, name=data.tech(option).name)
    return TechRef(id=option, name=data.stack.option_names.get(option, option))


def _answer_options(aspect: ClarifyAspect) -> list[str]:
    """The aspect's options that its Requirements field accepts, in the clarify table's order."""
    _, allowed = ANSWER_FIELDS[aspect.id]
    unusable = [option for option in aspect.options if option not in allowed]
    if unusable:
        logger.warning("clarify aspect %s: options %s have no input field", aspect.id, unusable)
    return [option for option in aspect.options if option in allowed]


def missing_aspects(req: Requirements) -> list[ClarifyQuestion]:
    """Clarify questions for the aspects that are unspecified AND would change the stack.

    "Would change" is tested, not assumed: each option is applied in turn and the question is
    kept only if the options lead to different stacks.
    """
    data = load_recommend_data()
    questions: list[ClarifyQuestion] = []
    for aspect in data.knowledge.clarify.aspects:
        if aspect.id not in ANSWER_FIELDS:
            logger.warning("clarify aspect %s has no Requirements field; not asked", aspect.id)
            continue
        if is_specified(aspect.id, req, data):
            continue
        options = _answer_options(aspect)
        outcomes = {
            solve(apply_answers(req, {aspect.id: option}), data).stack_key() for option in options
        }
        if len(outcomes) < 2:
            continue
        questions.append(
            ClarifyQuestion(
                aspect=aspect.id,
                name=aspect.name,
                question=aspect.question,
                why=aspect.why,
                options=[_option_ref(option, data) for option in options],
            )
        )
    return questions


class ClarifyAnswersBase(BaseModel):
    """Base of the generated elicitation form: unknown keys are ignored, as a client may add."""

    model_config = ConfigDict(extra="ignore")


def elicitation_model(questions: list[ClarifyQuestion]) -> type[BaseModel]:
    """A flat form for MCP elicitation: one optional enum-string field per open question.

    Field name = clarify aspect id; title = aspect name; description = question, options with
    display names, and why it matters. Every field is optional, so a user may skip any.
    """
    fields: dict[str, Any] = {}
    for question in questions:
        values = tuple(option.id for option in question.options)
        if not values:
            continue
        choices = "; ".join(f"{option.id} = {option.name}" for option in question.options)
        enum_type = cast(Any, Literal)[values]
        fields[question.aspect] = (
            enum_type | None,
            Field(
                default=None,
                title=question.name,
                # Display names for the options (the spec's titled-enum form that every
                # elicitation-capable client version accepts).
                json_schema_extra={"enumNames": [option.name for option in question.options]},
                description=f"{question.question} Options: {choices}. Why it matters: "
                f"{question.why}",
            ),
        )
    model: type[BaseModel] = create_model("ClarifyAnswers", __base__=ClarifyAnswersBase, **fields)
    return model


def elicitation_message(questions: list[ClarifyQuestion]) -> str:
    """The message to show above the elicitation form."""
    names = ", ".join(question.name.lower() for question in questions)
    return (
        "Before recommending a backend stack, please answer what you can "
        f"({names}). Every field is optional; skipped ones stay open questions."
    )


def apply_answers(req: Requirements, answers: BaseModel | dict[str, Any]) -> Requirements:
    """Requirements with the clarify answers filled in (None or missing answers are skipped).

    Raises ValueError for an answer key that is not a clarify aspect, and pydantic's
    ValidationError (naming the allowed values) for a value the field does not accept.
    """
    given = answers.model_dump() if isinstance(answers, BaseModel) else dict(answers)
    unknown = sorted(key for key in given if key not in ANSWER_FIELDS)
    if unknown:
        raise ValueError(
            f"unknown clarify answer(s) {unknown}; expected some of {sorted(ANSWER_FIELDS)}"
        )
    updated = req.model_dump()
    for aspect, value in given.items():
        if value is None or value == "":
            continue
        field_name, _ = ANSWER_FIELDS[aspect]
        if aspect in _LIST_FIELDS:
            current = list(updated[field_name])
            if value not in current:
                current.append(value)
            updated[field_name] = current
        else:
            updated[field_name] = value
    return Requirements.model_validate(updated)
