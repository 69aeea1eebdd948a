"""insecure-cookie in JavaScript and TypeScript: each cookie API, credential or not, deliberate
expressions, cleared cookies, development branches, tests and examples."""

from __future__ import annotations

import pytest

from mcp_backend.review.javascript import analyze_file
from mcp_backend.review.model import Finding, Language

RULE_ID = "insecure-cookie"
HONO = "import { setCookie } from 'hono/cookie';\n"
EXPRESS_SESSION = "import session from 'express-session';\n"
EXPRESS_SESSION_CJS = "const session = require('express-session');\n"
COOKIE_SESSION = "const cookieSession = require('cookie-session');\n"
FASTIFY_SESSION = "import fastifySession from '@fastify/session';\n"


def cookie_findings(source: str, file: str = "src/routes/auth.js") -> list[Finding]:
    language: Language = "typescript" if file.endswith((".ts", ".tsx")) else "javascript"
    result = analyze_file(file, source, language)
    assert result.skipped is None
    assert result.notes == [], result.notes
    return [f for f in result.findings if f.rule_id == RULE_ID]


# (name, source, line, severity, confidence): each yields exactly one finding, in .js and .ts.
POSITIVE: list[tuple[str, str, int, str, str]] = [
    (
        "express_missing_secure",
        "app.post('/login', async (req, res) => {\n"
        "  res.cookie('token', token, { httpOnly: true, sameSite: 'lax' });\n"
        "  res.json({ ok: true });\n});\n",
        2,
        "medium",
        "medium",
    ),
    ("express_no_options", "res.cookie('connect.sid', sid);\n", 1, "medium", "medium"),
    (
        "express_secure_false",
        "res.cookie('session', id, {\n  httpOnly: true,\n  secure: false,\n});\n",
        1,
        "high",
        "high",
    ),
    (
        "express_httponly_false",
        "res.cookie('refresh_token', t, { secure: true, httpOnly: false });\n",
        1,
        "medium",
        "high",
    ),
    (
        "credential_value_under_a_neutral_name",
        "res.cookie('a', accessToken, { httpOnly: true });\n",
        1,
        "medium",
        "medium",
    ),
    (
        "signed_jwt_value",
        "response.cookie('auth', await this.jwtService.signAsync(payload), { httpOnly: true });\n",
        1,
        "medium",
        "medium",
    ),
    (
        "options_in_a_local_const",
        "function login(req, res) {\n"
        "  const options = { httpOnly: true, sameSite: 'strict' };\n"
        "  res.cookie('jwt', token, options);\n}\n",
        3,
        "medium",
        "medium",
    ),
    (
        "fastify_missing_secure",
        "reply.setCookie('token', token, { path: '/', httpOnly: true });\n",
        1,
        "medium",
        "low",
    ),
    (
        "fastify_secure_false",
        "reply.setCookie('sessionId', id, { path: '/', secure: false });\n",
        1,
        "high",
        "high",
    ),
    (
        "hono_missing_secure",
        HONO + "app.post('/login', (c) => {\n"
        "  setCookie(c, 'session', id, { httpOnly: true });\n  return c.json({});\n});\n",
        3,
        "medium",
        "medium",
    ),
    ("koa_secure_false", "ctx.cookies.set('koa.sess', s, { secure: false });\n", 1, "high", "high"),
    (
        "koa_httponly_false",
        "ctx.cookies.set('remember_me', s, { httpOnly: false });\n",
        1,
        "medium",
        "high",
    ),
    (
        "express_session_without_cookie_options",
        EXPRESS_SESSION_CJS + "app.use(session({ secret: SECRET, resave: false }));\n",
        2,
        "medium",
        "medium",
    ),
    (
        "express_session_secure_false",
        EXPRESS_SESSION + "app.use(\n  session({ secret, cookie: { secure: false } }),\n);\n",
        3,
        "high",
        "high",
    ),
    (
        "express_session_cookie_without_secure",
        EXPRESS_SESSION + "app.use(session({ secret, cookie: { maxAge: 3600000 } }));\n",
        2,
        "medium",
        "medium",
    ),
    (
        "express_session_required_inline",
        "app.use(require('express-session')({ secret: SECRET }));\n",
        1,
        "medium",
        "medium",
    ),
    (
        "cookie_session_secure_false",
        COOKIE_SESSION + "app.use(cookieSession({ name: 'sess', keys, secure: false }));\n",
        2,
        "high",
        "high",
    ),
    (
        "fastify_session_httponly_false",
        FASTIFY_SESSION
        + "fastify.register(fastifySession, { secret, cookie: { httpOnly: false } });\n",
        2,
        "medium",
        "high",
    ),
]

NEGATIVE: dict[str, str] = {
    "secure_from_node_env": (
        "res.cookie('token', t, { secure: process.env.NODE_ENV === 'production', httpOnly: true });"
    ),
    "secure_from_a_flag": "res.cookie('token', t, { secure: isProd, httpOnly: true });",
    "secure_from_config": "res.cookie('sid', t, { secure: config.https, httpOnly: true });",
    "secure_shorthand": "const secure = true;\nres.cookie('jwt', t, { secure, httpOnly: true });",
    "secure_true": "res.cookie('token', t, { secure: true, httpOnly: true, sameSite: 'lax' });",
    "theme_cookie": "res.cookie('theme', 'dark');",
    "lang_cookie_from_the_session": "res.cookie('lang', req.session.lang);",
    "prefs_cookie_read_from_session": "res.cookie('prefs', req.session.get('prefs'));",
    "session_expiry_for_the_front_end": (
        "res.cookie('session_expires', String(exp), { secure: true, httpOnly: false });"
    ),
    "csrf_cookie_must_be_readable": (
        "res.cookie('XSRF-TOKEN', req.csrfToken(), { secure: true, httpOnly: false });"
    ),
    "csrf_cookie_without_options": "res.cookie('XSRF-TOKEN', req.csrfToken());",
    "cleared_with_an_empty_value": "res.cookie('token', '', { httpOnly: true });",
    "cleared_with_max_age_zero": "res.cookie('token', t, { httpOnly: true, maxAge: 0 });",
    "cleared_with_an_expiry_in_the_past": "res.cookie('sid', t, { expires: new Date(0) });",
    "host_prefix_needs_secure_anyway": "res.cookie('__Host-session', id, { httpOnly: true });",
    "options_from_a_helper": "res.cookie('token', t, cookieOptions());",
    "options_spread_from_defaults": "res.cookie('token', t, { ...cookieDefaults, maxAge: 60 });",
    "secure_false_overridden_by_a_spread": (
        "res.cookie('token', t, { secure: false, ...settings.cookie });"
    ),
    "options_changed_later": (
        "function f(req, res) {\n  const opts = { httpOnly: true };\n"
        "  if (prod) opts.secure = true;\n  res.cookie('token', t, opts);\n}"
    ),
    "development_branch": (
        "if (process.env.NODE_ENV !== 'production') {\n"
        "  res.cookie('token', t, { secure: false });\n}"
    ),
    "not_a_response": "client.cookie('token', t);\njar.setCookie('token=abc', url);",
    "koa_missing_secure_is_secure_on_https": (
        "ctx.cookies.set('session', s, { httpOnly: true });\nctx.cookies.set('token', t);"
    ),
    "hono_secure_prefix": HONO
    + "setCookie(c, 'session', id, { httpOnly: true, prefix: 'secure' });",
    "hono_helper_from_elsewhere": (
        "import { setCookie } from './cookies';\nsetCookie(c, 'session', id);"
    ),
    "hono_secure_expression": HONO
    + "setCookie(c, 'token', t, { secure: env.HTTPS, httpOnly: true });",
    "fastify_parse_options_in_the_file": (
        "fastify.register(cookie, { parseOptions: { secure: true, httpOnly: true } });\n"
        "reply.setCookie('token', t, { path: '/' });"
    ),
    "express_session_secure_expression": (
        EXPRESS_SESSION
        + "app.use(session({ secret, cookie: { secure: app.get('env') === 'production' } }));"
    ),
    "express_session_secure_auto": (
        EXPRESS_SESSION
        + "app.use(session({ secret, cookie: { secure: 'auto', httpOnly: true } }));"
    ),
    "express_session_cookie_from_a_helper": (
        EXPRESS_SESSION + "app.use(session({ secret, cookie: setupCookie() }));"
    ),
    "express_session_options_completed_later": (
        EXPRESS_SESSION_CJS + "const sess = { secret: 'keyboard cat', cookie: {} };\n"
        "if (app.get('env') === 'production') {\n  sess.cookie.secure = true;\n}\n"
        "app.use(session(sess));"
    ),
    "cookie_session_defaults_to_secure_on_https": (
        COOKIE_SESSION + "app.use(cookieSession({ name: 'session', keys: [KEY] }));"
    ),
    "fastify_session_defaults_to_secure": (
        FASTIFY_SESSION + "fastify.register(fastifySession, { secret, cookie: { maxAge: 1e6 } });"
    ),
    "a_function_named_session_from_elsewhere": (
        "import { session } from './store';\napp.use(session({ cookie: { secure: false } }));"
    ),
}


@pytest.mark.parametrize("ext", ["js", "ts"])
@pytest.mark.parametrize(
    ("name", "source", "line", "severity", "confidence"), POSITIVE, ids=[p[0] for p in POSITIVE]
)
def test_reported(
    name: str, source: str, line: int, severity: str, confidence: str, ext: str
) -> None:
    findings = cookie_findings(source, f"src/routes/auth.{ext}")
    assert [(f.line, f.severity, f.confidence) for f in findings] == [
        (line, severity, confidence)
    ], name
    assert findings[0].checklist_item == "transport-security"
    assert findings[0].cwe == 614
    assert "secure" in findings[0].fix


@pytest.mark.parametrize("ext", ["js", "ts"])
@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_not_reported(name: str, ext: str) -> None:
    assert cookie_findings(NEGATIVE[name], f"src/routes/auth.{ext}") == []


@pytest.mark.parametrize(
    "file",
    [
        "src/routes/auth.test.ts",
        "src/__tests__/auth.js",
        "test/helpers/login.js",
        "examples/express/app.js",
        "src/demo/server.ts",
    ],
)
def test_tests_and_examples_are_not_reviewed(file: str) -> None:
    assert cookie_findings("res.cookie('token', t, { secure: false });", file) == []


def test_one_finding_per_call_names_every_problem() -> None:
    findings = cookie_findings("res.cookie('sid', s, { secure: false, httpOnly: false });")
    assert len(findings) == 1
    assert findings[0].severity == "high"
    assert "secure: false" in findings[0].message and "httpOnly: false" in findings[0].message


def test_typescript_casts_around_the_options_are_seen_through() -> None:
    source = "res.cookie('token', t, { secure: false } as CookieOptions);\n"
    assert len(cookie_findings(source, "src/auth.ts")) == 1


@pytest.mark.parametrize(
    "source",
    [
        "import session = require('express-session');\napp.use(session({ secret }));\n",
        "import * as expressSession from 'express-session';\napp.use(expressSession({}));\n",
        "app.register(require('@fastify/session'), { secret, cookie: { secure: false } });\n",
        "import { setCookie as set } from 'hono/cookie';\nset(c, 'auth_token', t);\n",
    ],
)
def test_import_forms_of_the_cookie_libraries(source: str) -> None:
    assert len(cookie_findings(source, "src/app.ts")) == 1
