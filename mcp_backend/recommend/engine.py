"""recommend(Requirements) -> Recommendation: a reasoned stack from the decision tables.

How a stack is chosen:
1. The inputs become facts (scenarios, data needs, scale, team languages, ...).
2. For each aspect in ASPECT_ORDER the candidates are ranked: pinned inputs, the decision
   table rows the inputs select, rows implied by other inputs, preference rules, then the rest
   (see resources/recommend/stack.toml).
3. A depth-first search takes the first candidate of each aspect that meets its catalog
   `requires` and forms no conflict rule with what was chosen before, backtracking if a later
   aspect has no valid candidate. So the result never matches a conflict rule.
4. The same ranking without conflict checks gives the stack "as requested"; the conflict rules
   it matches are reported with what the recommendation did about them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from mcp_backend.knowledge.models import ChoiceTable
from mcp_backend.recommend.data import (
    ASPECT_ORDER,
    Condition,
    ConflictRule,
    RecommendData,
    Tech,
    load_recommend_data,
)
from mcp_backend.recommend.models import (
    Alternative,
    AntiDefault,
    AspectChoice,
    AspectId,
    Confidence,
    Conflict,
    LayoutLayer,
    ProjectLayout,
    Recommendation,
    Requirements,
    TechRef,
)

logger = logging.getLogger(__name__)

Facts = Mapping[str, tuple[str, ...]]

ASPECT_TITLES: dict[str, str] = {
    "runtime": "Runtime",
    "deployment": "Deployment",
    "framework": "Framework",
    "database": "Database",
    "api_style": "API style",
    "auth": "Auth approach",
    "orm": "ORM / query layer",
    "validation": "Validation",
    "auth_library": "Auth library",
    "doc_format": "API documentation",
    "cache": "Cache",
    "jobs": "Background jobs",
}
# Which Requirements field pins which aspect directly (existing_stack pins every kind).
PIN_FIELDS: dict[str, str] = {
    "runtime": "runtime",
    "deployment": "deployment",
    "framework": "framework",
    "database": "database",
    "api_style": "api_style",
}
AUTH_APPROACHES: tuple[str, ...] = ("jwt", "session", "none")
TABLE_OF_ASPECT: dict[str, str] = {
    "framework": "framework-selection",
    "database": "database-selection",
    "api_style": "api-style-selection",
}
_LOWER: dict[Confidence, Confidence] = {"high": "medium", "medium": "low", "low": "low"}
# Depth-first search visits; the data guarantees a fallback per aspect, so real searches stay
# in the tens. The cap only protects against a future data file that breaks that guarantee.
_SEARCH_BUDGET = 20_000
_MAX_ALTERNATIVES = 4


@dataclass(frozen=True)
class Candidate:
    tech: str
    rule: str
    reason: str
    confidence: Confidence
    pinned_by: str | None = None
    prefer_when: str | None = None
    # Pinned by the user or picked by a table row that the user's own inputs selected.
    asked: bool = False


@dataclass(frozen=True)
class Solution:
    """One pass of the engine: the final stack and the stack as the inputs asked for it."""

    chosen: dict[str, Candidate]
    facts: dict[str, tuple[str, ...]]
    requested: dict[str, Candidate]
    requested_facts: dict[str, tuple[str, ...]]
    incompatible_pins: list[tuple[Candidate, str, tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=list
    )
    table_notes: dict[str, str] = field(default_factory=dict)

    def stack_key(self) -> tuple[str, ...]:
        return tuple(self.chosen[aspect].tech for aspect in ASPECT_ORDER)


# --------------------------------------------------------------------------- facts


def matches(condition: Condition, facts: Facts) -> bool:
    """Every fact named in the condition holds one of its values (a missing fact fails)."""
    for key, values in condition.items():
        held = facts.get(key, ())
        if not any(value in held for value in values):
            return False
    return True


def matches_any(conditions: Iterable[Condition], facts: Facts) -> bool:
    return any(matches(condition, facts) for condition in conditions)


def _scale(req: Requirements, data: RecommendData) -> tuple[str, ...]:
    if req.requests_per_second is None:
        return ()
    thresholds = data.stack.scale
    if req.requests_per_second >= thresholds.high_from_rps:
        return ("high",)
    if req.requests_per_second < thresholds.low_below_rps:
        return ("low",)
    return ("medium",)


def _language_of_word(word: str, data: RecommendData) -> str | None:
    for language, aliases in data.stack.languages.items():
        if word in aliases:
            return language
    return None


def team_language_families(req: Requirements, data: RecommendData) -> tuple[str, ...]:
    found = (_language_of_word(word, data) for word in req.team_languages)
    return tuple(dict.fromkeys(lang for lang in found if lang))


def existing_language_families(req: Requirements, data: RecommendData) -> tuple[str, ...]:
    """Languages that chosen technologies (existing stack, a pinned framework) tie us to."""
    chosen = [*req.existing_stack, *([req.framework] if req.framework else [])]
    found = (data.tech(tech_id).language for tech_id in chosen)
    return tuple(dict.fromkeys(lang for lang in found if lang))


def auth_needs(req: Requirements) -> tuple[str, ...]:
    needs = list(req.auth)
    if req.oauth_providers and "oauth" not in needs:
        needs.append("oauth")
    return tuple(needs)


def input_facts(req: Requirements, data: RecommendData) -> dict[str, tuple[str, ...]]:
    size = req.data_size_gb
    return {
        "scenarios": tuple(req.scenarios),
        "data_needs": tuple(req.data_needs),
        "clients": tuple(req.clients),
        "auth_needs": auth_needs(req),
        "scale": _scale(req, data),
        "data_size": ("large",)
        if size is not None and size >= data.stack.scale.large_from_gb
        else (),
        "team_languages": team_language_families(req, data),
        "existing_languages": existing_language_families(req, data),
        "existing_stack": tuple(req.existing_stack),
        "requested_runtime": (req.runtime,) if req.runtime else (),
        "requested_deployment": (req.deployment,) if req.deployment else (),
    }


def _with_choice(facts: Facts, aspect: str, tech: Tech) -> dict[str, tuple[str, ...]]:
    updated = dict(facts)
    updated[aspect] = (tech.id,)
    for key, values in tech.attributes.items():
        updated[key] = tuple(values)
    return updated


def conflicts_in(facts: Facts, data: RecommendData) -> list[ConflictRule]:
    """Conflict rules the facts match (all their facts present and overlapping)."""
    return [rule for rule in data.conflicts.conflicts if matches(rule.when, facts)]


def new_conflicts(facts: Facts, aspect: str, tech: Tech, data: RecommendData) -> bool:
    """Whether choosing `tech` for `aspect` (already in `facts`) completes a conflict rule.

    Only rules naming the aspect or one of the choice's attributes can have become complete.
    """
    for key in (aspect, *tech.attributes):
        for rule in data.conflicts_involving(key):
            if matches(rule.when, facts):
                return True
    return False


def unmet_requirement(tech: Tech, facts: Facts) -> tuple[str, tuple[str, ...]] | None:
    """The first `requires` fact the stack does not meet, with the values it needs."""
    for key, values in tech.requires.items():
        if not set(values) & set(facts.get(key, ())):
            return key, tuple(values)
    return None


# --------------------------------------------------------------------------- ranking


def _pins(aspect: str, req: Requirements, data: RecommendData) -> list[Candidate]:
    pins: list[Candidate] = []
    field_name = PIN_FIELDS.get(aspect)
    value = getattr(req, field_name) if field_name else None
    if value is not None and value != "any":
        name = data.tech(value).name
        pins.append(
            Candidate(
                value,
                f"pinned:{field_name}",
                f"you asked for {name}",
                "high",
                field_name,
                asked=True,
            )
        )
    if aspect == "auth":
        for need in req.auth:
            if need in AUTH_APPROACHES:
                name = data.tech(need).name
                reason = f"you asked for {name}"
                pins.append(Candidate(need, "pinned:auth", reason, "high", "auth", asked=True))
    for tech_id in req.existing_stack:
        tech = data.tech(tech_id)
        if tech.kind == aspect:
            reason = f"your existing stack uses {tech.name}; staying compatible with it"
            pins.append(
                Candidate(
                    tech_id, "pinned:existing_stack", reason, "high", "existing_stack", asked=True
                )
            )
    return pins


def _table(data: RecommendData, table_id: str) -> ChoiceTable:
    kb = data.knowledge
    return kb.database_selection if table_id == "database-selection" else kb.api_style_selection


def _row_candidates(
    aspect: str,
    row_ids: Iterable[str],
    facts: Facts,
    data: RecommendData,
    *,
    confidence: Confidence,
    rule_prefix: str,
    because: str,
    notes: dict[str, str],
    asked: bool = False,
) -> list[Candidate]:
    """Candidates from rows of the aspect's decision table, in the given row order."""
    table_id = TABLE_OF_ASPECT[aspect]
    found: list[Candidate] = []
    if aspect == "framework":
        runtime = facts.get("runtime", ("node",))[0]
        column = "python" if data.tech(runtime).language == "python" else "node"
        label = "Python" if column == "python" else "Node.js family"
        rows = {row.id: row for row in data.knowledge.framework_selection.rows}
        for row_id in row_ids:
            frow = rows[row_id]
            tech_id = frow.python if column == "python" else frow.node
            if not tech_id:
                notes.setdefault(
                    "framework",
                    f"the framework table's '{frow.scenario}' row has no {label} entry: "
                    f"{frow.python_note or 'none is listed'}",
                )
                continue
            title = data.knowledge.framework_selection.title
            reason = f"{title} table, row '{frow.scenario}' ({label} column){because}: {frow.when}"
            found.append(
                Candidate(
                    tech_id,
                    f"{rule_prefix}{table_id}/{row_id}",
                    reason,
                    confidence,
                    prefer_when=f"{frow.scenario}: {frow.when}",
                    asked=asked,
                )
            )
        return found
    table = _table(data, table_id)
    crows = {row.id: row for row in table.rows}
    for row_id in row_ids:
        crow = crows[row_id]
        for tech_id in (crow.choice, *crow.also):
            reason = f"{table.title} table, row '{crow.scenario}'{because}: {crow.when}"
            found.append(
                Candidate(
                    tech_id,
                    f"{rule_prefix}{table_id}/{row_id}",
                    reason,
                    confidence,
                    prefer_when=f"{crow.scenario}: {crow.when}",
                    asked=asked,
                )
            )
    if aspect == "database":
        # Several data needs: a database that serves more of them ranks first (stable sort,
        # so with one need the row's own answer stays first).
        wanted = set(facts.get("data_needs", ()))
        found.sort(key=lambda cand: -len(wanted & set(data.tech(cand.tech).serves)))
    return found


def _selected_rows(aspect: str, req: Requirements) -> list[str]:
    """The table rows the user's own inputs name (list order is priority)."""
    if aspect == "framework":
        return list(req.scenarios)
    if aspect == "database":
        return list(req.data_needs)
    return list(req.clients)


def _all_row_ids(aspect: str, data: RecommendData) -> list[str]:
    if aspect == "framework":
        return [row.id for row in data.knowledge.framework_selection.rows]
    return [row.id for row in _table(data, TABLE_OF_ASPECT[aspect]).rows]


def rank(
    aspect: str,
    facts: Facts,
    req: Requirements,
    data: RecommendData,
    notes: dict[str, str] | None = None,
) -> list[Candidate]:
    """Every candidate for an aspect, best first, before compatibility and conflict checks."""
    notes = notes if notes is not None else {}
    ranked = _pins(aspect, req, data)
    if aspect in TABLE_OF_ASPECT:
        chosen_rows = _selected_rows(aspect, req)
        ranked += _row_candidates(
            aspect, chosen_rows, facts, data,
            confidence="high", rule_prefix="", because="", notes=notes, asked=True,
        )  # fmt: skip
        table_id = TABLE_OF_ASPECT[aspect]
        for implied in data.stack.implied_rows:
            if implied.table == table_id and matches_any(implied.when, facts):
                ranked += _row_candidates(
                    aspect, [implied.row], facts, data,
                    confidence=implied.confidence, rule_prefix="implied:",
                    because=f" (because {implied.reason})", notes=notes,
                )  # fmt: skip
    for pref in data.preferences_for(aspect):
        if matches_any(pref.when, facts):
            ranked += [Candidate(t, pref.id, pref.reason, pref.confidence) for t in pref.prefer]
    if aspect in TABLE_OF_ASPECT:
        ranked += _row_candidates(
            aspect, _all_row_ids(aspect, data), facts, data,
            confidence="low", rule_prefix="unselected:",
            because=" (no input selected this row; provisional)", notes={},
        )  # fmt: skip
    ranked += [
        Candidate(tech.id, "catalog-order", f"{tech.name}: {tech.summary}", "low")
        for tech in data.techs_of(aspect)
    ]
    unique: dict[str, Candidate] = {}
    for cand in ranked:
        unique.setdefault(cand.tech, cand)
    return list(unique.values())


# --------------------------------------------------------------------------- search


def _requested(req: Requirements, data: RecommendData, base: Facts) -> Solution:
    """The stack the inputs ask for, before conflicts are resolved.

    What the user asked for (pins, the table rows their inputs select) is taken even when it
    clashes; the engine's own guesses must fit, so every reported conflict traces back to the
    user's inputs and never to a default.
    """
    facts = dict(base)
    chosen: dict[str, Candidate] = {}
    incompatible: list[tuple[Candidate, str, tuple[str, ...], tuple[str, ...]]] = []
    notes: dict[str, str] = {}
    for aspect in ASPECT_ORDER:
        for cand in rank(aspect, facts, req, data, notes):
            tech = data.tech(cand.tech)
            unmet = unmet_requirement(tech, facts)
            extended = _with_choice(facts, aspect, tech)
            clashes = unmet is not None or new_conflicts(extended, aspect, tech, data)
            if not cand.asked and clashes:
                continue
            if unmet is not None:
                key, needed = unmet
                incompatible.append((cand, key, needed, facts.get(key, ())))
            chosen[aspect] = cand
            facts = extended
            break
    return Solution(chosen, facts, chosen, facts, incompatible, notes)


def _search(req: Requirements, data: RecommendData, base: Facts) -> dict[str, Candidate] | None:
    budget = [_SEARCH_BUDGET]
    path: dict[str, Candidate] = {}

    def descend(index: int, facts: Facts) -> bool:
        if index == len(ASPECT_ORDER):
            return True
        aspect = ASPECT_ORDER[index]
        for cand in rank(aspect, facts, req, data):
            budget[0] -= 1
            if budget[0] < 0:
                return False
            tech = data.tech(cand.tech)
            if unmet_requirement(tech, facts) is not None:
                continue
            extended = _with_choice(facts, aspect, tech)
            if new_conflicts(extended, aspect, tech, data):
                continue
            path[aspect] = cand
            if descend(index + 1, extended):
                return True
        path.pop(aspect, None)
        return False

    return dict(path) if descend(0, base) else None


def _first_compatible(req: Requirements, data: RecommendData, base: Facts) -> dict[str, Candidate]:
    """Last resort: per aspect the first candidate meeting its `requires` (or just the first)."""
    facts = dict(base)
    chosen: dict[str, Candidate] = {}
    for aspect in ASPECT_ORDER:
        ranked = rank(aspect, facts, req, data)
        fitting = [c for c in ranked if unmet_requirement(data.tech(c.tech), facts) is None]
        chosen[aspect] = (fitting or ranked)[0]
        facts = _with_choice(facts, aspect, data.tech(chosen[aspect].tech))
    return chosen


def solve(req: Requirements, data: RecommendData | None = None) -> Solution:
    """Choose a conflict-free stack for the requirements (no clarify step).

    Clarify calls this once per option of every open aspect, so results are memoised by the
    requirements' JSON (the data is loaded once per process; a Solution is never mutated).
    """
    if data is None or data is load_recommend_data():
        return _solve_cached(req.model_dump_json())
    return _solve(req, data)


@lru_cache(maxsize=2048)
def _solve_cached(requirements_json: str) -> Solution:
    return _solve(Requirements.model_validate_json(requirements_json), load_recommend_data())


def _solve(req: Requirements, data: RecommendData) -> Solution:
    base = input_facts(req, data)
    requested = _requested(req, data, base)
    chosen = _search(req, data, base)
    if chosen is None:
        # Only reachable if a data change removed every conflict-free fallback of an aspect.
        logger.error("recommend: no conflict-free stack found for %s", req.model_dump_json())
        chosen = _first_compatible(req, data, base)
    facts: dict[str, tuple[str, ...]] = dict(base)
    for aspect in ASPECT_ORDER:
        if aspect in chosen:
            facts = _with_choice(facts, aspect, data.tech(chosen[aspect].tech))
    return Solution(
        chosen=chosen,
        facts=facts,
        requested=requested.chosen,
        requested_facts=requested.requested_facts,
        incompatible_pins=requested.incompatible_pins,
        table_notes=requested.table_notes,
    )


# --------------------------------------------------------------------------- report parts


def _ref(tech: Tech) -> TechRef:
    return TechRef(id=tech.id, name=tech.name)


def _alternatives(
    aspect: str, solution: Solution, req: Requirements, data: RecommendData
) -> list[Alternative]:
    chosen_id = solution.chosen[aspect].tech
    found: list[Alternative] = []
    for cand in rank(aspect, solution.facts, req, data):
        if cand.tech == chosen_id:
            continue
        tech = data.tech(cand.tech)
        if unmet_requirement(tech, solution.facts) is not None:
            continue
        if new_conflicts(_with_choice(solution.facts, aspect, tech), aspect, tech, data):
            continue  # not an alternative if it would clash with the rest of the stack
        found.append(
            Alternative(id=tech.id, name=tech.name, prefer_when=cand.prefer_when or tech.prefer_if)
        )
        if len(found) == _MAX_ALTERNATIVES:
            break
    return found


def _hosting(solution: Solution, req: Requirements, data: RecommendData) -> TechRef | None:
    database = data.tech(solution.chosen["database"].tech)
    if not database.hosted:
        return None
    ordered = [t for t in req.existing_stack if t in database.hosted]
    for pref in data.preferences_for("hosting"):
        if matches_any(pref.when, solution.facts):
            ordered += [t for t in pref.prefer if t in database.hosted]
    ordered += database.hosted
    return _ref(data.tech(ordered[0]))


def _auth_detail(aspect: str, solution: Solution, req: Requirements, data: RecommendData) -> str:
    """For auth: the OAuth providers and roles to cover; for the library: what it leaves out."""
    needs = [need for need in solution.facts.get("auth_needs", ()) if need in ("oauth", "roles")]
    if aspect == "auth":
        parts: list[str] = []
        if "oauth" in needs:
            providers = ", ".join(req.oauth_providers) or "providers to be named"
            parts.append(f"OAuth sign-in ({providers})")
        if "roles" in needs:
            parts.append("role-based access checks on protected routes")
        return f"with {' and '.join(parts)}" if parts else ""
    if aspect == "auth_library":
        library = data.tech(solution.chosen["auth_library"].tech)
        wanted = [*solution.facts.get("auth", ()), *needs]
        missing = [need for need in wanted if need not in library.covers]
        hints = [data.stack.coverage_hints.get(need, need) for need in missing]
        return (
            f"{library.name} does not cover {', '.join(missing)}: " + "; ".join(hints)
            if missing
            else ""
        )
    return ""


def _aspect_choices(
    solution: Solution, req: Requirements, data: RecommendData
) -> list[AspectChoice]:
    choices: list[AspectChoice] = []
    for aspect in ASPECT_ORDER:
        cand = solution.chosen[aspect]
        tech = data.tech(cand.tech)
        requested = solution.requested.get(aspect)
        # Only a change to what the user asked for is news; choices that merely follow an
        # adjusted aspect (a cache for the new deployment) are ordinary reasoning.
        adjusted = requested is not None and requested.asked and requested.tech != cand.tech
        reason = cand.reason
        note = solution.table_notes.get(aspect)
        if note and cand.rule.startswith(("unselected:", "catalog-order", "implied:")):
            reason = f"{reason}. Note: {note}"
        choices.append(
            AspectChoice(
                aspect=aspect,
                title=ASPECT_TITLES[aspect],
                choice=_ref(tech),
                rule=cand.rule,
                reason=reason,
                confidence=_LOWER[cand.confidence] if adjusted else cand.confidence,
                alternatives=_alternatives(aspect, solution, req, data),
                hosted=_hosting(solution, req, data) if aspect == "database" else None,
                detail=_auth_detail(aspect, solution, req, data),
                adjusted_from=_ref(data.tech(requested.tech)) if adjusted and requested else None,
            )
        )
    return choices


def _describe_changes(keys: Iterable[str], solution: Solution, data: RecommendData) -> str:
    changed: list[str] = []
    kept: list[str] = []
    for key in keys:
        if key not in ASPECT_TITLES:
            continue
        before = solution.requested.get(key)
        after = solution.chosen[key]
        title = ASPECT_TITLES[key].lower()
        if before is not None and before.tech != after.tech:
            old, new = data.tech(before.tech).name, data.tech(after.tech).name
            changed.append(f"changed {title} from {old} to {new}")
        else:
            kept.append(f"kept {title} {data.tech(after.tech).name}")
    return "; ".join([*changed, *kept]) + "."


def _conflicts(solution: Solution, data: RecommendData) -> list[Conflict]:
    found: list[Conflict] = []
    for rule in conflicts_in(solution.requested_facts, data):
        found.append(
            Conflict(
                id=rule.id,
                title=rule.title,
                when=dict(rule.when),
                explanation=rule.explanation,
                resolution=rule.resolution,
                applied=_describe_changes(rule.when, solution, data),
            )
        )
    for cand, key, needed, actual in solution.incompatible_pins:
        tech = data.tech(cand.tech)
        aspect = tech.kind
        if any(tech.id in conflict.when.get(aspect, ()) for conflict in found):
            continue  # a named conflict rule already explains this clash
        have = ", ".join(actual) or "nothing"
        found.append(
            Conflict(
                id=f"incompatible-{tech.id}",
                title=f"{tech.name} does not fit this stack",
                when={aspect: [tech.id], key: list(actual)},
                explanation=f"{tech.name} needs {key} to be one of {', '.join(needed)}; "
                f"the stack has {have}.",
                resolution=f"Keep {tech.name} by changing {key}, or replace it "
                f"with the recommended {ASPECT_TITLES.get(aspect, aspect).lower()}.",
                applied=_describe_changes([aspect], solution, data),
            )
        )
    return found


def _anti_defaults(facts: Facts, data: RecommendData) -> list[AntiDefault]:
    entries = {entry.id: entry for entry in data.knowledge.clarify.do_not_default}
    found: list[AntiDefault] = []
    for trigger in data.anti_defaults.triggers:
        if not matches_any(trigger.when, facts):
            continue
        entry = entries[trigger.id]
        heeded = not (trigger.violated_by and matches(trigger.violated_by, facts))
        found.append(
            AntiDefault(
                id=entry.id,
                avoid=entry.avoid,
                when=entry.when,
                prefer=entry.prefer,
                why=entry.why,
                heeded=heeded,
            )
        )
    return found


def _layout(framework_id: str, data: RecommendData) -> ProjectLayout | None:
    layout = data.layout_for(framework_id)
    if layout is None:
        return None
    return ProjectLayout(
        framework=_ref(data.tech(framework_id)),
        summary=layout.summary,
        tree=layout.tree.strip("\n"),
        layers=[
            LayoutLayer(
                layer=item.layer, location=item.location, responsibility=item.responsibility
            )
            for item in layout.layers
        ],
    )


def _summary(
    stack: list[AspectChoice], open_count: int, overridden: list[str], conflicts: int
) -> str:
    by_aspect = {item.aspect: item.choice.name for item in stack}
    deployment = next(item.choice.id for item in stack if item.aspect == "deployment")
    line = (
        f"{by_aspect['framework']} on {by_aspect['runtime']} ({deployment}), "
        f"{by_aspect['database']}, {by_aspect['orm']}, {by_aspect['validation']}, "
        f"{by_aspect['api_style']}, auth: {by_aspect['auth']} via {by_aspect['auth_library']}"
    )
    parts: list[str] = []
    if open_count:
        parts.append(f"{open_count} open question{'s' if open_count != 1 else ''}")
    if overridden:
        parts.append(f"your inputs conflict ({', '.join(overridden)} had to change)")
    if parts:
        return f"Needs clarification: {'; '.join(parts)}. Provisional stack: {line}."
    tail = f" ({conflicts} conflict{'s' if conflicts != 1 else ''} resolved)" if conflicts else ""
    return f"Recommended: {line}{tail}."


def recommend(requirements: Requirements) -> Recommendation:
    """A reasoned, conflict-free stack for the requirements, with questions for what is open.

    Deterministic: the same requirements give the same recommendation.
    """
    from mcp_backend.recommend.clarify import missing_aspects

    data = load_recommend_data()
    solution = solve(requirements, data)
    questions = missing_aspects(requirements)
    stack = _aspect_choices(solution, requirements, data)
    conflicts = _conflicts(solution, data)
    overridden = [
        ASPECT_TITLES[aspect].lower()
        for aspect, cand in solution.requested.items()
        if cand.pinned_by and solution.chosen[aspect].tech != cand.tech
    ]
    needs_clarification = bool(questions or overridden)
    facts = dict(solution.facts)
    facts["clarity"] = ("unclear",) if questions else ("clear",)
    return Recommendation(
        status="needs_clarification" if needs_clarification else "recommended",
        provisional=needs_clarification,
        summary=_summary(stack, len(questions), overridden, len(conflicts)),
        stack=stack,
        conflicts=conflicts,
        anti_defaults=_anti_defaults(facts, data),
        layout=_layout(solution.chosen["framework"].tech, data),
        open_questions=questions,
        requirements=requirements,
    )


__all__ = ["ASPECT_ORDER", "AspectId", "recommend", "solve"]
