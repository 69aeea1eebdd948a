"""Findings judged with the route they sit in: what a file rule cannot see on its own.

A handler that only administrators reach answers them with the error of their own action on
purpose (an upstream connection test, a plugin that failed to load): exception text there is
operator diagnostics, not a leak to strangers. The linkers list those handlers' line spans in
`index.facts["operator_only_handlers"]`.
"""

from __future__ import annotations

from collections.abc import Sequence

from mcp_backend.review.model import Finding, ProjectIndex

# Rules whose finding is about who reads the answer, not about what the code does.
OPERATOR_DIAGNOSTICS = frozenset({"error-details-leak"})


def drop_operator_diagnostics(findings: Sequence[Finding], index: ProjectIndex) -> list[Finding]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for span in index.facts.get("operator_only_handlers", []):
        spans.setdefault(str(span["file"]), []).append((int(span["start"]), int(span["end"])))
    if not spans:
        return list(findings)
    return [
        f
        for f in findings
        if f.rule_id not in OPERATOR_DIAGNOSTICS
        or not any(start <= f.line <= end for start, end in spans.get(f.file, []))
    ]
