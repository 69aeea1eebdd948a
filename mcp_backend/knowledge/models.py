"""Typed models of the knowledge base. Every entry has a stable `id`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Unknown keys in a data file are a mistake, not an extension point."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FrameworkRow(Strict):
    id: str
    scenario: str
    when: str
    node: str
    python: str = ""
    python_note: str = ""


class FrameworkTable(Strict):
    id: str
    title: str
    summary: str
    basis: str = ""
    rows: list[FrameworkRow] = Field(min_length=1)


class ChoiceRow(Strict):
    id: str
    scenario: str
    when: str
    choice: str
    also: list[str] = Field(default_factory=list)


class ChoiceTable(Strict):
    id: str
    title: str
    summary: str
    basis: str = ""
    rows: list[ChoiceRow] = Field(min_length=1)


class ClarifyAspect(Strict):
    id: str
    name: str
    question: str
    why: str
    options: list[str] = Field(min_length=1)


class DoNotDefault(Strict):
    id: str
    avoid: str
    when: str
    prefer: str
    why: str


class Clarify(Strict):
    id: str
    title: str
    summary: str
    aspects: list[ClarifyAspect] = Field(min_length=1)
    do_not_default: list[DoNotDefault] = Field(min_length=1)


class KnowledgeBase(Strict):
    framework_selection: FrameworkTable
    database_selection: ChoiceTable
    api_style_selection: ChoiceTable
    clarify: Clarify
