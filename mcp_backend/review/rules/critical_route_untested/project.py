"""critical-route-untested: auth, payment, deletion and admin routes no test refers to.

Decision: when the project has no test files at all, one project-level finding lists the
critical routes (a missing test suite is one problem, not twenty); none when the tree is a
package as published (wheels and npm tarballs leave tests out: nothing to conclude).
Otherwise each kind of critical route (authentication, payments, deletion, admin) with
untested routes gets one finding at its first route, listing the others; `tested is None`
(not checked) is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review import route_policy
from mcp_backend.review.model import Finding, ProjectIndex, Route
from mcp_backend.review.rules.critical_route_untested import RULE

FIX = "Add a test that calls the route (success and the refused cases: anonymous, wrong user)."


class CriticalRouteUntested:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        critical = [(r, kind) for r in index.routes if (kind := route_policy.critical_kind(r))]
        if not critical:
            return
        if index.facts.get("published_package"):
            return  # wheels and npm tarballs leave tests out (or keep only helpers)
        if not index.test_files:
            first, _ = critical[0]
            listed = ", ".join(f"{r.method} {r.path}" for r, _ in critical[:6])
            more = f" and {len(critical) - 6} more" if len(critical) > 6 else ""
            finding = route_policy.route_finding(
                RULE,
                first,
                f"The project has no tests, and {len(critical)} critical routes (auth, payments, "
                f"deletion, admin) are untested: {listed}{more}.",
                fix=FIX,
            )
            finding.route = None
            yield finding
            return
        untested: dict[str, list[Route]] = {}
        for route, kind in critical:
            if route.tested is False:
                untested.setdefault(kind, []).append(route)
        for kind, routes in untested.items():
            first = routes[0]
            others = [f"{r.method} {r.path}" for r in routes[1:6]]
            more = f" and {len(routes) - 6} more" if len(routes) > 6 else ""
            also = f" Also untested: {', '.join(others)}{more}." if others else ""
            yield route_policy.route_finding(
                RULE,
                first,
                f"No test refers to {first.method} {first.path} ({kind} route) by URL, URL "
                f"name or handler.{also}",
                fix=FIX,
            )


DETECTOR = CriticalRouteUntested()
