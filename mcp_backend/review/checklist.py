"""Findings, signals and the route inventory -> one verdict per checklist item.

`fail`: a finding at critical/high. `warning`: lower findings, or partial evidence (a route
whose protection is `unknown`). `pass`: evidence it is handled and no findings.
`not_applicable`: nothing of that kind in the project. `unknown`: no rule looks at it for the
project's languages, or nothing was analysed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Sequence
from functools import cache
from typing import Literal, Protocol

from mcp_backend.review import route_policy
from mcp_backend.review.model import (
    CHECKLIST_ITEM_IDS,
    ERROR_SEVERITIES,
    SEVERITY_ORDER,
    ChecklistItemId,
    ChecklistVerdict,
    Finding,
    ProjectIndex,
    Route,
    Signal,
)
from mcp_backend.review.suppress import INVALID_SUPPRESSION_RULE_ID

logger = logging.getLogger(__name__)

# Findings about the review's own configuration say nothing about the project's code.
ENGINE_RULE_IDS = frozenset({INVALID_SUPPRESSION_RULE_ID})
MAX_EVIDENCE = 5

_FALLBACK_TITLES: dict[str, str] = {
    "input-validation": "Input validation",
    "error-handling": "Error handling",
    "authentication": "Authentication",
    "authorization": "Authorization",
    "sql-injection": "SQL injection",
    "injection": "Other injection",
    "response-format": "Response format",
    "logging": "Logging",
    "rate-limiting": "Rate limiting",
    "secrets": "Secrets in environment variables",
    "password-hashing": "Password hashing",
    "jwt": "JWT verification",
    "cors": "CORS",
    "transport-security": "Transport security",
    "n-plus-one": "N+1 queries",
    "blocking-io": "Blocking I/O",
    "architecture": "Layered architecture",
    "tests": "Tests",
}

RouteField = Literal["auth", "authz", "validation", "rate_limit"]
ROUTE_ITEMS: dict[str, RouteField] = {
    "authentication": "auth",
    "authorization": "authz",
    "input-validation": "validation",
    "rate-limiting": "rate_limit",
}
# Checked in every file: a clean scan is a pass.
_CLEAN_SCAN_PASSES = frozenset(
    {"secrets", "injection", "transport-security", "logging", "blocking-io", "n-plus-one"}
)
# About the HTTP layer: a clean scan is a pass when there are routes.
_ROUTE_LAYER_ITEMS = frozenset({"error-handling", "response-format", "architecture"})
# Nothing seen means the project does not do this at all.
_ABSENT_MEANS_NA: dict[str, str] = {
    "sql-injection": "no SQL queries seen",
    "password-hashing": "no password handling seen",
    "jwt": "no JWT handling seen",
    "cors": "no CORS configuration seen",
}
_PROTECTION_NOUN: dict[str, str] = {
    "authentication": "authentication",
    "authorization": "a role or ownership check",
    "input-validation": "input validation",
    "rate-limiting": "rate limiting",
}


@cache
def checklist_titles() -> dict[str, str]:
    """Titles from resources/checklist.toml, falling back to built-in ones."""
    titles = dict(_FALLBACK_TITLES)
    try:
        from mcp_backend.knowledge.loader import read_toml

        for entry in read_toml("checklist.toml").get("items", []):
            if isinstance(entry, dict) and entry.get("id") in titles and entry.get("title"):
                titles[str(entry["id"])] = str(entry["title"])
    except (OSError, ValueError) as exc:
        logger.debug("checklist titles from the knowledge base unavailable: %s", exc)
    return titles


def _severity_counts(findings: Sequence[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    ordered = sorted(counts.items(), key=lambda kv: -SEVERITY_ORDER[kv[0]])
    return ", ".join(f"{n} {severity}" for severity, n in ordered)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _route_label(route: Route) -> str:
    return f"{route.method} {route.path}"


def _unreported_open_routes(findings: Sequence[Finding], routes: Sequence[Route]) -> str:
    """The routes without authentication that are not findings (their siblings lack it too),
    named beside the findings so the verdict does not hide them."""
    reported = {(f.file, f.line) for f in findings}  # a handler's routes share its place
    # a language with no authentication anywhere has one finding for all its open routes
    authenticating = {r.language for r in routes if r.auth.status != "absent"}
    open_routes = [
        r
        for r, _ in route_policy.unauthenticated(list(routes))
        if (r.file, max(r.line, 1)) not in reported and r.language in authenticating
    ]
    if not open_routes:
        return ""
    examples = ", ".join(_route_label(r) for r in open_routes[:3])
    return (
        f"; {_open_routes_phrase(len(open_routes), 'other ')} no authentication in the code, "
        f"as do the routes beside them (e.g. {examples})"
    )


def _open_routes_phrase(count: int, other: str = "") -> str:
    one = count == 1
    return (
        f"{count} {other}{'route' if one else 'routes'} that {'changes' if one else 'change'} "
        f"data or {'exposes' if one else 'expose'} user data {'shows' if one else 'show'}"
    )


def _route_verdict(
    item: str, field: RouteField, routes: Sequence[Route]
) -> tuple[Literal["pass", "warning", "unknown", "not_applicable"], str, list[str]]:
    noun = _PROTECTION_NOUN[item]
    if field == "auth":
        considered = [r for r in routes if not r.public_by_design]
        public = len(routes) - len(considered)
    elif field == "validation":
        considered = [r for r in routes if r.reads_request_data or r.validation.status != "absent"]
        public = 0
    else:
        considered = list(routes)
        public = 0
    statuses = Counter(getattr(r, field).status for r in considered)
    evidence: list[str] = []
    for route in considered:
        protection = getattr(route, field)
        for seen in protection.evidence[:1]:
            evidence.append(f"{seen.file}:{seen.line} {seen.detail} ({_route_label(route)})")
        if len(evidence) >= MAX_EVIDENCE:
            break
    if field == "auth":
        # not findings (route-missing-auth reports only routes that deviate from protected
        # siblings), but no authentication shows in the code for them
        open_routes = [route for route, _ in route_policy.unauthenticated(list(routes))]
        if open_routes:
            examples = ", ".join(_route_label(r) for r in open_routes[:3])
            return (
                "warning",
                f"{_open_routes_phrase(len(open_routes))} no authentication in the code, "
                f"and neither do the routes beside them (e.g. {examples}); check a gateway, "
                "proxy or mechanism outside the code authenticates them",
                [f"{r.file}:{r.line} {_route_label(r)}" for r in open_routes],
            )
    unknown_routes = [r for r in considered if getattr(r, field).status == "unknown"]
    if unknown_routes:
        examples = ", ".join(_route_label(r) for r in unknown_routes[:3])
        why = getattr(unknown_routes[0], field).note
        return (
            "unknown",
            f"{noun} could not be determined for {len(unknown_routes)} of "
            f"{_plural(len(considered), 'route')} (e.g. {examples}"
            f"{': ' + why if why else ''}); check it is done outside the code",
            evidence,
        )
    present = statuses.get("present", 0)
    if present:
        tail = f"; {public} public by design" if public else ""
        return (
            "pass",
            f"{present} of {_plural(len(considered), 'route')} "
            f"{'shows' if present == 1 else 'show'} {noun}{tail}; no findings",
            evidence,
        )
    if field == "validation":
        return "not_applicable", "no route reads request data that needs validation", evidence
    if field == "auth" and public == len(routes):
        return (
            "not_applicable",
            f"all {_plural(len(routes), 'route')} are public by design",
            evidence,
        )
    return (
        "not_applicable",
        f"no route needs {noun} by the rules' criteria ({_plural(len(routes), 'route')}, "
        "no findings)",
        evidence,
    )


def build_checklist(
    findings: Sequence[Finding],
    index: ProjectIndex,
    signals: Sequence[Signal],
    *,
    files_scanned: int,
    languages: Collection[str] = ("python",),
    items: Collection[str] | None = None,
    covered_items: Collection[str] | None = None,
) -> list[ChecklistVerdict]:
    """One verdict per checklist item (or per item asked for), in checklist order.

    `covered_items`: the items some active rule looks at for these languages (None: all);
    for the others a clean scan proves nothing, so their verdict is `unknown`.
    """
    titles = checklist_titles()
    rule_languages = {"javascript" if lang == "typescript" else lang for lang in languages}
    covered = set(CHECKLIST_ITEM_IDS if covered_items is None else covered_items)

    by_item: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.rule_id not in ENGINE_RULE_IDS:
            by_item.setdefault(finding.checklist_item, []).append(finding)
    signals_by_item: dict[str, list[Signal]] = {}
    for signal in [*signals, *index.signals]:
        signals_by_item.setdefault(signal.item, []).append(signal)

    verdicts: list[ChecklistVerdict] = []
    for item_id in CHECKLIST_ITEM_IDS:
        if items is not None and item_id not in items:
            continue
        item: ChecklistItemId = item_id  # type: ignore[assignment]
        item_findings = by_item.get(item, [])
        item_signals = signals_by_item.get(item, [])
        signal_evidence = [f"{s.file}:{s.line} {s.detail}" for s in item_signals[:MAX_EVIDENCE]]
        rule_ids = sorted({f.rule_id for f in item_findings})
        title = titles.get(item, item)

        def verdict(
            kind: Literal["pass", "fail", "warning", "not_applicable", "unknown"],
            reason: str,
            evidence: list[str],
            *,
            _item: ChecklistItemId = item,
            _title: str = title,
            _count: int = len(item_findings),
            _rules: list[str] = rule_ids,
        ) -> ChecklistVerdict:
            return ChecklistVerdict(
                item=_item,
                title=_title,
                verdict=kind,
                reason=reason,
                findings=_count,
                rule_ids=_rules,
                evidence=evidence[:MAX_EVIDENCE],
            )

        if item_findings:
            worst = max(item_findings, key=lambda f: SEVERITY_ORDER[f.severity])
            kind: Literal["fail", "warning"] = (
                "fail" if worst.severity in ERROR_SEVERITIES else "warning"
            )
            locations = [f"{f.file}:{f.line}" for f in item_findings[:MAX_EVIDENCE]]
            reason = (
                f"{_plural(len(item_findings), 'finding')} ({_severity_counts(item_findings)}) "
                f"from {', '.join(rule_ids)}; first at {locations[0]}"
            )
            if item == "authentication":
                reason += _unreported_open_routes(item_findings, index.routes)
            verdicts.append(verdict(kind, reason, locations))
            continue

        if files_scanned == 0:
            verdicts.append(verdict("unknown", "no source files were analysed", []))
            continue

        if item in ROUTE_ITEMS:
            if not index.routes:
                if index.unread_wiring:
                    reason = f"no routes found, but {index.unread_wiring[0]}"
                    verdicts.append(verdict("unknown", reason, signal_evidence))
                elif item_signals:
                    reason = f"no routes found, but {_plural(len(item_signals), 'signal')} seen"
                    verdicts.append(verdict("pass", reason, signal_evidence))
                else:
                    verdicts.append(verdict("not_applicable", "no HTTP routes found", []))
                continue
            kind_r, reason, evidence = _route_verdict(item, ROUTE_ITEMS[item], index.routes)
            if kind_r == "not_applicable" and item_signals:
                kind_r = "pass"
                reason = f"{_plural(len(item_signals), 'signal')} seen; {reason}"
            verdicts.append(verdict(kind_r, reason, evidence + signal_evidence))
            continue

        if item_signals:
            more = f" (+{len(item_signals) - 1} more)" if len(item_signals) > 1 else ""
            reason = f"seen: {item_signals[0].detail}{more}; no findings"
            verdicts.append(verdict("pass", reason, signal_evidence))
            continue

        if item == "tests":
            verdicts.append(_tests_verdict(index, verdict))
            continue
        if item not in covered:
            langs = ", ".join(sorted(rule_languages)) or "these languages"
            verdicts.append(verdict("unknown", f"no rule checks this for {langs} yet", []))
            continue
        if item in _CLEAN_SCAN_PASSES:
            reason = f"no findings in {_plural(files_scanned, 'file')}"
            verdicts.append(verdict("pass", reason, []))
            continue
        if item in _ROUTE_LAYER_ITEMS:
            if index.routes:
                reason = f"no findings across {_plural(len(index.routes), 'route')}"
                verdicts.append(verdict("pass", reason, []))
            else:
                verdicts.append(verdict("not_applicable", "no HTTP routes found", []))
            continue
        if item in _ABSENT_MEANS_NA:
            verdicts.append(verdict("not_applicable", _ABSENT_MEANS_NA[item], []))
            continue
        verdicts.append(verdict("unknown", "no evidence either way", []))
    return verdicts


def _tests_verdict(index: ProjectIndex, verdict: _VerdictMaker) -> ChecklistVerdict:
    tests = len(index.test_files)
    if not index.source_files and not tests:
        return verdict("not_applicable", "no source files", [])
    if index.facts.get("published_package"):
        return verdict("unknown", "a package as published: its tests are not shipped", [])
    if not tests:
        return verdict("warning", "no test files found", [])
    tested = [r for r in index.routes if r.tested]
    evidence = [f"{r.file}:{r.line} {_route_label(r)} is tested" for r in tested[:MAX_EVIDENCE]]
    if index.routes and any(r.tested is not None for r in index.routes):
        reason = (
            f"{_plural(tests, 'test file')}; {len(tested)} of "
            f"{_plural(len(index.routes), 'route')} referenced by a test; no findings"
        )
    else:
        reason = f"{_plural(tests, 'test file')}; no findings"
    return verdict("pass", reason, evidence or [index.test_files[0]])


class _VerdictMaker(Protocol):
    def __call__(
        self,
        kind: Literal["pass", "fail", "warning", "not_applicable", "unknown"],
        reason: str,
        evidence: list[str],
    ) -> ChecklistVerdict: ...
