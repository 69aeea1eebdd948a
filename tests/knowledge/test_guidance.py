"""get_guidance: topics, resolution and the unknown-topic error."""

from __future__ import annotations

import json

import pytest

from mcp_backend.knowledge.guidance import (
    UnknownTopicError,
    get_guidance,
    guidance_topics,
    resolve_topic,
)
from mcp_backend.knowledge.render import list_documents, render_document


def test_topics_are_every_document_id_sorted() -> None:
    topics = guidance_topics()
    assert topics == sorted(info.id for info in list_documents())
    assert {"clarify", "checklist", "checklist/jwt", "playbooks/auth-api"} <= set(topics)


@pytest.mark.parametrize(
    ("topic", "document"),
    [
        ("checklist/jwt", "checklist/jwt"),
        ("backend://checklist/jwt", "checklist/jwt"),
        ("  Checklist/JWT ", "checklist/jwt"),
        ("jwt", "checklist/jwt"),
        ("framework-selection", "frameworks/framework-selection"),
        ("auth-api", "playbooks/auth-api"),
        ("", "overview"),
    ],
)
def test_topic_resolution(topic: str, document: str) -> None:
    assert resolve_topic(topic) == document
    assert get_guidance(topic) == render_document(document)


def test_json_format() -> None:
    data = json.loads(get_guidance("clarify", "json"))
    assert data["aspects"][0]["id"] == "runtime"


def test_ambiguous_short_topic_names_the_candidates() -> None:
    with pytest.raises(UnknownTopicError) as raised:
        get_guidance("sql-injection")
    message = str(raised.value)
    assert "ambiguous" in message
    assert "anti-patterns/sql-injection" in message and "checklist/sql-injection" in message


def test_unknown_topic_lists_topics_and_suggests() -> None:
    with pytest.raises(UnknownTopicError) as raised:
        get_guidance("chekclist")
    message = str(raised.value)
    assert message.startswith("Unknown topic 'chekclist'. Did you mean 'checklist'")
    for topic in guidance_topics():
        assert topic in message
    assert isinstance(raised.value, ValueError)


def test_unknown_topic_without_close_match_still_lists_topics() -> None:
    with pytest.raises(UnknownTopicError, match=r"Unknown topic 'zzzz'\. Valid topics: "):
        get_guidance("zzzz")
