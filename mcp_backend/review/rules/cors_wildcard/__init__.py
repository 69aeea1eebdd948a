"""Catalog entry: CORS allows any origin."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="cors-wildcard",
    name="CORS allows any origin",
    checklist_item="cors",
    severity="medium",
    confidence="high",
    cwe=942,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds CORS configured to accept every origin: Starlette/FastAPI "
            "`CORSMiddleware` with\n"
            '`allow_origins=["*"]` or a match-all `allow_origin_regex`, Flask-CORS '
            "`CORS(app)` with its\n"
            'default or `"*"` origins, Django `CORS_ALLOW_ALL_ORIGINS = True`, '
            "Express `cors()` with no\n"
            'options or `origin: "*"`/`origin: true`, and handlers that copy the '
            "request's `Origin` header\n"
            "into `Access-Control-Allow-Origin`. Severity is high when credentials "
            "are allowed too.\nA wildcard without credentials inside a branch that tests the "
            'configured origins for it (`if "*" in allowed_origins:`) is the operator\'s '
            "choice carried out, not reported (Python)."
        ),
        why=(
            "CORS decides which other websites may read your API's responses from "
            "a user's browser. With a\n"
            "wildcard, any page the user visits can call the API; with credentials "
            "allowed (or the origin\n"
            "reflected), that page does it with the user's cookies and reads the "
            "answers: their data, CSRF\n"
            "tokens, everything a logged-in session can see."
        ),
        example=(
            "```python\n"
            'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\n'
            "CORS(app, supports_credentials=True)\n"
            "```\n"
            "\n"
            "```ts\n"
            "app.use(cors({ origin: true, credentials: true }));\n"
            "```"
        ),
        instead=(
            "```python\n"
            "app.add_middleware(\n"
            "    CORSMiddleware,\n"
            '    allow_origins=settings.cors_origins,   # ["https://app.example.com"]\n'
            "    allow_credentials=True,\n"
            '    allow_methods=["GET", "POST"],\n'
            ")\n"
            "```\n"
            "\n"
            "```ts\n"
            'app.use(cors({ origin: ["https://app.example.com"], credentials: true }));\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/942.html",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS",
            "https://portswigger.net/web-security/cors",
        ],
    ),
)
