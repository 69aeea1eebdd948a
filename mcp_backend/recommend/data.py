"""The recommend engine's own decision data (resources/recommend/*.toml), typed and cross-checked.

The seed's tables (framework, database, API style, clarify) stay in the knowledge base; this
module holds what the engine adds on top of them: the technology catalog, preference rules,
conflict rules, anti-default triggers and project layouts. Everything is validated once, on
first use, including references between files, so a typo in the data fails loudly.
"""

from __future__ import annotations

from functools import cache
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from mcp_backend.knowledge import KnowledgeBase, load_knowledge
from mcp_backend.knowledge.loader import read_toml
from mcp_backend.recommend.models import AspectId

# The order in which the engine decides aspects is the order AspectId lists them.
ASPECT_ORDER: tuple[AspectId, ...] = get_args(AspectId)
TechKind = Literal[
    "runtime",
    "deployment",
    "framework",
    "database",
    "hosting",
    "api_style",
    "doc_format",
    "auth",
    "orm",
    "validation",
    "auth_library",
    "cache",
    "jobs",
]
# Facts derived from the inputs (not chosen by the engine) and from attributes of choices.
INPUT_FACTS: frozenset[str] = frozenset(
    {
        "scenarios",
        "data_needs",
        "clients",
        "auth_needs",
        "scale",
        "data_size",
        "team_languages",
        "existing_languages",
        "existing_stack",
        "requested_runtime",
        "requested_deployment",
        "clarity",
    }
)
ATTRIBUTE_FACTS: frozenset[str] = frozenset({"language", "engine"})
CHOICE_FACTS: frozenset[str] = frozenset(ASPECT_ORDER)
KNOWN_FACTS: frozenset[str] = INPUT_FACTS | ATTRIBUTE_FACTS | CHOICE_FACTS

# A condition: every fact named holds at least one of the listed values.
Condition = dict[str, list[str]]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_facts(condition: Condition, where: str) -> None:
    unknown = sorted(set(condition) - KNOWN_FACTS)
    if unknown:
        raise ValueError(f"{where}: unknown fact(s) {unknown}; known facts: {sorted(KNOWN_FACTS)}")


class Tech(_Data):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    kind: TechKind
    name: str
    summary: str
    prefer_if: str
    language: Literal["typescript", "python"] | None = None
    attributes: Condition = Field(default_factory=dict)
    requires: Condition = Field(default_factory=dict)
    serves: list[str] = Field(default_factory=list)
    hosted: list[str] = Field(default_factory=list)
    covers: list[Literal["jwt", "session", "oauth", "roles", "none"]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _facts_known(self) -> Tech:
        _check_facts(self.requires, f"tech {self.id} requires")
        bad = sorted(set(self.attributes) - ATTRIBUTE_FACTS)
        if bad:
            raise ValueError(f"tech {self.id}: attributes {bad} are not among {ATTRIBUTE_FACTS}")
        return self


class Catalog(_Data):
    id: str
    tech: list[Tech] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalog:
        seen: set[str] = set()
        for tech in self.tech:
            if tech.id in seen:
                raise ValueError(f"catalog: duplicate technology id {tech.id!r}")
            seen.add(tech.id)
        return self


class ScaleThresholds(_Data):
    low_below_rps: int = Field(ge=1)
    high_from_rps: int = Field(ge=1)
    large_from_gb: float = Field(gt=0)


class ImpliedRow(_Data):
    table: Literal["framework-selection", "database-selection", "api-style-selection"]
    row: str
    when: list[Condition] = Field(min_length=1)
    reason: str
    confidence: Literal["high", "medium", "low"] = "medium"


class Preference(_Data):
    id: str
    aspect: AspectId | Literal["hosting"]
    when: list[Condition] = Field(min_length=1)
    prefer: list[str] = Field(min_length=1)
    reason: str
    confidence: Literal["high", "medium", "low"] = "medium"

    @model_validator(mode="after")
    def _facts_known(self) -> Preference:
        for condition in self.when:
            _check_facts(condition, f"preference {self.id}")
        return self


class StackRules(_Data):
    id: str
    scale: ScaleThresholds
    languages: dict[str, list[str]]
    option_names: dict[str, str] = Field(default_factory=dict)
    coverage_hints: dict[str, str] = Field(default_factory=dict)
    implied_rows: list[ImpliedRow] = Field(default_factory=list)
    preferences: list[Preference] = Field(default_factory=list)


class ConflictRule(_Data):
    id: str
    title: str
    when: Condition = Field(min_length=2)
    explanation: str
    resolution: str

    @model_validator(mode="after")
    def _engine_can_avoid_it(self) -> ConflictRule:
        _check_facts(self.when, f"conflict {self.id}")
        if not set(self.when) & CHOICE_FACTS:
            # A rule over inputs alone would match every answer: the engine could not avoid it.
            raise ValueError(
                f"conflict {self.id}: needs at least one chosen aspect among its facts"
            )
        return self


class Conflicts(_Data):
    id: str
    conflicts: list[ConflictRule] = Field(min_length=1)


class AntiDefaultTrigger(_Data):
    id: str
    when: list[Condition] = Field(min_length=1)
    violated_by: Condition = Field(default_factory=dict)


class AntiDefaults(_Data):
    id: str
    triggers: list[AntiDefaultTrigger] = Field(min_length=1)


class Layer(_Data):
    layer: Literal["controller", "service", "repository", "validation", "errors", "auth"]
    location: str
    responsibility: str


class Layout(_Data):
    framework: str
    summary: str
    tree: str
    layers: list[Layer] = Field(min_length=6)


class Layouts(_Data):
    id: str
    layouts: list[Layout] = Field(min_length=1)


class RecommendData(_Data):
    """Everything the engine reads, with lookups; built once by `load_recommend_data()`."""

    knowledge: KnowledgeBase
    catalog: Catalog
    stack: StackRules
    conflicts: Conflicts
    anti_defaults: AntiDefaults
    layouts: Layouts
    # Lookups built once after validation (the engine calls them thousands of times).
    _by_id: dict[str, Tech] = PrivateAttr(default_factory=dict)
    _by_kind: dict[str, list[Tech]] = PrivateAttr(default_factory=dict)
    _preferences_by_aspect: dict[str, list[Preference]] = PrivateAttr(default_factory=dict)
    _conflicts_by_fact: dict[str, list[ConflictRule]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        for tech in self.catalog.tech:
            self._by_id[tech.id] = tech
            self._by_kind.setdefault(tech.kind, []).append(tech)
        for pref in self.stack.preferences:
            self._preferences_by_aspect.setdefault(pref.aspect, []).append(pref)
        for rule in self.conflicts.conflicts:
            for fact in rule.when:
                self._conflicts_by_fact.setdefault(fact, []).append(rule)

    def tech(self, tech_id: str) -> Tech:
        return self.__pydantic_private__["_by_id"][tech_id]  # type: ignore[no-any-return,index]

    def has_tech(self, tech_id: str) -> bool:
        return tech_id in self.__pydantic_private__["_by_id"]  # type: ignore[index]

    def techs_of(self, kind: str) -> list[Tech]:
        return self._by_kind.get(kind, [])

    def preferences_for(self, aspect: str) -> list[Preference]:
        return self._preferences_by_aspect.get(aspect, [])

    def conflicts_involving(self, fact: str) -> list[ConflictRule]:
        return self._conflicts_by_fact.get(fact, [])

    def layout_for(self, framework: str) -> Layout | None:
        return next((lay for lay in self.layouts.layouts if lay.framework == framework), None)

    @model_validator(mode="after")
    def _references_resolve(self) -> RecommendData:
        problems: list[str] = []
        ids = {tech.id: tech for tech in self.catalog.tech}

        def need(tech_id: str, kind: str, where: str) -> None:
            tech = ids.get(tech_id)
            if tech is None:
                problems.append(f"{where}: unknown technology {tech_id!r}")
            elif tech.kind != kind:
                problems.append(f"{where}: {tech_id!r} is a {tech.kind}, expected a {kind}")

        def check_values(condition: Condition, where: str) -> None:
            for fact, values in condition.items():
                if fact in CHOICE_FACTS:
                    for value in values:
                        need(value, fact, where)

        kb = self.knowledge
        for frow in kb.framework_selection.rows:
            need(frow.node, "framework", f"framework table row {frow.id}")
            if frow.python:
                need(frow.python, "framework", f"framework table row {frow.id}")
        for table, kind in (
            (kb.database_selection, "database"),
            (kb.api_style_selection, "api_style"),
        ):
            for crow in table.rows:
                for tech_id in (crow.choice, *crow.also):
                    need(tech_id, kind, f"{table.id} row {crow.id}")
                if kind == "database" and crow.id not in ids.get(crow.choice, _NO_TECH).serves:
                    problems.append(f"database {crow.choice} must list {crow.id!r} in `serves`")
        data_need_ids = {row.id for row in kb.database_selection.rows}
        for tech in self.catalog.tech:
            for hosted in tech.hosted:
                need(hosted, "hosting", f"tech {tech.id} hosted")
            unknown_needs = sorted(set(tech.serves) - data_need_ids)
            if unknown_needs:
                problems.append(f"tech {tech.id}: serves unknown data needs {unknown_needs}")
            check_values(tech.requires, f"tech {tech.id} requires")
        row_ids = {
            "framework-selection": {row.id for row in kb.framework_selection.rows},
            "database-selection": data_need_ids,
            "api-style-selection": {row.id for row in kb.api_style_selection.rows},
        }
        for implied in self.stack.implied_rows:
            if implied.row not in row_ids[implied.table]:
                problems.append(f"implied row {implied.table}/{implied.row} is not in the table")
        for pref in self.stack.preferences:
            for tech_id in pref.prefer:
                need(tech_id, pref.aspect, f"preference {pref.id}")
            for condition in pref.when:
                check_values(condition, f"preference {pref.id}")
        for rule in self.conflicts.conflicts:
            check_values(rule.when, f"conflict {rule.id}")
        problems += self._facts_known_in_time()
        clarify_ids = {entry.id for entry in kb.clarify.do_not_default}
        for trigger in self.anti_defaults.triggers:
            if trigger.id not in clarify_ids:
                problems.append(f"anti-default trigger {trigger.id!r} is not in clarify.toml")
        for layout in self.layouts.layouts:
            need(layout.framework, "framework", f"layout {layout.framework}")
        for tech in self.techs_of("framework"):
            if self.layout_for(tech.id) is None:
                problems.append(f"framework {tech.id} has no layout in layouts.toml")
        if problems:
            raise ValueError("recommend data is inconsistent:\n  " + "\n  ".join(problems))
        return self

    def _facts_known_in_time(self) -> list[str]:
        """A rule deciding an aspect may only read inputs and aspects decided before it.

        A fact decided later is still missing when the rule runs, so the rule would never fire
        (a `requires`) or never match (a preference) - a silent data bug.
        """
        attribute_sources: dict[str, set[str]] = {}
        for tech in self.catalog.tech:
            for key in tech.attributes:
                attribute_sources.setdefault(key, set()).add(tech.kind)
        position: dict[str, int] = {aspect: index for index, aspect in enumerate(ASPECT_ORDER)}
        # The database's hosting is chosen after the whole stack.
        position["hosting"] = len(ASPECT_ORDER)

        def late_facts(condition: Condition, aspect: str) -> list[str]:
            limit = position[aspect]
            late: list[str] = []
            for key in condition:
                sources = {key} if key in CHOICE_FACTS else attribute_sources.get(key, set())
                if any(position.get(source, 0) >= limit for source in sources):
                    late.append(key)
            return late

        problems: list[str] = []
        for tech in self.catalog.tech:
            if tech.kind in position and (late := late_facts(tech.requires, tech.kind)):
                problems.append(f"tech {tech.id} requires {late}, decided after {tech.kind}")
        for pref in self.stack.preferences:
            for condition in pref.when:
                if late := late_facts(condition, pref.aspect):
                    problems.append(f"preference {pref.id} reads {late}, decided later")
        return problems


_NO_TECH = Tech(id="none", kind="runtime", name="", summary="", prefer_if="")


@cache
def load_recommend_data() -> RecommendData:
    """Load and cross-check the engine's data once; a broken file raises ValidationError."""
    return RecommendData(
        knowledge=load_knowledge(),
        catalog=Catalog.model_validate(read_toml("recommend/catalog.toml")),
        stack=StackRules.model_validate(read_toml("recommend/stack.toml")),
        conflicts=Conflicts.model_validate(read_toml("recommend/conflicts.toml")),
        anti_defaults=AntiDefaults.model_validate(read_toml("recommend/anti-defaults.toml")),
        layouts=Layouts.model_validate(read_toml("recommend/layouts.toml")),
    )
