"""Prompt texts carry the specific facts of the knowledge base and validate their arguments."""

from __future__ import annotations

import pytest

from mcp_backend.knowledge import load_knowledge
from mcp_backend.knowledge.prompts import (
    PROMPTS,
    build_auth_api,
    clarify_requirements,
    design_architecture,
    optimize_slow_api,
    review_and_fix,
)


def test_prompt_registry_names() -> None:
    assert set(PROMPTS) == {
        "clarify-requirements",
        "build-auth-api",
        "optimize-slow-api",
        "review-and-fix",
        "design-architecture",
    }
    for function in PROMPTS.values():
        assert function()  # every prompt works with its defaults


def test_clarify_asks_every_aspect_with_options_and_forbids_code() -> None:
    text = clarify_requirements("An API for a recipe-sharing app")
    kb = load_knowledge()
    assert "> An API for a recipe-sharing app" in text
    for aspect in kb.clarify.aspects:
        assert aspect.question in text
    for entry in kb.clarify.do_not_default:
        assert f"**{entry.avoid}** when {entry.when}" in text
    assert "Hono, Fastify, Express, NestJS, FastAPI, Django, Flask" in text
    assert "Do not write, generate or change any code" in text
    assert "recommend_stack" in text


def test_clarify_without_request_asks_for_one() -> None:
    assert "start by asking what they want to build" in clarify_requirements()


def test_auth_with_roles_mentions_each_role_and_login_rate_limit() -> None:
    text = build_auth_api(roles="admin,user")
    assert "Roles: admin, user" in text
    assert "'admin', 'user'" in text
    assert "least privileged role ('user')" in text
    assert "**Rate limiting on /login, /register, /refresh**" in text
    assert "refresh token" in text.lower()
    assert "review_backend" in text and "run_quality_loop" in text


def test_auth_with_oauth_providers_adds_callbacks() -> None:
    text = build_auth_api(oauth_providers="google, github, Google")
    assert "OAuth providers: Google, GitHub." in text
    assert "/auth/{provider}/callback" in text
    assert "PKCE" in text


def test_auth_without_roles_or_providers_asks_instead_of_assuming() -> None:
    text = build_auth_api()
    assert "Roles: none given. Ask the user" in text
    assert "OAuth providers: none given" in text
    assert "## 4. Verify" in text


def test_session_auth_has_no_refresh_tokens() -> None:
    text = build_auth_api(token_style="Session")
    assert "/refresh" not in text
    assert "HttpOnly" in text and "CSRF" in text
    assert "session fixation" in text
    assert "`jwt`" not in text  # the JWT checklist item does not apply


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"token_style": "oauth"}, "token_style must be one of jwt, session, got 'oauth'"),
        ({"roles": "admin; drop table"}, "roles: 'admin; drop table' is not a valid name"),
        ({"oauth_providers": "x" * 60}, "oauth_providers: 'x"),
        ({"roles": ",".join(f"r{i}" for i in range(21))}, "roles: at most 20 entries, got 21"),
    ],
)
def test_auth_rejects_bad_arguments(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        build_auth_api(**kwargs)


def test_slow_api_measures_before_fixing() -> None:
    text = optimize_slow_api("GET /orders takes 2 s with 50 orders")
    assert "> GET /orders takes 2 s with 50 orders" in text
    assert (
        text.index("Measure first") < text.index("Identify the bottleneck") < text.index("Fix it")
    )
    for fact in ("N+1", "EXPLAIN ANALYZE", "indexes on foreign keys", "800 ms → 95 ms", "50 → 3"):
        assert fact in text, fact
    assert "blocking" in text.lower()


def test_review_and_fix_calls_both_tools_on_the_path() -> None:
    text = review_and_fix("services/api")
    assert 'Call the `review_backend` tool with path="services/api"' in text
    assert 'Call the `run_quality_loop` tool with path="services/api"' in text
    assert "critical, then high, then medium, then low" in text
    for item in load_knowledge().checklist.items:
        assert f"- `{item.id}`: {item.fix}" in text


@pytest.mark.parametrize("path", ["", "   ", "a\nb", "x" * 2000])
def test_review_and_fix_rejects_bad_paths(path: str) -> None:
    with pytest.raises(ValueError, match="path"):
        review_and_fix(path)


def test_design_architecture_covers_phases_one_to_three() -> None:
    text = design_architecture("Multi-tenant invoicing for small firms")
    for heading in (
        "## Phase 1: Requirements analysis",
        "## Phase 2: Tech stack decision",
        "## Phase 3: Architecture",
    ):
        assert heading in text
    assert "controller → service → repository" in text
    assert "centralised error handling" in text
    assert "Check authorization on every protected route" in text
    assert "recommend_stack" in text
    assert "Phase 4" not in text


def test_long_free_text_is_rejected() -> None:
    with pytest.raises(ValueError, match="request is 5000 characters long"):
        clarify_requirements("x" * 5000)
