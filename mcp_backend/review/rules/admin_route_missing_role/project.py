"""admin-route-missing-role: admin routes that authenticate but never check a role.

Severity from evidence: high where most routes beside it check a role (it deviates), medium
where none of them does (the roles may be enforced where we cannot see)."""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review import route_policy
from mcp_backend.review.model import Finding, ProjectIndex
from mcp_backend.review.rules.admin_route_missing_role import RULE

ROLE_KINDS = frozenset({"role", "permission_class", "guard"})


class AdminRouteMissingRole:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        for route in index.routes:
            if not route_policy.is_admin_route(route) or route.auth.status != "present":
                continue
            if route.authz.status == "unknown":
                continue
            if any(e.kind in ROLE_KINDS for e in route.authz.evidence):
                continue
            deviant = route_policy.deviates(route, index.routes, "authz")
            context = (
                " Most routes beside it do check a role."
                if deviant
                else " The routes beside it check none either: make sure roles are enforced "
                "somewhere."
            )
            yield route_policy.route_finding(
                RULE,
                route,
                f"Admin route {route.method} {route.path} checks that the caller is logged in "
                "but not that they are an administrator: any registered user can call it."
                + context,
                severity=None if deviant else "medium",
                fix="Add a role or permission check for the whole admin router (e.g. a "
                "require_admin dependency, IsAdminUser, @roles_required('admin'), a role guard).",
            )


DETECTOR = AdminRouteMissingRole()
