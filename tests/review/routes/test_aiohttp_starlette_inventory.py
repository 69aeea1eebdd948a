"""aiohttp and Starlette route inventory."""

from __future__ import annotations

import textwrap

from tests.review.routes.helpers import build_index, route


def test_aiohttp_router_table_and_middleware() -> None:
    index = build_index(
        {
            "svc/app.py": """
                from aiohttp import web
                from svc.auth import auth_middleware
                routes = web.RouteTableDef()

                @routes.get("/status")
                async def status(request):
                    return web.json_response({"ok": True})

                async def delete_item(request):
                    return web.Response(status=204)

                async def create_item(request):
                    data = await request.json()
                    return web.json_response(data)

                def make_app():
                    app = web.Application(middlewares=[auth_middleware])
                    app.router.add_delete("/items/{item_id}", delete_item)
                    app.add_routes([web.post("/items", create_item)])
                    return app
            """,
            "svc/auth.py": """
                from aiohttp import web

                @web.middleware
                async def auth_middleware(request, handler):
                    if request.headers.get("Authorization") is None:
                        raise web.HTTPUnauthorized()
                    return await handler(request)
            """,
        }
    )
    assert route(index, "GET", "/status").framework == "aiohttp"
    delete = route(index, "DELETE", "/items/{item_id}")
    assert delete.handler == "delete_item"
    assert delete.auth.status == "present"
    assert delete.auth.evidence[0].kind == "middleware"
    assert route(index, "POST", "/items").reads_request_data is True


def test_starlette_routes_mounts_and_requires() -> None:
    index = build_index(
        {
            "web/app.py": """
                from starlette.applications import Starlette
                from starlette.authentication import requires
                from starlette.middleware import Middleware
                from starlette.middleware.authentication import AuthenticationMiddleware
                from starlette.routing import Mount, Route
                from web.backend import TokenBackend

                @requires("authenticated")
                async def profile(request):
                    return None

                @requires(["authenticated", "admin"])
                async def purge(request):
                    return None

                async def homepage(request):
                    return None

                async def contact(request):
                    return None

                routes = [
                    Route("/", homepage),
                    Route("/contact", contact, methods=["POST"]),
                    Mount("/api", routes=[
                        Route("/profile", profile, methods=["GET", "PUT"]),
                        Mount("/admin", routes=[Route("/purge", purge, methods=["POST"])]),
                    ]),
                ]
                app = Starlette(
                    routes=routes,
                    middleware=[Middleware(AuthenticationMiddleware, backend=TokenBackend())],
                    exception_handlers={500: homepage},
                )
            """,
        }
    )
    profile = route(index, "PUT", "/api/profile")
    assert profile.framework == "starlette"
    assert profile.auth.status == "present"
    purge = route(index, "POST", "/api/admin/purge")
    assert purge.authz.status == "present"
    contact = route(index, "POST", "/contact")
    # AuthenticationMiddleware identifies users but does not reject: we cannot say "absent".
    assert contact.auth.status == "unknown"
    assert index.facts["error_handlers"][0]["kind"] == "exception_handlers"


_STARLETTE_APP = """
    from starlette.applications import Starlette
    from starlette.authentication import requires
    from starlette.middleware import Middleware
    from starlette.middleware.authentication import AuthenticationMiddleware
    from starlette.routing import Route
    from web.backend import TokenBackend

    @requires("authenticated")
    async def profile(request):
        return None

    async def contact(request):
        return None

    app = Starlette(
        routes=[Route("/profile", profile), Route("/contact", contact, methods=["POST"])],
        middleware=[Middleware(AuthenticationMiddleware, backend=TokenBackend())],
    )
"""


def _starlette_with_backend(body: str) -> str:
    return f"""
        from starlette.authentication import (
            AuthCredentials, AuthenticationBackend, AuthenticationError, SimpleUser,
        )

        class TokenBackend(AuthenticationBackend):
            async def authenticate(self, conn):
{textwrap.indent(textwrap.dedent(body), " " * 16)}
                return AuthCredentials(["authenticated"]), SimpleUser("someone")
    """


def test_authentication_middleware_whose_backend_lets_anonymous_through_refuses_no_one() -> None:
    # authenticate() returns None without credentials: the request goes on as anonymous, so a
    # route with no check of its own is open.
    index = build_index(
        {
            "web/app.py": _STARLETTE_APP,
            "web/backend.py": _starlette_with_backend(
                """
                if "Authorization" not in conn.headers:
                    return None
                """
            ),
        }
    )
    assert route(index, "POST", "/contact").auth.status == "absent"
    assert route(index, "GET", "/profile").auth.status == "present"


def test_authentication_middleware_whose_backend_refuses_stays_unknown() -> None:
    # a backend that raises for a missing header makes the middleware answer 400 to everyone
    # without credentials: that is not "absent"
    index = build_index(
        {
            "web/app.py": _STARLETTE_APP,
            "web/backend.py": _starlette_with_backend(
                """
                if "Authorization" not in conn.headers:
                    raise AuthenticationError("credentials required")
                """
            ),
        }
    )
    assert route(index, "POST", "/contact").auth.status == "unknown"


def test_fastapi_add_middleware_with_an_anonymous_backend_refuses_no_one() -> None:
    index = build_index(
        {
            "api/main.py": """
                from fastapi import FastAPI
                from starlette.middleware.authentication import AuthenticationMiddleware
                from api.backend import TokenBackend

                app = FastAPI()
                app.add_middleware(AuthenticationMiddleware, backend=TokenBackend())

                @app.delete("/items/{item_id}")
                async def delete_item(item_id: int):
                    return None
            """,
            "api/backend.py": _starlette_with_backend(
                """
                token = conn.headers.get("Authorization")
                if token is None:
                    return
                """
            ),
        }
    )
    assert route(index, "DELETE", "/items/{item_id}").auth.status == "absent"
