"""The document registry: every piece of knowledge as a `backend://` document, in Markdown or JSON.

A document id is its URI path (`checklist/jwt` is served as `backend://checklist/jwt`). Some
documents form families: an index document (`checklist`) and one member per entry
(`checklist/{item_id}`), so a server can register one URI template per family.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, get_args

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from mcp_backend.knowledge.loader import load_knowledge
from mcp_backend.knowledge.models import (
    AntiPattern,
    ChecklistItem,
    ChoiceTable,
    ExpertiseArea,
    FrameworkTable,
    KnowledgeBase,
    Phase,
    Playbook,
    Practice,
    PracticeArea,
)

Format = Literal["markdown", "json"]
FORMATS: tuple[str, ...] = get_args(Format)
MIME_TYPES: dict[str, str] = {"markdown": "text/markdown", "json": "application/json"}
URI_SCHEME = "backend://"


class DocumentInfo(BaseModel):
    """What a client's resource picker shows for one document."""

    id: str
    uri_path: str
    title: str
    description: str
    family: str | None = None
    member_id: str | None = None

    @property
    def uri(self) -> str:
        return URI_SCHEME + self.uri_path


class FamilyInfo(BaseModel):
    """A set of documents served by one URI template, e.g. backend://checklist/{item_id}."""

    id: str
    parameter: str
    title: str
    description: str
    member_ids: list[str]

    @property
    def uri_template(self) -> str:
        return f"{URI_SCHEME}{self.id}/{{{self.parameter}}}"


class UnknownTopicError(ValueError):
    """A document id (or guidance topic) that does not exist; the message lists valid ones."""


class UnknownMemberError(UnknownTopicError):
    """A family exists but has no member with that id; the message lists the valid ids."""


def _close_matches(wanted: str, valid: Sequence[str]) -> str:
    matches = difflib.get_close_matches(wanted, valid, n=3, cutoff=0.5)
    return f" Did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""


def unknown_topic_error(topic: str, valid: Sequence[str], what: str = "topic") -> str:
    return f"Unknown {what} {topic!r}.{_close_matches(topic, valid)} Valid {what}s: " + ", ".join(
        valid
    )


# --------------------------------------------------------------------------- Markdown helpers


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip() or "-"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines.extend("| " + " | ".join(_cell(value) for value in row) + " |" for row in rows)
    return "\n".join(lines)


def _page(title: str, summary: str, *sections: str) -> str:
    parts = [f"# {title}", summary, *(section.strip() for section in sections if section)]
    return "\n\n".join(parts).rstrip() + "\n"


def _see(ids: Iterable[str]) -> str:
    links = [f"`{URI_SCHEME}{doc_id}`" for doc_id in ids]
    return f" (see {', '.join(links)})" if links else ""


def _demote(markdown: str, levels: int = 1) -> str:
    """Nest a member page's headings under an index page's heading."""
    prefix = "#" * levels
    return "\n".join(
        prefix + line if line.startswith("#") else line for line in markdown.split("\n")
    )


def _strip_title(markdown: str) -> str:
    return markdown.split("\n", 1)[1].lstrip("\n") if markdown.startswith("# ") else markdown


# --------------------------------------------------------------------------- renderers


def _overview_md(kb: KnowledgeBase, documents: Sequence[DocumentInfo]) -> str:
    overview = kb.overview
    index = _table(
        ["Document", "What it holds"],
        ([f"`{doc.uri}`", doc.description] for doc in documents if doc.family is None),
    )
    return _page(
        overview.title,
        overview.summary,
        f"> {overview.philosophy}",
        "## Use it when\n\n" + "\n".join(f"- {entry.text}" for entry in overview.use_when),
        "## Capabilities\n\n"
        + _table(
            ["Capability", "What it means"], ([c.name, c.summary] for c in overview.capabilities)
        ),
        "## Selected automatically when\n\n"
        + "\n".join(f"- {entry.text}" for entry in overview.triggers),
        "## Works with\n\n"
        + "\n".join(f"- **{c.name}**: {c.role}" for c in overview.collaborators),
        "## Documents\n\n" + index,
    )


def _clarify_md(kb: KnowledgeBase) -> str:
    clarify = kb.clarify
    aspects = _table(
        ["Aspect", "Ask", "Why it matters", "Options"],
        (
            [a.name, a.question, a.why, ", ".join(kb.display_name(o) for o in a.options)]
            for a in clarify.aspects
        ),
    )
    defaults = _table(
        ["Do not default to", "When", "Prefer", "Why"],
        ([d.avoid, d.when, d.prefer, d.why] for d in clarify.do_not_default),
    )
    return _page(
        clarify.title,
        clarify.summary,
        "## You must ask if unspecified\n\n" + aspects,
        "## Do not default to\n\n" + defaults,
        "Write no code until every aspect the request leaves open has an answer.",
    )


def _framework_md(kb: KnowledgeBase, table: FrameworkTable) -> str:
    rows = _table(
        ["Scenario", "Node.js", "Python", "When it applies"],
        (
            [
                row.scenario,
                kb.display_name(row.node),
                kb.display_name(row.python) if row.python else "-",
                row.when,
            ]
            for row in table.rows
        ),
    )
    notes = [f"- **{row.scenario}**: {row.python_note}" for row in table.rows if row.python_note]
    return _page(
        table.title,
        table.summary,
        rows,
        "## Notes\n\n" + "\n".join(notes) if notes else "",
        f"Basis: {table.basis}" if table.basis else "",
    )


def _choice_md(kb: KnowledgeBase, table: ChoiceTable) -> str:
    rows = _table(
        ["Scenario", "Recommendation", "Also fits", "When it applies"],
        (
            [
                row.scenario,
                kb.display_name(row.choice),
                ", ".join(kb.display_name(other) for other in row.also),
                row.when,
            ]
            for row in table.rows
        ),
    )
    return _page(table.title, table.summary, rows, f"Basis: {table.basis}" if table.basis else "")


def _phase_md(phase: Phase) -> str:
    if phase.ordered:
        items = [
            f"{n}. **{item.label}**: {item.question} {item.detail}{_see(item.see)}"
            for n, item in enumerate(phase.items, start=1)
        ]
    else:
        items = [
            f"- **{item.label}**: {item.question} {item.detail}{_see(item.see)}"
            for item in phase.items
        ]
    return "\n\n".join(
        [
            f"## Phase {phase.number}: {phase.name}",
            phase.goal,
            "\n".join(items),
            f"**Gate:** {phase.gate}",
        ]
    )


def _process_md(kb: KnowledgeBase) -> str:
    process = kb.process
    overview = _table(
        ["Phase", "Name", "Goal"], ([str(p.number), p.name, p.goal] for p in process.phases)
    )
    return _page(process.title, process.summary, overview, *(_phase_md(p) for p in process.phases))


def _practice_area_md(area: PracticeArea) -> str:
    def bullets(practices: Iterable[Practice]) -> str:
        lines = []
        for practice in practices:
            line = f"- **{practice.rule}**. {practice.why} *How:* {practice.how}"
            if practice.libraries:
                line += f" *Tools:* {', '.join(practice.libraries)}."
            if practice.checklist_item:
                line += f" (checklist: `{practice.checklist_item}`)"
            lines.append(line)
        return "\n".join(lines)

    return _page(
        f"Practices: {area.name}",
        area.summary,
        "## Do\n\n" + bullets(area.do),
        "## Don't\n\n" + bullets(area.dont),
    )


def _practices_md(kb: KnowledgeBase) -> str:
    practices = kb.practices
    return _page(
        practices.title,
        practices.summary,
        *(_demote(_practice_area_md(area)) for area in practices.areas),
    )


def _expertise_area_md(area: ExpertiseArea) -> str:
    rows = _table(
        ["Category", "Tool", "When it fits"],
        (
            [category.name, tool.name, tool.note]
            for category in area.categories
            for tool in category.tools
        ),
    )
    return _page(f"Expertise: {area.name}", area.summary, rows)


def _expertise_md(kb: KnowledgeBase) -> str:
    expertise = kb.expertise
    return _page(
        expertise.title,
        expertise.summary,
        *(_demote(_expertise_area_md(area)) for area in expertise.areas),
    )


def _checklist_item_md(item: ChecklistItem) -> str:
    facts = [
        f"**Why:** {item.why}",
        f"**Pass:** {item.pass_when}",
        f"**Fail:** {item.fail_when}",
        f"**Fix:** {item.fix}",
    ]
    if item.cwe:
        facts.append("**CWE:** " + ", ".join(f"CWE-{number}" for number in item.cwe))
    if item.owasp:
        facts.append(f"**OWASP:** {item.owasp}")
    return _page(
        f"Checklist: {item.title}", f"{item.criterion} (item id `{item.id}`)", "\n\n".join(facts)
    )


def _checklist_md(kb: KnowledgeBase) -> str:
    checklist = kb.checklist
    summary = _table(
        ["#", "Item", "Id", "Criterion"],
        (
            [str(n), item.title, f"`{item.id}`", item.criterion]
            for n, item in enumerate(checklist.items, 1)
        ),
    )
    return _page(
        checklist.title,
        checklist.summary,
        summary,
        *(_demote(_checklist_item_md(item)) for item in checklist.items),
    )


def _anti_pattern_md(entry: AntiPattern) -> str:
    parts = [
        f"**Correct approach:** {entry.correction}.",
        f"**Why it hurts:** {entry.why}",
        "**How to spot it:**\n\n" + "\n".join(f"- {sign}" for sign in entry.signs),
        f"**How to fix it:** {entry.how}",
    ]
    if entry.checklist_item:
        parts.append(f"Checklist item: `{URI_SCHEME}checklist/{entry.checklist_item}`")
    if entry.see:
        parts.append(f"See: `{URI_SCHEME}{entry.see}`")
    return _page(f"Anti-pattern: {entry.name}", f"{entry.name} → {entry.correction}.", *parts)


def _anti_patterns_md(kb: KnowledgeBase) -> str:
    entries = kb.anti_patterns
    table = _table(
        ["❌ Anti-pattern", "✅ Correct approach", "Details"],
        (
            [e.name, e.correction, f"`{URI_SCHEME}anti-patterns/{e.id}`"]
            for e in entries.anti_patterns
        ),
    )
    return _page(
        entries.title,
        entries.summary,
        table,
        *(_demote(_anti_pattern_md(e)) for e in entries.anti_patterns),
    )


def _playbook_md(playbook: Playbook) -> str:
    sections = [f'**Request:** "{playbook.request}"', f"**Approach:** {playbook.approach}"]
    if playbook.clarify:
        sections.append(
            "## Clarify first\n\n"
            + _table(
                ["Question", "Clarify aspect", "Example answer"],
                ([c.question, c.aspect, c.example_answer] for c in playbook.clarify),
            )
        )
    for number, step in enumerate(playbook.steps, start=1):
        actions = []
        for action in step.actions:
            line = f"- **{action.text}**"
            if action.detail:
                line += f": {action.detail}"
            if action.checklist_item:
                line += f" (checklist: `{action.checklist_item}`)"
            actions.append(line)
        sections.append(f"## {number}. {step.title}\n\n{step.goal}\n\n" + "\n".join(actions))
    if playbook.metrics:
        sections.append(
            "## Example result\n\n"
            + _table(
                ["Metric", "Before", "After"],
                ([m.name, m.before, m.after] for m in playbook.metrics),
            )
        )
    sections.append("## Done when\n\n" + "\n".join(f"- {item}" for item in playbook.done_when))
    return _page(playbook.title, playbook.summary, *sections)


def _playbooks_md(kb: KnowledgeBase) -> str:
    table = _table(
        ["Playbook", "Starts from", "Document"],
        ([p.title, f'"{p.request}"', f"`{URI_SCHEME}playbooks/{p.id}`"] for p in kb.playbooks),
    )
    return _page("Playbooks", "Worked workflows for common backend requests, step by step.", table)


def _quality_loop_md(kb: KnowledgeBase) -> str:
    loop = kb.quality_loop
    rows = _table(
        ["Step", "Name", "Passes when", "Commands"],
        (
            [
                str(step.number),
                step.name,
                step.check,
                "; ".join(f"{c.ecosystem}: `{c.command}`" for c in step.commands),
            ]
            for step in loop.steps
        ),
    )
    details = "\n".join(f"{step.number}. **{step.name}**: {step.detail}" for step in loop.steps)
    return _page(
        loop.title,
        loop.summary,
        f"**Rule:** {loop.rule}",
        rows,
        "## Why each step\n\n" + details,
        f"The `{loop.tool}` tool runs these stages on a project in parallel"
        " and reports structured results.",
    )


def _frameworks_index_md(kb: KnowledgeBase) -> str:
    return _page(
        "Decision frameworks",
        "The three decision tables: framework, database and API style, each by scenario.",
        _demote(_framework_md(kb, kb.framework_selection)),
        _demote(_choice_md(kb, kb.database_selection)),
        _demote(_choice_md(kb, kb.api_style_selection)),
    )


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class _Entry:
    info: DocumentInfo
    markdown: Callable[[], str]
    data: Any  # what the JSON format dumps


@dataclass(frozen=True)
class _Family:
    info: FamilyInfo
    members: dict[str, _Entry]


def _registry(kb: KnowledgeBase) -> tuple[dict[str, _Entry], dict[str, _Family]]:
    entries: dict[str, _Entry] = {}
    families: dict[str, _Family] = {}

    def add(
        doc_id: str,
        title: str,
        description: str,
        *,
        markdown: Callable[[], str],
        data: Any,
        family: str | None = None,
    ) -> _Entry:
        member_id = doc_id.removeprefix(f"{family}/") if family else None
        info = DocumentInfo(
            id=doc_id,
            uri_path=doc_id,
            title=title,
            description=description,
            family=family,
            member_id=member_id,
        )
        entries[doc_id] = _Entry(info, markdown, data)
        return entries[doc_id]

    def add_family(
        family: str, parameter: str, title: str, description: str, members: list[_Entry]
    ) -> None:
        member_map = {entry.info.member_id or "": entry for entry in members}
        info = FamilyInfo(
            id=family,
            parameter=parameter,
            title=title,
            description=description,
            member_ids=list(member_map),
        )
        families[family] = _Family(info, member_map)

    # The overview's Markdown lists the other top-level documents, so it reads the registry
    # when rendered, after everything below has been added.
    add(
        "overview",
        kb.overview.title,
        kb.overview.summary,
        markdown=lambda: _overview_md(kb, [entry.info for entry in entries.values()]),
        data=kb.overview,
    )
    add(
        "clarify",
        kb.clarify.title,
        kb.clarify.summary,
        markdown=partial(_clarify_md, kb),
        data=kb.clarify,
    )

    add(
        "frameworks",
        "Decision frameworks",
        "The framework, database and API style decision tables together, each row a scenario.",
        markdown=partial(_frameworks_index_md, kb),
        data={
            table.id: table
            for table in (kb.framework_selection, kb.database_selection, kb.api_style_selection)
        },
    )
    tables = [
        add(
            f"frameworks/{kb.framework_selection.id}",
            kb.framework_selection.title,
            kb.framework_selection.summary,
            markdown=partial(_framework_md, kb, kb.framework_selection),
            data=kb.framework_selection,
            family="frameworks",
        )
    ]
    tables.extend(
        add(
            f"frameworks/{table.id}",
            table.title,
            table.summary,
            markdown=partial(_choice_md, kb, table),
            data=table,
            family="frameworks",
        )
        for table in (kb.database_selection, kb.api_style_selection)
    )
    add_family(
        "frameworks",
        "table_id",
        "Decision table",
        "One decision table (framework, database or API style selection).",
        tables,
    )

    add(
        "process",
        kb.process.title,
        kb.process.summary,
        markdown=partial(_process_md, kb),
        data=kb.process,
    )

    add(
        "practices",
        kb.practices.title,
        kb.practices.summary,
        markdown=partial(_practices_md, kb),
        data=kb.practices,
    )
    practice_areas = [
        add(
            f"practices/{area.id}",
            f"Practices: {area.name}",
            area.summary,
            markdown=partial(_practice_area_md, area),
            data=area,
            family="practices",
        )
        for area in kb.practices.areas
    ]
    add_family(
        "practices",
        "area_id",
        "Practices for one area",
        "Do and don't lists for one area: API development, architecture or security.",
        practice_areas,
    )

    add(
        "expertise",
        kb.expertise.title,
        kb.expertise.summary,
        markdown=partial(_expertise_md, kb),
        data=kb.expertise,
    )
    expertise_areas = [
        add(
            f"expertise/{area.id}",
            f"Expertise: {area.name}",
            area.summary,
            markdown=partial(_expertise_area_md, area),
            data=area,
            family="expertise",
        )
        for area in kb.expertise.areas
    ]
    add_family(
        "expertise",
        "area_id",
        "Expertise for one ecosystem",
        "The tools of one ecosystem (Node.js, Python or data) and when each fits.",
        expertise_areas,
    )

    add(
        "checklist",
        kb.checklist.title,
        kb.checklist.summary,
        markdown=partial(_checklist_md, kb),
        data=kb.checklist,
    )
    checklist_items = [
        add(
            f"checklist/{item.id}",
            f"Checklist: {item.title}",
            item.criterion,
            markdown=partial(_checklist_item_md, item),
            data=item,
            family="checklist",
        )
        for item in kb.checklist.items
    ]
    add_family(
        "checklist",
        "item_id",
        "Review checklist item",
        "One review checklist item: what passing and failing look like, and how to fix it.",
        checklist_items,
    )

    add(
        "anti-patterns",
        kb.anti_patterns.title,
        kb.anti_patterns.summary,
        markdown=partial(_anti_patterns_md, kb),
        data=kb.anti_patterns,
    )
    anti_patterns = [
        add(
            f"anti-patterns/{entry.id}",
            f"Anti-pattern: {entry.name}",
            f"{entry.name}, and what to do instead: {entry.correction[:1].lower()}"
            f"{entry.correction[1:]}.",
            markdown=partial(_anti_pattern_md, entry),
            data=entry,
            family="anti-patterns",
        )
        for entry in kb.anti_patterns.anti_patterns
    ]
    add_family(
        "anti-patterns",
        "anti_pattern_id",
        "Anti-pattern",
        "One backend anti-pattern: why it hurts, how to spot it and how to fix it.",
        anti_patterns,
    )

    add(
        "playbooks",
        "Playbooks",
        "Worked workflows for common backend requests: an authentication API and a slow API.",
        markdown=partial(_playbooks_md, kb),
        data=kb.playbooks,
    )
    playbooks = [
        add(
            f"playbooks/{playbook.id}",
            playbook.title,
            playbook.summary,
            markdown=partial(_playbook_md, playbook),
            data=playbook,
            family="playbooks",
        )
        for playbook in kb.playbooks
    ]
    add_family(
        "playbooks",
        "playbook_id",
        "Playbook",
        "One worked workflow, from the user's request to a verified result.",
        playbooks,
    )

    add(
        "quality-loop",
        kb.quality_loop.title,
        kb.quality_loop.summary,
        markdown=partial(_quality_loop_md, kb),
        data=kb.quality_loop,
    )
    return entries, families


_Registry = tuple[dict[str, _Entry], dict[str, _Family]]
# The registry of the last knowledge base seen; rebuilding it per call would cost more than
# rendering. Keyed by identity and holding the base itself, so the id cannot be reused.
_last_registry: list[tuple[KnowledgeBase, _Registry]] = []


def _registry_for(kb: KnowledgeBase | None) -> _Registry:
    knowledge = kb or load_knowledge()
    if _last_registry and _last_registry[0][0] is knowledge:
        return _last_registry[0][1]
    registry = _registry(knowledge)
    _last_registry[:] = [(knowledge, registry)]
    return registry


# --------------------------------------------------------------------------- public API


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


def _render(entry: _Entry, fmt: str) -> str:
    _check_format(fmt)
    if fmt == "json":
        return json.dumps(to_jsonable_python(entry.data), indent=2, ensure_ascii=False) + "\n"
    return entry.markdown()


def list_documents(
    kb: KnowledgeBase | None = None, *, include_members: bool = True
) -> list[DocumentInfo]:
    """Every document in a stable order (index documents before their members)."""
    entries, _ = _registry_for(kb)
    return [e.info for e in entries.values() if include_members or e.info.family is None]


def list_families(kb: KnowledgeBase | None = None) -> list[FamilyInfo]:
    """The families, each served by one URI template such as backend://checklist/{item_id}."""
    _, families = _registry_for(kb)
    return [family.info for family in families.values()]


def document_ids(kb: KnowledgeBase | None = None) -> list[str]:
    return sorted(info.id for info in list_documents(kb))


def render_document(doc_id: str, fmt: Format = "markdown", kb: KnowledgeBase | None = None) -> str:
    """One document by id (= URI path, e.g. "checklist/jwt") as Markdown or JSON."""
    _check_format(fmt)
    entries, _ = _registry_for(kb)
    entry = entries.get(doc_id)
    if entry is None:
        raise UnknownTopicError(unknown_topic_error(doc_id, sorted(entries), "document"))
    return _render(entry, fmt)


def render_member(
    family: str, member_id: str, fmt: Format = "markdown", kb: KnowledgeBase | None = None
) -> str:
    """One member of a family (e.g. "checklist", "jwt"); unknown ids list the valid ones."""
    _check_format(fmt)
    _, families = _registry_for(kb)
    found = families.get(family)
    if found is None:
        raise UnknownTopicError(unknown_topic_error(family, sorted(families), "family"))
    entry = found.members.get(member_id)
    if entry is None:
        raise UnknownMemberError(
            unknown_topic_error(member_id, found.info.member_ids, f"{family} id")
        )
    return _render(entry, fmt)


__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "DocumentInfo",
    "FamilyInfo",
    "Format",
    "UnknownMemberError",
    "UnknownTopicError",
    "document_ids",
    "list_documents",
    "list_families",
    "render_document",
    "render_member",
]
