"""Findings judged with the route they sit in: what a file rule cannot see on its own.

A handler that only administrators reach answers them with the error of their own action on
purpose (an upstream connection test, a plugin that failed to load): exception text there is
operator diagnostics, not a leak to strangers. The linkers list those handlers' line spans in
`index.facts["operator_only_handlers"]`.

Both languages' linkers decide which handlers are operator-only with `operator_only`, from the
routes that run each handler.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from mcp_backend.review.model import Finding, ProjectIndex, Route

# Rules whose finding is about who reads the answer, not about what the code does.
OPERATOR_DIAGNOSTICS = frozenset({"error-details-leak"})

# A role check that admits administrators only: is_superuser / is_staff / IsAdminUser,
# `user.role != "admin"`, role_admin(), an admin_required / require_admin decorator; in JS/TS
# an isAdmin / requireAdmin middleware, a NestJS AdminGuard, an admin...Middleware.
ADMIN_CHECK = re.compile(
    r"(is_superuser|is_staff|\bis_admin\b|\bisAdmin\b|IsAdminUser|role_admin\b|"
    r"\.role\s*(===?|!==?)\s*['\"]admin['\"]|"
    r"\b(require|requires|ensure)_?[aA]dmin\w*|\badmin_?(required|only|Required|Only)\b|"
    r"get_admin_user|\bAdminGuard\b|\badmin\w*Middleware\b|"
    # Depends(check_admin), check_super_user, @superuser_required, staff_member_required
    r"\b(check|verify|assert)_?(admin|super_?user)(_\w*)?\b|\b(superuser|staff_member)_required\b|"
    # @roles_required("Administrator"), hasRole('ADMIN'), role_required("admin")
    r"\b(roles?_required|has_?[rR]oles?|role_required)\(\s*['\"](?i:admin|administrator)['\"])"
)
_GATED = frozenset({"route", "router", "app"})

K = TypeVar("K", bound=Hashable)


def operator_only(
    handlers: Mapping[K, Sequence[Route]],
    routes: Sequence[Route],
    *,
    signed_in_operates: bool = False,
) -> set[K]:
    """The handlers every route of which requires an administrator role before the handler
    runs (a dependency, decorator, middleware or guard; a check inside the handler often only
    lets admins past an ownership test).

    With `signed_in_operates`, when no route of the app tells one caller's records from
    another's, nor one kind of caller from another, before its handler runs, whoever signs in
    operates the whole app (a notebook server, a bot manager): every signed-in caller is its
    operator. The Python linker asks for it (Python tools served to one operator are common);
    the JS/TS linker does not: there, multi-user APIs that check ownership only in their
    queries look the same."""
    single_operator = signed_in_operates and not any(
        e.kind == "ownership" or (e.kind == "role" and e.level in _GATED)
        for r in routes
        for e in r.authz.evidence
    )

    def admin_only(route: Route) -> bool:
        return route.authz.status == "present" and any(
            e.level in _GATED and ADMIN_CHECK.search(e.detail) for e in route.authz.evidence
        )

    def signed_in(route: Route) -> bool:
        return route.auth.status == "present" and any(
            e.level in _GATED for e in route.auth.evidence
        )

    return {
        key
        for key, group in handlers.items()
        if group and all(admin_only(r) or (single_operator and signed_in(r)) for r in group)
    }


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
