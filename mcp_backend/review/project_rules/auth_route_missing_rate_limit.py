"""auth-route-missing-rate-limit: login/register/reset without a limiter seen in code."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.model import Finding, ProjectIndex
from mcp_backend.review.project_rules import _policy
from mcp_backend.review.rules.auth_route_missing_rate_limit import RULE

# Endpoints that take credentials even behind other middleware (passport.authenticate on login).
_CREDENTIALS = re.compile(
    r"^(login|log-in|signin|sign-in|register|signup|sign-up|forgot|reset|forgot-password|"
    r"reset-password|password-reset|password-recovery|password)$"
)


# A path parameter that is the secret itself (a reset or confirmation token).
_TOKEN_IN_PATH = re.compile(r"[{<:](\w+:)?\w*token\w*[}>]?", re.IGNORECASE)


class AuthRouteMissingRateLimit:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        for route in index.routes:
            if route.rate_limit.status != "absent" or not _policy.is_auth_endpoint(route):
                continue
            if _TOKEN_IN_PATH.search(route.path):
                continue  # /reset/<uidb64>/<token>/: the URL carries an unguessable secret
            segments = _policy.static_segments(route.path)
            if route.auth.status == "present" and not _CREDENTIALS.match(
                segments[-1] if segments else ""
            ):
                continue  # only callers already signed in reach it: not a login to hammer
            yield _policy.route_finding(
                RULE,
                route,
                f"{route.method} {route.path} is an authentication endpoint with no rate limit "
                "in the code, so it can be hammered (password guessing, credential stuffing, "
                "sign-up or reset spam). A reverse proxy or gateway may already limit it; if "
                "so, suppress this warning with that reason.",
                fix="Limit attempts per client and per account (slowapi / Flask-Limiter "
                "@limiter.limit('5/minute'), django-ratelimit, DRF throttle_classes, "
                "express-rate-limit).",
            )


DETECTOR = AuthRouteMissingRateLimit()
