"""Protections applied away from the route: hooks, middleware and router dependencies that are
wired in another module or built at runtime, judged by what they do."""

from __future__ import annotations

from tests.review.routes.helpers import build_index, route

# A hook decorated with the project's own decorator, whose wrapper reaches the token check
# only through two helpers: every route of the blueprints it is attached to needs a token.
FLASK_HOOK_VIA_HELPERS = {
    "vault/api/auth.py": """
        from functools import wraps
        import jwt
        from flask import current_app, request

        class AuthError(Exception):
            pass

        def token_from_request():
            return request.headers.get("Authorization")

        def load_claims(token, roles):
            if token is None:
                raise AuthError("missing token")
            claims = jwt.decode(token, current_app.secret_key, algorithms=["HS256"])
            if claims["role"] not in roles:
                raise AuthError("wrong role")
            return claims

        def check_request(roles):
            load_claims(token_from_request(), roles)

        def admin_only(view):
            @wraps(view)
            def wrapper(*args, **kwargs):
                check_request(["admin"])
                return view(*args, **kwargs)
            return wrapper

        def audited(view):
            @wraps(view)
            def wrapper(*args, **kwargs):
                record_access()
                return view(*args, **kwargs)
            return wrapper

        def record_access():
            current_app.logger.info("access %s", request.path)
    """,
    "vault/api/secrets.py": """
        from flask import Blueprint
        secrets_bp = Blueprint("secrets", __name__)

        @secrets_bp.route("/secrets/<name>", methods=["DELETE"])
        def delete_secret(name):
            return {"deleted": name}
    """,
    "vault/api/notes.py": """
        from flask import Blueprint
        notes_bp = Blueprint("notes", __name__)

        @notes_bp.route("/notes", methods=["POST"])
        def add_note():
            return {}
    """,
    "vault/api/hooks.py": """
        from flask import g
        from vault.api.auth import admin_only, audited
        from vault.api.notes import notes_bp
        from vault.api.secrets import secrets_bp

        @secrets_bp.before_request
        @admin_only
        def before_secrets():
            g.area = "secrets"

        @notes_bp.before_request
        @audited
        def before_notes():
            g.area = "notes"
    """,
    "vault/app.py": """
        from flask import Flask
        from vault.api import hooks
        from vault.api.notes import notes_bp
        from vault.api.secrets import secrets_bp

        app = Flask(__name__)
        app.register_blueprint(secrets_bp)
        app.register_blueprint(notes_bp)
    """,
}


def test_hook_decorated_with_a_check_reached_through_helpers_protects_its_blueprint() -> None:
    index = build_index(FLASK_HOOK_VIA_HELPERS)
    delete = route(index, "DELETE", "/secrets/<name>")
    assert delete.auth.status == "present"
    assert delete.auth.evidence[0].kind == "hook"
    assert "load_claims" in delete.auth.evidence[0].detail


def test_hook_decorated_with_a_wrapper_that_checks_nothing_is_no_protection() -> None:
    index = build_index(FLASK_HOOK_VIA_HELPERS)
    add = route(index, "POST", "/notes")
    assert add.auth.status == "absent"


# Routers built by a factory function, their dependencies a list grown at runtime.
FASTAPI_ROUTER_FACTORY = {
    "tracker/security.py": """
        from fastapi import HTTPException, Request

        async def require_user(request: Request) -> None:
            if request.headers.get("Authorization") is None:
                raise HTTPException(status_code=401, detail="not signed in")

        async def refuse_when_read_only(request: Request) -> None:
            if request.app.state.read_only and request.method != "GET":
                raise HTTPException(status_code=409, detail="read-only mode")
    """,
    "tracker/issues.py": """
        from fastapi import APIRouter
        router = APIRouter(tags=["issues"])

        @router.delete("/issues/{issue_id}")
        async def delete_issue(issue_id: int) -> None:
            return None
    """,
    "tracker/feedback.py": """
        from fastapi import APIRouter
        router = APIRouter(tags=["feedback"])

        @router.post("/feedback")
        async def send_feedback() -> None:
            return None
    """,
    "tracker/api.py": """
        from fastapi import APIRouter, Depends, FastAPI
        from tracker.feedback import router as feedback_router
        from tracker.issues import router as issues_router
        from tracker.security import refuse_when_read_only, require_user

        BASE_DEPENDENCIES = [Depends(refuse_when_read_only)]

        def create_api_router(auth_enabled: bool) -> APIRouter:
            dependencies = list(BASE_DEPENDENCIES)
            if auth_enabled:
                dependencies.append(Depends(require_user))
            api = APIRouter(prefix="/api", dependencies=dependencies)
            api.include_router(issues_router)
            return api

        def create_public_router() -> APIRouter:
            extra = [Depends(refuse_when_read_only)] if True else []
            public = APIRouter(prefix="/public", dependencies=extra)
            public.include_router(feedback_router)
            return public

        app = FastAPI()
        app.include_router(create_api_router(auth_enabled=True))
        app.include_router(create_public_router())
    """,
}


def test_router_dependencies_appended_in_its_factory_protect_its_routes() -> None:
    index = build_index(FASTAPI_ROUTER_FACTORY)
    delete = route(index, "DELETE", "/api/issues/{issue_id}")
    assert delete.auth.status == "present"
    assert any("require_user" in e.detail for e in delete.auth.evidence)


def test_router_factory_dependencies_that_check_nobody_leave_auth_absent() -> None:
    index = build_index(FASTAPI_ROUTER_FACTORY)
    feedback = route(index, "POST", "/public/feedback")
    assert feedback.auth.status == "absent"


NOTES_BY_CALLER = """
    from fastapi import APIRouter, Depends, HTTPException, Request
    from notes.db import load_note, save_note

    async def require_user(request: Request) -> None:
        if request.headers.get("Authorization") is None:
            raise HTTPException(status_code=401)

    def session_user_id(request: Request) -> int:
        return int(request.user.identity)

    router = APIRouter(dependencies=[Depends(require_user)])

    @router.patch("/notes/{note_id}")
    async def rename_note(note_id: int, request: Request) -> None:
        note = await load_note(note_id, owner_id=session_user_id(request))
        await save_note(note)

    @router.delete("/notes/{note_id}")
    async def delete_note(note_id: int, request: Request) -> None:
        note = await load_note(note_id, owner_id=request.query_params.get("owner"))
        await save_note(note)
"""
NOTES_DB = """
    async def load_note(note_id, owner_id):
        return await Note.filter(id=note_id, owner_id=owner_id).first()

    async def save_note(note):
        await note.save()
"""


def test_lookup_scoped_by_a_helper_reading_the_caller_off_the_request_is_ownership() -> None:
    index = build_index({"notes/api.py": NOTES_BY_CALLER, "notes/db.py": NOTES_DB})
    assert route(index, "PATCH", "/notes/{note_id}").authz.status == "present"
    assert route(index, "DELETE", "/notes/{note_id}").authz.status != "present"


INSTALLED_MIDDLEWARE = {
    "board/security.py": """
        from fastapi import FastAPI, Request
        from fastapi.responses import JSONResponse

        def install_token_check(app: FastAPI) -> None:
            @app.middleware("http")
            async def token_check(request: Request, call_next):
                if request.url.path.startswith("/health"):
                    return await call_next(request)
                if not request.headers.get("Authorization"):
                    return JSONResponse({"detail": "sign in"}, status_code=401)
                return await call_next(request)

        def install_timing(app: FastAPI) -> None:
            @app.middleware("http")
            async def timing(request: Request, call_next):
                response = await call_next(request)
                response.headers["X-Elapsed"] = "0"
                return response
    """,
    "board/routes.py": """
        from fastapi import APIRouter
        router = APIRouter()

        @router.post("/boards")
        async def create_board() -> dict:
            return {}
    """,
}
MAIN_WITH_CHECK = """
    from fastapi import FastAPI
    from board.routes import router
    from board.security import install_timing, install_token_check

    def create_app() -> FastAPI:
        web_app = FastAPI()
        web_app.include_router(router)
        install_timing(web_app)
        install_token_check(web_app)
        return web_app
"""
MAIN_WITHOUT_CHECK = """
    from fastapi import FastAPI
    from board.routes import router
    from board.security import install_timing

    def create_app() -> FastAPI:
        web_app = FastAPI()
        web_app.include_router(router)
        install_timing(web_app)
        return web_app
"""


def test_middleware_a_function_installs_on_the_app_it_is_handed_protects_its_routes() -> None:
    index = build_index({**INSTALLED_MIDDLEWARE, "board/main.py": MAIN_WITH_CHECK})
    create = route(index, "POST", "/boards")
    assert create.auth.status == "present"
    assert create.auth.evidence[0].kind == "middleware"
    assert create.auth.evidence[0].file == "board/security.py"


def test_installer_never_called_or_checking_nothing_is_no_protection() -> None:
    index = build_index({**INSTALLED_MIDDLEWARE, "board/main.py": MAIN_WITHOUT_CHECK})
    assert route(index, "POST", "/boards").auth.status == "absent"


def test_installed_check_with_two_apps_of_the_framework_is_unknown() -> None:
    second_app = """
        from fastapi import FastAPI
        admin_app = FastAPI()
    """
    index = build_index(
        {**INSTALLED_MIDDLEWARE, "board/main.py": MAIN_WITH_CHECK, "board/admin.py": second_app}
    )
    create = route(index, "POST", "/boards")
    assert create.auth.status == "unknown"
    assert "board/security.py" in (create.auth.note or "")


OPTIONAL_CALLER = {
    "shop/deps.py": """
        from fastapi import Depends, HTTPException
        from fastapi.security import APIKeyCookie, HTTPBearer

        session_cookie = APIKeyCookie(name="session", auto_error=False)
        bearer = HTTPBearer()

        class AdminKeyRepository:
            async def get_by_hash(self, token_hash):
                return None

        async def get_optional_admin_key(
            token: str | None = Depends(session_cookie),
            repository: AdminKeyRepository = Depends(AdminKeyRepository),
        ):
            if token is None:
                return None
            return await repository.get_by_hash(token)

        async def require_session(token: str | None = Depends(session_cookie)):
            if token is None:
                raise HTTPException(status_code=401, detail="sign in")
            return token
    """,
    "shop/routes.py": """
        from fastapi import APIRouter, Depends
        from shop.deps import bearer, get_optional_admin_key, require_session
        router = APIRouter()

        @router.post("/newsletter")
        async def subscribe(admin=Depends(get_optional_admin_key)) -> None:
            return None

        @router.post("/orders")
        async def create_order(session=Depends(require_session)) -> None:
            return None

        @router.post("/refunds")
        async def refund(credentials=Depends(bearer)) -> None:
            return None
    """,
}


def test_optional_credentials_identify_callers_but_do_not_authenticate_the_route() -> None:
    index = build_index(OPTIONAL_CALLER)
    assert route(index, "POST", "/newsletter").auth.status != "present"


def test_a_dependency_that_answers_401_or_a_scheme_that_errors_authenticates() -> None:
    index = build_index(OPTIONAL_CALLER)
    assert route(index, "POST", "/orders").auth.status == "present"
    assert route(index, "POST", "/refunds").auth.status == "present"


LOGIN_WITH_OWN_LIMITER = {
    "portal/limits.py": """
        from fastapi import HTTPException

        class AttemptCounter:
            def __init__(self, limit: int) -> None:
                self.limit = limit
                self.seen: dict[str, int] = {}

            def exceeded(self, key: str) -> bool:
                self.seen[key] = self.seen.get(key, 0) + 1
                return self.seen[key] > self.limit

        signin_attempts = AttemptCounter(limit=10)

        def check_attempts(key: str) -> None:
            if signin_attempts.exceeded(key):
                raise HTTPException(status_code=429, detail="Too many attempts")
    """,
    "portal/auth.py": """
        from fastapi import APIRouter, HTTPException, status
        from portal.limits import check_attempts, signin_attempts
        from portal.schemas import Credentials

        router = APIRouter(prefix="/auth")

        @router.post("/signin")
        async def signin(body: Credentials):
            if signin_attempts.exceeded(body.email.lower()):
                raise HTTPException(status_code=status.HTTP_429_TOO_MANY_REQUESTS)
            return {"token": "..."}

        @router.post("/ldap/login")
        async def ldap_login(body: Credentials):
            check_attempts(body.username)
            return {"token": "..."}

        @router.post("/signup")
        async def signup(body: Credentials):
            return {"created": True}
    """,
}


def test_a_handler_or_helper_answering_429_limits_the_route() -> None:
    index = build_index(LOGIN_WITH_OWN_LIMITER)
    assert route(index, "POST", "/auth/signin").rate_limit.status == "present"
    assert route(index, "POST", "/auth/ldap/login").rate_limit.status == "present"
    assert route(index, "POST", "/auth/signup").rate_limit.status == "absent"


SCOPED_FILES = {
    "files/app.py": """
        from starlette.applications import Starlette
        from starlette.authentication import has_required_scope
        from starlette.exceptions import HTTPException
        from starlette.responses import FileResponse
        from starlette.routing import Route

        async def virtual_file(request):
            if not has_required_scope(request, ["read"]):
                raise HTTPException(status_code=403)
            return FileResponse(request.app.state.store / request.path_params["name"])

        async def shared_file(request):
            if not request.path_params["name"].endswith(".txt"):
                raise HTTPException(status_code=404)
            return FileResponse(request.app.state.store / request.path_params["name"])

        routes = [
            Route("/files/{name}", virtual_file),
            Route("/shared/{name}", shared_file),
        ]
        app = Starlette(routes=routes)
    """,
}


def test_a_handler_checking_the_callers_scope_with_the_library_predicate_authenticates() -> None:
    index = build_index(SCOPED_FILES)
    assert route(index, "GET", "/files/{name}").auth.status == "present"
    assert route(index, "GET", "/shared/{name}").auth.status == "absent"


DEVICE_CHECK = {
    "otp/errors.py": """
        class AuthError(Exception):
            status_code = 401

        class ParameterError(Exception):
            status_code = 400
    """,
    "otp/api.py": """
        from flask import Blueprint, g, request
        from otp.errors import AuthError, ParameterError

        bp = Blueprint("validate", __name__)

        @bp.route("/validate/remember", methods=["POST"])
        def remember_device():
            if g.get("client_id") is None:
                raise AuthError("A valid API key is required.")
            return {"known": request.cookies.get("device") is not None}

        @bp.route("/validate/samlcheck", methods=["POST"])
        def saml_check():
            if g.get("client_id") is None:
                raise ParameterError("client missing")
            return {"ok": True}
    """,
}


def test_a_handler_raising_an_authentication_error_when_no_client_is_identified() -> None:
    index = build_index(DEVICE_CHECK)
    assert route(index, "POST", "/validate/remember").auth.status == "present"
    assert route(index, "POST", "/validate/samlcheck").auth.status == "absent"
