"""recommend_stack's engine: clarify first, then a reasoned, conflict-free backend stack."""

from mcp_backend.recommend.clarify import (
    apply_answers,
    elicitation_message,
    elicitation_model,
    missing_aspects,
)
from mcp_backend.recommend.cli import add_cli_arguments, requirements_from_args
from mcp_backend.recommend.engine import recommend
from mcp_backend.recommend.models import (
    API_STYLES,
    AUTH_NEEDS,
    CLIENTS,
    DATA_NEEDS,
    DATABASES,
    DEPLOYMENTS,
    FRAMEWORKS,
    RUNTIMES,
    SCENARIOS,
    ClarifyQuestion,
    Recommendation,
    Requirements,
    existing_stack_ids,
)
from mcp_backend.recommend.render import render_markdown

__all__ = [
    "API_STYLES",
    "AUTH_NEEDS",
    "CLIENTS",
    "DATABASES",
    "DATA_NEEDS",
    "DEPLOYMENTS",
    "FRAMEWORKS",
    "RUNTIMES",
    "SCENARIOS",
    "ClarifyQuestion",
    "Recommendation",
    "Requirements",
    "add_cli_arguments",
    "apply_answers",
    "elicitation_message",
    "elicitation_model",
    "existing_stack_ids",
    "missing_aspects",
    "recommend",
    "render_markdown",
    "requirements_from_args",
]
