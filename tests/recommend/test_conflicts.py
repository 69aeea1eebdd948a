"""Each conflict rule: inputs that clash are reported, explained, and never recommended."""

from __future__ import annotations

from typing import Any

import pytest

from mcp_backend.recommend import Requirements, recommend
from mcp_backend.recommend.data import load_recommend_data
from tests.recommend.stack_facts import final_facts, holds

# rule id → inputs that ask for the clashing combination
CASES: dict[str, dict[str, Any]] = {
    "python-on-edge": {"runtime": "python", "deployment": "edge"},
    "django-on-edge": {"framework": "django", "deployment": "edge"},
    "express-on-edge": {"framework": "express", "deployment": "edge"},
    "node-server-framework-on-edge": {"framework": "fastify", "deployment": "edge"},
    "typescript-framework-on-python": {"runtime": "python", "framework": "express"},
    "python-framework-on-javascript": {"runtime": "node", "framework": "django"},
    "trpc-without-typescript": {"runtime": "python", "clients": ["typescript-monorepo"]},
    "pgvector-with-edge-sqlite": {"data_needs": ["vector-search"], "database": "turso"},
    "planetscale-with-foreign-keys": {
        "data_needs": ["global-distribution", "complex-relationships"]
    },
    "postgres-features-without-postgres": {"data_needs": ["full-postgres"], "database": "sqlite"},
    "sqlite-file-on-functions": {"data_needs": ["simple-local"], "deployment": "serverless"},
    "django-with-libsql": {"framework": "django", "database": "turso"},
    "websockets-on-functions": {"clients": ["realtime"], "deployment": "serverless"},
    "no-auth-with-users": {"auth": ["none", "roles"]},
}


def test_every_conflict_rule_has_a_case() -> None:
    rule_ids = {rule.id for rule in load_recommend_data().conflicts.conflicts}
    assert rule_ids == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_conflict_is_reported_and_avoided(rule_id: str) -> None:
    rec = recommend(Requirements.model_validate(CASES[rule_id]))
    reported = {conflict.id: conflict for conflict in rec.conflicts}
    assert rule_id in reported, f"expected {rule_id}, got {sorted(reported)}"
    conflict = reported[rule_id]
    assert conflict.explanation and conflict.resolution and conflict.applied
    facts = final_facts(rec)
    for listed in rec.conflicts:
        assert not holds(listed.when, facts), f"recommended {listed.id}: {listed.when}"


def test_django_on_edge_keeps_python_and_moves_off_the_edge() -> None:
    rec = recommend(Requirements(framework="django", deployment="edge"))
    assert rec.choice("framework") == "django"
    assert rec.choice("runtime") == "python"
    assert rec.choice("deployment") != "edge"
    # The user's deployment was overridden: they must confirm, so the stack is provisional.
    assert rec.status == "needs_clarification"
    assert rec.provisional
    deployment = next(item for item in rec.stack if item.aspect == "deployment")
    assert deployment.adjusted_from is not None and deployment.adjusted_from.id == "edge"
    # Choices that only follow the new deployment are not reported as overrides.
    cache = next(item for item in rec.stack if item.aspect == "cache")
    assert cache.adjusted_from is None


def test_express_on_edge_becomes_hono() -> None:
    rec = recommend(Requirements(framework="express", deployment="edge"))
    assert rec.choice("deployment") == "edge"
    assert rec.choice("framework") == "hono"
    anti = {entry.id: entry for entry in rec.anti_defaults}
    assert anti["express-for-edge"].heeded


def test_trpc_without_typescript_falls_back_to_rest_with_a_typed_client() -> None:
    rec = recommend(Requirements(runtime="python", clients=["typescript-monorepo"]))
    assert rec.choice("runtime") == "python"
    assert rec.choice("api_style") == "rest-openapi"
    conflict = next(c for c in rec.conflicts if c.id == "trpc-without-typescript")
    assert "OpenAPI" in conflict.resolution


def test_pgvector_need_beats_an_edge_sqlite_in_the_existing_stack() -> None:
    rec = recommend(Requirements(data_needs=["vector-search"], existing_stack=["turso"]))
    assert "pgvector-with-edge-sqlite" in {c.id for c in rec.conflicts}
    assert rec.choice("database") not in {"turso", "sqlite"}


def test_edge_latency_listed_first_still_cannot_host_vectors() -> None:
    rec = recommend(
        Requirements(deployment="edge", data_needs=["edge-low-latency", "vector-search"])
    )
    assert "pgvector-with-edge-sqlite" in {c.id for c in rec.conflicts}
    database = rec.choice("database")
    assert database in {"neon", "postgres-pgvector", "postgresql"}


def test_planetscale_pinned_with_relationships_moves_to_postgres() -> None:
    rec = recommend(Requirements(database="planetscale", data_needs=["complex-relationships"]))
    assert "planetscale-with-foreign-keys" in {c.id for c in rec.conflicts}
    assert rec.choice("database") != "planetscale"


def test_incompatible_existing_library_is_reported_generically() -> None:
    rec = recommend(Requirements(runtime="python", existing_stack=["prisma"]))
    conflict = next(c for c in rec.conflicts if c.id == "incompatible-prisma")
    assert "typescript" in conflict.explanation
    assert rec.choice("orm") != "prisma"


def test_consistent_inputs_report_no_conflict() -> None:
    rec = recommend(
        Requirements(
            runtime="node",
            deployment="edge",
            scenarios=["edge-serverless"],
            data_needs=["edge-low-latency"],
            clients=["typescript-monorepo"],
            auth=["jwt"],
        )
    )
    assert rec.conflicts == []
    assert rec.status == "recommended"
    assert not rec.provisional
    assert (rec.choice("framework"), rec.choice("database"), rec.choice("api_style")) == (
        "hono",
        "turso",
        "trpc",
    )
    assert rec.choice("orm") == "drizzle"
