"""auth-route-missing-rate-limit: login/register/reset without a limiter seen in code."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review import route_policy
from mcp_backend.review.model import Finding, ProjectIndex, Route
from mcp_backend.review.rules.auth_route_missing_rate_limit import RULE

# Endpoints that take credentials even behind other middleware (passport.authenticate on login).
_CREDENTIALS = re.compile(
    r"^(login|log-in|signin|sign-in|register|signup|sign-up|forgot|reset|forgot-password|"
    r"reset-password|password-reset|password-recovery|password)$"
)
_PARAM_SEGMENT = re.compile(r"^(\{[^}]*\}|<[^>]*>|:\w+)$")


# A path parameter that is the secret itself (a reset or confirmation token).
_TOKEN_IN_PATH = re.compile(r"[{<:](\w+:)?\w*token\w*[}>]?", re.IGNORECASE)


# The two steps of a reset by mail: asking for the mail (forgot-password,
# requestPasswordReset) sends it; following it (reset-password with the mailed token, or
# /user/reset/<key>) consumes an unguessable secret, nothing there to hammer.
_REQUEST_STEP = re.compile(
    r"^(forgot|forgot-password|request-(password-)?reset|password-reset-request|reset-request|"
    r"send-(password-)?reset(-email|-link)?|recover|recovery|password-recovery)$"
)
_CONSUME_STEP = re.compile(
    r"^(reset|reset-password|(reset-)?password-reset-confirm|confirm-(password-)?reset|"
    r"reset-password-confirm|new-password|set-password)$"
)


def _consumes_mailed_secret(route: Route, requests: list[list[str]]) -> bool:
    """A reset route that follows a mail another route of the app sends: its path carries a
    parameter after the reset word (/user/reset/<key>), or the app has a request step beside
    it (forgot-password and reset-password; /recover and /recover/reset)."""
    path = route_policy.policy_path(route.method, route.path)
    parts = [p for p in path.split("/") if p]
    static = [i for i, p in enumerate(parts) if not _PARAM_SEGMENT.match(p)]
    if not static or not _CONSUME_STEP.match(parts[static[-1]].lower()):
        return False
    if static[-1] < len(parts) - 1:
        return True  # /reset/<key>: the URL is the mailed secret
    words = route_policy.static_segments(path)
    return any(
        request[:-1] == words[: len(request) - 1] or request == words[:-1] for request in requests
    )


class AuthRouteMissingRateLimit:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        requests = [
            words
            for route in index.routes
            if (
                words := route_policy.static_segments(
                    route_policy.policy_path(route.method, route.path)
                )
            )
            and _REQUEST_STEP.match(words[-1])
        ]
        exposed = [
            route
            for route in index.routes
            if self._exposed(route) and not _consumes_mailed_secret(route, requests)
        ]
        for group in route_policy.grouped_by_handler(exposed):  # one view: one finding
            route = group[0]
            yield route_policy.route_finding(
                RULE,
                route,
                f"{route.method} {route.path} is an authentication endpoint with no rate limit "
                "in the code, so it can be hammered (password guessing, credential stuffing, "
                "sign-up or reset spam). A reverse proxy or gateway may already limit it; if "
                "so, suppress this warning with that reason." + route_policy.also_affects(group),
                fix="Limit attempts per client and per account (slowapi / Flask-Limiter "
                "@limiter.limit('5/minute'), django-ratelimit, DRF throttle_classes, "
                "express-rate-limit).",
            )

    @staticmethod
    def _exposed(route: Route) -> bool:
        if route.rate_limit.status != "absent" or not route_policy.is_auth_endpoint(route):
            return False
        if _TOKEN_IN_PATH.search(route.path):
            return False  # /reset/<uidb64>/<token>/: the URL carries an unguessable secret
        if route.auth.status != "present":
            return True
        if route.authz.status == "present" and route_policy.is_admin_route(route):
            return False  # an administrator acting on an account, not a credential endpoint
        gate = [e for e in route.auth.evidence if e.level in {"route", "router", "app"}]
        roles = [e for e in route.authz.evidence if e.level in {"route", "router", "app"}]
        if route.authz.status == "present" and any(e.kind == "role" for e in roles):
            return False  # an admin (a role checked before the handler) does not brute-force
        if any(e.level == "router" for e in route.auth.evidence):
            # the blueprint or router it sits in lets only signed-in callers through: a
            # management route (/token/reset), not the login; app-wide middleware is not enough
            # to say so, since it usually lets the login path through
            return False
        # only callers already signed in reach it: not a login to hammer, unless the route
        # takes credentials itself; and not when it signs in to something its path names
        # (/clients/{server}/login: an authenticated operator logging a client in elsewhere)
        parts = [p for p in route_policy.policy_path(route.method, route.path).split("/") if p]
        static = [i for i, p in enumerate(parts) if not _PARAM_SEGMENT.match(p)]
        if not static or not _CREDENTIALS.match(parts[static[-1]].lower()):
            return False
        if gate and parts[static[-1]].lower() in {"reset", "forgot"}:
            return False  # a signed-in caller resetting their own data, not a password by mail
        return not any(_PARAM_SEGMENT.match(p) for p in parts[: static[-1]])


DETECTOR = AuthRouteMissingRateLimit()
