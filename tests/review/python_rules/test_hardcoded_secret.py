from __future__ import annotations

import pytest

from mcp_backend.review.rules.hardcoded_secret.python import DETECTOR, is_placeholder

from ._support import run, run_with_signals

AWS_KEY = "AKIA" + "Q3ZJ7MNB2XKT4WPL"  # split so the test file itself holds no key literal
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"

POSITIVE = {
    "stripe_secret_key_beside_a_publishable_one": """
        STRIPE_SECRET_KEY = "sk_live_51H8xQ2LkdIwHu7ixF9Zq3vG2aBcDeFgHiJk"
    """,
    "django_settings_key": """
        SECRET_KEY = "k3#v9!zq8w@p2l5m7n1b4x6c0d-f8g2h5j7k9"
        DEBUG = False
    """,
    "flask_config_subscript": """
        app.config["SECRET_KEY"] = "f8a9c2d17b3e4a5f9c0d1e2f3a4b5c6d"
    """,
    "flask_phrase_secret_key": """
        app = Flask(__name__)
        app.secret_key = "super secret key"
    """,
    "jwt_secret_constant": """
        JWT_SECRET = "Zq3rT8vW1xY6uP0oL9kJ"
        ALGORITHM = "HS256"
    """,
    "keyword_argument_password": """
        engine = connect(host="db.internal", user="billing", password="Tr0ub4dor&3x!")
    """,
    "dict_entry_api_key": """
        HEADERS = {"X-Client": "shop", "api_key": "9b1c7e2a4f6d8c0e3a5b7d9f1e3c5a7b"}
    """,
    "env_fallback_real_key": """
        import os
        SECRET_KEY = os.environ.get("SECRET_KEY", "9f8e7d6c5b4a39281706f5e4d3c2b1a0ffee")
    """,
    "aws_key_anywhere": f"""
        client = boto3.client("s3", aws_access_key_id="{AWS_KEY}")
    """,
    "github_token_in_header": f"""
        HEADERS = {{"Authorization": "token {GITHUB}"}}
    """,
    "database_url_with_password": """
        SQLALCHEMY_DATABASE_URI = "postgresql://shop:Xk9mP2qL7vRt@prod-db.example.net:5432/shop"
    """,
    "pydantic_settings_default": """
        class Settings(BaseSettings):
            stripe_api_key: str = "8c1f4e2a9b7d3c6e0f5a"
    """,
}

NEGATIVE = {
    "publishable_keys_and_labels": """
        POSTHOG_API_KEY = "phc_OcwKamvVT5QCgASAkv6Sk1vnvBCovXCDKJPukNA"
        STRIPE_PUBLISHABLE_KEY = "pk_live_51H8xQ2LkdIwHu7ixF9Zq3vG2aB"
        gdrive_watch_callback_token = "target=myapp-watch_files"
    """,
    "name_written_out_as_a_type_name": """
        # the GraphQL node names of the two kinds of key
        _USER_API_KEY = "UserApiKey"
        SYSTEM_API_KEY = "system-api-key"
    """,
    "env_lookups": """
        import os
        SECRET_KEY = os.environ["SECRET_KEY"]
        DB_PASSWORD = os.getenv("DB_PASSWORD")
        API_KEY = os.getenv("API_KEY", "")
        JWT_SECRET = os.getenv("JWT_SECRET", "dev-secret-change-me")
    """,
    "placeholders": """
        SECRET_KEY = "changeme"
        API_KEY = "your-api-key-here"
        PASSWORD = "<password>"
        TOKEN = "${GITHUB_TOKEN}"
        CLIENT_SECRET = "xxxxxxxxxxxxxxxx"
        DB_PASSWORD = ""
    """,
    "non_secret_names": """
        TOKEN_URL = "https://auth.example.com/oauth/token"
        ACCESS_TOKEN_EXPIRE_MINUTES = 30
        PASSWORD_MIN_LENGTH = 12
        token_type = "bearer"
        primary_key = "id_7f3a9c"
        oauth2_scheme = OAuth2PasswordBearer(tokenUrl="api/v1/login/access-token")
        SECRET_KEY_ENV_VAR = "APP_SECRET_KEY"
    """,
    "env_var_name_as_value": """
        SECRET_KEY_NAME = "DJANGO_SECRET_KEY"
        password_env = "DB_PASSWORD"
        settings = {"api_key": "PAYMENTS_API_KEY"}
    """,
    "local_dev_database_url": """
        DATABASE_URL = os.getenv("DATABASE_URL", "postgresql://postgres:postgres@localhost/app")
        BROKER = "redis://:devpass123@localhost:6379/0"
    """,
    "openapi_examples": """
        class LoginIn(BaseModel):
            email: str
            password: str = Field(examples=["S3cure-Passw0rd!"])

            model_config = {
                "json_schema_extra": {"example": {"email": "a@b.co", "password": "Sup3rS3cret!"}}
            }
    """,
    "generated_at_start": """
        import secrets
        SECRET_KEY = secrets.token_urlsafe(32)
        session_token = uuid4().hex
    """,
    "regex_patterns": """
        token = r"[-!#$%&'*+.^_`|~0-9a-zA-Z]+"
        jsonnet_token = r"[^\\W\\d]\\w*"
    """,
    "messages": """
        raise ValueError("Invalid password")
        errors = {"password": "Password must contain a digit", "token": "required"}
        codes = {"api_key": "missing_api_key", "password": "password_too_short"}
    """,
}


@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_flags_hardcoded_secrets(name: str) -> None:
    findings = run(DETECTOR, POSITIVE[name], "app/config.py")
    assert len(findings) == 1, findings
    assert findings[0].rule_id == "hardcoded-secret"


@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_ignores_env_and_placeholders(name: str) -> None:
    assert run(DETECTOR, NEGATIVE[name], "app/config.py") == []


def test_never_prints_the_secret() -> None:
    secret = "k3#v9!zq8w@p2l5m7n1b4x6c0d-f8g2h5j7k9"
    finding = run(DETECTOR, POSITIVE["django_settings_key"], "proj/settings.py")[0]
    assert secret not in finding.message
    assert secret not in finding.snippet
    aws = run(DETECTOR, POSITIVE["aws_key_anywhere"])[0]
    assert AWS_KEY not in aws.message + aws.snippet
    assert aws.severity == "critical"


def test_skips_test_files_and_dev_settings() -> None:
    assert run(DETECTOR, POSITIVE["django_settings_key"], "tests/conftest.py", is_test=True) == []
    assert run(DETECTOR, POSITIVE["django_settings_key"], "proj/settings/dev.py") == []
    # known token formats are flagged even in dev settings
    assert len(run(DETECTOR, POSITIVE["aws_key_anywhere"], "proj/settings/local.py")) == 1


def test_env_lookup_is_a_signal() -> None:
    findings, signals = run_with_signals(DETECTOR, NEGATIVE["env_lookups"])
    assert findings == []
    assert signals and signals[0].item == "secrets"


def test_placeholder_helper() -> None:
    assert is_placeholder("change-me-in-production")
    assert is_placeholder("short")
    assert is_placeholder("SessionSecretKey", "SESSION_SECRET_KEY")
    assert not is_placeholder("SessionSecretKey2024", "SESSION_SECRET_KEY")
    assert not is_placeholder("q8Xv2LmZ0pRt7Ys4")
    # a session key's name made of words, however long, names a slot, not a secret
    assert is_placeholder("passed_collection_view_restrictions", "session_key")
    assert not is_placeholder("passedcollectionviewrestrictionsabcdef", "session_key")


# Key material: 48 base64 characters, written for the test.
KEY_BODY = "MIIEowIBAAKCAQEAx7Rk2vQp9Lm3Zc8Tn4Wb6Ys1Hd5Fg0Je"


def test_embedded_private_key_is_flagged_but_its_header_alone_is_not() -> None:
    embedded = (
        'SIGNING_KEY = """-----BEGIN RSA PRIVATE KEY-----\n'
        f"{KEY_BODY}\n"
        '-----END RSA PRIVATE KEY-----"""\n'
    )
    (finding,) = run(DETECTOR, embedded, "app/keys.py")
    assert "private key" in finding.message and KEY_BODY not in finding.snippet
    escaped = f'PEM = "-----BEGIN PRIVATE KEY-----\\n{KEY_BODY}\\n-----END PRIVATE KEY-----"\n'
    assert len(run(DETECTOR, escaped, "app/keys.py")) == 1
    # Code that recognises or masks keys names the header, with no key after it.
    handling = (
        "def masked(text):\n"
        '    return PEM.sub("-----BEGIN PRIVATE KEY-----" + MASK, text)\n'
        'HEADER = "-----BEGIN RSA PRIVATE KEY-----"\n'
    )
    assert run(DETECTOR, handling, "app/mask.py") == []
