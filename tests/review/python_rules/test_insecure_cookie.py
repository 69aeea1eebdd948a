"""insecure-cookie in Python: set_cookie on responses, Starlette's SessionMiddleware, Django
settings and Flask's app.config; credential or not, deliberate expressions, development."""

from __future__ import annotations

import pytest

from mcp_backend.review.rules.insecure_cookie.python import DETECTOR

from ._support import run, run_with_signals

# name -> (source, file, [(line, severity, confidence), ...])
POSITIVE: dict[str, tuple[str, str, list[tuple[int, str, str]]]] = {
    "flask_set_cookie_without_secure": (
        """
        from flask import make_response

        def login():
            resp = make_response({"ok": True})
            resp.set_cookie("session_token", token, httponly=True, samesite="Lax")
            return resp
        """,
        "app/auth.py",
        [(6, "medium", "medium")],
    ),
    "fastapi_secure_false": (
        """
        @router.post("/login")
        async def login(response: Response):
            response.set_cookie(key="access_token", value=token, secure=False, httponly=True)
        """,
        "app/routers/auth.py",
        [(4, "high", "high")],
    ),
    "django_httponly_false": (
        """
        def login_view(request):
            response = JsonResponse({"ok": True})
            response.set_cookie("refresh", refresh_token, secure=True, httponly=False)
            return response
        """,
        "accounts/views.py",
        [(4, "medium", "high")],
    ),
    "credential_value_under_a_neutral_name": (
        """
        def login(response):
            response.set_cookie("a", jwt.encode(claims, KEY), httponly=True)
        """,
        "app/auth.py",
        [(3, "medium", "medium")],
    ),
    "django_session_key_value": (
        """
        def f(request, response):
            response.set_cookie(settings.SESSION_COOKIE_NAME, request.session.session_key)
        """,
        "app/views.py",
        [(3, "medium", "medium")],
    ),
    "starlette_session_middleware_without_https_only": (
        """
        from starlette.middleware.sessions import SessionMiddleware

        app.add_middleware(SessionMiddleware, secret_key=settings.SECRET_KEY)
        """,
        "app/main.py",
        [(4, "medium", "medium")],
    ),
    "starlette_session_middleware_https_only_false": (
        """
        from starlette.middleware import Middleware
        from starlette.middleware.sessions import SessionMiddleware

        middleware = [Middleware(SessionMiddleware, secret_key=KEY, https_only=False)]
        """,
        "app/main.py",
        [(5, "high", "high")],
    ),
    "django_settings": (
        """
        SECRET_KEY = env("SECRET_KEY")
        INSTALLED_APPS = ["django.contrib.sessions"]
        SESSION_COOKIE_SECURE = False
        CSRF_COOKIE_SECURE = False
        SESSION_COOKIE_HTTPONLY = False
        """,
        "mysite/settings.py",
        [(4, "high", "high"), (5, "medium", "high"), (6, "medium", "high")],
    ),
    "django_production_settings": (
        """
        from .base import *

        SESSION_COOKIE_SECURE = False
        """,
        "mysite/settings/production.py",
        [(4, "high", "high")],
    ),
    "flask_app_config": (
        """
        app = Flask(__name__)
        app.config["SESSION_COOKIE_SECURE"] = False
        app.config.update(SESSION_COOKIE_HTTPONLY=False)
        app.config.update({"REMEMBER_COOKIE_SECURE": False})
        """,
        "app/__init__.py",
        [(3, "high", "high"), (4, "medium", "high"), (5, "high", "high")],
    ),
    "flask_production_config_class": (
        """
        class ProductionConfig(Config):
            SESSION_COOKIE_SECURE = False
        """,
        "app/config.py",
        [(3, "high", "high")],
    ),
}

NEGATIVE: dict[str, tuple[str, str]] = {
    "secure_and_httponly_set": (
        """
        def login(response):
            response.set_cookie("session", sid, secure=True, httponly=True, samesite="lax")
        """,
        "app/auth.py",
    ),
    "secure_from_settings": (
        """
        def login(response):
            response.set_cookie("access_token", token, secure=settings.COOKIE_SECURE)
        """,
        "app/auth.py",
    ),
    "secure_from_the_request": (
        """
        def login(request, response):
            response.set_cookie("token", token, secure=request.is_secure(), httponly=True)
        """,
        "app/auth.py",
    ),
    "theme_and_lang_cookies": (
        """
        def prefs(request, response):
            response.set_cookie("theme", "dark")
            response.set_cookie("lang", request.session.get("lang"))
            response.set_cookie("prefs", request.session.get("prefs"))
            response.set_cookie("django_language", lang_code, max_age=YEAR)
        """,
        "app/views.py",
    ),
    "csrf_cookie_readable_on_purpose": (
        """
        def f(response):
            response.set_cookie("csrftoken", token, secure=True, httponly=False)
        """,
        "app/views.py",
    ),
    "cleared_cookie": (
        """
        def logout(response):
            response.set_cookie("token", "", max_age=0)
            response.set_cookie("session", value=None)
            response.set_cookie("refresh_token", token, expires=0)
        """,
        "app/auth.py",
    ),
    "options_from_kwargs": (
        """
        def login(response):
            response.set_cookie("token", token, **COOKIE_OPTIONS)
        """,
        "app/auth.py",
    ),
    "host_prefixed_cookie": (
        """
        def login(response):
            response.set_cookie("__Host-session", sid, httponly=True)
        """,
        "app/auth.py",
    ),
    "test_client_is_not_a_response": (
        """
        def login_as(client):
            client.set_cookie("session", "abc")
        """,
        "app/tooling.py",
    ),
    "session_middleware_https_only_from_settings": (
        """
        from starlette.middleware.sessions import SessionMiddleware

        app.add_middleware(SessionMiddleware, secret_key=KEY, https_only=settings.HTTPS)
        """,
        "app/main.py",
    ),
    "another_session_middleware": (
        """
        from app.middleware import SessionMiddleware

        app.add_middleware(SessionMiddleware)
        """,
        "app/main.py",
    ),
    "settings_from_the_environment_or_debug": (
        """
        SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
        CSRF_COOKIE_SECURE = not DEBUG
        SESSION_COOKIE_HTTPONLY = True
        if DEBUG:
            SESSION_COOKIE_SECURE = False
        """,
        "mysite/settings.py",
    ),
    "development_settings_file": ("SESSION_COOKIE_SECURE = False\n", "mysite/settings/dev.py"),
    "local_settings_file": ("SESSION_COOKIE_SECURE = False\n", "mysite/local_settings.py"),
    "base_settings_overridden_per_environment": (
        "SESSION_COOKIE_SECURE = False\n",
        "mysite/settings/base.py",
    ),
    "not_a_settings_module": ("SESSION_COOKIE_SECURE = False\n", "app/constants_of_forms.py"),
    "flask_config_in_a_debug_branch_or_main": (
        """
        app = Flask(__name__)
        if app.debug:
            app.config["SESSION_COOKIE_SECURE"] = False
        else:
            app.config["SESSION_COOKIE_SECURE"] = True
        if __name__ == "__main__":
            app.config.update(SESSION_COOKIE_SECURE=False)
            app.run()
        """,
        "app/__init__.py",
    ),
    "flask_base_and_development_config_classes": (
        """
        class Config:
            SESSION_COOKIE_SECURE = False

        class DevelopmentConfig(Config):
            SESSION_COOKIE_SECURE = False

        class ProductionConfig(Config):
            SESSION_COOKIE_SECURE = True
        """,
        "app/config.py",
    ),
    "example_code": (
        """
        def login(response):
            response.set_cookie("token", token, secure=False)
        """,
        "examples/login.py",
    ),
}


@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_reported(name: str) -> None:
    source, file, expected = POSITIVE[name]
    findings = run(DETECTOR, source, file)
    got = sorted((f.line, f.severity, f.confidence) for f in findings)
    assert got == expected, [f.message for f in findings]
    assert all(f.rule_id == "insecure-cookie" and f.cwe == 614 for f in findings)
    assert all(f.fix for f in findings)


@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_not_reported(name: str) -> None:
    source, file = NEGATIVE[name]
    assert run(DETECTOR, source, file) == []


def test_test_files_are_not_reviewed() -> None:
    source = 'def f(response):\n    response.set_cookie("token", t, secure=False)\n'
    assert run(DETECTOR, source, "tests/test_auth.py", is_test=True) == []


def test_one_finding_per_call_names_every_problem() -> None:
    source = 'def f(response):\n    response.set_cookie("sid", s, secure=False, httponly=False)\n'
    findings = run(DETECTOR, source, "app/auth.py")
    assert len(findings) == 1
    assert "secure=False" in findings[0].message and "httponly=False" in findings[0].message


def test_secure_settings_are_a_signal() -> None:
    findings, signals = run_with_signals(
        DETECTOR, "SECRET_KEY = env('K')\nSESSION_COOKIE_SECURE = True\n", "mysite/settings.py"
    )
    assert findings == []
    assert [(s.item, s.line) for s in signals] == [("transport-security", 2)]
