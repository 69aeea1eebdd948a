"""The rules and their one registry.

One package a rule, named after its id with underscores (`sql-string-query` ->
`sql_string_query/`):

    __init__.py     RULE = RuleMeta(...): id, name, checklist item, severity, CWE, languages
    doc.md          its documentation, served as backend://rules/{id} and in SARIF
    python.py       DETECTOR run on each Python file          (if it has one)
    javascript.py   DETECTOR run on each JS/TS file           (if it has one)
    project.py      DETECTOR run on the linked route inventory (if it has one)

Names starting with `_` here are helpers shared by several rules, not rules. A rule with no
detector (invalid-suppression, or the taint categories such as ssrf) is reported by the
engine itself (suppress.py, taint/findings.py) under its id.

A broken rule fails one way: `RuleLoadError`, naming the rule's package and what is wrong,
raised when the registry first loads (a missing or mistyped RULE, a duplicate id, an id that
does not match its folder, a module that is not a known detector kind, a detector module for a
language the rule does not list, a detector module without DETECTOR, a DETECTOR whose `rule` is
not its package's RULE, or any import error). Nothing is skipped with a warning: the whole
review stops, and tests/review/core/test_rule_registry.py loads every rule so a broken one
fails the test suite first. What a detector raises while it checks a file is another matter:
the analyzers log it and carry on with the other rules.

Loading is lazy and in two steps so that serving a rule's page does not import the parsers:
`all_rules()` imports the rule packages (metadata and docs) and checks their layout;
`python_detectors()`, `javascript_detectors()` and `project_detectors()` import one kind each.
"""

from __future__ import annotations

import importlib
import importlib.resources
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Literal, cast

from mcp_backend.review.model import RuleDoc, RuleMeta

if TYPE_CHECKING:
    from mcp_backend.review.javascript.context import JsDetector
    from mcp_backend.review.python.context import PythonDetector
    from mcp_backend.review.scan import ProjectDetector

DetectorKind = Literal["python", "javascript", "project"]
DETECTOR_KINDS: tuple[DetectorKind, ...] = ("python", "javascript", "project")


class RuleLoadError(Exception):
    """A rule package is broken; the message names it and says what is wrong."""

    def __init__(self, package: str, reason: str) -> None:
        super().__init__(f"rule package {package}: {reason}")
        self.package = package
        self.reason = reason


@dataclass(frozen=True)
class RulePackage:
    """One rule as found on disk: its package, its metadata and which detectors it has."""

    package: str
    rule: RuleMeta
    detectors: frozenset[DetectorKind]


# doc.md: these sections, in this order, each a `## ` heading line (References is optional, one
# `- ` item a line). docs.py renders them back with the rule's metadata.
DOC_SECTIONS: tuple[tuple[str, str], ...] = (
    ("what", "What it does"),
    ("why", "Why it matters"),
    ("example", "Example"),
    ("instead", "Use instead"),
    ("references", "References"),
)


def rule_doc(package: str) -> RuleDoc:
    """The RuleDoc of a rule package, read from its doc.md (package data, so it ships in the
    wheel). Called by each rule's __init__.py: `doc=rule_doc(__name__)`."""
    try:
        text = importlib.resources.files(package).joinpath("doc.md").read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError) as exc:
        raise RuleLoadError(package, f"cannot read doc.md: {exc}") from exc
    return parse_rule_doc(text, package)


def parse_rule_doc(text: str, package: str) -> RuleDoc:
    titles = {f"## {title}": field for field, title in DOC_SECTIONS}
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        if not in_fence and line in titles:
            field = titles[line]
            if field in sections:
                raise RuleLoadError(package, f"doc.md has {line!r} twice")
            current = sections[field] = []
        elif current is not None:
            current.append(line)
        elif line.strip():
            raise RuleLoadError(package, f"doc.md has text before its first section: {line!r}")
    order = [field for field, _ in DOC_SECTIONS if field in sections]
    if list(sections) != order:
        raise RuleLoadError(package, "doc.md sections are out of order")
    missing = [title for field, title in DOC_SECTIONS[:4] if field not in sections]
    if missing:
        raise RuleLoadError(package, f"doc.md lacks the section(s) {', '.join(missing)}")
    references: list[str] = []
    for line in sections.pop("references", []):
        if line.startswith("- "):
            references.append(line[2:].strip())
        elif line.strip():
            raise RuleLoadError(package, f"doc.md References: not a '- ' item: {line!r}")
    prose = {field: "\n".join(lines).strip() for field, lines in sections.items()}
    return RuleDoc(
        what=prose["what"],
        why=prose["why"],
        example=prose["example"],
        instead=prose["instead"],
        references=references,
    )


def render_doc_md(doc: RuleDoc) -> str:
    """A RuleDoc as doc.md text (parse_rule_doc's inverse)."""
    parts = [f"## {title}\n\n{getattr(doc, field)}\n" for field, title in DOC_SECTIONS[:4]]
    if doc.references:
        items = "".join(f"- {reference}\n" for reference in doc.references)
        parts.append(f"## References\n\n{items}")
    return "\n".join(parts)


def discover_rules(package_name: str = __name__) -> dict[str, RulePackage]:
    """Every rule package under `package_name` by rule id (sorted by id), checked.

    Imports each rule's `__init__` only, not its detectors.
    """
    package = importlib.import_module(package_name)
    found: dict[str, RulePackage] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        where = f"{package_name}.{info.name}"
        if not info.ispkg:
            raise RuleLoadError(
                where, "is a module; a rule is a package <id>/ with __init__.py and doc.md"
            )
        module = _import(where)
        meta = getattr(module, "RULE", None)
        if not isinstance(meta, RuleMeta):
            raise RuleLoadError(where, "defines no RULE = RuleMeta(...) in __init__.py")
        if meta.id in found:
            raise RuleLoadError(
                where, f"duplicate rule id {meta.id!r}, already defined by {found[meta.id].package}"
            )
        if meta.id.replace("-", "_") != info.name:
            raise RuleLoadError(
                where,
                f"RULE.id {meta.id!r} does not match its folder; the folder of a rule is its "
                f"id with underscores ({meta.id.replace('-', '_')}/)",
            )
        kinds: set[DetectorKind] = set()
        for sub in pkgutil.iter_modules(module.__path__):
            if sub.name.startswith("_"):
                continue
            if sub.name not in DETECTOR_KINDS:
                raise RuleLoadError(
                    where,
                    f"unknown module {sub.name!r}; a rule holds python.py, javascript.py and/or "
                    "project.py (helpers start with '_')",
                )
            kind = sub.name  # narrowed to a DetectorKind by the test above
            if kind != "project" and kind not in meta.languages:
                raise RuleLoadError(
                    where, f"has a {kind} detector but RULE.languages is {meta.languages}"
                )
            kinds.add(kind)
        found[meta.id] = RulePackage(package=where, rule=meta, detectors=frozenset(kinds))
    return dict(sorted(found.items()))


def load_detectors(rules: Mapping[str, RulePackage], kind: DetectorKind) -> tuple[object, ...]:
    """The `DETECTOR` of every rule that has a `kind` module, in folder-name order, checked."""
    detectors: list[object] = []
    for entry in sorted(rules.values(), key=lambda r: r.package):
        if kind not in entry.detectors:
            continue
        where = f"{entry.package}.{kind}"
        detector = getattr(_import(where), "DETECTOR", None)
        if detector is None:
            raise RuleLoadError(entry.package, f"{kind}.py defines no DETECTOR")
        if getattr(detector, "rule", None) is not entry.rule:
            raise RuleLoadError(
                entry.package, f"{kind}.py: DETECTOR.rule is not the RULE of {entry.package}"
            )
        if not callable(getattr(detector, "check", None)):
            raise RuleLoadError(entry.package, f"{kind}.py: DETECTOR has no check() method")
        detectors.append(detector)
    return tuple(detectors)


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except RuleLoadError:
        raise
    except Exception as exc:
        raise RuleLoadError(name, f"failed to import: {type(exc).__name__}: {exc}") from exc


@cache
def _registry() -> dict[str, RulePackage]:
    return discover_rules()


@cache
def all_rules() -> dict[str, RuleMeta]:
    """Every rule by id, sorted. The server pays for this only when asked."""
    return {rule_id: entry.rule for rule_id, entry in _registry().items()}


@cache
def python_detectors() -> tuple[PythonDetector, ...]:
    return cast("tuple[PythonDetector, ...]", load_detectors(_registry(), "python"))


@cache
def javascript_detectors() -> tuple[JsDetector, ...]:
    return cast("tuple[JsDetector, ...]", load_detectors(_registry(), "javascript"))


@cache
def project_detectors() -> tuple[ProjectDetector, ...]:
    return cast("tuple[ProjectDetector, ...]", load_detectors(_registry(), "project"))
