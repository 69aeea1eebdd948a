"""inconsistent-response-shape: clear envelope mismatches across JSON routes.

Reads ProjectIndex.facts["response_shapes"]: {"METHOD /path": [{"keys": [...], "status": int |
None, "line": int, "file": str}]} for dict literals handlers return. Two checks, each reported
once at most: success bodies wrapped in {"data": ...} by most routes but bare in others (or
the reverse), and error bodies naming their message with different keys.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from mcp_backend.review import route_policy
from mcp_backend.review.model import Finding, ProjectIndex, Route
from mcp_backend.review.rules.inconsistent_response_shape import RULE

ENVELOPE_KEYS = frozenset(
    {
        "data",
        "meta",
        "status",
        "success",
        "error",
        "errors",
        "message",
        "pagination",
        "links",
        "count",
        "total",
        "page",
    }
)
ERROR_KEYS = ("error", "errors", "detail", "message", "msg")


def _success_kind(keys: list[str]) -> str:
    return "envelope" if "data" in keys and set(keys) <= ENVELOPE_KEYS else "bare"


def _error_key(keys: list[str]) -> str | None:
    return next((k for k in ERROR_KEYS if k in keys), None)


class InconsistentResponseShape:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        shapes: dict[str, list[dict[str, Any]]] = index.facts.get("response_shapes") or {}
        # Token and health endpoints follow their own conventions (OAuth2 token responses);
        # their errors still count.
        routes = {f"{r.method} {r.path}": r for r in index.routes}
        ordinary = {key for key, r in routes.items() if not r.public_by_design}
        success: dict[str, list[str]] = {"envelope": [], "bare": []}
        errors: dict[str, list[str]] = {}
        for key, responses in shapes.items():
            if key not in routes:
                continue
            kinds = {_success_kind(r["keys"]) for r in responses if (r.get("status") or 200) < 400}
            for kind in kinds if key in ordinary else ():
                success[kind].append(key)
            for response in responses:
                if (response.get("status") or 200) >= 400 and (
                    error_key := _error_key(response["keys"])
                ):
                    errors.setdefault(error_key, [])
                    if key not in errors[error_key]:
                        errors[error_key].append(key)
        envelope, bare = success["envelope"], success["bare"]
        if envelope and bare and max(len(envelope), len(bare)) >= 2:
            minority, majority = (
                (bare, "envelope") if len(envelope) >= len(bare) else (envelope, "bare")
            )
            route = routes[minority[0]]
            shape = '{"data": ...}' if majority == "envelope" else "bare objects"
            yield self._finding(
                route,
                f'{len(envelope)} routes wrap responses in {{"data": ...}} and {len(bare)} '
                f"return bare objects; {route.method} {route.path} differs from the usual "
                f"{shape}.",
            )
        if len(errors) >= 2 and sum(len(v) for v in errors.values()) >= 3:
            counts = Counter({k: len(v) for k, v in errors.items()})
            rare_key = counts.most_common()[-1][0]
            route = routes[errors[rare_key][0]]
            used = ", ".join(f"'{k}' in {n}" for k, n in counts.most_common())
            yield self._finding(
                route,
                f"Error responses name their message with different keys ({used} routes); "
                f"{route.method} {route.path} uses '{rare_key}'.",
            )

    @staticmethod
    def _finding(route: Route, message: str) -> Finding:
        return route_policy.route_finding(
            RULE,
            route,
            message,
            fix="Build every response through one helper (e.g. ok(data) / fail(code, message)) "
            "or a central error handler, so all routes share one envelope and one error shape.",
        )


DETECTOR = InconsistentResponseShape()
