from __future__ import annotations

import pytest

from mcp_backend.review.rules.cors_wildcard.python import DETECTOR as CORS
from mcp_backend.review.rules.jwt_unverified.python import DETECTOR as JWT

from ._support import run, run_with_signals

JWT_POSITIVE = {
    "verify_signature_false": (
        """
        import jwt

        def current_user(token: str):
            claims = jwt.decode(token, options={"verify_signature": False})
            return claims["sub"]
        """,
        "critical",
    ),
    "options_in_variable": (
        """
        import jwt

        OPTIONS = {"verify_signature": False, "verify_exp": False}

        def read(token):
            return jwt.decode(token, "k", algorithms=["HS256"], options=OPTIONS)
        """,
        "critical",
    ),
    "legacy_verify_false": (
        """
        import jwt

        def read(token):
            return jwt.decode(token, verify=False)
        """,
        "critical",
    ),
    "alg_none_allowed": (
        """
        from jose import jwt

        def read(token, key):
            return jwt.decode(token, key, algorithms=["HS256", "none"])
        """,
        "critical",
    ),
    "no_algorithms": (
        """
        import jwt
        from django.conf import settings

        def read(token):
            return jwt.decode(token, settings.SECRET_KEY)
        """,
        "medium",
    ),
    "expiry_disabled": (
        """
        import jwt

        def read(token, key):
            return jwt.decode(token, key, algorithms=["RS256"], options={"verify_exp": False})
        """,
        "medium",
    ),
    "unverified_claims": (
        """
        from jose import jwt

        def user_id(token):
            return jwt.get_unverified_claims(token)["sub"]
        """,
        "medium",
    ),
    "encode_without_exp": (
        """
        import jwt

        def issue(user):
            payload = {"sub": str(user.id), "role": user.role}
            return jwt.encode(payload, SECRET_KEY, algorithm="HS256")
        """,
        "low",
    ),
    "another_token_verified": (
        """
        import jwt

        def session_claims(access_token: str, id_token: str, key: str) -> dict:
            jwt.decode(access_token, key, algorithms=["RS256"], audience="api")
            return jwt.decode(id_token, options={"verify_signature": False})
        """,
        "critical",
    ),
    # the ID token posted by the client (a browser's Google sign-in): request data, not the
    # answer of the server's own request to the token endpoint
    "id_token_posted_by_the_client": (
        """
        import jwt
        from flask import request

        def google_login():
            data = request.get_json()
            claims = jwt.decode(data["id_token"], options={"verify_signature": False})
            return login(claims["email"])
        """,
        "critical",
    ),
    # the expiry and the subject: an identity is taken from the unverified payload
    "identity_read_beside_the_expiry": (
        """
        import jwt

        def session_user(token):
            payload = jwt.decode(token, options={"verify_signature": False})
            if payload["exp"] < now():
                raise Expired()
            return payload["sub"]
        """,
        "critical",
    ),
}

JWT_NEGATIVE = {
    "id_token_from_the_token_endpoint": """
        import jwt
        import requests

        def oidc_callback(code):
            r = requests.post(TOKEN_ENDPOINT, data={"code": code, "grant_type": "code"})
            token = r.json()
            return jwt.decode(token["id_token"], options={"verify_signature": False})
    """,
    "id_token_from_an_async_token_request": """
        import httpx
        import jwt

        async def exchange(client: httpx.AsyncClient, code: str) -> dict:
            response = await client.post(TOKEN_URL, data={"code": code})
            id_token = response.json().get("id_token")
            return jwt.decode(id_token, options={"verify_signature": False})
    """,
    "expiry_read_to_schedule_a_refresh": """
        import jwt

        def refresh_at(session):
            id_token = session.token.get("id_token")
            return jwt.decode(id_token, options={"verify_signature": False}).get("exp")
    """,
    "expiry_and_issuer_of_a_stored_token": """
        import jwt

        def needs_refresh(stored):
            claims = jwt.decode(stored, options={"verify_signature": False})
            return claims["exp"] < now() or claims.get("iss") != ISSUER
    """,
    "proper_decode": """
        import jwt

        def read(token: str) -> dict:
            return jwt.decode(token, settings.jwt_secret, algorithms=[settings.jwt_algorithm])
    """,
    "jose_decode_with_options_require": """
        from jose import jwt

        def read(token, key):
            return jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})
    """,
    "encode_with_exp_added_later": """
        from datetime import datetime, timedelta, timezone
        import jwt

        def create_access_token(data: dict):
            to_encode = data.copy()
            to_encode.update({"exp": datetime.now(timezone.utc) + timedelta(minutes=15)})
            return jwt.encode(to_encode, SECRET_KEY, algorithm="HS256")

        def create_refresh(user_id):
            payload = {"sub": user_id, "exp": datetime.now(timezone.utc) + timedelta(days=7)}
            return jwt.encode(payload, SECRET_KEY, algorithm="HS256")
    """,
    "header_for_kid": """
        import jwt

        def read(token, jwks):
            header = jwt.get_unverified_header(token)
            key = jwks[header["kid"]]
            return jwt.decode(token, key, algorithms=["RS256"], audience="api")
    """,
    "issuer_read_unverified_then_verified": """
        import jwt

        def authenticate(token: str, providers: dict) -> dict:
            unverified = jwt.decode(token, options={"verify_signature": False})
            provider = providers[unverified["iss"]]
            signing_key = provider.jwks.get_signing_key_from_jwt(token)
            return jwt.decode(
                token,
                signing_key.key,
                algorithms=["RS256"],
                issuer=provider.issuer,
                audience=provider.audience,
            )
    """,
    "unrelated_decode": """
        import base64

        def read(data):
            return base64.b64decode(data).decode("utf-8")
    """,
}


@pytest.mark.parametrize("name", sorted(JWT_POSITIVE))
def test_jwt_positive(name: str) -> None:
    source, severity = JWT_POSITIVE[name]
    findings = run(JWT, source)
    assert len(findings) == 1, findings
    assert findings[0].severity == severity


@pytest.mark.parametrize("name", sorted(JWT_NEGATIVE))
def test_jwt_negative(name: str) -> None:
    assert run(JWT, JWT_NEGATIVE[name]) == []


def test_verified_decode_is_a_signal() -> None:
    _, signals = run_with_signals(JWT, JWT_NEGATIVE["proper_decode"])
    assert [s.item for s in signals] == ["jwt"]


CORS_POSITIVE = {
    "fastapi_star_with_credentials": (
        """
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware

        app = FastAPI()
        app.add_middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
        """,
        "high",
    ),
    "origins_in_variable": (
        """
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware

        origins = ["*"]
        middleware = [Middleware(CORSMiddleware, allow_origins=origins)]
        """,
        "medium",
    ),
    "flask_cors_default_with_credentials": (
        """
        from flask import Flask
        from flask_cors import CORS

        app = Flask(__name__)
        CORS(app, supports_credentials=True)
        """,
        "high",
    ),
    "flask_cors_resources_star": (
        """
        from flask_cors import CORS

        def create_app():
            app = Flask(__name__)
            CORS(app, resources={r"/api/*": {"origins": "*"}})
            return app
        """,
        "medium",
    ),
    "django_allow_all": (
        """
        CORS_ALLOW_ALL_ORIGINS = True
        CORS_ALLOW_CREDENTIALS = True
        """,
        "high",
    ),
    "origin_reflection": (
        """
        @app.after_request
        def add_cors(response):
            response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
            response.headers["Access-Control-Allow-Credentials"] = "true"
            return response
        """,
        "high",
    ),
    "reflection_beside_a_check_of_another_header": (
        """
        @app.after_request
        def add_cors(response):
            referer_ok = request.headers.get("Referer") in ALLOWED_ORIGINS
            allowed = None
            if referer_ok:
                allowed = request.headers.get("Origin")
            if allowed is not None:
                response.headers["Access-Control-Allow-Origin"] = allowed
            return response
        """,
        "high",
    ),
    "configured_wildcard_with_credentials": (
        """
        from flask_cors import CORS

        def setup_cors(app, allowed_origins):
            if "*" in allowed_origins:
                CORS(app, origins="*", supports_credentials=True)
        """,
        "high",
    ),
    "wildcard_in_a_branch_that_does_not_test_for_it": (
        """
        from flask_cors import CORS

        if settings.DEBUG or "localhost" in settings.SERVER_NAME:
            CORS(app, origins="*")
        """,
        "medium",
    ),
}

CORS_NEGATIVE = {
    "wildcard_only_when_the_operator_configures_it": """
        from fastapi.middleware.cors import CORSMiddleware

        def install_security(app):
            allowed_origins = get_allowed_origins()
            if allowed_origins and "*" in allowed_origins:
                logger.warning("CORS_ALLOWED_ORIGINS=* is set; credentials are disabled")
                app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False)
            else:
                app.add_middleware(
                    CORSMiddleware, allow_origins=allowed_origins, allow_credentials=True
                )
    """,
    "explicit_origins": """
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.BACKEND_CORS_ORIGINS,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    """,
    "flask_cors_explicit": """
        from flask_cors import CORS

        CORS(app, origins=["https://app.example.com"], supports_credentials=True)
    """,
    "flask_cors_from_config": """
        from flask_cors import CORS

        app.config["CORS_ORIGINS"] = os.environ["CORS_ORIGINS"].split(",")
        CORS(app)
    """,
    "django_list": """
        CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
        CORS_ALLOW_CREDENTIALS = True
    """,
    "reflection_after_a_membership_flag": """
        @app.after_request
        def add_cors(response):
            allowed = None
            whitelisted = request.headers.get("Origin") in config.get("cors.origin_whitelist")
            if whitelisted:
                allowed = request.headers.get("Origin")
            if allowed is not None:
                response.headers["Access-Control-Allow-Origin"] = allowed
            return response
    """,
    "checked_reflection": """
        ALLOWED_ORIGINS = {"https://app.example.com"}

        @app.after_request
        def add_cors(response):
            origin = request.headers.get("Origin")
            if origin in ALLOWED_ORIGINS:
                response.headers["Access-Control-Allow-Origin"] = origin
            return response
    """,
}


@pytest.mark.parametrize("name", sorted(CORS_POSITIVE))
def test_cors_positive(name: str) -> None:
    source, severity = CORS_POSITIVE[name]
    findings = run(CORS, source, "app/main.py")
    assert len(findings) == 1, findings
    assert findings[0].severity == severity


@pytest.mark.parametrize("name", sorted(CORS_NEGATIVE))
def test_cors_negative(name: str) -> None:
    assert run(CORS, CORS_NEGATIVE[name], "app/main.py") == []


def test_cors_explicit_list_is_a_signal_and_dev_settings_skipped() -> None:
    _, signals = run_with_signals(CORS, CORS_NEGATIVE["explicit_origins"])
    assert [s.item for s in signals] == ["cors"]
    assert run(CORS, CORS_POSITIVE["django_allow_all"][0], "proj/settings/local.py") == []
