"""FastAPI route inventory: prefixes through include_router chains, protections per level."""

from __future__ import annotations

import pytest

from mcp_backend.review.model import ProjectIndex
from tests.review.routes.helpers import build_index, route

DEPS = """
from typing import Annotated
import jwt
from fastapi import Depends, HTTPException, Security, status
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/token")


def get_current_user(token: str = Depends(oauth2_scheme)):
    try:
        return jwt.decode(token, "k", algorithms=["HS256"])
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)


def require_admin(user=Depends(get_current_user)):
    if user["role"] != "admin":
        raise HTTPException(status_code=403)
    return user


def get_db():
    yield None


CurrentUser = Annotated[dict, Depends(get_current_user)]
"""


def test_prefixes_join_through_nested_include_router_chains() -> None:
    index = build_index(
        {
            "app/main.py": """
                from fastapi import FastAPI
                from app.api.router import api_router
                app = FastAPI()
                app.include_router(api_router, prefix="/api")
            """,
            "app/api/router.py": """
                from fastapi import APIRouter
                from app.api.routes import items
                api_router = APIRouter()
                api_router.include_router(items.router, prefix="/v1")
            """,
            "app/api/routes/items.py": """
                from fastapi import APIRouter
                router = APIRouter(prefix="/items")
                @router.get("/{item_id}")
                def read_item(item_id: int):
                    return None
                @router.api_route("/bulk", methods=["PUT", "PATCH"])
                def bulk():
                    return None
            """,
        }
    )
    read = route(index, "GET", "/api/v1/items/{item_id}")
    assert read.handler == "read_item"
    assert read.file == "app/api/routes/items.py"
    assert read.line == 5
    assert read.mounted_prefix == "/api/v1/items"
    assert read.framework == "fastapi"
    assert {r.method for r in index.routes if r.path == "/api/v1/items/bulk"} == {"PUT", "PATCH"}


def test_auth_found_at_app_router_route_and_handler_level() -> None:
    index = build_index(
        {
            "app/deps.py": DEPS,
            "app/main.py": """
                from fastapi import Depends, FastAPI
                from app.deps import get_current_user
                from app import orders, reports, private, public
                app = FastAPI()
                app.include_router(orders.router, dependencies=[Depends(get_current_user)])
                app.include_router(reports.router)
                app.include_router(private.router)
                app.include_router(public.router)
            """,
            "app/orders.py": """
                from fastapi import APIRouter
                router = APIRouter(prefix="/orders")
                @router.post("/")
                def create_order():
                    return None
            """,
            "app/reports.py": """
                from fastapi import APIRouter, Depends
                from app.deps import get_current_user
                router = APIRouter(prefix="/reports", dependencies=[Depends(get_current_user)])
                @router.delete("/{report_id}")
                def delete_report(report_id: int):
                    return None
            """,
            "app/private.py": """
                from fastapi import APIRouter, Header, HTTPException
                router = APIRouter()
                @router.post("/private")
                def private(authorization: str = Header()):
                    if not authorization:
                        raise HTTPException(status_code=401)
                    return None
            """,
            "app/public.py": """
                from fastapi import APIRouter
                from app.deps import CurrentUser
                router = APIRouter()
                @router.put("/profile")
                def update_profile(user: CurrentUser):
                    return None
                @router.post("/feedback")
                def feedback():
                    return None
            """,
        }
    )
    levels = {
        ("POST", "/orders/"): "router",
        ("DELETE", "/reports/{report_id}"): "router",
        ("POST", "/private"): "handler",
        ("PUT", "/profile"): "route",
    }
    for (method, path), level in levels.items():
        found = route(index, method, path)
        assert found.auth.status == "present", (method, path)
        assert found.auth.evidence[0].level == level, (method, path)
    assert route(index, "POST", "/feedback").auth.status == "absent"


def test_alias_and_role_dependency_followed_across_modules() -> None:
    index = build_index(
        {
            "app/deps.py": DEPS,
            "app/admin.py": """
                from fastapi import APIRouter, Depends
                from app.deps import CurrentUser, require_admin
                router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])
                @router.get("/users")
                def users():
                    return []
                @router.get("/audit")
                def audit(user: CurrentUser):
                    return []
            """,
        }
    )
    users = route(index, "GET", "/admin/users")
    assert users.auth.status == "present"
    assert users.authz.status == "present"
    assert users.authz.evidence[0].kind == "role"
    assert "require_admin" in users.authz.evidence[0].detail


def test_security_and_unknown_package_dependency() -> None:
    index = build_index(
        {
            "svc/api.py": """
                from fastapi import APIRouter, Depends, Security
                from fastapi.security import APIKeyHeader
                from platform_sdk import gatekeeper
                api_key = APIKeyHeader(name="X-API-Key")
                router = APIRouter()
                @router.post("/keyed")
                def keyed(key: str = Security(api_key)):
                    return None
                @router.post("/gated", dependencies=[Depends(gatekeeper)])
                def gated():
                    return None
            """,
        }
    )
    assert route(index, "POST", "/keyed").auth.status == "present"
    gated = route(index, "POST", "/gated")
    assert gated.auth.status == "unknown"
    assert "platform_sdk.gatekeeper" in gated.auth.note


def test_validation_models_typed_params_and_raw_json() -> None:
    index = build_index(
        {
            "app/schemas.py": """
                from pydantic import BaseModel
                class ItemIn(BaseModel):
                    name: str
            """,
            "app/models.py": """
                class Item:
                    def __init__(self, **fields):
                        self.fields = fields
            """,
            "app/items.py": """
                from fastapi import APIRouter, Request
                from app.schemas import ItemIn
                from app.models import Item
                router = APIRouter()
                @router.post("/items")
                def create(payload: ItemIn):
                    return payload
                @router.post("/raw")
                async def raw(request: Request):
                    data = await request.json()
                    return Item(**data)
                @router.post("/forwarded")
                async def forwarded(request: Request):
                    return handle(await request.json())
            """,
        }
    )
    create = route(index, "POST", "/items")
    assert create.validation.status == "present"
    assert "ItemIn" in create.validation.evidence[0].detail
    raw = route(index, "POST", "/raw")
    assert raw.reads_request_data is True
    assert raw.validation.status == "absent"
    forwarded = route(index, "POST", "/forwarded")
    assert forwarded.reads_request_data is True
    assert forwarded.validation.status == "unknown"


def test_rate_limits_route_decorator_global_middleware_and_fastapi_limiter() -> None:
    index = build_index(
        {
            "app/main.py": """
                from fastapi import Depends, FastAPI, Request
                from fastapi_limiter.depends import RateLimiter
                from slowapi import Limiter
                from slowapi.middleware import SlowAPIMiddleware
                from slowapi.util import get_remote_address
                limiter = Limiter(key_func=get_remote_address)
                app = FastAPI()
                @app.post("/login")
                @limiter.limit("5/minute")
                def login(request: Request):
                    return None
                @app.post("/signup", dependencies=[Depends(RateLimiter(times=2, seconds=60))])
                def signup():
                    return None
            """,
            "other/main.py": """
                from fastapi import FastAPI
                from slowapi.middleware import SlowAPIMiddleware
                api = FastAPI()
                api.add_middleware(SlowAPIMiddleware)
                @api.post("/reset-password")
                def reset_password():
                    return None
            """,
        }
    )
    assert route(index, "POST", "/login").rate_limit.status == "present"
    assert route(index, "POST", "/signup").rate_limit.status == "present"
    reset = route(index, "POST", "/reset-password")
    assert reset.rate_limit.status == "present"
    assert reset.rate_limit.evidence[0].level == "app"


def test_ownership_by_owner_filter_and_id_loads() -> None:
    index = build_index(
        {
            "app/deps.py": DEPS,
            "app/orders.py": """
                from fastapi import APIRouter, HTTPException
                from sqlalchemy import select
                from app.deps import CurrentUser
                router = APIRouter(prefix="/orders")
                @router.get("/{order_id}")
                def mine(order_id: int, user: CurrentUser, db=None):
                    order = db.scalar(select(Order).where(Order.id == order_id))
                    if order.owner_id != user["sub"] and order.owner_id != user.id:
                        raise HTTPException(status_code=404)
                    return order
                @router.delete("/{order_id}")
                def anyone(order_id: int, user: CurrentUser, db=None):
                    db.delete(db.get(Order, order_id))
            """,
        }
    )
    mine = route(index, "GET", "/orders/{order_id}")
    assert mine.loads_by_id is True
    assert mine.authz.status == "present"
    assert mine.authz.evidence[0].kind == "ownership"
    anyone = route(index, "DELETE", "/orders/{order_id}")
    assert anyone.loads_by_id is True
    assert anyone.authz.status == "absent"


def test_any_foreign_key_held_against_the_callers_id_is_ownership() -> None:
    source = """
        from fastapi import APIRouter, HTTPException
        from app.deps import CurrentUser
        router = APIRouter(prefix="/tickets")
        @router.put("/{ticket_id}")
        def update(ticket_id: int, user: CurrentUser, db=None):
            ticket = db.get(Ticket, ticket_id)
            if ticket.reporter_id != user.id:
                raise HTTPException(status_code=404)
            ticket.title = "x"
    """
    index = build_index({"app/deps.py": DEPS, "app/tickets.py": source})
    assert route(index, "PUT", "/tickets/{ticket_id}").authz.status == "present"
    # a foreign key against something that is not the caller's id decides nothing
    other = source.replace("ticket.reporter_id != user.id", "ticket.project_id != user.team")
    index = build_index({"app/deps.py": DEPS, "app/tickets.py": other})
    assert route(index, "PUT", "/tickets/{ticket_id}").authz.status == "absent"


def test_add_api_route_and_mounted_sub_app() -> None:
    index = build_index(
        {
            "app/main.py": """
                from fastapi import FastAPI
                from app.v2 import v2
                app = FastAPI()
                def ping():
                    return {"pong": True}
                app.add_api_route("/ping", ping, methods=["GET"])
                app.mount("/v2", v2)
            """,
            "app/v2.py": """
                from fastapi import FastAPI
                v2 = FastAPI()
                @v2.post("/things")
                def make_thing():
                    return None
            """,
        }
    )
    assert route(index, "GET", "/ping").handler == "ping"
    assert route(index, "POST", "/v2/things").mounted_prefix == "/v2"


def test_security_scopes_are_a_role_check() -> None:
    index = build_index(
        {
            "app/deps.py": DEPS,
            "app/admin.py": """
                from fastapi import APIRouter, Security
                from app.deps import get_current_user
                router = APIRouter(prefix="/admin")
                @router.delete("/cache")
                def flush(user=Security(get_current_user, scopes=["admin:write"])):
                    return None
            """,
        }
    )
    flush = route(index, "DELETE", "/admin/cache")
    assert flush.auth.status == "present"
    assert flush.authz.evidence[0].detail == "Security scopes admin:write"


def test_prefixes_from_settings_constants_are_resolved() -> None:
    index = build_index(
        {
            "app/core/config.py": """
                from pydantic_settings import BaseSettings
                API_PREFIX = "/api"
                class Settings(BaseSettings):
                    API_V1_STR: str = "/v1"
                settings = Settings()
            """,
            "app/main.py": """
                from fastapi import APIRouter, FastAPI
                from app.core.config import API_PREFIX, settings
                from app import items
                app = FastAPI()
                api = APIRouter(prefix=API_PREFIX)
                api.include_router(items.router, prefix=f"{settings.API_V1_STR}/items")
                app.include_router(api)
            """,
            "app/items.py": """
                from fastapi import APIRouter
                router = APIRouter()
                @router.get("/{item_id}")
                def read(item_id: int):
                    return None
            """,
        }
    )
    assert route(index, "GET", "/api/v1/items/{item_id}").handler == "read"


def test_project_auth_middleware_and_neutral_package_dependencies() -> None:
    index = build_index(
        {
            "app/middleware.py": """
                from fastapi.responses import JSONResponse
                from starlette.middleware.base import BaseHTTPMiddleware
                class TokenMiddleware(BaseHTTPMiddleware):
                    async def dispatch(self, request, call_next):
                        token = request.headers.get("Authorization")
                        if not token:
                            return JSONResponse({"detail": "unauthorized"}, status_code=401)
                        return await call_next(request)
            """,
            "app/main.py": """
                from fastapi import Depends, FastAPI
                from fastapi_pagination import Params
                from app.middleware import TokenMiddleware
                app = FastAPI()
                app.add_middleware(TokenMiddleware)
                @app.get("/orders")
                def orders(params: Params = Depends()):
                    return []
            """,
            "other/main.py": """
                from fastapi import Depends, FastAPI
                from fastapi_pagination import Params
                api = FastAPI()
                @api.post("/comments", dependencies=[Depends(Params)])
                def comment():
                    return None
            """,
        }
    )
    orders = route(index, "GET", "/orders")
    assert orders.auth.status == "present"
    assert orders.auth.evidence[0].kind == "middleware"
    # A pagination dependency from a package says what it is: no reason for "unknown".
    assert route(index, "POST", "/comments").auth.status == "absent"


def test_a_project_module_named_auth_does_not_make_its_functions_authentication() -> None:
    index = build_index(
        {
            "app/auth.py": """
                from typing import Any, Callable

                def make_thing() -> Callable[..., Any]:
                    def inner(*args: Any) -> Any:
                        return args
                    return inner

                thing = make_thing()
            """,
            "app/main.py": """
                from fastapi import Depends, FastAPI
                from app.auth import thing

                app = FastAPI()

                @app.delete("/notes/{note_id}")
                def delete_note(note_id: str, t=Depends(thing)):
                    return None
            """,
        }
    )
    assert route(index, "DELETE", "/notes/{note_id}").auth.status == "absent"


_PROVIDER_FACTORY = """
    from functools import wraps
    from fastapi import HTTPException, Request
    from app.config import settings

    def no_authentication():
        return None

    def token_authentication(request: Request):
        token = request.headers.get("Authorization")
        if not token:
            raise HTTPException(status_code=401)
        return token

    def basic_authentication(request: Request):
        if "Authorization" not in request.headers:
            raise HTTPException(status_code=401)
        return request.headers["Authorization"]

    def authentication_provider():
        if settings.auth_scheme == "none":
            return {open_branch}
        elif settings.auth_scheme == "basic":
            return basic_authentication
        return token_authentication

    def get_authorization_provider():
        provider = authentication_provider()

        @wraps(provider)
        async def authorize_fn(*args, **kwargs):
            return provider(*args, **kwargs)

        return authorize_fn

    authorize = get_authorization_provider()
"""

_PROVIDER_ROUTES = """
    from fastapi import APIRouter, FastAPI, Security
    from app.auth import authorize

    router = APIRouter(prefix="/api/artifacts")

    @router.delete("/{artifact_id}")
    def delete_artifact(artifact_id: str, _=Security(authorize)):
        return None

    app = FastAPI()
    app.include_router(router)
"""


def _provider_app(open_branch: str) -> ProjectIndex:
    return build_index(
        {
            "app/config.py": "settings = object()\n",
            "app/auth.py": _PROVIDER_FACTORY.replace("{open_branch}", open_branch),
            "app/main.py": _PROVIDER_ROUTES,
        }
    )


def test_a_provider_factory_whose_every_choice_checks_the_caller_protects() -> None:
    # authorize = get_authorization_provider(): the dependency is what the selector returns
    index = _provider_app("basic_authentication")
    auth = route(index, "DELETE", "/api/artifacts/{artifact_id}").auth
    assert auth.status == "present"
    assert "basic_authentication or token_authentication" in auth.evidence[0].detail


def test_a_provider_factory_that_may_return_no_check_is_unknown_not_absent() -> None:
    index = _provider_app("no_authentication")
    auth = route(index, "DELETE", "/api/artifacts/{artifact_id}").auth
    assert auth.status == "unknown"
    assert "no_authentication" in auth.note and "configuration" in auth.note


def test_a_provider_factory_returning_only_functions_that_check_nothing_is_absent() -> None:
    index = build_index(
        {
            "app/auth.py": """
                def no_authentication():
                    return None

                def anonymous():
                    return "anonymous"

                def provider(debug: bool):
                    if debug:
                        return no_authentication
                    return anonymous

                authorize = provider(False)
            """,
            "app/main.py": _PROVIDER_ROUTES,
        }
    )
    assert route(index, "DELETE", "/api/artifacts/{artifact_id}").auth.status == "absent"


def test_django_ninja_auth_on_the_api_the_router_and_the_operation() -> None:
    index = build_index(
        {
            "app/auth.py": """
                from ninja.security import HttpBearer
                from app.models import ApiToken

                class TokenAuth(HttpBearer):
                    def authenticate(self, request, token):
                        return ApiToken.objects.filter(key=token).first()
            """,
            "app/models.py": "class ApiToken:\n    objects = None\n",
            "app/api.py": """
                from ninja import NinjaAPI, Router
                from ninja.security import django_auth
                from app.auth import TokenAuth

                notes = Router(auth=TokenAuth())
                drafts = Router()
                admin = Router()

                @notes.delete("/notes/{pk}/")
                def delete_note(request, pk: int):
                    return {"deleted": pk}

                @notes.get("/notes/shared/", auth=None)
                def shared_notes(request):
                    return []

                @drafts.delete("/drafts/{pk}/")
                def delete_draft(request, pk: int):
                    return {"deleted": pk}

                @drafts.post("/comments/", auth=TokenAuth())
                def add_comment(request, text: str):
                    return {"text": text}

                @admin.delete("/users/{pk}/")
                def delete_user(request, pk: int):
                    return None

                api = NinjaAPI()
                api.add_router("/v1/", notes)
                api.add_router("/v1/", drafts)
                api.add_router("/v1/admin/", admin, auth=django_auth)
            """,
        }
    )
    note = route(index, "DELETE", "/v1/notes/{pk}/").auth
    assert note.status == "present"
    assert note.evidence[0].detail.startswith("auth=TokenAuth")
    assert route(index, "POST", "/v1/comments/").auth.status == "present"
    assert route(index, "DELETE", "/v1/admin/users/{pk}/").auth.status == "present"
    shared = route(index, "GET", "/v1/notes/shared/").auth
    assert (shared.status, shared.note) == (
        "absent",
        "explicitly public: auth=None on the operation",
    )
    assert route(index, "DELETE", "/v1/drafts/{pk}/").auth.status == "absent"


def test_a_router_prefix_from_constants_out_of_sight_stays_visible_as_names() -> None:
    # zenml.constants is not among the reviewed files: the prefix is not dropped (which made
    # GET "" look like the index page), it shows the names it is built from
    index = build_index(
        {
            "app/routes.py": """
                from fastapi import APIRouter, FastAPI
                from zenml.constants import API, ARTIFACTS, VERSION_1

                router = APIRouter(prefix=API + VERSION_1 + ARTIFACTS)

                @router.get("")
                def list_artifacts():
                    return []

                app = FastAPI()
                app.include_router(router)
            """,
        }
    )
    listed = route(index, "GET", "/{API}{VERSION_1}{ARTIFACTS}")
    assert listed.public_by_design is None


@pytest.mark.parametrize(
    ("on_bad_token", "status"),
    [
        ('raise CredentialsNotValid("invalid download token")', "present"),
        ("return None", "absent"),  # decodes but turns nobody away
    ],
)
def test_a_helper_that_verifies_a_signed_download_token_authenticates(
    on_bad_token: str, status: str
) -> None:
    index = build_index(
        {
            "app/auth.py": f"""
                import jwt
                from app.config import SECRET

                class CredentialsNotValid(Exception):
                    pass

                def verify_download_token(token, resource_id):
                    try:
                        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
                    except jwt.PyJWTError:
                        {on_bad_token}
                    if claims.get("resource_id") != str(resource_id):
                        {on_bad_token}
            """,
            "app/config.py": 'SECRET = "x" * 32\n',
            "app/main.py": """
                from uuid import UUID
                from fastapi import FastAPI
                from fastapi.responses import FileResponse
                from app.auth import verify_download_token

                app = FastAPI()

                @app.get("/artifacts/{artifact_id}/data")
                def download(artifact_id: UUID, token: str):
                    verify_download_token(token=token, resource_id=artifact_id)
                    return FileResponse(f"/var/artifacts/{artifact_id}.tar.gz")
            """,
        }
    )
    auth = route(index, "GET", "/artifacts/{artifact_id}/data").auth
    assert auth.status == status
    if status == "present":
        assert (
            auth.evidence[0].detail
            == "calls verify_download_token(), which verifies a signed token"
        )


def test_a_django_ninja_auth_list_admits_whoever_one_entry_admits() -> None:
    index = build_index(
        {
            "app/auth.py": """
                from ninja.security import APIKeyHeader, HttpBearer
                from ninja.security.base import AuthBase

                class TokenAuth(HttpBearer):
                    def authenticate(self, request, token):
                        return None

                class KeyAuth(APIKeyHeader):
                    def authenticate(self, request, key):
                        return None

                class AllowAnonymous(AuthBase):
                    def __call__(self, request):
                        return "anonymous"
            """,
            "app/api.py": """
                from ninja import NinjaAPI, Router
                from app.auth import AllowAnonymous, KeyAuth, TokenAuth

                router = Router()

                @router.get("/documents/{pk}/", auth=[TokenAuth(), AllowAnonymous()])
                def get_document(request, pk: int):
                    return {"pk": pk}

                @router.delete("/documents/{pk}/", auth=[TokenAuth(), KeyAuth()])
                def delete_document(request, pk: int):
                    return None

                api = NinjaAPI()
                api.add_router("/api/", router)
            """,
        }
    )
    read = route(index, "GET", "/api/documents/{pk}/").auth
    assert read.status == "absent"
    assert "also admits callers through AllowAnonymous" in read.note
    assert route(index, "DELETE", "/api/documents/{pk}/").auth.status == "present"


@pytest.mark.parametrize(
    ("on_bad_signature", "status"),
    [
        ("raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)", "present"),
        ("return Response(status_code=202)", "absent"),
    ],
)
def test_a_function_the_handler_runs_in_a_thread_pool_counts_as_called(
    on_bad_signature: str, status: str
) -> None:
    index = build_index(
        {
            "app/hooks.py": f"""
                import hmac
                from fastapi import APIRouter, HTTPException, Request, Response, status
                from starlette.concurrency import run_in_threadpool
                from app.settings import WEBHOOK_SECRET

                router = APIRouter()

                def _accept_event(body: bytes, signature: str) -> Response:
                    expected = hmac.new(WEBHOOK_SECRET, body, "sha256").hexdigest()
                    if signature != expected:
                        {on_bad_signature}
                    return Response(status_code=202)

                @router.post("/events/{{source}}")
                async def receive_event(source: str, request: Request) -> Response:
                    body = await request.body()
                    signature = request.headers.get("X-Signature", "")
                    return await run_in_threadpool(_accept_event, body=body, signature=signature)
            """,
            "app/settings.py": 'WEBHOOK_SECRET = b"from-the-environment"\n',
            "app/main.py": """
                from fastapi import FastAPI
                from app.hooks import router
                app = FastAPI()
                app.include_router(router)
            """,
        }
    )
    assert route(index, "POST", "/events/{source}").auth.status == status


def test_router_dependencies_from_a_function_that_builds_them() -> None:
    """`APIRouter(dependencies=get_dependencies())` where get_dependencies returns
    `[Depends(check_session_api_key)]`: the router demands what those dependencies demand; a
    builder of dependencies that check nothing adds nothing."""
    index = build_index(
        {
            "app/deps.py": DEPS
            + """

def get_dependencies():
    result = []
    if SESSION_KEY_SET:
        result.append(Depends(get_current_user))
    return result


def get_tracing():
    return [Depends(get_db)]
""",
            "app/main.py": """
                from fastapi import APIRouter, FastAPI
                from app.deps import get_dependencies, get_tracing
                guarded = APIRouter(prefix="/conversations", dependencies=get_dependencies())
                traced = APIRouter(prefix="/notes", dependencies=get_tracing())
                @guarded.delete("/{cid}")
                async def drop(cid: str):
                    return None
                @traced.delete("/{nid}")
                async def drop_note(nid: str):
                    return None
                app = FastAPI()
                app.include_router(guarded)
                app.include_router(traced)
            """,
        }
    )
    assert route(index, "DELETE", "/conversations/{cid}").auth.status == "present"
    assert route(index, "DELETE", "/notes/{nid}").auth.status == "absent"
