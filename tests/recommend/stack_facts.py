"""Shared helpers: an independent reading of a recommendation's stack as facts."""

from __future__ import annotations

from mcp_backend.recommend.data import RecommendData, load_recommend_data
from mcp_backend.recommend.models import Recommendation


def final_facts(rec: Recommendation, data: RecommendData | None = None) -> dict[str, set[str]]:
    """Facts of the recommended stack, computed here rather than taken from the engine."""
    data = data or load_recommend_data()
    req = rec.requirements
    facts: dict[str, set[str]] = {
        "scenarios": set(req.scenarios),
        "data_needs": set(req.data_needs),
        "clients": set(req.clients),
        "auth_needs": set(req.auth) | ({"oauth"} if req.oauth_providers else set()),
        "existing_stack": set(req.existing_stack),
    }
    for item in rec.stack:
        facts[item.aspect] = {item.choice.id}
        for key, values in data.tech(item.choice.id).attributes.items():
            facts.setdefault(key, set()).update(values)
    return facts


def holds(condition: dict[str, list[str]], facts: dict[str, set[str]]) -> bool:
    return all(set(values) & facts.get(key, set()) for key, values in condition.items())
