"""Every table row and list entry of the seed document is in the knowledge base.

The expected values transcribe the seed (shared/seed/backend-specialist.txt): if an entry is
dropped or changed in resources/, the matching assertion names it.
"""

from __future__ import annotations

import pytest

from mcp_backend.knowledge import KnowledgeBase, load_knowledge
from mcp_backend.review.model import CHECKLIST_ITEM_IDS


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def test_framework_table_has_the_seed_rows(kb: KnowledgeBase) -> None:
    seed = [
        ("Edge", "hono", ""),
        ("High performance", "fastify", "fastapi"),
        ("Full-stack", "express", "django"),
        ("Rapid prototyping", "hono", "fastapi"),
        ("Enterprise", "nestjs", "django"),
    ]
    rows = kb.framework_selection.rows
    assert len(rows) == len(seed)
    for row, (scenario, node, python) in zip(rows, seed, strict=True):
        assert row.scenario.startswith(scenario)
        assert (row.node, row.python) == (node, python)


def test_database_table_has_the_seed_rows(kb: KnowledgeBase) -> None:
    seed = [
        ("Full PostgreSQL features", ["neon"]),
        ("Edge deployment, low latency", ["turso"]),
        ("AI / embeddings / vector search", ["postgres-pgvector"]),
        ("Simple / local development", ["sqlite"]),
        ("Complex relationships", ["postgresql"]),
        ("Global distribution", ["planetscale", "turso"]),
    ]
    rows = kb.database_selection.rows
    assert [(row.scenario, [row.choice, *row.also]) for row in rows] == seed


def test_api_style_table_has_the_seed_rows(kb: KnowledgeBase) -> None:
    seed = ["rest-openapi", "graphql", "trpc", "websocket-asyncapi"]
    assert [row.choice for row in kb.api_style_selection.rows] == seed


def test_clarify_has_six_aspects_and_four_defaults_to_avoid(kb: KnowledgeBase) -> None:
    aspects = {aspect.id: aspect for aspect in kb.clarify.aspects}
    assert list(aspects) == ["runtime", "framework", "database", "api_style", "auth", "deployment"]
    assert "Edge" in aspects["deployment"].question
    assert {"jwt", "session", "oauth", "roles"} <= set(aspects["auth"].options)
    avoided = [entry.avoid for entry in kb.clarify.do_not_default]
    assert avoided == ["Express", "REST only", "PostgreSQL", "Your favourite stack"]


def test_process_has_five_phases_with_the_seed_questions(kb: KnowledgeBase) -> None:
    phases = kb.process.phases
    assert [phase.name for phase in phases] == [
        "Requirements analysis",
        "Tech stack decision",
        "Architecture",
        "Execute",
        "Verification",
    ]
    labels = [[item.label.split(" ")[0] for item in phase.items] for phase in phases]
    assert labels == [
        ["Data", "Scale", "Security", "Deployment"],
        ["Runtime", "Framework", "Database", "API"],
        ["Layers", "Error", "Auth"],
        ["Data", "Business", "API", "Error"],
        ["Security", "Performance", "Tests", "Documentation"],
    ]
    assert phases[3].ordered and not phases[0].ordered
    assert "ask the user" in phases[0].gate.lower()


@pytest.mark.parametrize(
    ("area", "do_count", "dont_count"),
    [("api", 6, 4), ("architecture", 5, 3), ("security", 5, 3)],
)
def test_practice_areas_have_the_seed_do_and_dont_lists(
    kb: KnowledgeBase, area: str, do_count: int, dont_count: int
) -> None:
    found = next(a for a in kb.practices.areas if a.id == area)
    assert (len(found.do), len(found.dont)) == (do_count, dont_count)


def test_practices_keep_the_seed_facts(kb: KnowledgeBase) -> None:
    rules = " ".join(p.rule for area in kb.practices.areas for p in [*area.do, *area.dont]).lower()
    for fact in [
        "parameterised queries",
        "openapi",
        "rate limiting",
        "controller → service → repository",
        "dependency injection",
        "horizontal scaling",
        "bcrypt or argon2",
        "https",
        "cors",
        "plain text",
        "jwt without verifying",
        "hardcode secrets",
    ]:
        assert fact in rules, fact


def test_expertise_lists_every_seed_tool(kb: KnowledgeBase) -> None:
    seed = {
        "node": {
            "Frameworks": ["Hono", "Fastify", "Express"],
            "Runtime": ["Native TypeScript", "Bun", "Deno"],
            "ORM": ["Drizzle", "Prisma"],
            "Validation": ["Zod", "Valibot", "ArkType"],
            "Auth": ["JWT", "Lucia", "Better-Auth"],
        },
        "python": {
            "Frameworks": ["FastAPI", "Django 5.0+", "Flask"],
            "Async": ["asyncpg", "httpx", "aioredis"],
            "Validation": ["Pydantic v2"],
            "Tasks": ["Celery", "ARQ", "BackgroundTasks"],
            "ORM": ["SQLAlchemy 2.0", "Tortoise ORM"],
        },
        "data": {
            "Serverless PostgreSQL": ["Neon", "Supabase"],
            "Edge SQLite": ["Turso", "libSQL"],
            "Vector": ["pgvector", "Pinecone", "Qdrant"],
            "Cache": ["Redis", "Upstash"],
            "ORM": ["Drizzle", "Prisma", "SQLAlchemy"],
        },
    }
    found = {
        area.id: {c.name: [tool.name for tool in c.tools] for c in area.categories}
        for area in kb.expertise.areas
    }
    assert found == seed


def test_checklist_has_the_seed_ten_plus_eight(kb: KnowledgeBase) -> None:
    items = kb.checklist.items
    assert tuple(item.id for item in items) == CHECKLIST_ITEM_IDS
    seed_ten = [item.id for item in items if item.in_seed]
    assert seed_ten == [
        "input-validation",
        "error-handling",
        "authentication",
        "authorization",
        "sql-injection",
        "response-format",
        "logging",
        "rate-limiting",
        "secrets",
        "tests",
    ]
    for item in items:
        assert item.pass_when and item.fail_when and item.fix, item.id
    assert kb.checklist.titles()["secrets"] == "Secrets in environment variables"


def test_anti_patterns_are_the_seed_seven(kb: KnowledgeBase) -> None:
    seed = [
        ("SQL injection", "parameterised"),
        ("N+1 queries", "JOINs"),
        ("Blocking the event loop", "async"),
        ("Express for edge", "Hono"),
        ("Same stack for everything", "per context"),
        ("Hardcoded secrets", "environment variables"),
        ("Giant controllers", "services"),
    ]
    entries = kb.anti_patterns.anti_patterns
    assert len(entries) == len(seed)
    for entry, (name, correction) in zip(entries, seed, strict=True):
        assert entry.name == name
        assert correction in entry.correction


def test_auth_playbook_follows_the_seed_use_case(kb: KnowledgeBase) -> None:
    playbook = kb.playbook("auth-api")
    assert [c.example_answer for c in playbook.clarify] == [
        "JWT",
        "Google and GitHub",
        "Yes: Admin and User roles",
    ]
    texts = {step.id: [a.text for a in step.actions] for step in playbook.steps}
    assert texts["choose-stack"] == [
        "Hono (edge-ready)",
        "Neon PostgreSQL",
        "Drizzle ORM",
        "JWT with refresh tokens",
    ]
    assert len(texts["implement-layers"]) == 4
    assert "/register, /login, /refresh" in texts["implement-layers"][2]
    checks = [a.checklist_item for a in playbook.step("security-checklist").actions]
    assert checks == ["password-hashing", "input-validation", "rate-limiting", "cors", "jwt"]


def test_performance_playbook_follows_the_seed_use_case(kb: KnowledgeBase) -> None:
    playbook = kb.playbook("api-performance")
    assert [step.id for step in playbook.steps] == ["measure", "identify", "solve", "verify"]
    actions = {step.id: {a.id for a in step.actions} for step in playbook.steps}
    assert {"log-query-times", "profile-queries"} <= actions["measure"]
    assert {"n-plus-one", "missing-indexes"} <= actions["identify"]
    assert {"joins-eager-loading", "foreign-key-indexes", "redis-cache"} <= actions["solve"]
    figures = [(m.before, m.after) for m in playbook.metrics]
    assert figures == [("800 ms", "95 ms"), ("50", "3")]


def test_quality_loop_has_the_seed_five_steps(kb: KnowledgeBase) -> None:
    loop = kb.quality_loop
    assert [step.id for step in loop.steps] == ["lint", "security", "types", "tests", "report"]
    node_lint = [c.command for c in loop.steps[0].commands if c.ecosystem == "node"]
    assert node_lint == ["npm run lint && npx tsc --noEmit"]
    assert "after all checks pass" in loop.steps[-1].check.lower()


def test_overview_keeps_the_seed_lists(kb: KnowledgeBase) -> None:
    overview = kb.overview
    assert len(overview.use_when) == 6
    assert [c.name for c in overview.capabilities] == [
        "API development",
        "Security first",
        "Architecture design",
        "Modern stack",
    ]
    assert len(overview.triggers) == 4
    assert [c.id for c in overview.collaborators] == ["database-architect", "security-auditor"]


def test_display_names_cover_table_ids(kb: KnowledgeBase) -> None:
    assert kb.display_name("hono") == "Hono"
    assert kb.display_name("trpc") == "tRPC"
    assert kb.display_name("not-an-id") == "not-an-id"
