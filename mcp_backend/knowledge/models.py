"""Typed models of the knowledge base. Every entry has a stable `id`.

Ids are part of the public contract: the recommend engine matches on decision-table ids, the
review engine on checklist ids, and clients on the `backend://` URIs built from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Lower-case words joined by '-' or '_' (the clarify aspect "api_style" predates this rule).
EntryId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+([-_][a-z0-9]+)*$")]


def _require_unique(ids: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise ValueError(f"duplicate {what} id {entry_id!r}")
        seen.add(entry_id)


class Strict(BaseModel):
    """Unknown keys in a data file are a mistake, not an extension point."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(Strict):
    """Fields every top-level knowledge file has."""

    id: EntryId
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1, description="One sentence, shown in resource pickers.")


# --------------------------------------------------------------------------- decision tables


class FrameworkRow(Strict):
    id: EntryId
    scenario: str
    when: str
    node: str
    python: str = ""
    python_note: str = ""


class FrameworkTable(Document):
    basis: str = ""
    rows: list[FrameworkRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_rows(self) -> FrameworkTable:
        _require_unique((row.id for row in self.rows), "row")
        return self


class ChoiceRow(Strict):
    id: EntryId
    scenario: str
    when: str
    choice: str
    also: list[str] = Field(default_factory=list)


class ChoiceTable(Document):
    basis: str = ""
    rows: list[ChoiceRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_rows(self) -> ChoiceTable:
        _require_unique((row.id for row in self.rows), "row")
        return self


# --------------------------------------------------------------------------- clarify


class ClarifyAspect(Strict):
    id: EntryId
    name: str
    question: str
    why: str
    options: list[str] = Field(min_length=1)


class DoNotDefault(Strict):
    id: EntryId
    avoid: str
    when: str
    prefer: str
    why: str


class Clarify(Document):
    aspects: list[ClarifyAspect] = Field(min_length=1)
    do_not_default: list[DoNotDefault] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_entries(self) -> Clarify:
        _require_unique((aspect.id for aspect in self.aspects), "aspect")
        _require_unique((entry.id for entry in self.do_not_default), "do_not_default")
        return self


# --------------------------------------------------------------------------- names


class Names(Strict):
    """Display names for ids used in tables and recommendations ("hono" -> "Hono")."""

    names: dict[str, str] = Field(min_length=1)

    def display(self, entry_id: str) -> str:
        return self.names.get(entry_id, entry_id)


# --------------------------------------------------------------------------- overview


class Entry(Strict):
    id: EntryId
    text: str


class Capability(Strict):
    id: EntryId
    name: str
    summary: str


class Collaborator(Strict):
    id: EntryId
    name: str
    role: str


class Overview(Document):
    philosophy: str
    use_when: list[Entry] = Field(min_length=1)
    capabilities: list[Capability] = Field(min_length=1)
    triggers: list[Entry] = Field(min_length=1)
    collaborators: list[Collaborator] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_entries(self) -> Overview:
        _require_unique((entry.id for entry in self.use_when), "use_when")
        _require_unique((entry.id for entry in self.capabilities), "capability")
        _require_unique((entry.id for entry in self.triggers), "trigger")
        _require_unique((entry.id for entry in self.collaborators), "collaborator")
        return self


# --------------------------------------------------------------------------- process


class PhaseItem(Strict):
    id: EntryId
    label: str
    question: str
    detail: str
    see: list[str] = Field(
        default_factory=list, description="Document ids (backend:// paths) with more detail."
    )


class Phase(Strict):
    id: EntryId
    number: int = Field(ge=1)
    name: str
    goal: str
    gate: str = Field(description="What must hold before moving to the next phase.")
    ordered: bool = Field(default=False, description="Items are steps to do in this order.")
    items: list[PhaseItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_items(self) -> Phase:
        _require_unique((item.id for item in self.items), f"item in phase {self.id!r}")
        return self


class Process(Document):
    phases: list[Phase] = Field(min_length=1)

    @model_validator(mode="after")
    def _numbered_in_order(self) -> Process:
        _require_unique((phase.id for phase in self.phases), "phase")
        numbers = [phase.number for phase in self.phases]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"phases must be numbered 1..{len(numbers)} in order, got {numbers}")
        return self

    def phase(self, phase_id: str) -> Phase:
        return next(phase for phase in self.phases if phase.id == phase_id)


# --------------------------------------------------------------------------- practices


class Practice(Strict):
    id: EntryId
    rule: str = Field(description="The practice in one line.")
    why: str
    how: str
    libraries: list[str] = Field(default_factory=list)
    checklist_item: str | None = None


class PracticeArea(Strict):
    id: EntryId
    name: str
    summary: str
    do: list[Practice] = Field(min_length=1)
    dont: list[Practice] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_practices(self) -> PracticeArea:
        _require_unique((p.id for p in [*self.do, *self.dont]), f"practice in area {self.id!r}")
        return self


class Practices(Document):
    areas: list[PracticeArea] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_areas(self) -> Practices:
        _require_unique((area.id for area in self.areas), "area")
        return self


# --------------------------------------------------------------------------- expertise


class Tool(Strict):
    id: EntryId
    name: str
    note: str


class ToolCategory(Strict):
    id: EntryId
    name: str
    tools: list[Tool] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_tools(self) -> ToolCategory:
        _require_unique((tool.id for tool in self.tools), f"tool in category {self.id!r}")
        return self


class ExpertiseArea(Strict):
    id: EntryId
    name: str
    summary: str
    categories: list[ToolCategory] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_categories(self) -> ExpertiseArea:
        _require_unique((c.id for c in self.categories), f"category in area {self.id!r}")
        return self


class Expertise(Document):
    areas: list[ExpertiseArea] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_areas(self) -> Expertise:
        _require_unique((area.id for area in self.areas), "area")
        return self


# --------------------------------------------------------------------------- checklist


class ChecklistItem(Strict):
    id: EntryId
    title: str
    in_seed: bool = Field(description="One of the original ten checklist items.")
    criterion: str = Field(description="What the item demands, in one sentence.")
    why: str
    pass_when: str = Field(description="What passing looks like in code.")
    fail_when: str = Field(description="What failing looks like in code.")
    fix: str
    cwe: list[int] = Field(default_factory=list)
    owasp: str = ""


class Checklist(Document):
    items: list[ChecklistItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_items(self) -> Checklist:
        _require_unique((item.id for item in self.items), "checklist item")
        return self

    def item(self, item_id: str) -> ChecklistItem:
        """The item with this id; KeyError if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def titles(self) -> dict[str, str]:
        return {item.id: item.title for item in self.items}


# --------------------------------------------------------------------------- anti-patterns


class AntiPattern(Strict):
    id: EntryId
    name: str
    correction: str = Field(description="The correct approach, in one line.")
    why: str
    signs: list[str] = Field(min_length=1, description="How to spot it in code or decisions.")
    how: str
    checklist_item: str | None = None
    see: str | None = Field(default=None, description="A document id with the full rule.")


class AntiPatterns(Document):
    anti_patterns: list[AntiPattern] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_entries(self) -> AntiPatterns:
        _require_unique((entry.id for entry in self.anti_patterns), "anti-pattern")
        return self


# --------------------------------------------------------------------------- playbooks


class ClarifyExchange(Strict):
    id: EntryId
    aspect: str = Field(description="The clarify aspect id the question belongs to.")
    question: str
    example_answer: str


class PlaybookAction(Strict):
    id: EntryId
    text: str
    detail: str = ""
    checklist_item: str | None = None


class PlaybookStep(Strict):
    id: EntryId
    title: str
    goal: str
    actions: list[PlaybookAction] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_actions(self) -> PlaybookStep:
        _require_unique((a.id for a in self.actions), f"action in step {self.id!r}")
        return self


class Metric(Strict):
    id: EntryId
    name: str
    before: str
    after: str


class Playbook(Document):
    request: str = Field(description="The user's request that starts the playbook.")
    approach: str
    clarify: list[ClarifyExchange] = Field(default_factory=list)
    steps: list[PlaybookStep] = Field(min_length=1)
    metrics: list[Metric] = Field(default_factory=list, description="Example figures.")
    done_when: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_entries(self) -> Playbook:
        _require_unique((c.id for c in self.clarify), "clarify question")
        _require_unique((s.id for s in self.steps), "step")
        _require_unique((m.id for m in self.metrics), "metric")
        return self

    def step(self, step_id: str) -> PlaybookStep:
        return next(step for step in self.steps if step.id == step_id)


# --------------------------------------------------------------------------- quality loop


class LoopCommand(Strict):
    ecosystem: Literal["node", "python", "any"]
    command: str


class LoopStep(Strict):
    id: EntryId
    number: int = Field(ge=1)
    name: str
    check: str = Field(description="What must hold for the step to pass.")
    detail: str
    commands: list[LoopCommand] = Field(default_factory=list)


class QualityLoop(Document):
    rule: str
    tool: str = Field(description="The MCP tool that runs the loop.")
    steps: list[LoopStep] = Field(min_length=1)

    @model_validator(mode="after")
    def _numbered_in_order(self) -> QualityLoop:
        _require_unique((step.id for step in self.steps), "step")
        numbers = [step.number for step in self.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"steps must be numbered 1..{len(numbers)} in order, got {numbers}")
        return self


# --------------------------------------------------------------------------- the whole base


class KnowledgeBase(Strict):
    framework_selection: FrameworkTable
    database_selection: ChoiceTable
    api_style_selection: ChoiceTable
    clarify: Clarify
    names: Names
    overview: Overview
    process: Process
    practices: Practices
    expertise: Expertise
    checklist: Checklist
    anti_patterns: AntiPatterns
    playbooks: list[Playbook] = Field(min_length=1)
    quality_loop: QualityLoop

    def display_name(self, entry_id: str) -> str:
        """ "hono" -> "Hono"; an id without a display name is shown as itself."""
        return self.names.display(entry_id)

    def playbook(self, playbook_id: str) -> Playbook:
        """The playbook with this id; KeyError if there is none."""
        for playbook in self.playbooks:
            if playbook.id == playbook_id:
                return playbook
        raise KeyError(playbook_id)
