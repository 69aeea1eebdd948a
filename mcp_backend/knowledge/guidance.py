"""get_guidance: the knowledge documents by topic, for clients that do not read resources."""

from __future__ import annotations

import json

from mcp_backend.knowledge.loader import load_knowledge
from mcp_backend.knowledge.models import KnowledgeBase
from mcp_backend.knowledge.render import (
    URI_SCHEME,
    Format,
    UnknownTopicError,
    document_ids,
    render_document,
    unknown_topic_error,
)

DEFAULT_TOPIC = "overview"
RULES_TOPIC = "rules"


def guidance_topics(kb: KnowledgeBase | None = None) -> list[str]:
    """Every topic get_guidance accepts, sorted: document ids, family members included."""
    return document_ids(kb or load_knowledge())


def resolve_topic(topic: str, kb: KnowledgeBase | None = None) -> str:
    """The document id a topic names.

    Accepts a document id ("checklist/jwt"), its URI ("backend://checklist/jwt"), or a last
    segment that names exactly one document ("jwt"). An empty topic means the overview.
    """
    topics = guidance_topics(kb)
    wanted = topic.strip().lower().removeprefix(URI_SCHEME).strip("/")
    if not wanted:
        return DEFAULT_TOPIC
    if wanted in topics:
        return wanted
    by_last_segment = [t for t in topics if t.rsplit("/", 1)[-1] == wanted]
    if len(by_last_segment) == 1:
        return by_last_segment[0]
    if by_last_segment:
        raise UnknownTopicError(
            f"Topic {topic!r} is ambiguous: it names {', '.join(by_last_segment)}. "
            "Use the full topic."
        )
    raise UnknownTopicError(unknown_topic_error(topic, topics))


def get_guidance(topic: str, fmt: Format = "markdown", kb: KnowledgeBase | None = None) -> str:
    """The document for a topic, as Markdown or JSON; UnknownTopicError lists valid topics.

    `rules` and `rules/<rule_id>` are the review rules' pages, the ones every finding links to
    (backend://rules/<rule_id>)."""
    wanted = topic.strip().lower().removeprefix(URI_SCHEME).strip("/")
    if wanted == RULES_TOPIC or wanted.startswith(RULES_TOPIC + "/"):
        return rule_guidance(wanted.removeprefix(RULES_TOPIC).strip("/"), fmt)
    knowledge = kb or load_knowledge()
    return render_document(resolve_topic(topic, knowledge), fmt, knowledge)


def rule_guidance(rule_id: str, fmt: Format = "markdown") -> str:
    """The review rules' index (no id) or one rule's page."""
    from mcp_backend.review.docs import render_rule_index, render_rule_markdown
    from mcp_backend.review.rules import all_rules

    rules = all_rules()
    if not rule_id:
        if fmt == "json":
            return json.dumps([meta.model_dump(mode="json") for meta in rules.values()], indent=2)
        return render_rule_index(rules.values())
    meta = rules.get(rule_id.removesuffix(".json"))
    if meta is None:
        raise UnknownTopicError(
            f"Unknown rule {rule_id!r}. Valid rules: {', '.join(sorted(rules))}"
        )
    return meta.model_dump_json(indent=2) if fmt == "json" else render_rule_markdown(meta)


__all__ = ["UnknownTopicError", "get_guidance", "guidance_topics", "resolve_topic"]
