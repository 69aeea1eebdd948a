"""cors-wildcard judged with the whole application, after the file rules ran.

What another website can do through a visitor's browser depends on what the browser adds to
its requests by itself. Without credentials allowed, a cross-site request carries no cookies
and its answer is readable only if it needed none: the site learns what it could fetch itself,
unless the API trusts the network it is reached from (a local tool, an intranet service that
authenticates no one). With credentials allowed, the browser adds its cookies and any HTTP
Basic login for the API's origin; a token the front end sends in an `Authorization` header is
not added, so without such ambient credentials the setting is wrong but not yet exploitable.

So a finding stays as the file rule wrote it where no route of the project requires (or may
require) authentication, or no route was found: any website a user opens can drive such an API.
Where routes authenticate:
- no credentials allowed: not reported;
- credentials allowed: high where the project uses cookies, sessions or HTTP Basic anywhere
  (`AMBIENT`, substrings of the source text: any mention keeps the finding high); medium otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mcp_backend.review.model import FileResult, Finding, ProjectIndex

RULE_ID = "cors-wildcard"

# What makes a browser add credentials on its own: server code that sets or reads cookies,
# session middleware and libraries, login managers that keep the user in a session, HTTP Basic.
# Plain substrings (a regex alternation of this size costs more than parsing the file).
AMBIENT = (
    "set_cookie(",
    "set_signed_cookie(",
    ".cookies",
    ".COOKIES",
    "SessionMiddleware",
    "SessionAuthentication",
    "django.contrib.sessions",
    "aiohttp_session",
    "request.session",
    "flask_login",
    "flask_security",
    "LoginManager(",
    "APIKeyCookie",
    "HTTPBasic",
    "BasicAuthentication",
    "WWW-Authenticate",
    "express-session",
    "cookie-session",
    "cookie-parser",
    "koa-session",
    "@fastify/session",
    "@fastify/secure-session",
    "@fastify/cookie",
    "fastify-cookie",
    "res.cookie(",
    "setCookie(",
    "Set-Cookie",
    "set-cookie",
    "passport.session",
    "next-auth",
    "iron-session",
    "basic-auth",
    "hono/cookie",
)
_FLASK_SESSION = re.compile(r"^from\s+flask\s+import[^\n]*\bsession\b", re.M)
# Every entry above holds one of these: most files hold none and are skipped at once.
_HINTS = (
    "ookie",
    "OOKIE",
    "ession",
    "ogin",
    "Basic",
    "basic-auth",
    "WWW-Authenticate",
    "next-auth",
    "flask_security",
)

# The rule's own messages say "credentials" exactly when the configuration allows them.
_CREDENTIALS = re.compile(r"credentials", re.I)


def ambient_credentials(text: str) -> list[dict[str, int | str]]:
    """Where one file makes the browser hold credentials for the API (at most three places)."""
    if not any(hint in text for hint in _HINTS):
        return []
    places = [(at, literal) for literal in AMBIENT if (at := text.find(literal)) >= 0]
    if flask_session := _FLASK_SESSION.search(text):
        places.append((flask_session.start(), "from flask import session"))
    return [
        {"line": text.count("\n", 0, at) + 1, "detail": detail} for at, detail in sorted(places)[:3]
    ]


def judge(
    findings: Sequence[Finding], index: ProjectIndex, results: Sequence[FileResult]
) -> list[Finding]:
    if not any(f.rule_id == RULE_ID for f in findings):
        return list(findings)
    ambient = any(r.facts.get("ambient_credentials") for r in results if not r.is_test)
    authenticates = any(r.auth.status in {"present", "unknown"} for r in index.routes)
    kept: list[Finding] = []
    for finding in findings:
        if finding.rule_id != RULE_ID or not authenticates:
            kept.append(finding)  # an API that authenticates no one: any site can drive it
        elif not _CREDENTIALS.search(finding.message):
            continue  # the browser adds nothing: a foreign site reads what it could fetch
        elif not ambient and finding.severity in {"high", "critical"}:
            kept.append(
                finding.model_copy(
                    update={
                        "severity": "medium",
                        "message": finding.message
                        + " (no cookie, session or HTTP Basic login seen in the project: "
                        "harmless until the browser holds one)",
                    }
                )
            )
        else:
            kept.append(finding)
    return kept
