"""route-missing-auth: routes that need a caller identity and have no authentication at all.

Precision: only `absent` counts (never `unknown`); routes public by design, routes whose
handler scopes its data to the caller, and routes gated by a role or permission check are
skipped (route_policy.unauthenticated); a route marked public on purpose (AllowAny,
login_not_required) is reported only when it deletes or is an admin route.

Deviance is the finding: a route is reported when most routes beside it (its router or
controller) require authentication and it does not, or when another method of its own path
does (GET /users/{id} requires it, DELETE /users/{id} does not). Where its siblings lack
authentication too, they may well be authenticated where the code does not show it (a gateway,
a mechanism we do not read): on real applications nine in ten such routes were protected or
public by design, so they are not findings; the authentication checklist item lists them in a
warning.
A project with no authentication anywhere gets one finding, not dozens.
Severity: high where the deviant route deletes, changes a record the client names, or is an
admin route; medium otherwise, and for the one finding of an app with no authentication.
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
        candidates = route_policy.unauthenticated(index.routes)
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
                    if route_policy.deviates(route, index.routes, "auth"):
                        context = "Most routes beside it require authentication."
                    elif route_policy.other_method_protected(route, index.routes, "auth"):
                        context = "Other methods of the same path require authentication."
                    else:
                        continue  # its siblings lack it too: the checklist's warning
                    yield route_policy.route_finding(
                        RULE,
                        route,
                        f"{route.method} {route.path} has no authentication, but "
                        f"{reasons[id(route)]}. {context}" + route_policy.also_affects(group),
                        fix=FIX,
                        severity=None if _acts_on_records(route) else "medium",
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


DETECTOR = RouteMissingAuth()
