"""Flask route inventory: blueprints, url_prefix, decorators, before_request hooks, limiters."""

from __future__ import annotations

from tests.review.routes.helpers import build_index, project_findings, route

DECORATORS = """
from functools import wraps
from flask import abort, g, redirect, session, url_for


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if "user_id" not in session:
            return redirect(url_for("auth.login"))
        return view(*args, **kwargs)
    return wrapped


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
"""


def test_blueprint_prefixes_and_register_override() -> None:
    index = build_index(
        {
            "shop/__init__.py": """
                from flask import Flask
                def create_app():
                    app = Flask(__name__)
                    from shop.orders import bp
                    from shop.carts import carts
                    app.register_blueprint(bp)
                    app.register_blueprint(carts, url_prefix="/api/carts")
                    return app
            """,
            "shop/orders.py": """
                from flask import Blueprint
                bp = Blueprint("orders", __name__, url_prefix="/orders")
                @bp.route("/<int:order_id>", methods=["GET", "DELETE"])
                def order(order_id):
                    return {}
            """,
            "shop/carts.py": """
                from flask import Blueprint
                carts = Blueprint("carts", __name__, url_prefix="/ignored")
                @carts.get("/")
                def show_cart():
                    return {}
            """,
        }
    )
    assert {r.method for r in index.routes if r.path == "/orders/<int:order_id>"} == {
        "GET",
        "DELETE",
    }
    cart = route(index, "GET", "/api/carts/")
    assert cart.framework == "flask"
    assert cart.handler == "show_cart"


def test_project_decorators_and_library_decorators() -> None:
    index = build_index(
        {
            "app/decorators.py": DECORATORS,
            "app/views.py": """
                from flask import Flask
                from flask_login import login_required as flask_login_required
                from flask_jwt_extended import jwt_required
                from app.decorators import login_required, roles_required
                app = Flask(__name__)
                @app.post("/notes")
                @login_required
                def create_note():
                    return {}
                @app.delete("/users/<int:user_id>")
                @login_required
                @roles_required("admin")
                def delete_user(user_id):
                    return {}
                @app.put("/settings")
                @flask_login_required
                def settings():
                    return {}
                @app.post("/tokens/revoke")
                @jwt_required()
                def revoke():
                    return {}
                @app.post("/contact")
                def contact():
                    return {}
            """,
        }
    )
    note = route(index, "POST", "/notes")
    assert note.auth.status == "present"
    assert note.auth.evidence[0].kind == "decorator"
    assert note.authz.status == "absent"
    delete = route(index, "DELETE", "/users/<int:user_id>")
    assert delete.authz.status == "present"
    assert delete.authz.evidence[0].kind == "role"
    assert route(index, "PUT", "/settings").auth.status == "present"
    assert route(index, "POST", "/tokens/revoke").auth.status == "present"
    assert route(index, "POST", "/contact").auth.status == "absent"


def test_before_request_hook_protects_the_blueprint_only() -> None:
    index = build_index(
        {
            "app/admin.py": """
                from flask import Blueprint, abort, g
                admin = Blueprint("admin", __name__, url_prefix="/admin")
                @admin.before_request
                def only_admins():
                    if g.user is None:
                        abort(401)
                    if not g.user.is_admin:
                        abort(403)
                @admin.post("/users/<int:user_id>/ban")
                def ban(user_id):
                    return {}
            """,
            "app/public.py": """
                from flask import Blueprint
                public = Blueprint("public", __name__)
                @public.post("/newsletter")
                def subscribe():
                    return {}
            """,
            "app/__init__.py": """
                from flask import Flask
                from app.admin import admin
                from app.public import public
                app = Flask(__name__)
                app.register_blueprint(admin)
                app.register_blueprint(public)
            """,
        }
    )
    ban = route(index, "POST", "/admin/users/<int:user_id>/ban")
    assert ban.auth.status == "present"
    assert ban.auth.evidence[0].kind == "hook"
    assert ban.auth.evidence[0].level == "router"
    assert ban.authz.status == "present"
    assert route(index, "POST", "/newsletter").auth.status == "absent"


def test_method_view_and_flask_limiter_defaults() -> None:
    index = build_index(
        {
            "app/__init__.py": """
                from flask import Flask
                from flask.views import MethodView
                from flask_limiter import Limiter
                from flask_limiter.util import get_remote_address
                app = Flask(__name__)
                limiter = Limiter(get_remote_address, app=app, default_limits=["100/hour"])

                class ItemAPI(MethodView):
                    def get(self, item_id):
                        return {}
                    def delete(self, item_id):
                        return {}

                app.add_url_rule("/items/<int:item_id>", view_func=ItemAPI.as_view("item"))

                @app.errorhandler(500)
                def server_error(error):
                    return {"error": "internal"}, 500
            """,
        }
    )
    delete = route(index, "DELETE", "/items/<int:item_id>")
    assert delete.handler == "ItemAPI.delete"
    assert delete.rate_limit.status == "present"
    assert delete.rate_limit.evidence[0].level == "app"
    assert index.facts["error_handlers"][0]["kind"] == "errorhandler"


def test_raw_form_fields_stored_without_a_form_are_unvalidated() -> None:
    index = build_index(
        {
            "app/views.py": """
                from flask import Flask, request
                from app.forms import NoteForm
                from app.models import Note
                app = Flask(__name__)
                @app.post("/notes")
                def create_note():
                    note = Note(title=request.form["title"])
                    db.session.add(note)
                    return {}
                @app.post("/notes/checked")
                def create_checked():
                    form = NoteForm(request.form)
                    if not form.validate():
                        return {"error": "invalid"}, 400
                    return {}
                @app.post("/search")
                def search():
                    term = request.form.get("q", "")
                    return {"results": find(term)}
            """,
            "app/models.py": """
                class Note:
                    pass
            """,
        }
    )
    raw = route(index, "POST", "/notes")
    assert raw.reads_request_data is True
    assert raw.validation.status == "absent"
    assert route(index, "POST", "/notes/checked").validation.status == "present"
    # Fields used only for a lookup are not stored unchecked: not reported as missing.
    assert route(index, "POST", "/search").validation.status == "unknown"


def test_flask_restful_resources_and_restx_namespaces() -> None:
    index = build_index(
        {
            "api/__init__.py": """
                from flask import Blueprint, Flask
                from flask_restful import Api
                from flask_restx import Api as RestxApi, Namespace
                from api.resources import TodoResource, Report
                app = Flask(__name__)
                bp = Blueprint("v1", __name__, url_prefix="/v1")
                api = Api(bp)
                api.add_resource(TodoResource, "/todos/<int:todo_id>")
                app.register_blueprint(bp)
                docs = RestxApi(app)
                reports = Namespace("reports")
                docs.add_namespace(reports, path="/reports")
                @reports.route("/<int:report_id>")
                class ReportItem(Report):
                    def delete(self, report_id):
                        return None
            """,
            "api/resources.py": """
                from flask_jwt_extended import jwt_required
                from flask_restful import Resource
                class TodoResource(Resource):
                    method_decorators = [jwt_required()]
                    def get(self, todo_id):
                        return {}
                    def delete(self, todo_id):
                        return {}
                class Report(Resource):
                    pass
            """,
        }
    )
    todo = route(index, "DELETE", "/v1/todos/<int:todo_id>")
    assert todo.handler == "TodoResource.delete"
    assert todo.auth.status == "present"
    assert "method_decorators" in todo.auth.evidence[0].detail
    report = route(index, "DELETE", "/reports/<int:report_id>")
    assert report.framework == "flask"
    assert report.auth.status == "absent"


def test_fields_checked_by_hand_count_as_validated() -> None:
    index = build_index(
        {
            "blog/views.py": """
                from flask import Blueprint, flash, request
                from blog.models import Post
                bp = Blueprint("blog", __name__)
                @bp.post("/posts")
                def create():
                    title = request.form["title"]
                    if not title:
                        flash("Title is required.")
                        return {"error": "title"}, 400
                    post = Post(title=title)
                    return {"id": post.id}
                @bp.post("/posts/quick")
                def quick():
                    post = Post(title=request.form["title"])
                    return {"id": post.id}
            """,
            "blog/models.py": "class Post:\n    pass\n",
        }
    )
    assert route(index, "POST", "/posts").validation.status == "present"
    assert route(index, "POST", "/posts/quick").validation.status == "absent"


def test_loading_the_user_in_a_hook_is_not_enforcing_and_author_checks_are_ownership() -> None:
    index = build_index(
        {
            "blog/auth.py": """
                from flask import Blueprint, g, session
                bp = Blueprint("auth", __name__)
                @bp.before_app_request
                def load_logged_in_user():
                    user_id = session.get("user_id")
                    if user_id is None:
                        g.user = None
                    else:
                        g.user = {"id": user_id}
            """,
            "blog/posts.py": """
                from flask import Blueprint, abort, g
                from blog.db import get_db
                bp = Blueprint("posts", __name__)
                def get_post(id):
                    post = get_db().execute("SELECT * FROM post WHERE id = ?", (id,)).fetchone()
                    if post["author_id"] != g.user["id"]:
                        abort(403)
                    return post
                @bp.post("/<int:id>/archive")
                def archive(id):
                    get_post(id)
                    return {}
                @bp.post("/subscribe")
                def subscribe_all():
                    return {}
            """,
            "blog/__init__.py": """
                from flask import Flask
                from blog import auth, posts
                app = Flask(__name__)
                app.register_blueprint(auth.bp)
                app.register_blueprint(posts.bp)
            """,
        }
    )
    archive = route(index, "POST", "/<int:id>/archive")
    assert archive.authz.status == "present"
    assert archive.authz.evidence[0].kind == "ownership"
    assert route(index, "POST", "/subscribe").auth.status == "absent"


ACCESS_LAYER = """
from flask import g


class AccessDenied(Exception):
    pass


class Missing(Exception):
    pass


def _lookup_policy(name):
    from library.plugins import policies  # checks registered by plugins at start-up
    return policies[name]


def ensure_allowed(action, context, data=None):
    if not _lookup_policy(action)(context, data):
        raise AccessDenied(action)


def ensure_logged_in():
    if g.user is None:
        raise AccessDenied("login")


def run_action(name):
    return _lookup_policy(name)
"""


def _library(views: str) -> dict[str, str]:
    return {
        "library/access.py": ACCESS_LAYER,
        "library/models.py": "class Loan:\n    query = None\n",
        "library/views.py": views,
        "library/__init__.py": """
            from flask import Flask
            from library.views import books
            app = Flask(__name__)
            app.register_blueprint(books)
        """,
    }


def test_a_handler_refusing_when_the_called_access_layer_raises_is_not_unprotected() -> None:
    index = build_index(
        _library(
            """
            from flask import Blueprint, abort, request
            from flask.views import MethodView
            from flask_login import current_user
            from library.access import AccessDenied, Missing, ensure_allowed, ensure_logged_in
            from library.access import run_action
            books = Blueprint("books", __name__, url_prefix="/books")

            @books.before_request
            def staff_area():
                pass

            @books.post("/<int:book_id>/delete")
            def delete(book_id):
                try:
                    ensure_allowed("book_delete", {"user": current_user.name}, {"id": book_id})
                except AccessDenied:
                    abort(403)
                return {}

            @books.post("/<int:book_id>/loan")
            def loan(book_id):
                try:
                    run_action("loan_create")({"user": current_user.name}, {"id": book_id})
                except (Missing, AccessDenied):
                    abort(404)
                return {}

            @books.post("/<int:book_id>/review")
            def review(book_id):
                try:
                    ensure_logged_in()
                except AccessDenied:
                    abort(403)
                return {}

            def _load_shelf(shelf_id):
                try:
                    return run_action("shelf_show")({"user": current_user.name}, shelf_id)
                except AccessDenied:
                    abort(403)

            class ShelfView(MethodView):
                def _prepare(self, shelf_id):
                    try:
                        ensure_allowed("shelf_update", {"user": current_user.name})
                    except AccessDenied:
                        abort(403)
                def post(self, shelf_id):
                    self._prepare(shelf_id)
                    return {}

            @books.get("/shelves/<int:shelf_id>")
            def shelf(shelf_id):
                return _load_shelf(shelf_id)

            books.add_url_rule("/shelves/<int:shelf_id>/edit", view_func=ShelfView.as_view("edit"))
            """
        )
    )
    # what ensure_allowed checks is decided by plugins we cannot see: unknown, named
    delete = route(index, "POST", "/books/<int:book_id>/delete")
    assert delete.auth.status == "unknown"
    assert "refuses with 403" in delete.auth.note and "ensure_allowed()" in delete.auth.note
    # a refusal by its class answered with 404 (hiding the record) counts as well
    assert route(index, "POST", "/books/<int:book_id>/loan").auth.status == "unknown"
    # a called check whose body we read and that tests the caller is evidence
    review = route(index, "POST", "/books/<int:book_id>/review")
    assert review.auth.status == "present"
    assert "ensure_logged_in()" in review.auth.evidence[0].detail
    # the refusal sits in a helper function or in the view's own helper method
    assert route(index, "GET", "/books/shelves/<int:shelf_id>").auth.status == "unknown"
    assert route(index, "POST", "/books/shelves/<int:shelf_id>/edit").auth.status == "unknown"


def test_except_clauses_that_do_not_refuse_the_caller_are_no_evidence() -> None:
    index = build_index(
        _library(
            """
            from flask import Blueprint, abort, request
            from library.access import AccessDenied, Missing, run_action
            books = Blueprint("books", __name__, url_prefix="/books")

            @books.post("/<int:book_id>/delete")
            def delete(book_id):
                try:
                    run_action("book_delete")({}, {"id": book_id})
                except Missing:
                    abort(404)
                except ValueError:
                    abort(400)
                return {}

            @books.post("/<int:book_id>/loan")
            def loan(book_id):
                try:
                    run_action("loan_create")({}, {"id": book_id})
                except Exception:
                    abort(403)
                return {}

            @books.post("/<int:book_id>/return")
            def give_back(book_id):
                try:
                    run_action("loan_close")({}, {"id": book_id})
                except AccessDenied:
                    pass
                return {}
            """
        )
    )
    for path in ("delete", "loan", "return"):
        assert route(index, "POST", f"/books/<int:book_id>/{path}").auth.status == "absent"


def test_a_method_view_bound_to_a_name_before_add_url_rule_is_routed_per_verb() -> None:
    index = build_index(
        {
            "app/__init__.py": """
                from flask import Blueprint, Flask
                from flask.views import MethodView
                from typing import Any
                bp = Blueprint("profile", __name__, url_prefix="/profile")

                class ProfileView(MethodView):
                    def get(self, user_id=None):
                        return {}
                    def post(self, user_id=None):
                        return {}

                def plain(user_id=None):
                    return {}

                _profile: Any = ProfileView.as_view("edit")
                _plain = plain
                bp.add_url_rule("/edit", view_func=_profile)
                bp.add_url_rule("/edit/<user_id>", view_func=_profile)
                bp.add_url_rule("/plain", view_func=_plain)
                app = Flask(__name__)
                app.register_blueprint(bp)
            """,
        }
    )
    assert route(index, "POST", "/profile/edit/<user_id>").handler == "ProfileView.post"
    assert route(index, "GET", "/profile/edit").handler == "ProfileView.get"
    # a name bound to anything else stays a function view
    assert {r.method for r in index.routes if r.path == "/profile/plain"} == {"GET"}


def _signed_in_delete(refusal: str) -> dict[str, str]:
    files = _library(
        f"""
        from flask import Blueprint, abort
        from flask_login import login_required
        from library.access import AccessDenied, run_action
        from library.models import Book, db
        books = Blueprint("books", __name__, url_prefix="/books")

        @books.delete("/<int:book_id>")
        @login_required
        def delete(book_id):
            book = Book.query.get(book_id)
            try:
                run_action("book_delete")({{"book": book}})
            {refusal}
            db.session.delete(book)
            return {{}}
        """
    )
    files["library/models.py"] = "class Book:\n    query = None\n\n\ndb = None\n"
    return files


def test_an_undecided_refusal_after_login_leaves_authorization_unknown() -> None:
    index = build_index(_signed_in_delete("except AccessDenied:\n                abort(403)"))
    delete = route(index, "DELETE", "/books/<int:book_id>")
    assert delete.auth.status == "present"
    assert delete.authz.status == "unknown"
    assert "refuses with 403" in delete.authz.note
    rules = {f.rule_id for f in project_findings(index)}
    assert "object-access-without-ownership" not in rules


def test_without_the_refusal_a_signed_in_delete_by_id_lacks_authorization() -> None:
    index = build_index(_signed_in_delete("except ValueError:\n                abort(400)"))
    delete = route(index, "DELETE", "/books/<int:book_id>")
    assert delete.auth.status == "present"
    assert delete.authz.status == "absent"
    rules = {f.rule_id for f in project_findings(index)}
    assert "object-access-without-ownership" in rules


def test_an_ownership_check_alone_does_not_hide_the_refusal_that_authenticates() -> None:
    index = build_index(
        _library(
            """
            from flask import Blueprint, abort
            from flask_login import current_user
            from library.access import AccessDenied, ensure_allowed
            from library.models import Loan
            books = Blueprint("books", __name__, url_prefix="/books")

            @books.get("/loans/<int:loan_id>")
            def loan(loan_id):
                try:
                    ensure_allowed("loan_show", {"user": current_user.name})
                except AccessDenied:
                    abort(403)
                return {"loan": Loan.query.filter_by(id=loan_id, user_id=current_user.id).first()}
            """
        )
    )
    loan = route(index, "GET", "/books/loans/<int:loan_id>")
    assert loan.authz.status == "present"  # the query filtered by the caller
    assert loan.auth.status == "unknown"  # the refusal decided in code we do not follow


def test_a_link_token_verified_by_a_project_helper_authenticates_the_download() -> None:
    files = _library(
        """
        import jwt
        from flask import Blueprint, abort
        from library.tokens import read_link_token
        books = Blueprint("books", __name__, url_prefix="/books")

        @books.get("/shared/<token>")
        def shared(token):
            try:
                claims = read_link_token(token)
            except jwt.InvalidTokenError:
                return abort(404)
            return {"book": claims["sub"]}

        @books.get("/preview/<token>")
        def preview(token):
            try:
                claims = read_link_token(token)
            except KeyError:
                return abort(404)
            return {"book": claims["sub"]}
        """
    )
    files["library/tokens.py"] = """
        import jwt
        from flask import current_app

        def read_link_token(token):
            return jwt.decode(token, current_app.config["SECRET_KEY"], algorithms=["HS256"])
    """
    index = build_index(files)
    shared = route(index, "GET", "/books/shared/<token>")
    assert shared.auth.status == "present"
    assert "read_link_token()" in shared.auth.evidence[0].detail
    # a 404 after an exception that is no refusal says nothing about the caller
    assert route(index, "GET", "/books/preview/<token>").auth.status == "absent"


def test_a_project_subclass_of_the_restx_api_carries_the_app_hooks() -> None:
    """`api = API(api_app)` with `class API(Api)`: its namespaces are routes of api_app, so
    api_app's before_request login check protects them."""
    index = build_index(
        {
            "svc/app.py": """
                from flask import Flask, current_app, request
                from flask_login import current_user
                from flask_restx import Api, Resource

                class API(Api):
                    pass

                api_app = Flask(__name__)
                api = API(api_app, title="svc")

                @api_app.before_request
                def check_valid_login():
                    if request.path.startswith("/auth/login"):
                        return None
                    if not current_user.is_authenticated:
                        return current_app.login_manager.unauthorized()
                    return None

                tasks = api.namespace("tasks")

                @tasks.route("/<int:task_id>/")
                class TaskAPI(Resource):
                    def delete(self, task_id):
                        return {}
            """,
        }
    )
    assert route(index, "DELETE", "/tasks/<int:task_id>/").auth.status == "present"


RESTX_API = """
    from functools import wraps

    from flask import Flask, request
    from flask_restx import Api, Namespace, Resource

    from app.schema import process_config, format_checker


    class ValidationError(Exception):
        pass


    class API(Api):
        def validate(self, model, description=None):
            def decorator(func):
                @wraps(func)
                def wrapper(*args, **kwargs):
                    errors = process_config(request.json, model.__schema__)
                    if errors:
                        raise ValidationError(errors)
                    return func(*args, **kwargs)

                return wrapper

            return decorator


    app = Flask(__name__)
    api = API(app, format_checker=format_checker)
    tasks_ns = Namespace("tasks")
    api.add_namespace(tasks_ns)
"""


def test_a_validating_decorator_covers_the_body_the_handler_reads() -> None:
    # `@api.validate(model)` checks request.json before the handler runs; `@api.doc` on the
    # same object documents and checks nothing, whichever route is classified first
    index = build_index(
        {
            "app/schema.py": """
                format_checker = object()

                def process_config(config, schema):
                    return []
            """,
            "app/api.py": RESTX_API,
            "app/tasks.py": """
                from flask import request
                from flask_restx import Resource
                from app.api import api, tasks_ns
                from app.store import save

                @tasks_ns.route("/<int:task_id>/")
                class TaskAPI(Resource):
                    @api.validate({"type": "object"})
                    def put(self, task_id):
                        data = request.json
                        save(task_id, data)
                        return data

                    @api.doc(description="merge")
                    def patch(self, task_id):
                        data = request.json
                        save(task_id, data)
                        return data
            """,
            "app/store.py": """
                def save(key, value):
                    return None
            """,
        }
    )
    assert route(index, "PUT", "/tasks/<int:task_id>/").validation.status == "present"
    patched = route(index, "PATCH", "/tasks/<int:task_id>/")
    assert patched.validation.status == "absent"
    assert not patched.validation.evidence


def test_a_project_decorator_is_a_validator_only_by_its_whole_name() -> None:
    index = build_index(
        {
            "app/checks.py": """
                from functools import wraps
                from flask import request, abort

                def validate_json(schema):
                    def decorator(func):
                        @wraps(func)
                        def wrapper(*args, **kwargs):
                            if schema.validate(request.get_json()):
                                abort(400)
                            return func(*args, **kwargs)
                        return wrapper
                    return decorator

                def validate_signature(func):
                    @wraps(func)
                    def wrapper(*args, **kwargs):
                        return func(*args, **kwargs)
                    return wrapper
            """,
            "app/views.py": """
                from flask import Flask, request
                from app.checks import validate_json, validate_signature
                from app.schemas import NoteSchema

                app = Flask(__name__)
                NOTES = {}

                @app.post("/notes")
                @validate_json(NoteSchema())
                def create_note():
                    data = request.get_json()
                    NOTES[data["id"]] = data
                    return data

                @app.post("/hooks")
                @validate_signature
                def hook():
                    data = request.get_json()
                    NOTES[data["id"]] = data
                    return data
            """,
            "app/schemas.py": """
                class NoteSchema:
                    def validate(self, data):
                        return {}
            """,
        }
    )
    assert route(index, "POST", "/notes").validation.status == "present"
    assert route(index, "POST", "/hooks").validation.status == "absent"


def test_flask_principal_permissions_built_from_the_record_are_ownership_checks() -> None:
    index = build_index(
        {
            "app/permissions.py": """
                from flask_principal import Permission, RoleNeed

                class CertificatePermission(Permission):
                    def __init__(self, owner, roles):
                        super().__init__(RoleNeed("admin"), RoleNeed(owner), *map(RoleNeed, roles))

                class StrictRolePermission(Permission):
                    def __init__(self):
                        super().__init__(RoleNeed("operator"))

                admin_permission = Permission(RoleNeed("admin"))
            """,
            "app/views.py": """
                from flask import Flask
                from flask_login import login_required
                from app.models import Certificate
                from app.permissions import (
                    CertificatePermission, StrictRolePermission, admin_permission,
                )

                app = Flask(__name__)

                @app.delete("/certificates/<int:cert_id>")
                @login_required
                def delete_certificate(cert_id):
                    cert = Certificate.query.get(cert_id)
                    permission = CertificatePermission(cert.owner, [r.name for r in cert.roles])
                    if not permission.can():
                        return {"message": "not yours"}, 403
                    cert.delete()
                    return {}, 204

                @app.put("/certificates/<int:cert_id>/notify")
                @login_required
                def notify(cert_id):
                    if not StrictRolePermission().can():
                        return {"message": "read-only"}, 403
                    cert = Certificate.query.get(cert_id)
                    cert.notify = True
                    return {}

                @app.delete("/certificates/<int:cert_id>/purge")
                @login_required
                def purge(cert_id):
                    with admin_permission.require(http_exception=403):
                        Certificate.query.get(cert_id).purge()
                    return {}, 204
            """,
        }
    )
    deleted = route(index, "DELETE", "/certificates/<int:cert_id>")
    assert deleted.authz.status == "present"
    assert [e.kind for e in deleted.authz.evidence] == ["ownership"]
    # a permission built from nothing says nothing about whose certificate it is
    assert route(index, "PUT", "/certificates/<int:cert_id>/notify").authz.status == "absent"
    purged = route(index, "DELETE", "/certificates/<int:cert_id>/purge")
    assert [e.kind for e in purged.authz.evidence] == ["role"]
