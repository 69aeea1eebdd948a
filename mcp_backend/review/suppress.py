"""Inline suppressions: `# mcp-backend-ignore RULE-ID: reason` (or `//` in JS/TS).

The comment silences the named rule(s) on its own line, or, when it stands alone on a line,
on the next line. A suppression must say why and name real rules; one that does not still
silences what it names, but is itself reported (rule `invalid-suppression`) so it gets fixed.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Collection, Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from mcp_backend.review.model import Finding
from mcp_backend.review.rules.invalid_suppression import RULE as INVALID_SUPPRESSION

MARKER = "mcp-backend-ignore"
INVALID_SUPPRESSION_RULE_ID = INVALID_SUPPRESSION.id

_COMMENT = re.compile(
    r"(?P<lead>^\s*)?(?:#|//|/\*)\s*" + re.escape(MARKER) + r"\b(?P<rest>[^\n]*)",
)
_RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Suppression(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line: int
    column: int = 1
    rule_ids: list[str]
    reason: str
    standalone: bool  # the comment is alone on its line, so it covers the next line
    text: str


def find_suppressions(source: str, language: str | None = None) -> list[Suppression]:
    """Every suppression comment in a file (Python `#` or JS `//` and `/* */` comments).

    The marker inside a string is not a comment (docs and tests quote the syntax): Python
    comments come from the tokenizer; in JS/TS, a marker after an odd number of quotes on its
    line is taken to be inside a string literal."""
    if MARKER not in source:
        return []
    python_comments = _python_comment_starts(source) if language == "python" else None
    found: list[Suppression] = []
    for number, line in enumerate(source.splitlines(), start=1):
        if MARKER not in line:
            continue
        # The first marker may sit in a string with the real comment after it.
        match = _COMMENT.search(line)
        while match is not None and not _is_comment(match, number, line, python_comments):
            match = _COMMENT.search(line, match.start() + 1)
        if match is None:
            continue
        rest = match.group("rest").strip()
        if rest.endswith("*/"):
            rest = rest[:-2].strip()
        ids_part, _, reason = rest.partition(":")
        rule_ids = [part for part in re.split(r"[\s,]+", ids_part.strip()) if part]
        found.append(
            Suppression(
                line=number,
                column=match.start() + 1 + len(match.group("lead") or ""),
                rule_ids=rule_ids,
                reason=reason.strip(),
                standalone=match.group("lead") is not None,
                text=line.strip()[:200],
            )
        )
    return found


def _python_comment_starts(source: str) -> set[tuple[int, int]] | None:
    """(line, column) of each Python comment holding the marker; None if it does not tokenize
    (then the line-based check applies)."""
    starts: set[tuple[int, int]] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and MARKER in token.string:
                starts.add(token.start)
    except (tokenize.TokenError, SyntaxError):
        return None
    return starts


def _is_comment(
    match: re.Match[str], number: int, line: str, python_comments: set[tuple[int, int]] | None
) -> bool:
    start = match.start() + len(match.group("lead") or "")
    if python_comments is not None:
        return (number, start) in python_comments
    return not _inside_string(line[:start])


def _inside_string(before: str) -> bool:
    """An odd count of unescaped quotes of one kind before a position: it is in a literal."""
    unescaped = re.sub(r"\\.", "", before)
    return any(unescaped.count(quote) % 2 == 1 for quote in ("'", '"', "`"))


def _invalid_finding(file: str, suppression: Suppression, message: str) -> Finding:
    return INVALID_SUPPRESSION.finding(
        message,
        file=file,
        line=suppression.line,
        column=suppression.column,
        snippet=suppression.text,
        fix=f"Write it as `{MARKER} <rule-id>: <why this is safe here>` with a known rule id.",
    )


def check_suppressions(
    suppressions: Mapping[str, Iterable[Suppression]], known_rule_ids: Collection[str]
) -> list[Finding]:
    """Findings for suppression comments without a reason or naming no/unknown rules."""
    problems: list[Finding] = []
    for file, items in suppressions.items():
        for suppression in items:
            if not suppression.rule_ids:
                problems.append(
                    _invalid_finding(file, suppression, "Suppression names no rule id.")
                )
                continue
            unknown = [
                rule_id
                for rule_id in suppression.rule_ids
                if not _RULE_ID.match(rule_id) or rule_id not in known_rule_ids
            ]
            if unknown:
                problems.append(
                    _invalid_finding(
                        file,
                        suppression,
                        f"Suppression names unknown rule id(s): {', '.join(unknown)}.",
                    )
                )
            if not suppression.reason:
                problems.append(
                    _invalid_finding(
                        file, suppression, "Suppression gives no reason; add `: why` after the id."
                    )
                )
    return problems


def apply_suppressions(
    findings: Iterable[Finding], suppressions: Mapping[str, Iterable[Suppression]]
) -> tuple[list[Finding], int]:
    """(findings still reported, how many were silenced)."""
    # (file, line) -> rule ids silenced there
    silenced: dict[tuple[str, int], set[str]] = {}
    for file, items in suppressions.items():
        for suppression in items:
            targets = [suppression.line]
            if suppression.standalone:
                targets.append(suppression.line + 1)
            for line in targets:
                silenced.setdefault((file, line), set()).update(suppression.rule_ids)
    if not silenced:
        kept = list(findings)
        return kept, 0
    kept = []
    count = 0
    for finding in findings:
        rules = silenced.get((finding.file, finding.line))
        if (
            rules is not None
            and finding.rule_id in rules
            and finding.rule_id != INVALID_SUPPRESSION_RULE_ID
        ):
            count += 1
        else:
            kept.append(finding)
    return kept, count
