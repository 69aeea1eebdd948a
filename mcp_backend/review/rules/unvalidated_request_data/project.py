"""unvalidated-request-data: the raw request body used without a schema.

The linkers set `reads_request_data` when a handler reads the raw body, and validation
`absent` only when the body's fields are used directly (or spread into a model) with no schema
in between; a body handed whole to another function is `unknown` and not reported.

Routes restricted to a role (an admin or builder guard, a role check; not an ownership check)
are not reported: their caller is a trusted operator who could change the same state through
the product itself, so a schema there is hardening, not a boundary. They stay in the inventory.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review import route_policy
from mcp_backend.review.model import Finding, ProjectIndex
from mcp_backend.review.rules.unvalidated_request_data import RULE


class UnvalidatedRequestData:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        flagged = [
            r
            for r in index.routes
            if r.reads_request_data
            and r.validation.status == "absent"
            and not route_policy.role_restricted(r)
        ]
        for group in route_policy.grouped_by_handler(flagged):
            route = group[0]
            detail = f" ({route.validation.note})" if route.validation.note else ""
            yield route_policy.route_finding(
                RULE,
                route,
                f"{route.method} {route.path} uses raw request data (body, query or form fields) "
                f"without validating it against a schema{detail}."
                + route_policy.also_affects(group),
                fix="Declare what the endpoint accepts with a schema (pydantic model, "
                "marshmallow, DRF serializer with is_valid(), Django/WTForms form, zod) and use "
                "only the validated data.",
            )


DETECTOR = UnvalidatedRequestData()
