"""Route policy (public by design, critical, URL matching) and per-file symbolic facts."""

from __future__ import annotations

import json

import pytest

from mcp_backend.review import route_policy
from mcp_backend.review.model import Route
from tests.review.routes.helpers import build_index, file_result


def make_route(method: str, path: str, handler: str = "handler") -> Route:
    return Route(method=method, path=path, handler=handler, file="a.py", framework="fastapi")


@pytest.mark.parametrize(
    ("method", "path", "handler", "reason"),
    [
        ("POST", "/auth/login", "login", "login"),
        ("POST", "/api/token/", "obtain", "login"),
        ("POST", "/users/register", "create", "registration"),
        ("POST", "/auth/forgot-password", "forgot", "password reset"),
        ("GET", "/healthz", "probe", "health check"),
        ("GET", "/openapi.json", "openapi", "API docs"),
        ("GET", "/static/{path:path}", "files", "static files"),
        ("GET", "/oauth/github/callback", "cb", "OAuth callback"),
        ("POST", "/session", "login_view", "login"),
        ("DELETE", "/admin/login", "admin_login", None),
        ("DELETE", "/users/{id}/token", "revoke", None),
        ("GET", "/users/login/history", "history", None),
        ("GET", "/login/access-token", "page", "login"),
        ("POST", "/orders", "create_order", None),
        ("POST", "/webhooks/stripe", "stripe_webhook", None),
        ("POST", "/contact", "contact", "public form"),
        ("POST", "/graphql", "graphql_view", "GraphQL endpoint (auth in resolvers)"),
        # endpoints whose job is to authenticate
        ("POST", "/oauth/revoke", "revoke", "token revocation"),
        ("POST", "/api/tokens/revocation", "h", "token revocation"),
        ("POST", "/webauthn/login/begin", "h", "login step"),
        ("POST", "/api/passkeys/authenticate/options", "h", "login step"),
        ("POST", "/auth/register/finish", "h", "login step"),
        ("GET", "/auth/google", "h", "OAuth sign-in"),
        ("POST", "/api/simple-auth", "h", "login"),
        ("PUT", "/session/verify", "h", "account verification"),
        ("GET", "/auth/login-methods", "h", "what the login page shows before sign-in"),
        ("POST", "/invitations/accept-invite", "h", "invitation"),
        ("GET", "/metrics", "h", "health check"),
        # and what is not
        ("POST", "/orders/{id}/verify", "h", None),
        ("GET", "/users/verify-email", "h", "account verification"),
        ("POST", "/orders/{id}/finish", "h", None),
        ("DELETE", "/oauth/revoke", "h", None),
        ("POST", "/users/{id}/status", "h", None),
        ("GET", "/orders/{id}/status", "h", None),
        ("GET", "/users/search", "h", None),
        ("GET", "/search", "h", "public form"),
        ("PUT", "/users/{id}/token", "h", None),
        # a front-end asset at a fixed path is a file the page loads
        ("GET", "/public-files-sw.js", "sw", "static files"),
        ("GET", "/favicon.ico", "icon", "static files"),
        ("POST", "/upload.js", "h", None),
        ("GET", "/exports/orders.csv", "h", None),
        # `/` itself is the index page; a record under a prefix we could not resolve is not
        ("GET", "/", "home", "index page"),
        ("GET", "/{artifact_id}", "get_artifact", None),
        # a constant the review could not resolve stands for its segment by its name
        ("POST", "/api/v1/{LOGOUT}", "h", "logout"),
        ("POST", "/{API}{VERSION_1}/{DEVICE_AUTHORIZATION}", "h", "login"),
        ("DELETE", "/{API}{VERSION_1}{ARTIFACTS}/{artifact_id}", "h", None),
        ("GET", "/{API}{VERSION_1}{ARTIFACTS}", "h", None),
        # Django spells segments with underscores; an admin site's own sign-in pages are public
        ("GET", "/accounts/password_reset/", "h", "password reset"),
        ("GET", "/admin/password_reset/done/", "h", "password reset"),
        ("POST", "/admin/login/", "h", "login"),
        ("GET", "/admin/jsi18n/", "h", "static files"),
        ("POST", "/_util/authenticate_with_password/<int:rid>/<int:page_id>/", "h", "login"),
        # ...and nothing else under an admin path is
        ("POST", "/admin/users/<int:pk>/reset_password/", "h", None),
        ("DELETE", "/admin/login/", "h", None),
        ("GET", "/admin/sprite/", "h", None),
    ],
)
def test_public_by_design(method: str, path: str, handler: str, reason: str | None) -> None:
    assert route_policy.public_reason(make_route(method, path, handler)) == reason


def test_webhook_is_public_only_when_it_verifies_a_signature() -> None:
    hook = make_route("POST", "/webhooks/stripe", "stripe_webhook")
    assert (
        route_policy.public_reason(hook, webhook_verified=True)
        == "webhook with a verified signature"
    )
    # where the analyser does not look at signatures, the name decides
    assert route_policy.public_reason(hook, webhook_verified=None) == "webhook"


def test_first_run_setup_is_public_only_when_it_refuses_once_set_up() -> None:
    setup = make_route("POST", "/api/setup", "setup")
    assert route_policy.public_reason(setup, setup_guarded=True) == "first-run set-up"
    assert route_policy.public_reason(setup, setup_guarded=False) is None
    assert route_policy.public_reason(setup, setup_guarded=None) == "first-run set-up"
    bootstrap = make_route("GET", "/account/needs-bootstrap", "h")
    assert route_policy.public_reason(bootstrap, setup_guarded=None) == "first-run set-up"


def test_setup_guard_is_read_from_the_handler_body() -> None:
    index = build_index(
        {
            "app/main.py": """
                from fastapi import FastAPI, HTTPException
                app = FastAPI()

                @app.post("/setup")
                def setup(db):
                    if db.users.count() > 0:
                        raise HTTPException(403, "already set up")
                    return create_admin(db)

                @app.post("/install")
                def install(db):
                    return create_admin(db)
            """
        }
    )
    public = {r.path: r.public_by_design for r in index.routes}
    assert public == {"/setup": "first-run set-up", "/install": None}


@pytest.mark.parametrize(
    ("route_path", "test_path", "matches"),
    [
        ("/api/orders/{order_id}", "/api/orders/42", True),
        ("/api/orders/{order_id}", "/api/orders/{}", True),
        ("/orders/<int:pk>/", "/orders/7/", True),
        ("/orders/<int:pk>/", "/orders/7", True),
        ("/orders/:id", "http://testserver/orders/9?x=1", True),
        ("/api/v1/items/{id}", "/items/3", True),
        ("/api/v1/items/{id}", "{}/items/{}", True),
        ("/api/v1/items/{id}", "{}/users/{}", False),
        ("/api/orders/{order_id}", "/api/orders/", False),
        ("/api/orders/{order_id}/items", "/api/orders/1", False),
    ],
)
def test_url_matches(route_path: str, test_path: str, matches: bool) -> None:
    assert route_policy.url_matches(route_path, test_path) is matches


def test_critical_kinds() -> None:
    login = make_route("POST", "/auth/login", "login")
    login.public_by_design = "login"
    assert route_policy.critical_kind(login) == "authentication"
    assert route_policy.critical_kind(make_route("POST", "/checkout", "checkout")) == "payments"
    assert route_policy.critical_kind(make_route("GET", "/invoices", "invoices")) is None
    assert route_policy.critical_kind(make_route("GET", "/admin/users", "users")) == "admin"
    assert route_policy.critical_kind(make_route("DELETE", "/notes/{id}", "remove")) == "deletion"
    assert route_policy.critical_kind(make_route("GET", "/products", "products")) is None


def test_facts_are_symbolic_and_json_serializable() -> None:
    result = file_result(
        "app/routers/orders.py",
        "from fastapi import APIRouter, Depends\n"
        "from ..deps import get_user\n"
        "from . import helpers\n"
        "router = APIRouter(prefix='/orders')\n"
        "@router.get('/{order_id}')\n"
        "def get_order(order_id: int, user=Depends(get_user)):\n"
        "    return {'data': helpers.load(order_id)}\n",
    )
    facts = result.facts
    json.dumps(facts)  # cacheable as JSON
    assert facts["module"] == "app.routers.orders"
    assert facts["imports"]["get_user"] == "app.deps.get_user"
    assert facts["imports"]["helpers"] == "app.routers.helpers"
    assert facts["objects"]["router"]["prefix"] == "/orders"
    declared = facts["routes"][0]
    assert declared["target"] == "app.routers.orders.router"
    assert declared["handler_ref"] == "app.routers.orders.get_order"
    params = facts["functions"]["get_order"]["params"]
    assert params[1]["depends"] == ["app.deps.get_user"]
    assert facts["functions"]["get_order"]["body"]["responses"][0]["keys"] == ["data"]


def test_modules_without_web_imports_keep_only_cheap_facts() -> None:
    facts = file_result(
        "app/schemas.py",
        "from pydantic import BaseModel\nclass OrderIn(BaseModel):\n    qty: int\n"
        "def helper():\n    return 1\n",
    ).facts
    assert facts["functions"] == {}
    assert facts["classes"]["OrderIn"]["bases"] == ["pydantic.BaseModel"]


def test_test_files_record_calls_url_names_and_imported_handlers() -> None:
    facts = file_result(
        "tests/test_orders.py",
        "from django.urls import reverse\n"
        "from app.views import cancel_order\n"
        "def test_it(client, order):\n"
        "    client.delete(f'/api/orders/{order.id}')\n"
        "    client.get(reverse('order-detail', args=[1]))\n"
        "    cancel_order(None)\n",
    ).facts
    refs = facts["test_refs"]
    assert "DELETE /api/orders/{}" in refs["calls"]
    assert "order-detail" in refs["url_names"]
    assert "app.views.cancel_order" in refs["names"]


def test_tested_uses_the_method_of_the_test_call() -> None:
    index = build_index(
        {
            "app/main.py": """
                from fastapi import FastAPI
                app = FastAPI()
                @app.get("/orders/{order_id}")
                def read(order_id: int):
                    return None
                @app.delete("/orders/{order_id}")
                def remove(order_id: int):
                    return None
            """,
            "tests/test_orders.py": """
                def test_read(client):
                    client.get("/orders/1")
            """,
        }
    )
    tested = {(r.method, r.tested) for r in index.routes}
    assert tested == {("GET", True), ("DELETE", False)}
    assert index.test_files == ["tests/test_orders.py"]
