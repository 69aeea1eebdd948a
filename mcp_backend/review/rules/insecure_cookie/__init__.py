"""Catalog entry: a session or auth cookie sent without Secure, or readable by scripts."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="insecure-cookie",
    name="Session or auth cookie without Secure (or HttpOnly)",
    checklist_item="transport-security",
    severity="medium",
    confidence="medium",
    cwe=614,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds cookies that carry a credential (a name or value that speaks of a session, "
            "token, auth,\n"
            "jwt, sid, refresh or remember-me, or the cookie of a session middleware) set "
            "without the Secure\n"
            "flag or with HttpOnly switched off:\n"
            "\n"
            "- Express `res.cookie()`, Hono `setCookie()`, @fastify/cookie `reply.setCookie()` "
            "(low confidence:\n"
            "  the plugin's `parseOptions` may add Secure) and `express-session` with no "
            "`secure` option;\n"
            "- those, Koa `ctx.cookies.set()`, `cookie-session` and `@fastify/session` with "
            "`secure: false` or\n"
            "  `httpOnly: false` written out (the last three are Secure on HTTPS by default);\n"
            "- `response.set_cookie()` (Flask, Starlette, FastAPI, Django) with no `secure` "
            "argument, or with\n"
            "  `secure=False` / `httponly=False`; Starlette `SessionMiddleware` without "
            "`https_only=True`;\n"
            "- `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE`, `REMEMBER_COOKIE_SECURE`, "
            "`JWT_COOKIE_SECURE`,\n"
            "  `SESSION_COOKIE_HTTPONLY` set to `False` in a settings module, a production "
            "config class or\n"
            "  Flask's `app.config`.\n"
            "\n"
            "A `secure` set to any expression (`process.env.NODE_ENV === 'production'`, "
            "`config.https`) is\n"
            "taken as deliberate. Cleared cookies (empty value, `maxAge: 0`), `__Host-`/"
            "`__Secure-` names,\n"
            "readable CSRF cookies, options the file cannot see, development branches, "
            "development and base\n"
            "settings files, tests and example code are left alone.\n"
            "\n"
            "Severity: `secure: false` written on a credential is high (the code promises the "
            "token travels\n"
            "in clear text on any plain-HTTP request); a missing `secure` is medium (HSTS or "
            "a proxy may still\n"
            "keep it off HTTP); `httpOnly: false` is medium (it needs an XSS to exploit, "
            "CWE-1004)."
        ),
        why=(
            "A cookie without Secure is sent on every plain-HTTP request to the domain. An "
            "attacker on the\n"
            "network (public Wi-Fi, a compromised router) only has to make the browser "
            "load one http:// URL\n"
            "of the site, an image tag is enough, to read the session or token in the clear "
            "and replay it:\n"
            "the account is theirs until the session ends. A credential cookie without "
            "HttpOnly (CWE-1004)\n"
            "can be read by any script on the page, so one XSS becomes a stolen session "
            "instead of a\n"
            "defaced page."
        ),
        example=(
            "```python\n"
            'response.set_cookie("session_token", token)\n'
            "SESSION_COOKIE_SECURE = False\n"
            "```\n"
            "\n"
            "```ts\n"
            "res.cookie('token', jwt, { httpOnly: true });\n"
            "app.use(session({ secret, cookie: { secure: false } }));\n"
            "```"
        ),
        instead=(
            "```python\n"
            'response.set_cookie("session_token", token, secure=True, httponly=True, '
            'samesite="lax")\n'
            "SESSION_COOKIE_SECURE = True\n"
            "SESSION_COOKIE_HTTPONLY = True\n"
            "CSRF_COOKIE_SECURE = True\n"
            "```\n"
            "\n"
            "```ts\n"
            "res.cookie('token', jwt, { secure: true, httpOnly: true, sameSite: 'lax' });\n"
            "app.set('trust proxy', 1); // TLS ends at the proxy\n"
            "app.use(session({ secret, cookie: { secure: true, httpOnly: true, "
            "sameSite: 'lax' } }));\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/614.html",
            "https://cwe.mitre.org/data/definitions/1004.html",
            "https://owasp.org/www-community/controls/SecureCookieAttribute",
            "https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure",
            "https://expressjs.com/en/advanced/best-practice-security.html#use-cookies-securely",
        ],
    ),
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
