"""Property-based: for any valid requirements the engine returns a valid, conflict-free stack."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcp_backend.recommend import (
    API_STYLES,
    AUTH_NEEDS,
    CLIENTS,
    DATA_NEEDS,
    DATABASES,
    DEPLOYMENTS,
    FRAMEWORKS,
    RUNTIMES,
    SCENARIOS,
    Recommendation,
    Requirements,
    existing_stack_ids,
    recommend,
)
from mcp_backend.recommend.data import ASPECT_ORDER, load_recommend_data
from tests.recommend.stack_facts import final_facts, holds

DATA = load_recommend_data()


def _some(values: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), max_size=3, unique=True)


def _maybe(values: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(values)


requirements = st.builds(
    Requirements,
    runtime=_maybe(RUNTIMES),
    scenarios=_some(SCENARIOS),
    deployment=_maybe(DEPLOYMENTS),
    data_needs=_some(DATA_NEEDS),
    clients=_some(CLIENTS),
    auth=_some(AUTH_NEEDS),
    oauth_providers=st.lists(st.sampled_from(["google", "github", "apple"]), max_size=2),
    requests_per_second=st.none() | st.integers(min_value=0, max_value=100_000),
    data_size_gb=st.none() | st.floats(min_value=0, max_value=100_000, allow_nan=False),
    team_languages=st.lists(st.sampled_from(["python", "TypeScript", "js", "go"]), max_size=2),
    existing_stack=st.lists(st.sampled_from(existing_stack_ids()), max_size=3),
    framework=_maybe(FRAMEWORKS),
    database=_maybe(DATABASES),
    api_style=_maybe(API_STYLES),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(req=requirements)
def test_any_valid_input_gives_a_valid_conflict_free_stack(req: Requirements) -> None:
    rec = recommend(req)
    # A valid model that survives a JSON round trip.
    assert Recommendation.model_validate_json(rec.model_dump_json()) == rec
    assert [item.aspect for item in rec.stack] == list(ASPECT_ORDER)
    facts = final_facts(rec, DATA)
    # Never recommends a combination it lists as a conflict, nor any conflict rule at all.
    for conflict in rec.conflicts:
        assert not holds(conflict.when, facts), conflict.id
    for rule in DATA.conflicts.conflicts:
        assert not holds(rule.when, facts), rule.id
    # Every chosen technology fits the rest of the stack.
    for item in rec.stack:
        tech = DATA.tech(item.choice.id)
        assert tech.kind == item.aspect
        assert holds(tech.requires, facts), (tech.id, tech.requires)
        assert item.choice.id not in {alt.id for alt in item.alternatives}
    # Status, provisional flag and open questions agree.
    assert rec.provisional == (rec.status == "needs_clarification")
    if rec.open_questions:
        assert rec.status == "needs_clarification"
    assert rec.layout is not None and rec.layout.framework.id == rec.choice("framework")


@settings(max_examples=15, deadline=None)
@given(req=requirements)
def test_recommend_is_deterministic(req: Requirements) -> None:
    assert recommend(req) == recommend(req.model_copy(deep=True))
