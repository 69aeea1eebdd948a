"""cors-wildcard judged with the application: who authenticates, and with what credentials."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mcp_backend.review.engine import run_review
from mcp_backend.review.model import Finding, ReviewRequest
from mcp_backend.review.rules.cors_wildcard._app import AMBIENT, ambient_credentials

BEARER = """
    from fastapi import Depends, HTTPException
    from fastapi.security import HTTPBearer

    bearer = HTTPBearer()

    def current_user(token=Depends(bearer)):
        if token.credentials != "x":
            raise HTTPException(status_code=401)
        return token
"""


def _fastapi(tmp_path: Path, cors: str, *, auth: bool, extra: str = "") -> list[Finding]:
    files = {
        "app/__init__.py": "",
        "app/auth.py": BEARER,
        "app/main.py": f"""
            from fastapi import Depends, FastAPI
            from fastapi.middleware.cors import CORSMiddleware
            from app.auth import current_user
            {extra}

            app = FastAPI()
            app.add_middleware(CORSMiddleware, {cors})

            @app.get("/notes")
            def list_notes({"user=Depends(current_user)" if auth else ""}):
                return []

            @app.delete("/notes/{{note_id}}")
            def delete_note(note_id: int{", user=Depends(current_user)" if auth else ""}):
                return None
        """,
    }
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    outcome = run_review(ReviewRequest(root=tmp_path, use_cache=False))
    return [f for f in outcome.findings if f.rule_id == "cors-wildcard"]


def test_wildcard_without_credentials_on_an_api_that_authenticates_is_not_reported(
    tmp_path: Path,
) -> None:
    # the browser adds nothing to the cross-site request: the page reads what it could fetch
    assert _fastapi(tmp_path, 'allow_origins=["*"]', auth=True) == []


def test_wildcard_on_an_api_that_authenticates_no_one_is_reported(tmp_path: Path) -> None:
    # a local tool trusting the network: any website the user opens can drive it
    found = _fastapi(tmp_path, 'allow_origins=["*"]', auth=False)
    assert [f.severity for f in found] == ["medium"]


def test_credentials_with_header_tokens_only_are_medium_and_say_why(tmp_path: Path) -> None:
    found = _fastapi(tmp_path, 'allow_origins=["*"], allow_credentials=True', auth=True)
    assert [f.severity for f in found] == ["medium"]
    assert "no cookie, session or HTTP Basic login seen" in found[0].message


def test_credentials_with_a_session_cookie_stay_high(tmp_path: Path) -> None:
    found = _fastapi(
        tmp_path,
        'allow_origins=["*"], allow_credentials=True',
        auth=True,
        extra="from starlette.middleware.sessions import SessionMiddleware",
    )
    assert [f.severity for f in found] == ["high"]
    assert "no cookie" not in found[0].message


def _express(tmp_path: Path, *, session: bool) -> list[Finding]:
    source = f"""
        const express = require('express');
        const cors = require('cors');
        {"const session = require('express-session');" if session else ""}
        const {{ requireAuth }} = require('./auth');

        const app = express();
        app.use(cors({{ origin: true, credentials: true }}));
        {"app.use(session({ secret: process.env.SESSION_SECRET }));" if session else ""}

        app.get('/orders', requireAuth, (req, res) => res.json([]));
        app.delete('/orders/:id', requireAuth, (req, res) => res.sendStatus(204));

        module.exports = app;
    """
    auth = """
        const jwt = require('jsonwebtoken');

        function requireAuth(req, res, next) {
          const header = req.headers.authorization || '';
          try {
            const secret = process.env.JWT_SECRET;
            req.user = jwt.verify(header.slice(7), secret, { algorithms: ['HS256'] });
          } catch (err) {
            return res.status(401).json({ error: 'unauthorized' });
          }
          return next();
        }

        module.exports = { requireAuth };
    """
    (tmp_path / "src").mkdir(parents=True, exist_ok=True)
    (tmp_path / "src/app.js").write_text(textwrap.dedent(source))
    (tmp_path / "src/auth.js").write_text(textwrap.dedent(auth))
    (tmp_path / "package.json").write_text('{"name": "shop", "dependencies": {"express": "4"}}')
    outcome = run_review(ReviewRequest(root=tmp_path, use_cache=False))
    return [f for f in outcome.findings if f.rule_id == "cors-wildcard"]


def test_express_reflected_origin_with_credentials_and_a_session_is_high(tmp_path: Path) -> None:
    assert [f.severity for f in _express(tmp_path, session=True)] == ["high"]


def test_express_reflected_origin_with_credentials_and_bearer_tokens_is_medium(
    tmp_path: Path,
) -> None:
    assert [f.severity for f in _express(tmp_path, session=False)] == ["medium"]


def test_ambient_credentials_are_cookies_sessions_and_basic_auth_not_bearer_tokens() -> None:
    assert ambient_credentials("resp.set_cookie('sid', value)\n")[0]["line"] == 1
    assert ambient_credentials("x = 1\ntoken = request.cookies.get('t')\n")[0]["line"] == 2
    assert ambient_credentials("from flask import Flask, session\n")
    assert ambient_credentials("security = HTTPBasic()\n")
    assert ambient_credentials("app.use(require('cookie-parser')())\n")
    assert not ambient_credentials("auth = request.headers.get('Authorization')\n")
    assert not ambient_credentials("const t = localStorage.getItem('token');\n")


@pytest.mark.parametrize("marker", AMBIENT)
def test_every_ambient_marker_is_found_past_the_quick_check(marker: str) -> None:
    assert ambient_credentials(f"x = 1\nconfigure({marker!r})\n") == [{"line": 2, "detail": marker}]
