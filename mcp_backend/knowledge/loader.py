"""Find resources/ (source checkout or installed wheel) and load it once.

Nothing is read at import time: the first call to `load_knowledge()` reads and validates every
file (a few milliseconds) and the result is cached for the life of the process.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mcp_backend.knowledge.models import (
    AntiPatterns,
    Checklist,
    ChoiceTable,
    Clarify,
    Expertise,
    FrameworkTable,
    KnowledgeBase,
    Names,
    Overview,
    Playbook,
    Practices,
    Process,
    QualityLoop,
)

ModelT = TypeVar("ModelT", bound=BaseModel)

_PACKAGE_DIR = Path(__file__).resolve().parent.parent

# KnowledgeBase field -> (file relative to resources/, model).
_SINGLE_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "framework_selection": ("decisions/framework-selection.toml", FrameworkTable),
    "database_selection": ("decisions/database-selection.toml", ChoiceTable),
    "api_style_selection": ("decisions/api-style-selection.toml", ChoiceTable),
    "clarify": ("clarify.toml", Clarify),
    "names": ("names.toml", Names),
    "overview": ("overview.toml", Overview),
    "process": ("process.toml", Process),
    "practices": ("practices.toml", Practices),
    "expertise": ("expertise.toml", Expertise),
    "checklist": ("checklist.toml", Checklist),
    "anti_patterns": ("anti-patterns.toml", AntiPatterns),
    "quality_loop": ("quality-loop.toml", QualityLoop),
}
PLAYBOOKS_DIR = "playbooks"


class KnowledgeError(ValueError):
    """A knowledge file is missing, is not valid TOML, or does not match its model."""


def resources_dir() -> Path:
    """The wheel ships the data as mcp_backend/_resources; a checkout has it at the top level."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"the knowledge base (resources/) was not found next to {_PACKAGE_DIR}; "
        "reinstall mcp-backend"
    )


def read_toml(relative: str, directory: Path | None = None) -> dict[str, Any]:
    """One TOML file under resources/ (or `directory`), with errors that name the file."""
    path = (directory or resources_dir()) / relative
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: knowledge file is missing") from None
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeError(f"{path}: not valid TOML: {error}") from None


def _format_location(location: Iterable[int | str]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _validate(model: type[ModelT], data: dict[str, Any], path: Path) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{_format_location(problem['loc'])}: {problem['msg']}" for problem in error.errors()
        )
        raise KnowledgeError(f"{path}: {problems}") from None


def _load_file(model: type[ModelT], relative: str, directory: Path) -> ModelT:
    return _validate(model, read_toml(relative, directory), directory / relative)


def _load_playbooks(directory: Path) -> list[Playbook]:
    folder = directory / PLAYBOOKS_DIR
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if not files:
        raise KnowledgeError(f"{folder}: no playbooks (*.toml) found")
    playbooks = []
    for path in files:
        playbook = _load_file(Playbook, f"{PLAYBOOKS_DIR}/{path.name}", directory)
        if playbook.id != path.stem:
            # The id is the URI (backend://playbooks/{id}); the file name must say the same.
            raise KnowledgeError(f"{path}: id: {playbook.id!r} must equal the file name stem")
        playbooks.append(playbook)
    return playbooks


def _check_references(knowledge: KnowledgeBase, directory: Path) -> None:
    """Ids that point from one file into another must exist."""
    checklist_ids = {item.id for item in knowledge.checklist.items}
    aspect_ids = {aspect.id for aspect in knowledge.clarify.aspects}

    def check(value: str | None, valid: set[str], file: str, field: str, what: str) -> None:
        if value is not None and value not in valid:
            raise KnowledgeError(
                f"{directory / file}: {field}: unknown {what} {value!r}; "
                f"valid: {', '.join(sorted(valid))}"
            )

    for a, area in enumerate(knowledge.practices.areas):
        for kind in ("do", "dont"):
            for p, practice in enumerate(getattr(area, kind)):
                field = f"areas[{a}].{kind}[{p}].checklist_item"
                check(practice.checklist_item, checklist_ids, "practices.toml", field, "item")
    for i, anti_pattern in enumerate(knowledge.anti_patterns.anti_patterns):
        field = f"anti_patterns[{i}].checklist_item"
        check(anti_pattern.checklist_item, checklist_ids, "anti-patterns.toml", field, "item")
    for playbook in knowledge.playbooks:
        file = f"{PLAYBOOKS_DIR}/{playbook.id}.toml"
        for c, exchange in enumerate(playbook.clarify):
            check(exchange.aspect, aspect_ids, file, f"clarify[{c}].aspect", "clarify aspect")
        for s, step in enumerate(playbook.steps):
            for a, action in enumerate(step.actions):
                field = f"steps[{s}].actions[{a}].checklist_item"
                check(action.checklist_item, checklist_ids, file, field, "checklist item")

    # Every id a table or clarify option uses needs a display name.
    names = set(knowledge.names.names)
    used: list[tuple[str, str, str]] = []
    for r, frow in enumerate(knowledge.framework_selection.rows):
        file = "decisions/framework-selection.toml"
        used.append((frow.node, file, f"rows[{r}].node"))
        if frow.python:
            used.append((frow.python, file, f"rows[{r}].python"))
    for field_name, file in (
        ("database_selection", "decisions/database-selection.toml"),
        ("api_style_selection", "decisions/api-style-selection.toml"),
    ):
        table: ChoiceTable = getattr(knowledge, field_name)
        for r, row in enumerate(table.rows):
            used.append((row.choice, file, f"rows[{r}].choice"))
            used.extend((other, file, f"rows[{r}].also") for other in row.also)
    for a, aspect in enumerate(knowledge.clarify.aspects):
        used.extend((option, "clarify.toml", f"aspects[{a}].options") for option in aspect.options)
    for entry_id, file, field in used:
        if entry_id not in names:
            raise KnowledgeError(
                f"{directory / file}: {field}: {entry_id!r} has no display name; "
                f"add it to {directory / 'names.toml'} [names]"
            )


def load_knowledge_from(directory: Path) -> KnowledgeBase:
    """Load and validate every knowledge file under `directory` (not cached).

    Raises KnowledgeError naming the file and the field when anything is missing or wrong.
    """
    parts: dict[str, Any] = {
        field: _load_file(model, relative, directory)
        for field, (relative, model) in _SINGLE_FILES.items()
    }
    parts["playbooks"] = _load_playbooks(directory)
    knowledge = KnowledgeBase(**parts)
    _check_references(knowledge, directory)
    return knowledge


@cache
def load_knowledge() -> KnowledgeBase:
    """The shipped knowledge base, loaded and validated on first use, then cached."""
    return load_knowledge_from(resources_dir())
