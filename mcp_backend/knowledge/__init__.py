"""The knowledge base: data in resources/, loaded once into validated models."""

from mcp_backend.knowledge.loader import KnowledgeError, load_knowledge, load_knowledge_from
from mcp_backend.knowledge.models import KnowledgeBase

__all__ = ["KnowledgeBase", "KnowledgeError", "load_knowledge", "load_knowledge_from"]
