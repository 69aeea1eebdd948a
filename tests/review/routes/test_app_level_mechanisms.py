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
