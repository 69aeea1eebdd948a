"""route-missing-auth: routes that need a caller identity and have no authentication at all.

Precision: only `absent` counts (never `unknown`); routes public by design, routes whose
handler scopes its data to the caller, and routes gated by a role or permission check are
skipped; a
route marked public on purpose (AllowAny, login_not_required) is reported only when it deletes
or is an admin route. A project with no authentication anywhere gets one finding, not dozens.
Severity from evidence: high where the route deviates from its siblings (most routes of its
router or controller are protected) and deletes, changes a record the client names, or is an
admin route; medium otherwise, where its siblings lack authentication too (they may be
protected where we cannot see, such as a gateway), and for the one finding of an app where no
route has authentication (more often a mechanism we do not read than an open app).
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review import route_policy
from mcp_backend.review.model import Finding, ProjectIndex, Route
from mcp_backend.review.rules.route_missing_auth import RULE

FIX = (
    "Require authentication for this route: a dependency/decorator/guard at the route, "
    "router or app level (e.g. Depends(get_current_user), @login_required, "
    "permission_classes = [IsAuthenticated], requireAuth middleware)."
)


class RouteMissingAuth:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        candidates: list[tuple[Route, str]] = []
        private_resources = route_policy.protected_read_resources(index.routes)
        for route in index.routes:
            if route.auth.status != "absent":
                continue
            reason = route_policy.needs_protection(route, private_resources)
            if reason is None:
                continue
            if _scoped_to_caller(route) or _permission_checked(route):
                continue
            explicitly_open = route.auth.note.startswith("explicitly public")
            if explicitly_open and not (
                route.method == "DELETE" or route_policy.is_admin_route(route)
            ):
                continue
            candidates.append((route, reason))
        if not candidates:
            return
        for language in sorted({route.language for route, _ in candidates}):
            mine = [(r, why) for r, why in candidates if r.language == language]
            has_auth_somewhere = any(
                r.auth.status != "absent" for r in index.routes if r.language == language
            )
            if has_auth_somewhere:
                reasons = {id(r): why for r, why in mine}
                for group in route_policy.grouped_by_handler([r for r, _ in mine]):
                    route = group[0]
                    deviant = route_policy.deviates(route, index.routes, "auth")
                    context = (
                        " Most routes beside it require authentication."
                        if deviant
                        else " The routes beside it have none either: check whether a gateway "
                        "or proxy authenticates them."
                    )
                    yield route_policy.route_finding(
                        RULE,
                        route,
                        f"{route.method} {route.path} has no authentication, but "
                        f"{reasons[id(route)]}." + context + route_policy.also_affects(group),
                        fix=FIX,
                        severity=None if deviant and _acts_on_records(route) else "medium",
                    )
            else:
                first, _ = mine[0]
                listed = ", ".join(f"{r.method} {r.path}" for r, _ in mine[:5])
                more = f" and {len(mine) - 5} more" if len(mine) > 5 else ""
                # Medium: no authentication anywhere more often means a mechanism we do not
                # read (a gateway, the framework's own request classes) than an open app.
                yield route_policy.route_finding(
                    RULE,
                    first,
                    "No route in this project requires authentication, including "
                    f"{len(mine)} {'that changes' if len(mine) == 1 else 'that change'} data or "
                    f"{'exposes' if len(mine) == 1 else 'expose'} user data ({listed}{more}). "
                    "If a gateway authenticates callers, say so in a suppression; otherwise "
                    "add authentication.",
                    fix=FIX,
                    severity="medium",
                )


def _acts_on_records(route: Route) -> bool:
    """Deletes, or changes a record named by the client, or is an admin route: what anyone
    could do to other people's data. Sign-up forms, first-run screens and UI settings that
    skip authentication on purpose look like the rest, so those stay medium."""
    return (
        route.method == "DELETE"
        or route.changes_by_id
        or (route.method in {"PUT", "PATCH"} and route_policy.has_path_param(route.path))
        or route_policy.is_admin_route(route)
    )


def _permission_checked(route: Route) -> bool:
    """A role or permission check decides who may call the route (`request.user.has_perm(...)`
    in a DRF permission class, `@permission_required`, a roles guard): an anonymous caller holds
    no role and only the permissions the app grants anonymous users on purpose, so the route is
    gated by the caller's identity even where no separate authentication step was found."""
    return route.authz.status == "present" and any(
        e.kind in {"role", "ownership"} and e.level != "handler" for e in route.authz.evidence
    )


def _scoped_to_caller(route: Route) -> bool:
    """The handler filters what it reads or changes by the caller (`Unit.objects.filter_access(
    request.user)`, `filter(owner=request.user)`, a check that the record is the caller's): an
    anonymous caller reaches only what the app lets anyone see, no one else's records."""
    return any(e.kind == "ownership" and e.level == "handler" for e in route.authz.evidence)


DETECTOR = RouteMissingAuth()
