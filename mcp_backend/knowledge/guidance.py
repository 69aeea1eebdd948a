"""get_guidance: the knowledge documents by topic, for clients that do not read resources."""

from __future__ import annotations

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
    """The document for a topic, as Markdown or JSON; UnknownTopicError lists valid topics."""
    knowledge = kb or load_knowledge()
    return render_document(resolve_topic(topic, knowledge), fmt, knowledge)


__all__ = ["UnknownTopicError", "get_guidance", "guidance_topics", "resolve_topic"]
