from __future__ import annotations

import pytest

from mcp_backend.review.rules.allowed_hosts_wildcard.python import DETECTOR as HOSTS
from mcp_backend.review.rules.giant_handler.python import DETECTOR as GIANT
from mcp_backend.review.rules.ssl_verify_disabled.python import DETECTOR as SSL

from ._support import run, run_with_signals

SSL_POSITIVE = {
    "requests_verify_false": """
        import requests

        def charge(payload):
            return requests.post(PAYMENT_URL, json=payload, verify=False, timeout=10)
    """,
    "httpx_async_client": """
        import httpx

        client = httpx.AsyncClient(base_url=API, verify=False)
    """,
    "session_attribute": """
        import requests

        session = requests.Session()
        session.verify = False
    """,
    "unverified_context": """
        import ssl, urllib.request

        def fetch(url):
            ctx = ssl._create_unverified_context()
            return urllib.request.urlopen(url, context=ctx, timeout=5).read()
    """,
    "cert_none": """
        import ssl

        context = ssl.create_default_context()
        context.verify_mode = ssl.CERT_NONE
    """,
    "aiohttp_ssl_false": """
        async def fetch(session, url):
            async with session.get(url, ssl=False) as resp:
                return await resp.text()
    """,
}

SSL_NEGATIVE = {
    "defaults": """
        import requests, httpx

        def f(url):
            requests.get(url, timeout=5)
            httpx.Client(verify="/etc/ssl/internal-ca.pem")
            requests.get(url, verify=settings.VERIFY_TLS, timeout=5)
    """,
    "jwt_verify_false_is_not_tls": """
        import jwt

        def read(token):
            return jwt.decode(token, verify=False)
    """,
    "unrelated_kwarg": """
        def build(form):
            return form.validate(verify=False)
    """,
}


@pytest.mark.parametrize("name", sorted(SSL_POSITIVE))
def test_ssl_positive(name: str) -> None:
    findings = run(SSL, SSL_POSITIVE[name])
    assert len(findings) == 1, findings
    assert findings[0].rule_id == "ssl-verify-disabled"


@pytest.mark.parametrize("name", sorted(SSL_NEGATIVE))
def test_ssl_negative(name: str) -> None:
    assert run(SSL, SSL_NEGATIVE[name]) == []


def test_ssl_unconditional_is_high_an_opt_in_mode_is_medium() -> None:
    assert [f.severity for f in run(SSL, SSL_POSITIVE["cert_none"])] == ["high"]
    opt_in = """
        import ssl

        def connect_args(ssl_require: bool):
            if ssl_require:  # libpq's sslmode=require: encrypted, not verified
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                return {"ssl": context}
            return {}

        def mode_context(mode):
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            if mode == "verify-ca":
                context.verify_mode = ssl.CERT_REQUIRED
            return context
    """
    findings = run(SSL, opt_in)
    assert [f.severity for f in findings] == ["medium", "medium"]
    assert "the default verifies" in findings[0].message


def test_ssl_skips_tests() -> None:
    assert run(SSL, SSL_POSITIVE["requests_verify_false"], "tests/t.py", is_test=True) == []


HOSTS_POSITIVE = {
    "star_list": ("config/settings.py", 'DEBUG = False\nALLOWED_HOSTS = ["*"]\n', "medium"),
    "production_module": (
        "config/settings/production.py",
        'from .base import *\nALLOWED_HOSTS = ["api.example.com", "*"]\n',
        "medium",
    ),
    "env_fallback": (
        "myproject/settings.py",
        'ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")\n',
        "low",
    ),
}

HOSTS_NEGATIVE = {
    "explicit": ("config/settings.py", 'ALLOWED_HOSTS = ["api.example.com"]\n'),
    "env_required": ("config/settings.py", 'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")\n'),
    "dev_settings": ("config/settings/local.py", 'ALLOWED_HOSTS = ["*"]\n'),
    "not_settings": ("app/views.py", 'ALLOWED_HOSTS = ["*"]\n'),
}


@pytest.mark.parametrize("name", sorted(HOSTS_POSITIVE))
def test_hosts_positive(name: str) -> None:
    file, source, severity = HOSTS_POSITIVE[name]
    assert [f.severity for f in run(HOSTS, source, file)] == [severity]


@pytest.mark.parametrize("name", sorted(HOSTS_NEGATIVE))
def test_hosts_negative(name: str) -> None:
    file, source = HOSTS_NEGATIVE[name]
    assert run(HOSTS, source, file) == []


def _giant_handler(statements: int, *, with_db: bool = True, branches: int = 6) -> str:
    body = [
        '@router.post("/orders")',
        "def create_order(body: OrderIn, db: Session = Depends(get_db)):",
        '    """Create an order."""',
    ]
    for index in range(branches):
        body += [f"    if body.flag_{index}:", f"        total_{index} = compute_{index}(body)"]
    for index in range(statements):
        body.append(f"    step_{index} = transform(body, {index})")
    if with_db:
        body += ["    db.add(order)", "    db.commit()"]
    body.append("    return order")
    return "\n".join(body) + "\n"


def test_giant_handler_flagged() -> None:
    findings = run(GIANT, _giant_handler(80))
    assert len(findings) == 1
    assert findings[0].severity == "low"
    assert findings[0].line == 2
    assert run(GIANT, _giant_handler(150))[0].severity == "medium"


def test_giant_handler_needs_length_db_and_branches() -> None:
    assert run(GIANT, _giant_handler(30)) == []
    assert run(GIANT, _giant_handler(80, with_db=False)) == []
    assert run(GIANT, _giant_handler(80, branches=1)) == []


def test_long_non_handler_is_ignored() -> None:
    source = _giant_handler(80).replace('@router.post("/orders")\n', "")
    assert run(GIANT, source) == []


def test_thin_handlers_signal() -> None:
    findings, signals = run_with_signals(GIANT, _giant_handler(5))
    assert findings == []
    assert [s.item for s in signals] == ["architecture"]
