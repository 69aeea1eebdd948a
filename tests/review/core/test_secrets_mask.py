from __future__ import annotations

import pytest

from mcp_backend.review.model import Finding
from mcp_backend.review.secrets_mask import mask_finding, mask_secrets

GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
JWT = (
    "eyJhbGciOiJIUzI1NiJ9"
    + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0"
    + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
)


@pytest.mark.parametrize(
    ("text", "secret", "kept"),
    [
        (f'token = "{GITHUB}"', GITHUB, "ghp_****"),
        (f"Authorization: Bearer {JWT}", JWT, "eyJh****"),
        ("DATABASE_URL = 'postgres://app:s3cr3t-pw@db:5432/app'", "s3cr3t-pw", "app:****@db"),
        ('password = "hunter2hunter2"', "hunter2hunter2", 'password = "****"'),
        ("const apiKey = 'abcd1234efgh5678ijkl'", "abcd1234efgh5678ijkl", "abcd****"),
        (
            "KEY = '''-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'''",
            "MIIEow",
            "BEGIN PRIVATE KEY-----****",
        ),
    ],
)
def test_known_formats_and_secret_assignments_are_masked(text: str, secret: str, kept: str) -> None:
    masked = mask_secrets(text)
    assert secret not in masked
    assert kept in masked


def test_ordinary_code_is_left_alone() -> None:
    for text in (
        'cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))',
        "password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())",
        "url = 'https://example.com/api/v1/users'",
        "token_url = settings.TOKEN_URL",
    ):
        assert mask_secrets(text) == text


def test_hardcoded_secret_snippets_mask_every_literal() -> None:
    finding = Finding(
        rule_id="hardcoded-secret",
        checklist_item="secrets",
        severity="high",
        confidence="medium",
        message="High-entropy string assigned to SIGNING",
        file="app/config.py",
        line=3,
        snippet='SIGNING = "Zm9vYmFyYmF6cXV4cXV1eA9x"',
    )
    assert mask_finding(finding).snippet == 'SIGNING = "Zm9v****"'
    other = finding.model_copy(update={"rule_id": "sql-string-query"})
    assert mask_finding(other).snippet == other.snippet  # no known format: untouched
