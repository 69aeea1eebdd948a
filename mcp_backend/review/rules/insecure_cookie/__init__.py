"""Catalog entry: a session or auth cookie sent without Secure, or readable by scripts."""

from __future__ import annotations

from mcp_backend.review.model import RuleMeta
from mcp_backend.review.rules import rule_doc

RULE = RuleMeta(
    id="insecure-cookie",
    name="Session or auth cookie without Secure (or HttpOnly)",
    checklist_item="transport-security",
    severity="medium",
    confidence="medium",
    cwe=614,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python", "javascript"],
    doc=rule_doc(__name__),
)

# Words of a cookie's name (or value expression) that say it carries a credential. Both
# detectors split names into words (camelCase, snake_case, kebab-case) before looking.
CREDENTIAL_WORDS = frozenset(
    {
        "accesstoken",
        "auth",
        "authorization",
        "authtoken",
        "bearer",
        "idtoken",
        "jsessionid",
        "jwt",
        "phpsessid",
        "refresh",
        "refreshtoken",
        "remember",
        "rememberme",
        "sess",
        "sessid",
        "session",
        "sessionid",
        "sid",
        "token",
        "tokens",
    }
)
# A cookie named after one of these holds data about a session or a flow, not a credential:
# `session_expires` is read by the front end on purpose, `XSRF-TOKEN` must be readable.
NOT_CREDENTIAL_WORDS = frozenset(
    {
        "callback",
        "consent",
        "csrf",
        "csrftoken",
        "exp",
        "expiration",
        "expire",
        "expires",
        "expiry",
        "flash",
        "hint",
        "lang",
        "language",
        "locale",
        "next",
        "nonce",
        "pkce",
        "redirect",
        "return",
        "returnto",
        "state",
        "theme",
        "timezone",
        "uri",
        "url",
        "verifier",
        "xsrf",
    }
)


def names_a_credential(words: list[str]) -> bool:
    """Whether a cookie name's (or value's) words say it holds a credential."""
    return any(
        w in CREDENTIAL_WORDS or w.endswith(("token", "session", "sessid", "jwt")) for w in words
    )
