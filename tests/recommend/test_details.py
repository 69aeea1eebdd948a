"""Anti-defaults, hosting, layouts, alternatives and confidence in recommendations."""

from __future__ import annotations

import pytest

from mcp_backend.recommend import FRAMEWORKS, Requirements, recommend


def _anti(rec_req: Requirements) -> dict[str, bool]:
    return {entry.id: entry.heeded for entry in recommend(rec_req).anti_defaults}


def test_express_anti_default_applies_for_performance_and_is_heeded() -> None:
    anti = _anti(Requirements(runtime="node", scenarios=["high-performance"]))
    assert anti["express-for-edge"] is True
    assert "rest-only-for-ts-monorepo" not in anti


def test_rest_only_anti_default_applies_to_typescript_monorepos() -> None:
    anti = _anti(Requirements(runtime="node", clients=["typescript-monorepo"], auth=["jwt"]))
    assert anti["rest-only-for-ts-monorepo"] is True


def test_postgres_anti_default_applies_to_simple_local_data() -> None:
    rec = recommend(Requirements(data_needs=["simple-local"]))
    assert rec.choice("database") == "sqlite"
    assert {entry.id: entry.heeded for entry in rec.anti_defaults}["postgres-when-sqlite-is-enough"]


def test_an_anti_default_chosen_on_explicit_input_is_marked_not_heeded() -> None:
    rec = recommend(Requirements(framework="express", scenarios=["high-performance"]))
    assert rec.choice("framework") == "express"  # the user's choice is kept
    assert {entry.id: entry.heeded for entry in rec.anti_defaults}["express-for-edge"] is False


def test_favourite_stack_anti_default_only_while_questions_are_open() -> None:
    assert "favourite-stack" in _anti(Requirements())
    firm = Requirements(
        runtime="python",
        scenarios=["high-performance"],
        data_needs=["complex-relationships"],
        clients=["public-api"],
        auth=["jwt"],
        deployment="container",
    )
    rec = recommend(firm)
    assert rec.open_questions == []
    assert "favourite-stack" not in {entry.id for entry in rec.anti_defaults}


@pytest.mark.parametrize(
    ("deployment", "hosted"), [("edge", "neon-hosted"), ("container", "managed-postgres")]
)
def test_postgres_hosting_follows_the_deployment(deployment: str, hosted: str) -> None:
    rec = recommend(
        Requirements.model_validate(
            {"deployment": deployment, "data_needs": ["complex-relationships"]}
        )
    )
    database = next(item for item in rec.stack if item.aspect == "database")
    assert database.choice.id == "postgresql"
    assert database.hosted is not None and database.hosted.id == hosted


def test_large_data_prefers_a_database_server() -> None:
    rec = recommend(Requirements(deployment="container", data_size_gb=800))
    assert rec.choice("database") == "postgresql"
    assert next(i for i in rec.stack if i.aspect == "database").rule == "database-large-data"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_layout_matches_the_chosen_framework(framework: str) -> None:
    rec = recommend(Requirements.model_validate({"framework": framework}))
    assert rec.choice("framework") == framework
    assert rec.layout is not None
    assert rec.layout.framework.id == framework
    assert [layer.layer for layer in rec.layout.layers] == [
        "controller",
        "service",
        "repository",
        "validation",
        "errors",
        "auth",
    ]
    assert rec.layout.tree.count("\n") >= 8


def test_functions_get_stateless_choices() -> None:
    rec = recommend(Requirements(runtime="node", deployment="serverless"))
    assert rec.choice("cache") == "upstash-redis"
    assert rec.choice("jobs") == "qstash"
    assert rec.choice("auth") == "jwt"
    assert rec.choice("orm") == "drizzle"


def test_django_gets_its_own_batteries() -> None:
    rec = recommend(
        Requirements(runtime="python", scenarios=["enterprise-cms"], auth=["session", "roles"])
    )
    assert [rec.choice(a) for a in ("framework", "orm", "auth_library", "jobs")] == [
        "django",
        "django-orm",
        "django-auth",
        "celery",
    ]


def test_guesses_have_low_confidence_and_table_answers_high() -> None:
    rec = recommend(Requirements(runtime="node", scenarios=["high-performance"]))
    confidence = {item.aspect: item.confidence for item in rec.stack}
    assert confidence["runtime"] == "high"
    assert confidence["framework"] == "high"
    assert confidence["deployment"] == "low"
    assert confidence["database"] == "low"


def test_alternatives_fit_the_rest_of_the_stack() -> None:
    rec = recommend(Requirements(runtime="python", deployment="container"))
    framework = next(item for item in rec.stack if item.aspect == "framework")
    alternatives = {alt.id for alt in framework.alternatives}
    assert alternatives and alternatives <= {"fastapi", "django", "flask"}
    assert all(alt.prefer_when for alt in framework.alternatives)


def test_exhausted_search_still_returns_a_complete_stack(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from mcp_backend.recommend import engine

    monkeypatch.setattr(engine, "_SEARCH_BUDGET", 0)
    engine._solve_cached.cache_clear()
    try:
        rec = recommend(Requirements(runtime="python", deployment="container"))
    finally:
        engine._solve_cached.cache_clear()
    assert [item.aspect for item in rec.stack] == list(engine.ASPECT_ORDER)
    assert rec.choice("framework") in {"fastapi", "django", "flask"}
    assert "no conflict-free stack found" in caplog.text


def test_auth_detail_names_providers_and_what_the_library_leaves_out() -> None:
    rec = recommend(
        Requirements(
            runtime="node",
            framework="hono",
            auth=["jwt", "roles"],
            oauth_providers=["google", "github"],
        )
    )
    auth = next(item for item in rec.stack if item.aspect == "auth")
    assert "google, github" in auth.detail and "role" in auth.detail
    library = next(item for item in rec.stack if item.aspect == "auth_library")
    assert library.choice.id == "better-auth"  # covers OAuth and roles itself
    assert library.detail == ""

    plain = recommend(Requirements(runtime="node", framework="hono", auth=["jwt", "roles"]))
    library = next(item for item in plain.stack if item.aspect == "auth_library")
    assert library.choice.id == "hono-jwt"
    assert "does not cover roles" in library.detail


def test_runtime_any_is_not_asked_and_says_why() -> None:
    rec = recommend(Requirements(runtime="any"))
    assert "runtime" not in {question.aspect for question in rec.open_questions}
    runtime = next(item for item in rec.stack if item.aspect == "runtime")
    assert runtime.rule == "runtime-no-preference"
