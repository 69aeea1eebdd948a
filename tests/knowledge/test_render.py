"""Every document renders in both formats; families and errors behave."""

from __future__ import annotations

import json
import re

import pytest

from mcp_backend.knowledge import KnowledgeBase, load_knowledge
from mcp_backend.knowledge.render import (
    Format,
    UnknownMemberError,
    UnknownTopicError,
    list_documents,
    list_families,
    render_document,
    render_member,
)

DOCUMENT_IDS = [info.id for info in list_documents()]
# Documents whose data is (or contains) a table: their Markdown must hold a Markdown table.
TABLE_DOCUMENTS = {
    "overview",
    "clarify",
    "frameworks",
    "frameworks/framework-selection",
    "frameworks/database-selection",
    "frameworks/api-style-selection",
    "process",
    "expertise",
    "expertise/node",
    "expertise/python",
    "expertise/data",
    "checklist",
    "anti-patterns",
    "playbooks",
    "playbooks/auth-api",
    "playbooks/api-performance",
    "quality-loop",
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def test_registry_has_the_planned_uris() -> None:
    uris = {info.uri for info in list_documents()}
    planned = {
        "backend://overview",
        "backend://clarify",
        "backend://frameworks/framework-selection",
        "backend://frameworks/database-selection",
        "backend://frameworks/api-style-selection",
        "backend://process",
        "backend://practices",
        "backend://practices/api",
        "backend://practices/architecture",
        "backend://practices/security",
        "backend://expertise",
        "backend://checklist",
        "backend://checklist/jwt",
        "backend://anti-patterns",
        "backend://anti-patterns/n-plus-one",
        "backend://playbooks/auth-api",
        "backend://playbooks/api-performance",
        "backend://quality-loop",
    }
    assert planned <= uris
    assert len(uris) == len(DOCUMENT_IDS) == len(set(DOCUMENT_IDS))


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_every_document_renders_as_markdown_and_json(doc_id: str) -> None:
    info = next(i for i in list_documents() if i.id == doc_id)
    markdown = render_document(doc_id, "markdown")
    assert markdown.startswith(f"# {info.title}\n")
    has_table = re.search(r"^\|---(\|---)+\|$", markdown, re.MULTILINE) is not None
    assert has_table == (doc_id in TABLE_DOCUMENTS)
    data = json.loads(render_document(doc_id, "json"))
    assert data


@pytest.mark.parametrize("doc_id", DOCUMENT_IDS)
def test_descriptions_fit_a_resource_picker(doc_id: str) -> None:
    info = next(i for i in list_documents() if i.id == doc_id)
    assert info.uri_path == doc_id
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*(/[a-z0-9]+([-_][a-z0-9]+)*)?", doc_id)
    assert info.description.endswith(".")
    assert "\n" not in info.description
    assert 20 < len(info.description) <= 200


def test_members_belong_to_their_family() -> None:
    families = {family.id: family for family in list_families()}
    assert families["checklist"].uri_template == "backend://checklist/{item_id}"
    assert families["anti-patterns"].uri_template == "backend://anti-patterns/{anti_pattern_id}"
    for family in families.values():
        members = [i for i in list_documents() if i.family == family.id]
        assert [m.member_id for m in members] == family.member_ids
        assert family.id in DOCUMENT_IDS  # every family has an index document
    assert set(families) == {
        "frameworks",
        "practices",
        "expertise",
        "checklist",
        "anti-patterns",
        "playbooks",
    }


def test_list_documents_without_members_lists_index_documents_only() -> None:
    ids = [info.id for info in list_documents(include_members=False)]
    assert "checklist" in ids
    assert all("/" not in doc_id for doc_id in ids)


def test_member_json_is_the_model_dumped(kb: KnowledgeBase) -> None:
    data = json.loads(render_member("checklist", "jwt", "json"))
    assert data == kb.checklist.item("jwt").model_dump(mode="json")
    assert render_member("checklist", "jwt") == render_document("checklist/jwt")


def test_checklist_member_markdown_has_pass_fail_fix() -> None:
    text = render_member("checklist", "sql-injection")
    for label in ("**Pass:**", "**Fail:**", "**Fix:**", "CWE-89"):
        assert label in text


def test_framework_table_markdown_uses_display_names() -> None:
    text = render_document("frameworks/framework-selection")
    assert "| Scenario | Node.js | Python | When it applies |" in text
    assert "| Edge / serverless | Hono | - |" in text
    assert "| High performance | Fastify | FastAPI |" in text
    database = render_document("frameworks/database-selection")
    assert "| Global distribution | PlanetScale | Turso (edge SQLite) |" in database


def test_anti_patterns_index_keeps_the_seed_table() -> None:
    text = render_document("anti-patterns")
    assert "| ❌ Anti-pattern | ✅ Correct approach | Details |" in text
    assert "| N+1 queries | Use JOINs, eager loading or a DataLoader |" in text


def test_process_renders_execute_steps_in_order() -> None:
    text = render_document("process")
    execute = text[text.index("## Phase 4: Execute") : text.index("## Phase 5")]
    assert re.search(r"1\. \*\*Data models.*\n2\. \*\*Business logic", execute)


def test_unknown_member_lists_valid_ids_and_close_match() -> None:
    with pytest.raises(UnknownMemberError) as raised:
        render_member("checklist", "jwtt")
    message = str(raised.value)
    assert "'jwtt'" in message
    assert "Did you mean 'jwt'" in message
    assert "input-validation" in message and "blocking-io" in message


def test_unknown_family_is_an_unknown_topic() -> None:
    with pytest.raises(UnknownTopicError, match=r"Unknown family 'rules'.*checklist"):
        render_member("rules", "x")


def test_unknown_document_lists_documents() -> None:
    with pytest.raises(UnknownTopicError, match=r"Unknown document 'proces'.*'process'"):
        render_document("proces")


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="Unknown format 'html'; use one of: markdown, json"):
        render_document("checklist", "html")  # type: ignore[arg-type]


def test_cross_references_point_at_documents(kb: KnowledgeBase) -> None:
    ids = set(DOCUMENT_IDS)
    for phase in kb.process.phases:
        for item in phase.items:
            assert set(item.see) <= ids, (phase.id, item.id, item.see)
    for entry in kb.anti_patterns.anti_patterns:
        assert entry.see is None or entry.see in ids
    for uri in re.findall(r"`backend://([^`]+)`", render_document("overview")):
        assert uri in ids


def test_table_cells_escape_pipes() -> None:
    from mcp_backend.knowledge.render import _table

    assert _table(["a"], [["x | y\nz"]]).splitlines()[-1] == "| x \\| y z |"


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_documents_stay_well_below_a_tool_result_budget(fmt: Format) -> None:
    # Tool results must stay far below 25,000 tokens (about 100,000 characters).
    sizes = {doc_id: len(render_document(doc_id, fmt)) for doc_id in DOCUMENT_IDS}
    assert max(sizes.values()) < 40_000, max(sizes.items(), key=lambda item: item[1])
