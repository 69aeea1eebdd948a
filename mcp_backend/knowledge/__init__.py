"""The knowledge base: data in resources/, loaded once into validated models."""

from mcp_backend.knowledge.loader import load_knowledge
from mcp_backend.knowledge.models import KnowledgeBase

__all__ = ["KnowledgeBase", "load_knowledge"]
