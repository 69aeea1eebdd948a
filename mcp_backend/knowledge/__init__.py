"""The knowledge base: data in resources/, loaded once (on first use) into validated models.

Entry points: `load_knowledge()` for the models, `list_documents()` / `list_families()` /
`render_document()` / `render_member()` for `backend://` resources, `get_guidance()` for the
tool, and `mcp_backend.knowledge.prompts` for prompt texts. Importing reads no file.
"""

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
