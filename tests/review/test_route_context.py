"""Exception text answered to administrators only is operator diagnostics, not a leak."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mcp_backend.review.engine import run_review
from mcp_backend.review.model import ReviewRequest

DEPS = """
    from fastapi import Depends, HTTPException
    from app.auth import current_user

    def get_verified_user(user=Depends(current_user)):
        if user is None:
            raise HTTPException(status_code=401)
        return user

    def get_admin_user(user=Depends(current_user)):
        if user is None:
            raise HTTPException(status_code=401)
        if user.role != "admin":
            raise HTTPException(status_code=403)
        return user
"""
AUTH = """
    from fastapi import Request

    async def current_user(request: Request):
        return request.state.user
"""
ROUTES = """
    from fastapi import APIRouter, Depends, HTTPException
    from app.deps import get_admin_user, get_verified_user
    from app import backends

    router = APIRouter()

    @router.post("/admin/backends/{name}/test")
    async def test_backend(name: str, user=Depends(get_admin_user)):
        return await _probe(name)

    async def _probe(name: str):
        try:
            return await backends.connect(name)
        except Exception as exc:
            raise HTTPException(status_code=502, detail=f"Connection failed: {exc}")

    @router.post("/documents/{doc_id}/process")
    async def process_document(doc_id: int, user=Depends(get_verified_user)):
        try:
            return await backends.process(doc_id, owner=user.id)
        except Exception as exc:
            raise HTTPException(status_code=400, detail=str(exc))
"""


def _leaks(tmp_path: Path) -> list[int]:
    for name, source in {
        "app/__init__.py": "",
        "app/auth.py": AUTH,
        "app/deps.py": DEPS,
        "app/routes.py": ROUTES,
        "app/backends.py": "async def connect(name): ...\nasync def process(i, owner): ...\n",
    }.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    outcome = run_review(ReviewRequest(root=tmp_path, use_cache=False))
    return sorted(f.line for f in outcome.findings if f.rule_id == "error-details-leak")


def test_error_text_for_users_is_reported_and_for_admins_only_is_not(tmp_path: Path) -> None:
    source = textwrap.dedent(ROUTES).splitlines()
    user_line = next(i for i, t in enumerate(source, 1) if "detail=str(exc)" in t)
    assert _leaks(tmp_path) == [user_line]


NOTEBOOK_SERVER = {
    "nb/__init__.py": "",
    "nb/server.py": """
        from starlette.applications import Starlette
        from starlette.authentication import requires
        from starlette.exceptions import HTTPException
        from starlette.middleware import Middleware
        from starlette.middleware.authentication import AuthenticationMiddleware
        from starlette.responses import JSONResponse
        from starlette.routing import Route
        from nb.auth import TokenBackend
        from nb import kernels

        @requires("edit")
        async def install_package(request):
            body = await request.json()
            try:
                await kernels.install(body["name"])
            except Exception as exc:
                raise HTTPException(status_code=400, detail=f"Install failed: {exc}")
            return JSONResponse({"ok": True})

        routes = [Route("/api/packages/install", install_package, methods=["POST"])]
        middleware = [Middleware(AuthenticationMiddleware, backend=TokenBackend())]
        app = Starlette(routes=routes, middleware=middleware)
    """,
    "nb/auth.py": """
        from starlette.authentication import AuthCredentials, AuthenticationBackend, SimpleUser

        class TokenBackend(AuthenticationBackend):
            async def authenticate(self, conn):
                if conn.query_params.get("access_token") != conn.app.state.token:
                    return None
                return AuthCredentials(["edit"]), SimpleUser("owner")
    """,
    "nb/kernels.py": "async def install(name): ...\n",
}


def _write(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    outcome = run_review(ReviewRequest(root=tmp_path, use_cache=False))
    return [f.file for f in outcome.findings if f.rule_id == "error-details-leak"]


def test_error_text_to_the_signed_in_operator_of_a_single_user_app_is_not_a_leak(
    tmp_path: Path,
) -> None:
    assert _write(tmp_path, NOTEBOOK_SERVER) == []


def test_the_same_handler_without_sign_in_leaks(tmp_path: Path) -> None:
    files = dict(NOTEBOOK_SERVER)
    files["nb/server.py"] = "\n".join(
        line for line in files["nb/server.py"].splitlines() if "@requires" not in line
    )
    assert _write(tmp_path, files) == ["nb/server.py"]


EXPRESS_ROUTES = """\
const Router = require('express-promise-router');
const { isAdmin, loggedIn } = require('./auth');
const plugins = require('./plugins');
const router = new Router();
module.exports = router;

router.post('/admin/plugins/install', isAdmin, async (req, res) => {
  try {
    res.json(await plugins.install(req.body.name));
  } catch (e) {
    res.status(500).json({ error: e.message });
  }
});

router.post('/notes', loggedIn, async (req, res) => {
  try {
    res.json(await plugins.saveNote(req.user.id, req.body.text));
  } catch (e) {
    res.status(500).json({ error: e.message });
  }
});
"""
EXPRESS_AUTH = """\
exports.isAdmin = (req, res, next) => {
  if (req.user && req.user.role === 'admin') return next();
  res.status(403).end();
};
exports.loggedIn = (req, res, next) => {
  if (req.user) return next();
  res.status(401).end();
};
"""


def _js_leaks(tmp_path: Path, routes: str) -> list[int]:
    (tmp_path / "routes.js").write_text(routes)
    (tmp_path / "auth.js").write_text(EXPRESS_AUTH)
    (tmp_path / "plugins.js").write_text(
        "exports.install = async (n) => n;\nexports.saveNote = async () => 1;\n"
    )
    (tmp_path / "app.js").write_text(
        "const express = require('express');\nconst app = express();\n"
        "app.use(require('./routes'));\n"
    )
    report = run_review(ReviewRequest(root=tmp_path, use_cache=False, jobs=1))
    return [f.line for f in report.findings if f.rule_id == "error-details-leak"]


def test_js_error_text_for_admins_only_is_not_a_leak_and_for_users_is(tmp_path: Path) -> None:
    assert _js_leaks(tmp_path, EXPRESS_ROUTES) == [19]


def test_js_the_same_handler_behind_a_non_admin_check_leaks(tmp_path: Path) -> None:
    # signed in is not admin when the app tells admins apart elsewhere (isAdmin on another route)
    routes = (
        EXPRESS_ROUTES.replace(
            "router.post('/admin/plugins/install', isAdmin,",
            "router.post('/admin/plugins/install', loggedIn,",
        )
        + "router.delete('/admin/users/:id', isAdmin, async (req, res) => res.end());\n"
    )
    assert _js_leaks(tmp_path, routes) == [11, 19]


def test_admin_checks_known_by_the_names_of_resolved_role_checks() -> None:
    """The role evidence of a route names its check; these name an administrator's role."""
    from mcp_backend.review.route_context import ADMIN_CHECK

    admins = [
        "Depends(check_admin): check_admin -> check_account_exists",
        "Depends(check_super_user)",
        "@superuser_required",
        "@staff_member_required",
        '@roles_required("Administrator")',
        "hasRole('ADMIN')",
        "require_admin",
    ]
    others = [
        "Depends(check_account_exists)",
        "check_administrative_area",
        '@roles_required("editor")',
        "Depends(check_user_exists)",
    ]
    assert all(ADMIN_CHECK.search(text) for text in admins)
    assert not any(ADMIN_CHECK.search(text) for text in others)
