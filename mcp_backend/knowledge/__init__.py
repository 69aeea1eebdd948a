"""The knowledge base: data in resources/, loaded once (on first use) into validated models.

Entry points: `load_knowledge()` for the models, `list_documents()` / `list_families()` /
`render_document()` / `render_member()` for `backend://` resources, `get_guidance()` for the
tool, and `mcp_backend.knowledge.prompts` for prompt texts. Importing reads no file, and the
names below are imported on first access, so the server's start-up does not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp_backend.knowledge.guidance import get_guidance, guidance_topics, resolve_topic
    from mcp_backend.knowledge.loader import KnowledgeError, load_knowledge, load_knowledge_from
    from mcp_backend.knowledge.models import KnowledgeBase
    from mcp_backend.knowledge.render import (
        FORMATS,
        MIME_TYPES,
        DocumentInfo,
        FamilyInfo,
        Format,
        UnknownMemberError,
        UnknownTopicError,
        list_documents,
        list_families,
        render_document,
        render_member,
    )

_HOME = {
    "get_guidance": "guidance",
    "guidance_topics": "guidance",
    "resolve_topic": "guidance",
    "KnowledgeError": "loader",
    "load_knowledge": "loader",
    "load_knowledge_from": "loader",
    "KnowledgeBase": "models",
    "FORMATS": "render",
    "MIME_TYPES": "render",
    "DocumentInfo": "render",
    "FamilyInfo": "render",
    "Format": "render",
    "UnknownMemberError": "render",
    "UnknownTopicError": "render",
    "list_documents": "render",
    "list_families": "render",
    "render_document": "render",
    "render_member": "render",
}

__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "DocumentInfo",
    "FamilyInfo",
    "Format",
    "KnowledgeBase",
    "KnowledgeError",
    "UnknownMemberError",
    "UnknownTopicError",
    "get_guidance",
    "guidance_topics",
    "list_documents",
    "list_families",
    "load_knowledge",
    "load_knowledge_from",
    "render_document",
    "render_member",
    "resolve_topic",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
