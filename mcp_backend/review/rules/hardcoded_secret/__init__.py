"""Catalog entry: Hard-coded secret."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="hardcoded-secret",
    name="Hard-coded secret",
    checklist_item="secrets",
    severity="high",
    confidence="medium",
    cwe=798,
    owasp="A07:2021 Identification and Authentication Failures",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds credentials written into source code: string literals assigned "
            "(or passed as keyword\n"
            "arguments, dict entries, default arguments) to names that hold a "
            "secret (`SECRET_KEY`,\n"
            "`JWT_SECRET`, `db_password`, `api_key`, `client_secret`, "
            "`private_key`, `*_TOKEN`), secret\n"
            'fallbacks such as `os.getenv("SECRET_KEY", "<real key>")`, and known '
            "token formats anywhere in\n"
            "a string (AWS access keys, GitHub, Slack, Stripe live, Google API "
            "keys, OpenAI/Anthropic keys,\n"
            'PEM private keys, JWTs). Placeholders (`""`, `changeme`, '
            "`your-api-key`, `<token>`, `${VAR}`,\n"
            "`xxx`), keys made to be published (PostHog `phc_`, Stripe `pk_live_`), "
            "labels made of words\n"
            "(`target=app-watch`), very short values and test files are ignored. The secret is "
            "masked in the report."
        ),
        why=(
            "Source code is copied to laptops, CI logs, forks, backups and "
            "container images; a secret in it\n"
            "is effectively published to everyone who ever gets the repository, "
            "and it stays in the git\n"
            "history after it is removed. A leaked signing key lets anyone forge "
            "sessions and tokens; a\n"
            "leaked database password or API key gives direct access. Secrets also "
            "have to be rotated,\n"
            "which is a config change when they live in the environment and a "
            "release when they live in code."
        ),
        example=(
            "```python\n"
            'SECRET_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"\n'
            'stripe.api_key = "sk_live_..."\n'
            'engine = create_engine("postgresql://app:S3cure!pass@db.internal/app")\n'
            "```\n"
            "\n"
            "```ts\n"
            'const JWT_SECRET = "d2f1c0b9a8e7d6c5b4a3";\n'
            'const client = new Stripe("sk_live_...");\n'
            "```"
        ),
        instead=(
            "```python\n"
            'SECRET_KEY = os.environ["SECRET_KEY"]          # fail fast when it is missing\n'
            "\n"
            "class Settings(BaseSettings):                   # pydantic-settings\n"
            "    jwt_secret: SecretStr\n"
            "    database_url: PostgresDsn\n"
            "```\n"
            "\n"
            "```ts\n"
            "const JWT_SECRET = process.env.JWT_SECRET;\n"
            'if (!JWT_SECRET) throw new Error("JWT_SECRET is not set");\n'
            "```\n"
            "\n"
            "Keep real values in the environment or a secret manager, commit a "
            "`.env.example` with\n"
            "placeholders, and rotate any secret that was ever committed."
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/798.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ],
    ),
)
