"""A rule's catalog entry as Markdown: the page served as backend://rules/{id}."""

from __future__ import annotations

from collections.abc import Iterable

from mcp_backend.review.model import RuleMeta

RULE_URI_PREFIX = "backend://rules/"


def rule_uri(rule_id: str) -> str:
    return f"{RULE_URI_PREFIX}{rule_id}"


def cwe_url(cwe: int) -> str:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html"


def render_rule_markdown(meta: RuleMeta) -> str:
    doc = meta.doc
    facts = [
        ("Rule id", f"`{meta.id}`"),
        ("Checklist item", meta.checklist_item),
        ("Default severity", meta.severity),
        ("Confidence", meta.confidence),
        ("Languages", ", ".join(meta.languages)),
    ]
    if meta.cwe is not None:
        facts.append(("CWE", f"[CWE-{meta.cwe}]({cwe_url(meta.cwe)})"))
    if meta.owasp:
        facts.append(("OWASP", meta.owasp))
    lines = [f"# {meta.name}", "", "| | |", "|---|---|"]
    lines.extend(f"| {label} | {value} |" for label, value in facts)
    lines.extend(
        [
            "",
            "## What it does",
            "",
            doc.what.strip(),
            "",
            "## Why it matters",
            "",
            doc.why.strip(),
            "",
            "## Example",
            "",
            doc.example.strip(),
            "",
            "## Use instead",
            "",
            doc.instead.strip(),
        ]
    )
    if doc.references:
        lines.extend(["", "## References", ""])
        lines.extend(f"- {reference}" for reference in doc.references)
    lines.extend(
        [
            "",
            "## Silencing it",
            "",
            f"Add `mcp-backend-ignore {meta.id}: <why this is safe here>` as a comment on the "
            "line, or alone on the line above; or list the id under `disable` in "
            "`[tool.mcp-backend]`.",
        ]
    )
    return "\n".join(lines) + "\n"


def render_rule_index(rules: Iterable[RuleMeta]) -> str:
    """Every rule in one table, each linked to its page."""
    lines = [
        "# Review rules",
        "",
        "| Rule | Checklist item | Severity | CWE |",
        "|---|---|---|---|",
    ]
    for meta in rules:
        cwe = f"CWE-{meta.cwe}" if meta.cwe else ""
        lines.append(
            f"| [`{meta.id}`]({rule_uri(meta.id)}) {meta.name} | {meta.checklist_item} "
            f"| {meta.severity} | {cwe} |"
        )
    return "\n".join(lines) + "\n"
