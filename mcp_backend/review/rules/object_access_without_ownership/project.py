"""object-access-without-ownership: IDOR candidates, reported only in clear cases.

A route qualifies when it is authenticated, loads a record by an id from its path (directly,
or through a project function we could read), and shows no ownership or role check. It must
also change the record (PUT, PATCH, DELETE; or a tRPC/GraphQL mutation or server action that
updates or deletes the record an id in its input selects) or be about user data (orders,
accounts, notes, files...), so a catalogue read by id or a comment on someone's post is not
reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review import route_policy
from mcp_backend.review.model import Finding, ProjectIndex, Route
from mcp_backend.review.rules.object_access_without_ownership import RULE


class ObjectAccessWithoutOwnership:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        flagged: list[Route] = []
        for route in index.routes:
            if not route.loads_by_id or route.auth.status != "present":
                continue
            if route.authz.status != "absent" or route.public_by_design:
                continue
            if route_policy.is_admin_route(route):
                continue  # admin routes are judged by admin-route-missing-role
            # PUT/PATCH/DELETE act on the record itself, and so does a mutation or server
            # action that updates or deletes the record its input names; a POST below it (a
            # comment on a post) only counts when the resource is about user data.
            if route_policy.changes_record(route) or route_policy.is_sensitive(route):
                flagged.append(route)
        for group in route_policy.grouped_by_handler(flagged):
            route = group[0]
            changes = any(r.method in route_policy.STATE_CHANGING for r in group)
            source = "its URL" if route.kind == "http" else "its input"
            yield route_policy.route_finding(
                RULE,
                route,
                f"{route.method} {route.path} loads a record by the id in {source} and does "
                "not check that it belongs to the caller: any logged-in user can "
                f"{'change' if changes else 'read'} another user's record by changing the id."
                + route_policy.also_affects(group),
                fix="Filter the lookup by the current user (owner_id == user.id, "
                "owner=request.user), or check the record's owner and return 404/403, or use "
                "an object-level permission.",
                confidence="medium" if changes else "low",
            )


DETECTOR = ObjectAccessWithoutOwnership()
