"""no-central-error-handler: once per project that has routes and no global error handler.

The linkers put `error_handlers` (a list) in ProjectIndex.facts; without that key we cannot
tell and stay silent. `framework_error_handling` names a framework whose own handling is
central (Django), which also silences the rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review import route_policy
from mcp_backend.review.model import Finding, ProjectIndex
from mcp_backend.review.rules.no_central_error_handler import RULE


class NoCentralErrorHandler:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        handlers = index.facts.get("error_handlers")
        if not index.routes or handlers is None or handlers:
            return
        if index.facts.get("framework_error_handling"):
            return
        apps = index.facts.get("apps") or []
        first = index.routes[0]
        finding = route_policy.route_finding(
            RULE,
            first,
            f"The project declares {len(index.routes)} routes but no application-wide error "
            "handler: each route formats (or leaks) its own errors.",
            fix="Register one error handler for the app (FastAPI exception_handler, Flask "
            "errorhandler, Express error middleware) that logs the exception and returns one "
            "error shape without internal details.",
        )
        finding.route = None
        if apps:
            finding.file = str(apps[0].get("file", finding.file))
            finding.line = int(apps[0].get("line", 1))
            finding.snippet = f"{apps[0].get('name', 'app')} = {apps[0].get('framework', '')} app"
        yield finding


DETECTOR = NoCentralErrorHandler()
