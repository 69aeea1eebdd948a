"""One test per row of each decision table: the inputs describing a row give the row's answer.

The expected answers are written out here as well as read from the loaded tables, so a data
change that empties or alters a table fails these tests instead of making them vacuous.
"""

from __future__ import annotations

import pytest

from mcp_backend.knowledge import load_knowledge
from mcp_backend.knowledge.models import ChoiceRow, FrameworkRow
from mcp_backend.recommend import Requirements, recommend

KB = load_knowledge()

# row id → (Node.js family answer, Python answer or None)
FRAMEWORK_EXPECTED: dict[str, tuple[str, str | None]] = {
    "edge-serverless": ("hono", None),
    "high-performance": ("fastify", "fastapi"),
    "full-stack-legacy": ("express", "django"),
    "rapid-prototyping": ("hono", "fastapi"),
    "enterprise-cms": ("nestjs", "django"),
}
DATABASE_EXPECTED: dict[str, str] = {
    "full-postgres": "neon",
    "edge-low-latency": "turso",
    "vector-search": "postgres-pgvector",
    "simple-local": "sqlite",
    "complex-relationships": "postgresql",
    "global-distribution": "planetscale",
}
API_EXPECTED: dict[str, str] = {
    "public-api": "rest-openapi",
    "complex-queries": "graphql",
    "typescript-monorepo": "trpc",
    "realtime": "websocket-asyncapi",
}


def test_tables_hold_exactly_the_expected_rows() -> None:
    assert [row.id for row in KB.framework_selection.rows] == list(FRAMEWORK_EXPECTED)
    assert [row.id for row in KB.database_selection.rows] == list(DATABASE_EXPECTED)
    assert [row.id for row in KB.api_style_selection.rows] == list(API_EXPECTED)


@pytest.mark.parametrize("row", KB.framework_selection.rows, ids=lambda row: row.id)
@pytest.mark.parametrize("runtime", ["node", "bun", "deno"])
def test_framework_row_node_family(row: FrameworkRow, runtime: str) -> None:
    expected = FRAMEWORK_EXPECTED[row.id][0]
    assert row.node == expected
    rec = recommend(Requirements.model_validate({"runtime": runtime, "scenarios": [row.id]}))
    framework = next(item for item in rec.stack if item.aspect == "framework")
    assert framework.choice.id == expected
    assert framework.rule == f"framework-selection/{row.id}"
    assert framework.confidence == "high"
    assert rec.conflicts == []


@pytest.mark.parametrize("row", KB.framework_selection.rows, ids=lambda row: row.id)
def test_framework_row_python(row: FrameworkRow) -> None:
    expected = FRAMEWORK_EXPECTED[row.id][1]
    assert (row.python or None) == expected
    rec = recommend(Requirements.model_validate({"runtime": "python", "scenarios": [row.id]}))
    framework = next(item for item in rec.stack if item.aspect == "framework")
    if expected is None:
        # The table has no Python entry: the engine says so, quoting the row's note, and
        # keeps Python off the edge.
        assert framework.choice.id in {"fastapi", "django", "flask"}
        assert row.python_note and row.python_note in framework.reason
        assert rec.choice("deployment") != "edge"
    else:
        assert framework.choice.id == expected
        assert framework.rule == f"framework-selection/{row.id}"


@pytest.mark.parametrize("row", KB.database_selection.rows, ids=lambda row: row.id)
@pytest.mark.parametrize("runtime", ["node", "python"])
def test_database_row(row: ChoiceRow, runtime: str) -> None:
    expected = DATABASE_EXPECTED[row.id]
    assert row.choice == expected
    rec = recommend(Requirements.model_validate({"runtime": runtime, "data_needs": [row.id]}))
    database = next(item for item in rec.stack if item.aspect == "database")
    assert database.choice.id == expected
    assert database.rule == f"database-selection/{row.id}"
    assert database.hosted is not None
    assert rec.conflicts == []


def test_global_distribution_lists_turso_as_the_alternative() -> None:
    rec = recommend(Requirements(data_needs=["global-distribution"]))
    database = next(item for item in rec.stack if item.aspect == "database")
    assert "turso" in [alt.id for alt in database.alternatives]


@pytest.mark.parametrize("row", KB.api_style_selection.rows, ids=lambda row: row.id)
def test_api_style_row(row: ChoiceRow) -> None:
    expected = API_EXPECTED[row.id]
    assert row.choice == expected
    rec = recommend(Requirements.model_validate({"runtime": "node", "clients": [row.id]}))
    api = next(item for item in rec.stack if item.aspect == "api_style")
    assert api.choice.id == expected
    assert api.rule == f"api-style-selection/{row.id}"
    assert rec.conflicts == []


@pytest.mark.parametrize(
    ("api_style", "doc_format"),
    [
        ("rest-openapi", "openapi"),
        ("graphql", "graphql-sdl"),
        ("trpc", "trpc-router-types"),
        ("websocket-asyncapi", "asyncapi"),
    ],
)
def test_each_api_style_gets_its_documentation_format(api_style: str, doc_format: str) -> None:
    rec = recommend(Requirements.model_validate({"runtime": "node", "api_style": api_style}))
    assert rec.choice("doc_format") == doc_format


def test_unspecified_runtime_follows_the_clients() -> None:
    rec = recommend(Requirements(clients=["typescript-monorepo"]))
    assert rec.choice("runtime") == "node"
    assert rec.choice("api_style") == "trpc"


def test_high_request_rate_implies_the_high_performance_row() -> None:
    rec = recommend(Requirements(runtime="python", requests_per_second=5000))
    framework = next(item for item in rec.stack if item.aspect == "framework")
    assert framework.choice.id == "fastapi"
    assert framework.rule == "implied:framework-selection/high-performance"


def test_existing_stack_is_kept() -> None:
    rec = recommend(Requirements(existing_stack=["express", "prisma", "postgresql", "redis"]))
    assert rec.choice("runtime") == "node"
    assert rec.choice("framework") == "express"
    assert rec.choice("orm") == "prisma"
    assert rec.choice("database") == "postgresql"
    assert rec.choice("cache") == "redis"
    assert all(
        item.confidence == "high"
        for item in rec.stack
        if item.aspect in {"framework", "orm", "database", "cache"}
    )
