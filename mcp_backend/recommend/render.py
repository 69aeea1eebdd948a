"""Markdown rendering of a Recommendation: status first, then the detail."""

from __future__ import annotations

from mcp_backend.recommend.models import AspectChoice, Recommendation

_STATUS_LINE = {
    "recommended": "**Status: recommended.**",
    "needs_clarification": "**Status: needs clarification.** The stack below is provisional.",
}


def _cell(text: str) -> str:
    """Table cells cannot hold pipes or newlines."""
    return text.replace("|", "\\|").replace("\n", " ")


def _choice_cell(item: AspectChoice) -> str:
    text = f"**{item.choice.name}**"
    if item.hosted is not None:
        text += f" on {item.hosted.name}"
    if item.detail:
        text += f"; {item.detail}"
    if item.adjusted_from is not None:
        text += f" (instead of {item.adjusted_from.name})"
    return _cell(text)


def _alternatives_cell(item: AspectChoice) -> str:
    if not item.alternatives:
        return "–"
    return _cell("; ".join(f"{alt.name}: {alt.prefer_when}" for alt in item.alternatives))


def render_markdown(rec: Recommendation) -> str:
    """A readable report: status and summary, stack table, conflicts, anti-defaults, layout,
    open questions."""
    lines: list[str] = ["# Backend stack recommendation", "", _STATUS_LINE[rec.status], ""]
    lines += [rec.summary, ""]

    if rec.open_questions:
        lines += [
            f"Answer the {len(rec.open_questions)} open question(s) at the end to firm it up.",
            "",
        ]

    lines += [
        "## Stack",
        "",
        "| Aspect | Choice | Why (rule) | Confidence | Alternatives (prefer when) |",
        "|---|---|---|---|---|",
    ]
    for item in rec.stack:
        why = _cell(f"{item.reason} (`{item.rule}`)")
        lines.append(
            f"| {item.title} | {_choice_cell(item)} | {why} | {item.confidence} "
            f"| {_alternatives_cell(item)} |"
        )
    lines.append("")

    if rec.conflicts:
        lines += ["## Conflicts", ""]
        for conflict in rec.conflicts:
            lines += [
                f"### {conflict.title} (`{conflict.id}`)",
                "",
                conflict.explanation,
                "",
                f"- **Resolution:** {conflict.resolution}",
                f"- **Applied here:** {conflict.applied}",
                "",
            ]

    if rec.anti_defaults:
        lines += ["## Do not default to", ""]
        for anti in rec.anti_defaults:
            mark = "avoided" if anti.heeded else "NOT avoided (chosen on your explicit input)"
            lines.append(
                f"- **{anti.avoid}** when {anti.when}: prefer {anti.prefer}. {anti.why} "
                f"({mark}; `{anti.id}`)"
            )
        lines.append("")

    if rec.layout is not None:
        layout = rec.layout
        lines += [f"## Project layout ({layout.framework.name})", "", layout.summary, ""]
        lines += ["```text", layout.tree, "```", ""]
        lines += ["| Layer | Where | Responsibility |", "|---|---|---|"]
        for layer in layout.layers:
            lines.append(
                f"| {layer.layer} | {_cell(layer.location)} | {_cell(layer.responsibility)} |"
            )
        lines.append("")

    if rec.open_questions:
        lines += ["## Open questions", ""]
        for number, question in enumerate(rec.open_questions, start=1):
            options = ", ".join(f"`{option.id}` ({option.name})" for option in question.options)
            lines += [
                f"{number}. **{question.name}:** {question.question}",
                f"   - Why it matters: {question.why}",
                f"   - Options: {options}",
            ]
        lines.append("")

    return "\n".join(lines).rstrip() + "\n"
