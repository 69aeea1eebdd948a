"""Find resources/ (source checkout or installed wheel) and load it once."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from mcp_backend.knowledge.models import KnowledgeBase

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The wheel ships the data as mcp_backend/_resources; a checkout has it at the top level."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"the knowledge base (resources/) was not found next to {_PACKAGE_DIR}; "
        "reinstall mcp-backend"
    )


def read_toml(relative: str) -> dict[str, Any]:
    path = resources_dir() / relative
    with path.open("rb") as handle:
        return tomllib.load(handle)


@cache
def load_knowledge() -> KnowledgeBase:
    """Load and validate every knowledge file; a broken file raises pydantic.ValidationError."""
    return KnowledgeBase(
        framework_selection=read_toml("decisions/framework-selection.toml"),
        database_selection=read_toml("decisions/database-selection.toml"),
        api_style_selection=read_toml("decisions/api-style-selection.toml"),
        clarify=read_toml("clarify.toml"),
    )
