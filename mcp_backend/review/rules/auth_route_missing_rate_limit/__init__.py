"""Catalog entry: login / registration / password reset without a rate limit in code."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="auth-route-missing-rate-limit",
    name="Authentication endpoint without rate limiting",
    checklist_item="rate-limiting",
    severity="medium",
    confidence="low",
    cwe=307,
    owasp="A07:2021 Identification and Authentication Failures",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Reports login, token, registration and password-reset endpoints (POST and other "
            "write methods) with no rate limiter in the code: no route limit (slowapi or "
            "Flask-Limiter `@limiter.limit`, django-ratelimit `@ratelimit`, DRF "
            "`throttle_classes`, fastapi-limiter `RateLimiter`, express-rate-limit, "
            "@fastify/rate-limit, @nestjs/throttler) and no global one (`SlowAPIMiddleware`, "
            "Flask-Limiter `default_limits`, DRF `DEFAULT_THROTTLE_CLASSES`, an app-wide "
            "limiter middleware). It is a warning: a reverse proxy, API gateway or WAF in front "
            "of the app may already limit these paths, which a code review cannot see."
        ),
        why=(
            "Unlimited login attempts allow password guessing and credential stuffing; "
            "unlimited sign-ups and reset requests allow account spam and mail bombing. "
            "Authentication endpoints are the first place attackers automate."
        ),
        example=(
            "```python\n"
            '@router.post("/auth/login")\n'
            "def login(form: OAuth2PasswordRequestForm = Depends()): ...\n"
            "```\n"
            "\n"
            "```ts\n"
            'app.post("/login", async (req, res) => { ... });\n'
            "```"
        ),
        instead=(
            "```python\n"
            "limiter = Limiter(key_func=get_remote_address)\n"
            "\n"
            '@router.post("/auth/login")\n'
            '@limiter.limit("5/minute")\n'
            "def login(request: Request, form: OAuth2PasswordRequestForm = Depends()): ...\n"
            "```\n"
            "\n"
            "```ts\n"
            'import rateLimit from "express-rate-limit";\n'
            'app.post("/login", rateLimit({ windowMs: 60_000, limit: 5 }), login);\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/307.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html",
            "https://slowapi.readthedocs.io/",
        ],
    ),
)
