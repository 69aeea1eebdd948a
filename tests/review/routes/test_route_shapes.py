"""Route shapes real projects use that the inventory used to miss, each with its negative."""

from __future__ import annotations

from tests.review.routes.helpers import build_index, route

DEPS = """
    from fastapi import Depends, HTTPException
    from fastapi.security import OAuth2PasswordBearer
    oauth2 = OAuth2PasswordBearer(tokenUrl="token")

    def get_user(token: str = Depends(oauth2)):
        if not token:
            raise HTTPException(status_code=401)
        return token
"""


def test_empty_sub_paths_under_an_include_prefix() -> None:
    index = build_index(
        {
            "app/deps.py": DEPS,
            "app/routers/items.py": """
                from fastapi import APIRouter, Depends
                from app.deps import get_user
                router = APIRouter(dependencies=[Depends(get_user)])

                @router.get("")
                def list_items():
                    return []

                @router.post("/")
                def create_item():
                    return {}
            """,
            "app/main.py": """
                from fastapi import FastAPI
                from app.routers import items
                app = FastAPI()
                app.include_router(items.router, prefix="/items")
            """,
        }
    )
    assert route(index, "GET", "/items").auth.status == "present"
    assert route(index, "POST", "/items/").auth.status == "present"


def test_paths_held_in_constants_resolve_and_unknown_ones_stay_visible() -> None:
    index = build_index(
        {
            "app/paths.py": 'ITEMS = "/items"\n',
            "app/main.py": """
                from fastapi import FastAPI
                from app.paths import ITEMS
                from app.settings import build_path
                app = FastAPI()

                @app.get(ITEMS)
                def list_items():
                    return []

                @app.get(f"{ITEMS}/{{item_id}}")
                def read_item(item_id: int):
                    return {}

                @app.get(DYNAMIC)
                def dynamic():
                    return {}
            """,
        }
    )
    paths = sorted(r.path for r in index.routes)
    assert paths == ["/items", "/items/{item_id}", "/{DYNAMIC}"]


def test_flask_restx_resources_in_modules_that_never_import_flask() -> None:
    index = build_index(
        {
            "api/__init__.py": """
                from flask import Flask
                from flask_restx import Api
                from api.users import ns as users_ns
                app = Flask(__name__)
                api = Api(app, prefix="/api")
                api.add_namespace(users_ns, path="/users")
            """,
            "api/users.py": """
                from flask_restx import Namespace, Resource
                ns = Namespace("users")

                @ns.route("")
                class UserList(Resource):
                    def get(self):
                        return []

                @ns.route("/<int:user_id>")
                class UserItem(Resource):
                    def delete(self, user_id):
                        return {}
            """,
        }
    )
    found = sorted((r.method, r.path) for r in index.routes)
    assert found == [
        ("DELETE", "/api/users/<int:user_id>"),
        ("GET", "/api/users"),
    ]


def test_a_decorator_on_a_plain_project_object_is_not_a_route() -> None:
    index = build_index(
        {
            "app/registry.py": """
                class Registry:
                    def route(self, name):
                        return lambda f: f
                    def get(self, name):
                        return lambda f: f
                registry = Registry()
            """,
            "app/tasks.py": """
                from app.registry import registry

                @registry.route("nightly")
                def nightly():
                    pass

                @registry.get("/cleanup")
                def cleanup():
                    pass
            """,
        }
    )
    assert index.routes == []


DJANGO_SETTINGS = 'ROOT_URLCONF = "proj.urls"\nINSTALLED_APPS = ["shop"]\nAPI_PREFIX = "api/"\n'
SHOP_VIEWS = """
    from django.http import JsonResponse

    def order_detail(request, pk):
        return JsonResponse({})

    def users(request):
        return JsonResponse({})
"""


def test_django_include_with_a_variable_concatenated_or_fstring_prefix() -> None:
    index = build_index(
        {
            "proj/settings.py": DJANGO_SETTINGS,
            "proj/urls.py": """
                from django.conf import settings
                from django.urls import include, path
                PREFIX = "api/v1/"
                urlpatterns = [
                    path(PREFIX, include("shop.urls")),
                    path(f"{settings.API_PREFIX}admin/", include("shop.admin_urls")),
                    path(PREFIX + "legacy/", include("shop.urls")),
                    path(UNKNOWN_PREFIX, include("shop.admin_urls")),
                ]
            """,
            "shop/urls.py": """
                from django.urls import path
                from shop import views
                urlpatterns = [path("orders/<int:pk>/", views.order_detail, name="order-detail")]
            """,
            "shop/admin_urls.py": """
                from django.urls import path
                from shop import views
                urlpatterns = [path("users/", views.users, name="admin-users")]
            """,
            "shop/views.py": SHOP_VIEWS,
        }
    )
    assert sorted(r.path for r in index.routes) == [
        "/api/admin/users/",
        "/api/v1/legacy/orders/<int:pk>/",
        "/api/v1/orders/<int:pk>/",
        "/{UNKNOWN_PREFIX}/users/",
    ]


def test_tests_that_reach_routes_by_name() -> None:
    index = build_index(
        {
            "app/main.py": """
                from fastapi import FastAPI
                app = FastAPI()

                @app.post("/auth/login", name="auth:login")
                def login():
                    return {}

                @app.delete("/items/{item_id}", name="items:delete")
                def delete_item(item_id: int):
                    return {}

                @app.delete("/orders/{order_id}", name="orders:delete")
                def delete_order(order_id: int):
                    return {}
            """,
            "tests/test_auth.py": """
                def test_login(client, app):
                    client.post(app.url_path_for("auth:login"))
                    client.delete(app.url_path_for("items:delete", item_id=1))
            """,
        }
    )
    assert route(index, "POST", "/auth/login").tested is True
    assert route(index, "DELETE", "/items/{item_id}").tested is True
    assert route(index, "DELETE", "/orders/{order_id}").tested is False


FLASK_DECORATORS = """
    from functools import wraps
    from flask import abort, g, redirect, session, url_for

    def registered_only(f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            if not session.get("id"):
                return redirect(url_for("auth.login", next=request.path))
            return f(*args, **kwargs)
        return wrapper

    def admins_only(f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            if not g.user or g.user.type != "admin":
                abort(403)
            return f(*args, **kwargs)
        return wrapper

    def remembers_theme(f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            if not session.get("theme"):
                return redirect(url_for("main.index"))
            return f(*args, **kwargs)
        return wrapper

    def loads_user(f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            g.user = find_user(session.get("id"))
            return f(*args, **kwargs)
        return wrapper
"""


def test_project_decorators_count_by_what_their_wrapper_does() -> None:
    index = build_index(
        {
            "app/decorators.py": FLASK_DECORATORS,
            "app/views.py": """
                from flask import Blueprint
                from app.decorators import admins_only, loads_user, registered_only, remembers_theme
                bp = Blueprint("views", __name__)

                @bp.route("/settings", methods=["POST"])
                @registered_only
                def save_settings():
                    return {}

                @bp.route("/admin/users/<int:uid>", methods=["DELETE"])
                @admins_only
                def delete_user(uid):
                    return {}

                @bp.route("/preferences", methods=["POST"])
                @remembers_theme
                def save_preferences():
                    return {}

                @bp.route("/notes", methods=["POST"])
                @loads_user
                def create_note():
                    return {}
            """,
            "app/__init__.py": """
                from flask import Flask
                from app.views import bp
                app = Flask(__name__)
                app.register_blueprint(bp)
            """,
        }
    )
    assert route(index, "POST", "/settings").auth.status == "present"
    admin = route(index, "DELETE", "/admin/users/<int:uid>")
    assert (admin.auth.status, admin.authz.status) == ("present", "present")
    # reading the session is not authentication unless the branch sends the caller to log in
    assert route(index, "POST", "/preferences").auth.status == "absent"
    assert route(index, "POST", "/notes").auth.status == "absent"


def test_project_subclass_of_apirouter_and_the_dependencies_it_passes_up() -> None:
    index = build_index(
        {
            "app/deps.py": DEPS,
            "app/routing.py": """
                from fastapi import APIRouter, Depends
                from app.deps import get_user

                class AuthedRouter(APIRouter):
                    def __init__(self, **kwargs):
                        super().__init__(dependencies=[Depends(get_user)], **kwargs)

                class TaggedRouter(APIRouter):
                    def __init__(self, tag: str, **kwargs):
                        super().__init__(tags=[tag], **kwargs)
            """,
            "app/invoices.py": """
                from app.routing import AuthedRouter, TaggedRouter
                router = AuthedRouter(prefix="/invoices")
                public = TaggedRouter("catalogue", prefix="/catalogue")

                @router.post("/")
                def create_invoice():
                    return {}

                @public.post("/items")
                def add_item():
                    return {}
            """,
            "app/main.py": """
                from fastapi import FastAPI
                from app import invoices
                app = FastAPI()
                app.include_router(invoices.router)
                app.include_router(invoices.public)
            """,
        }
    )
    invoice = route(index, "POST", "/invoices/")
    assert (invoice.framework, invoice.auth.status) == ("fastapi", "present")
    item = route(index, "POST", "/catalogue/items")
    assert (item.framework, item.auth.status) == ("fastapi", "absent")


def test_privilege_checks_in_the_handler_count_by_what_the_predicate_reads() -> None:
    index = build_index(
        {
            "app/perms.py": """
                from flask import g

                def can(action, post_id):
                    return g.user is not None and g.user.id == owner_of(post_id)

                def may_moderate():
                    return g.user is not None and g.user.role in ("admin", "moderator")

                def well_formed(post_id):
                    return 0 < post_id < 2**31
            """,
            "app/main.py": """
                from flask import Flask, abort, jsonify
                from app.perms import can, may_moderate, well_formed
                app = Flask(__name__)

                @app.route("/posts/<int:post_id>", methods=["DELETE"])
                def delete_post(post_id):
                    if not can("delete", post_id):
                        return jsonify({"error": "forbidden"}), 403
                    return jsonify({})

                @app.route("/posts/<int:post_id>/hide", methods=["POST"])
                def hide_post(post_id):
                    if not may_moderate():
                        abort(403)
                    return jsonify({})

                @app.route("/posts/<int:post_id>/pin", methods=["POST"])
                def pin_post(post_id):
                    if not well_formed(post_id):
                        abort(403)
                    return jsonify({})
            """,
        }
    )
    delete = route(index, "DELETE", "/posts/<int:post_id>")
    assert delete.auth.status == "present"
    assert "can reads the caller" in delete.auth.evidence[0].detail
    hide = route(index, "POST", "/posts/<int:post_id>/hide")
    assert (hide.auth.status, hide.authz.status) == ("present", "present")
    # a 403 after a check that never looks at the caller is not authentication
    assert route(index, "POST", "/posts/<int:post_id>/pin").auth.status == "absent"


def test_class_based_route_groups_share_their_class_dependencies() -> None:
    index = build_index(
        {
            "app/deps.py": DEPS
            + """
    from typing import Annotated
    CurrentUser = Annotated[str, Depends(get_user)]
""",
            "app/items.py": """
                from fastapi import APIRouter, Depends
                from fastapi_utils.cbv import cbv
                from app.deps import CurrentUser, get_user
                router = APIRouter()

                @cbv(router)
                class ItemViews:
                    user: str = Depends(get_user)

                    @router.delete("/items/{item_id}")
                    def delete(self, item_id: int):
                        return {}

                @cbv(router)
                class NoteViews:
                    user: CurrentUser

                    @router.post("/notes")
                    def create(self):
                        return {}

                @cbv(router)
                class CatalogueViews:
                    page_size: int = 20

                    @router.post("/catalogue")
                    def add(self):
                        return {}
            """,
            "app/main.py": """
                from fastapi import FastAPI
                from app.items import router
                app = FastAPI()
                app.include_router(router)
            """,
        }
    )
    assert route(index, "DELETE", "/items/{item_id}").auth.status == "present"
    assert route(index, "POST", "/notes").auth.status == "present"
    assert route(index, "POST", "/catalogue").auth.status == "absent"


def test_django_urlpatterns_added_conditionally_by_name_and_from_package_views() -> None:
    index = build_index(
        {
            "proj/settings.py": DJANGO_SETTINGS,
            "proj/urls.py": """
                from django.conf import settings
                from django.contrib.auth import views as auth_views
                from django.urls import path
                from django.views.generic import TemplateView
                from shop import views
                from shop.auth import login
                from reporting.views import ReportsView

                urlpatterns = [path("orders/<int:pk>/", views.order_detail)]

                KB_PATTERNS = [path("kb/", views.users)]
                if settings.KB_ENABLED:
                    urlpatterns += KB_PATTERNS

                try:
                    urlpatterns.append(path("extra/", views.users))
                except ImportError:
                    pass

                urlpatterns += [
                    path("login/", login, name="login"),
                    path("help/", TemplateView.as_view(template_name="help.html")),
                    path("reports/", ReportsView.as_view()),
                ]

                def not_a_urlconf():
                    urlpatterns = [path("ghost/", views.users)]
                    return urlpatterns
            """,
            "shop/auth.py": """
                from django.contrib.auth import views as auth_views
                login = auth_views.LoginView.as_view(template_name="login.html")
            """,
            "shop/views.py": SHOP_VIEWS,
        }
    )
    found = sorted((r.method, r.path) for r in index.routes)
    assert found == [
        ("ANY", "/reports/"),
        ("GET", "/extra/"),
        ("GET", "/help/"),
        ("GET", "/kb/"),
        ("GET", "/login/"),
        ("GET", "/orders/<int:pk>/"),
        ("POST", "/login/"),
        ("PUT", "/login/"),  # Django's form views hand PUT to post
    ]
    reports = route(index, "ANY", "/reports/")
    assert reports.auth.status == "unknown"  # a view from a package we cannot read
    assert route(index, "POST", "/login/").public_by_design == "login"


def test_routers_included_in_a_loop_inside_an_app_factory() -> None:
    index = build_index(
        {
            "app/api/flows.py": """
                from fastapi import APIRouter
                router = APIRouter(prefix="/flows")

                @router.post("/")
                def create_flow():
                    return {}

                @router.websocket("/events")
                async def events(websocket):
                    pass
            """,
            "app/api/runs.py": """
                from fastapi import APIRouter
                router = APIRouter(prefix="/runs")

                @router.delete("/{run_id}")
                def delete_run(run_id: str):
                    return {}
            """,
            "app/api/hidden.py": """
                from fastapi import APIRouter
                router = APIRouter(prefix="/hidden")

                @router.get("/")
                def hidden():
                    return {}
            """,
            "app/server.py": """
                from fastapi import FastAPI
                from app.api import flows, runs, hidden

                API_ROUTERS = (flows.router, runs.router)

                def create_api_app():
                    api_app = FastAPI()
                    for router in API_ROUTERS:
                        api_app.include_router(router)
                    for other in make_routers():
                        api_app.include_router(other)
                    return api_app

                def create_app():
                    app = FastAPI()
                    api_app = create_api_app()
                    app.mount("/api", app=api_app)
                    return app
            """,
        }
    )
    paths = sorted(f"{r.method} {r.path}" for r in index.routes)
    assert paths == [
        "DELETE /api/runs/{run_id}",
        "GET /hidden/",  # never included: listed with its own prefix only
        "POST /api/flows/",
        "WEBSOCKET /api/flows/events",
    ]


def test_routers_included_from_a_list_of_keyword_dicts() -> None:
    # `for spec in ROUTERS: parent.include_router(**spec)`: each dict is one include, its
    # prefix and dependencies applied; a spread we cannot read leaves the router unmounted
    index = build_index(
        {
            "app/deps.py": """
                from fastapi import Depends, HTTPException, Request

                def get_admin_user(request: Request):
                    user = request.state.user
                    if user is None:
                        raise HTTPException(status_code=401)
                    if not user.is_admin:
                        raise HTTPException(status_code=403)
                    return user
            """,
            "app/users.py": """
                from fastapi import APIRouter
                router = APIRouter()

                @router.delete("/{user_id}")
                def delete_user(user_id: int):
                    return {}
            """,
            "app/orgs.py": """
                from fastapi import APIRouter
                router = APIRouter()

                @router.get("/")
                def list_orgs():
                    return []
            """,
            "app/other.py": """
                from fastapi import APIRouter
                router = APIRouter()

                @router.get("/")
                def other():
                    return []
            """,
            "app/routes.py": """
                from fastapi import APIRouter, Depends
                from app import users, orgs, other
                from app.deps import get_admin_user

                admin_routers = [
                    {"router": users.router, "prefix": "/users", "tags": ["Users"]},
                    {"router": orgs.router, "prefix": "/orgs"},
                ]
                api = APIRouter()
                for spec in admin_routers:
                    api.include_router(**spec, dependencies=[Depends(get_admin_user)])
                for spec in load_specs():
                    api.include_router(**spec)
                api.include_router(other.router, prefix="/other")
            """,
        }
    )
    assert sorted(f"{r.method} {r.path}" for r in index.routes) == [
        "DELETE /users/{user_id}",
        "GET /orgs/",
        "GET /other/",
    ]
    deleted = route(index, "DELETE", "/users/{user_id}")
    assert deleted.auth.status == "present"
    assert route(index, "GET", "/other/").auth.status != "present"


def test_routes_registered_in_a_loop_over_a_literal_list() -> None:
    index = build_index(
        {
            "app/views.py": """
                from flask import Blueprint
                web = Blueprint("web", __name__)

                def books_list(data, sort_param):
                    return ""

                def other(name):
                    return ""

                data = ["rated", "discover"]
                for d in data:
                    web.add_url_rule("/{}/<sort_param>".format(d), view_func=books_list)
                for kind in ("authors", "series"):
                    web.add_url_rule(f"/browse/{kind}", view_func=other)
                for name in load_names():
                    web.add_url_rule(f"/dynamic/{name}", view_func=other)
            """,
            "app/__init__.py": """
                from flask import Flask
                from app.views import web
                app = Flask(__name__)
                app.register_blueprint(web)
            """,
        }
    )
    assert sorted(r.path for r in index.routes) == [
        "/browse/authors",
        "/browse/series",
        "/discover/<sort_param>",
        "/dynamic/{name}",  # a loop over something we cannot read: the part stays visible
        "/rated/<sort_param>",
    ]


def test_requests_handed_to_a_library_static_files_redirects_and_auth_endpoints() -> None:
    index = build_index(
        {
            "app/server.py": """
                from pathlib import Path
                from fastapi import APIRouter, FastAPI, Request
                from fastapi.responses import FileResponse, RedirectResponse
                from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
                from app.store import save_event

                app = FastAPI()
                router = APIRouter()
                slack_handler = AsyncSlackRequestHandler(slack_app)

                @router.post("/slack/events")
                async def slack_events(req: Request):
                    return await slack_handler.handle(req)

                @router.post("/events")
                async def own_events(req: Request):
                    return save_event(await req.json())

                @router.get("/widget/{filename:path}")
                async def widget_file(filename: str):
                    return FileResponse(Path("build") / filename)

                @router.get("/exports/{export_id}")
                async def export_file(export_id: int):
                    return FileResponse(f"/data/exports/{export_id}.csv")

                @router.get("/admin-panel")
                async def to_admin():
                    return RedirectResponse("/admin/")

                @router.get("/user/me")
                async def me():
                    return RedirectResponse(config.get("auth.route_after_login", "/dashboard"))

                @router.get("/user/last")
                async def last_seen():
                    return RedirectResponse(f"/users/{load_last_user().id}")

                @router.post("/auth/header")
                async def header_login(request: Request):
                    return {}

                @router.delete("/auth/users/{user_id}")
                async def drop_user(user_id: int):
                    return {}

                app.include_router(router)
            """,
            "app/store.py": "def save_event(event):\n    return event\n",
        }
    )
    slack = route(index, "POST", "/slack/events")
    assert slack.auth.status == "unknown"
    assert "handed to" in slack.auth.note and "AsyncSlackRequestHandler" in slack.auth.note
    assert route(index, "POST", "/events").auth.status == "absent"  # a project function
    assert route(index, "GET", "/widget/{filename:path}").public_by_design == "static files"
    assert route(index, "GET", "/exports/{export_id}").public_by_design is None
    assert route(index, "GET", "/admin-panel").public_by_design == "a redirect (returns no data)"
    # a redirect to a page the app's configuration names still returns no data
    assert route(index, "GET", "/user/me").public_by_design == "a redirect (returns no data)"
    # one that loads a record first is not only a redirect
    assert route(index, "GET", "/user/last").public_by_design is None
    assert route(index, "POST", "/auth/header").public_by_design == "authentication endpoint"
    assert route(index, "DELETE", "/auth/users/{user_id}").public_by_design is None


AIOHTTP_APP = """
    from aiohttp import web
    routes = web.RouteTableDef()

    @web.middleware
    async def errors(request, handler):
        {body}

    @routes.post("/items")
    async def create(request):
        return web.json_response({{}})

    def init():
        app = web.Application(middlewares=[errors])
        app.add_routes(routes)
        return app
"""


def test_aiohttp_error_middleware_is_the_central_error_handler() -> None:
    from tests.review.routes.helpers import project_findings

    catching = AIOHTTP_APP.format(
        body="try:\n            return await handler(request)\n"
        "        except Exception:\n            return web.json_response({}, status=500)"
    )
    passing = AIOHTTP_APP.format(body="return await handler(request)")
    rules = {f.rule_id for f in project_findings(build_index({"app/main.py": catching}))}
    assert "no-central-error-handler" not in rules
    rules = {f.rule_id for f in project_findings(build_index({"app/main.py": passing}))}
    assert "no-central-error-handler" in rules
