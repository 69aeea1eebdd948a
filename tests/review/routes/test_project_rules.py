"""The eight route-level rules, each with code that must and must not be reported."""

from __future__ import annotations

from mcp_backend.review import route_policy
from mcp_backend.review.model import Evidence, ProjectIndex, Protection, Route
from mcp_backend.review.rules.admin_route_missing_role import project as admin_route_missing_role
from mcp_backend.review.rules.auth_route_missing_rate_limit import (
    project as auth_route_missing_rate_limit,
)
from mcp_backend.review.rules.critical_route_untested import project as critical_route_untested
from mcp_backend.review.rules.inconsistent_response_shape import (
    project as inconsistent_response_shape,
)
from mcp_backend.review.rules.no_central_error_handler import project as no_central_error_handler
from mcp_backend.review.rules.object_access_without_ownership import (
    project as object_access_without_ownership,
)
from mcp_backend.review.rules.route_missing_auth import project as route_missing_auth
from mcp_backend.review.rules.unvalidated_request_data import project as unvalidated_request_data
from tests.review.routes.helpers import build_index

PRESENT = Protection(
    status="present", evidence=[Evidence(kind="dependency", detail="x", file="a.py")]
)
ROLE = Protection(status="present", evidence=[Evidence(kind="role", detail="x", file="a.py")])
OWNER = Protection(status="present", evidence=[Evidence(kind="ownership", detail="x", file="a.py")])


def make_route(
    method: str, path: str, handler: str = "handler", line: int = 1, **fields: object
) -> Route:
    return Route.model_validate(
        {
            "method": method,
            "path": path,
            "handler": handler,
            "file": "app/api.py",
            "line": line,
            "framework": "fastapi",
            **fields,
        }
    )


def index_of(*routes: Route, **facts: object) -> ProjectIndex:
    return ProjectIndex(root="p", routes=list(routes), facts=dict(facts), test_files=["tests/t.py"])


# --- route-missing-auth -----------------------------------------------------------------
def test_missing_auth_leaves_routes_whose_siblings_lack_it_too_to_the_checklist() -> None:
    """Routes that need authentication and show none, in a file where most routes show none
    either: they may be authenticated where the code does not show it (a gateway), so they are
    listed as such (route_policy.unauthenticated, the checklist's warning), not reported."""
    index = index_of(
        make_route("DELETE", "/orders/{id}", "delete_order", line=10),
        make_route("GET", "/users/me", "me", line=20),
        make_route("GET", "/orders/", "list_orders", line=30, auth=PRESENT),
        make_route("GET", "/orders/{id}", "get_order", line=40, loads_by_id=True),
    )
    assert list(route_missing_auth.DETECTOR.check(index)) == []
    assert [(r.method, r.path) for r, _ in route_policy.unauthenticated(index.routes)] == [
        ("DELETE", "/orders/{id}"),
        ("GET", "/users/me"),
        ("GET", "/orders/{id}"),
    ]


def test_missing_auth_reports_a_method_its_own_path_protects_elsewhere() -> None:
    """GET /users/{id} requires authentication and DELETE /users/{id} does not: deviance at the
    finest grain, reported even though most routes of the file lack authentication."""
    routes = [
        make_route("GET", "/users/search", "search", line=10),
        make_route("GET", "/users/{id}", "get_user", line=20, auth=PRESENT),
        make_route("DELETE", "/users/{id}", "delete_user", line=30),
        make_route("POST", "/users/export", "export", line=40),
    ]
    findings = list(route_missing_auth.DETECTOR.check(index_of(*routes)))
    assert [(f.route, f.severity) for f in findings] == [("DELETE /users/{id}", "high")]
    assert findings[0].message.endswith("Other methods of the same path require authentication.")
    # another path's protection is not the same record's
    routes[1] = make_route("GET", "/users/{id}/avatar", "avatar", line=20, auth=PRESENT)
    assert list(route_missing_auth.DETECTOR.check(index_of(*routes))) == []


def test_missing_auth_is_high_where_the_route_deviates_from_its_siblings() -> None:
    index = index_of(
        make_route("DELETE", "/orders/{id}", "delete_order", line=10),
        make_route("GET", "/orders/", "list_orders", line=20, auth=PRESENT),
        make_route("POST", "/orders/", "create_order", line=30, auth=PRESENT),
        make_route("PUT", "/orders/{id}", "update_order", line=40, auth=PRESENT),
    )
    (finding,) = route_missing_auth.DETECTOR.check(index)
    assert (finding.route, finding.severity) == ("DELETE /orders/{id}", "high")
    assert "Most routes beside it require authentication." in finding.message


def test_missing_auth_skips_public_unknown_and_explicitly_open_routes() -> None:
    index = index_of(
        make_route("POST", "/auth/login", "login", public_by_design="login"),
        make_route("POST", "/webhooks/stripe", "stripe", public_by_design="webhook"),
        make_route("POST", "/orders", "create", auth=Protection(status="unknown")),
        make_route(
            "POST",
            "/contact",
            "contact",
            auth=Protection(status="absent", note="explicitly public: AllowAny"),
        ),
        make_route("GET", "/products", "products"),
        make_route("GET", "/products/{id}", "product", loads_by_id=True),
        make_route("PUT", "/profile", "profile", auth=PRESENT),
    )
    assert list(route_missing_auth.DETECTOR.check(index)) == []


def test_missing_auth_skips_handlers_that_scope_their_data_to_the_caller() -> None:
    scoped = Protection(
        status="present",
        evidence=[
            Evidence(
                kind="ownership",
                detail="Unit.objects.filter_access(request.user)",
                file="app/api.py",
                level="handler",
            )
        ],
    )
    index = index_of(
        make_route("POST", "/units/{id}/memory", "memory", line=10, authz=scoped),
        make_route("POST", "/units/{id}/notes", "notes", line=20),
        make_route("GET", "/units/", "units", line=30, auth=PRESENT),
        make_route("GET", "/units/{id}", "unit", line=40, auth=PRESENT),
    )
    assert [f.route for f in route_missing_auth.DETECTOR.check(index)] == ["POST /units/{id}/notes"]
    # a role checked by a decorator is not scoping: an anonymous caller is still let in
    role = Protection(
        status="present",
        evidence=[Evidence(kind="role", detail="x", file="app/api.py", level="handler")],
    )
    index = index_of(make_route("POST", "/units/{id}/memory", "memory", authz=role))
    assert [f.route for f in route_missing_auth.DETECTOR.check(index)] == [
        "POST /units/{id}/memory"
    ]


def test_missing_auth_skips_routes_gated_by_a_permission_check() -> None:
    """A DRF default permission class answering `request.user.has_perm(perm, obj)` (settings
    level), or `@permission_required` on the route: an anonymous caller holds no permission the
    app did not grant anonymous users on purpose. A route with neither is still reported."""
    has_perm = Protection(
        status="present",
        evidence=[
            Evidence(
                kind="ownership",
                detail="DEFAULT_PERMISSION_CLASSES ApiPermission: has_perm",
                file="proj/settings.py",
                level="settings",
            )
        ],
    )
    required = Protection(
        status="present",
        evidence=[Evidence(kind="role", detail="@permission_required", file="a.py", level="route")],
    )
    index = index_of(
        make_route("POST", "/rooms/", "rooms", line=10, authz=has_perm),
        make_route("DELETE", "/rooms/{id}", "room", line=20, authz=required),
        make_route("POST", "/rooms/{id}/notes", "notes", line=30),
        make_route("GET", "/me", "me", line=40, auth=PRESENT),
        make_route("GET", "/rooms/{id}", "get_room", line=50, auth=PRESENT),
        make_route("GET", "/rooms/{id}/notes", "list_notes", line=60, auth=PRESENT),
    )
    assert [f.route for f in route_missing_auth.DETECTOR.check(index)] == ["POST /rooms/{id}/notes"]


def test_missing_auth_is_one_finding_when_no_route_has_auth() -> None:
    index = index_of(
        make_route("POST", "/a", "a", line=1),
        make_route("PUT", "/b", "b", line=2),
        make_route("DELETE", "/c", "c", line=3),
    )
    findings = list(route_missing_auth.DETECTOR.check(index))
    assert len(findings) == 1
    assert "No route in this project requires authentication" in findings[0].message
    # no authentication anywhere is more often a mechanism we do not read than an open app
    assert findings[0].severity == "medium"


def test_missing_auth_is_high_only_where_it_acts_on_records_or_is_admin() -> None:
    """Deviating from protected siblings is high when the route deletes, changes a record the
    client names or is an admin route; a sign-up or a first-run screen left open on purpose
    looks like the rest, so creating and reading stay medium."""
    protected = [
        make_route("GET", "/rooms/", "rooms", line=100 + i, auth=PRESENT) for i in range(12)
    ]
    index = index_of(
        make_route("DELETE", "/rooms/{id}", "drop", line=1),
        make_route("PATCH", "/rooms/:id", "edit", line=2),
        make_route("POST", "/admin/settings", "admin_settings", line=3),
        make_route("POST", "/rooms/", "create_room", line=4),
        make_route("GET", "/rooms/{id}/members", "members", line=5),
        *protected,
    )
    severities = {f.route: f.severity for f in route_missing_auth.DETECTOR.check(index)}
    assert severities == {
        "DELETE /rooms/{id}": "high",
        "PATCH /rooms/:id": "high",
        "POST /admin/settings": "high",
        "POST /rooms/": "medium",
        "GET /rooms/{id}/members": "medium",
    }


# --- admin-route-missing-role -------------------------------------------------------------
def test_admin_route_without_role_is_reported_and_with_role_is_not() -> None:
    index = index_of(
        make_route("GET", "/admin/users", "users", line=1, auth=PRESENT),
        make_route("POST", "/admin/ban", "ban", line=2, auth=PRESENT, authz=ROLE),
        make_route("GET", "/admin/stats", "stats", line=3),  # no auth: route-missing-auth's job
        make_route("GET", "/users", "users_list", line=4, auth=PRESENT),
        make_route("GET", "/admin/own", "own", line=5, auth=PRESENT, authz=OWNER),
    )
    findings = list(admin_route_missing_role.DETECTOR.check(index))
    assert [f.route for f in findings] == ["GET /admin/users", "GET /admin/own"]


def test_admin_route_missing_role_is_high_only_where_it_deviates() -> None:
    deviant = index_of(
        make_route("GET", "/admin/users", "users", line=1, auth=PRESENT),
        make_route("POST", "/admin/ban", "ban", line=2, auth=PRESENT, authz=ROLE),
        make_route("POST", "/admin/unban", "unban", line=3, auth=PRESENT, authz=ROLE),
    )
    (finding,) = admin_route_missing_role.DETECTOR.check(deviant)
    assert (finding.route, finding.severity) == ("GET /admin/users", "high")
    alike = index_of(
        make_route("GET", "/admin/users", "users", line=1, auth=PRESENT),
        make_route("GET", "/admin/logs", "logs", line=2, auth=PRESENT),
    )
    assert {f.severity for f in admin_route_missing_role.DETECTOR.check(alike)} == {"medium"}


# --- object-access-without-ownership --------------------------------------------------------
def test_idor_reported_only_for_authenticated_loads_without_authz() -> None:
    index = index_of(
        make_route("GET", "/orders/{id}", "get_order", line=1, auth=PRESENT, loads_by_id=True),
        make_route("DELETE", "/notes/{id}", "del_note", line=2, auth=PRESENT, loads_by_id=True),
        make_route(
            "GET", "/orders/{id}/mine", "mine", line=3, auth=PRESENT, authz=OWNER, loads_by_id=True
        ),
        make_route("GET", "/products/{id}", "product", line=4, auth=PRESENT, loads_by_id=True),
        make_route("GET", "/invoices/{id}", "invoice", line=5, loads_by_id=True),
    )
    findings = list(object_access_without_ownership.DETECTOR.check(index))
    assert [(f.route, f.confidence) for f in findings] == [
        ("GET /orders/{id}", "low"),
        ("DELETE /notes/{id}", "medium"),
    ]


def test_idor_groups_routes_of_one_handler() -> None:
    index = index_of(
        make_route(
            "GET",
            "/api/invoices/<pk>/",
            "InvoiceViewSet.retrieve",
            line=7,
            auth=PRESENT,
            loads_by_id=True,
        ),
        make_route(
            "PUT",
            "/api/invoices/<pk>/",
            "InvoiceViewSet.update",
            line=7,
            auth=PRESENT,
            loads_by_id=True,
        ),
    )
    findings = list(object_access_without_ownership.DETECTOR.check(index))
    assert len(findings) == 1
    assert "Also affects: PUT /api/invoices/<pk>/" in findings[0].message


# --- auth-route-missing-rate-limit --------------------------------------------------------
def test_rate_limit_warning_for_auth_endpoints_only() -> None:
    limited = Protection(
        status="present", evidence=[Evidence(kind="limiter", detail="5/m", file="a")]
    )
    index = index_of(
        make_route("POST", "/auth/login", "login", line=1, public_by_design="login"),
        make_route("POST", "/auth/register", "register", line=2, public_by_design="registration"),
        make_route(
            "POST",
            "/auth/password-reset",
            "reset",
            line=3,
            public_by_design="password reset",
            rate_limit=limited,
        ),
        make_route("GET", "/auth/login", "login_page", line=4, public_by_design="login"),
        make_route("POST", "/orders", "create", line=5, auth=PRESENT),
        # Storing an OAuth token for a signed-in user is not a login anyone can hammer.
        make_route("POST", "/servers/{id}/token", "save_token", line=6, auth=PRESENT),
        make_route(
            "PUT", "/users/{id}/token", "regenerate", line=7, auth=PRESENT, public_by_design="token"
        ),
        # passport.authenticate('local') counts as auth, but the route still takes a password.
        make_route("POST", "/login", "login", line=8, auth=PRESENT, public_by_design="login"),
    )
    findings = list(auth_route_missing_rate_limit.DETECTOR.check(index))
    assert [f.route for f in findings] == ["POST /auth/login", "POST /auth/register", "POST /login"]
    assert "proxy" in findings[0].message
    assert findings[0].confidence == "low"


ROUTER_AUTH = Protection(
    status="present",
    evidence=[Evidence(kind="hook", detail="before_request", file="a.py", level="router")],
)


def test_rate_limit_not_asked_of_signed_in_callers_acting_on_something_else() -> None:
    index = index_of(
        # an operator, already signed in, logs a bot client into the server its path names
        make_route("POST", "/clients/{server}/login", "client_login", line=1, auth=PRESENT),
        # a signed-in admin resets a token's fail counter, in a router that requires sign-in
        make_route("POST", "/token/reset", "reset_failcounter", line=2, auth=ROUTER_AUTH),
        # the app's own login still takes credentials behind an app-wide check
        make_route("POST", "/api/auth/login", "login", line=3, auth=PRESENT),
        make_route("POST", "/auth/sign-up", "sign_up", line=4, auth=PRESENT),
    )
    findings = list(auth_route_missing_rate_limit.DETECTOR.check(index))
    assert [f.route for f in findings] == ["POST /api/auth/login", "POST /auth/sign-up"]


def test_rate_limit_not_asked_of_admin_routes_or_signed_in_resets() -> None:
    admin = Protection(
        status="present",
        evidence=[Evidence(kind="role", detail="user.role != 'admin'", file="a.py", level="route")],
    )
    index = index_of(
        # an admin registers an OAuth client: not a sign-up anyone can spam
        make_route(
            "POST",
            "/configs/oauth/clients/register",
            "register_client",
            line=1,
            auth=PRESENT,
            authz=admin,
        ),
        # a signed-in user wipes their own memories
        make_route("POST", "/memories/reset", "reset_memories", line=2, auth=PRESENT),
        # an anonymous password reset is still asked
        make_route("POST", "/auth/reset", "reset_password", line=3),
    )
    findings = list(auth_route_missing_rate_limit.DETECTOR.check(index))
    assert [f.route for f in findings] == ["POST /auth/reset"]


# --- unvalidated-request-data -------------------------------------------------------------
def test_unvalidated_only_when_body_read_and_validation_absent() -> None:
    index = index_of(
        make_route(
            "POST",
            "/a",
            "a",
            line=1,
            reads_request_data=True,
            validation=Protection(status="absent", note="raw"),
        ),
        make_route("POST", "/b", "b", line=2, reads_request_data=True, validation=PRESENT),
        make_route(
            "POST",
            "/c",
            "c",
            line=3,
            reads_request_data=True,
            validation=Protection(status="unknown"),
        ),
        make_route("POST", "/d", "d", line=4, validation=Protection(status="absent")),
    )
    findings = list(unvalidated_request_data.DETECTOR.check(index))
    assert [f.route for f in findings] == ["POST /a"]


def test_unvalidated_body_of_a_role_restricted_route_is_not_reported() -> None:
    raw = Protection(status="absent", note="raw")
    index = index_of(
        make_route("PUT", "/admin/name", "a", line=1, reads_request_data=True, validation=raw,
                   auth=PRESENT, authz=ROLE),
        make_route("PUT", "/notes/{id}", "b", line=2, reads_request_data=True, validation=raw,
                   auth=PRESENT, authz=OWNER),
        make_route("PUT", "/profile", "c", line=3, reads_request_data=True, validation=raw,
                   auth=PRESENT),
    )  # fmt: skip
    findings = list(unvalidated_request_data.DETECTOR.check(index))
    assert [f.route for f in findings] == ["PUT /notes/{id}", "PUT /profile"]


# --- no-central-error-handler ---------------------------------------------------------------
def test_error_handler_rule_fires_once_and_only_with_evidence_of_none() -> None:
    routes = [make_route("GET", "/a", "a"), make_route("POST", "/b", "b")]
    app = {"file": "app/main.py", "line": 3, "name": "app", "framework": "fastapi"}
    findings = list(
        no_central_error_handler.DETECTOR.check(index_of(*routes, error_handlers=[], apps=[app]))
    )
    assert len(findings) == 1
    assert (findings[0].file, findings[0].line, findings[0].route) == ("app/main.py", 3, None)
    handler = {"file": "app/errors.py", "line": 5, "kind": "exception_handler"}
    assert (
        list(no_central_error_handler.DETECTOR.check(index_of(*routes, error_handlers=[handler])))
        == []
    )
    assert list(no_central_error_handler.DETECTOR.check(index_of(*routes))) == []  # cannot tell
    django = index_of(*routes, error_handlers=[], framework_error_handling="django")
    assert list(no_central_error_handler.DETECTOR.check(django)) == []
    assert list(no_central_error_handler.DETECTOR.check(index_of(error_handlers=[]))) == []


# --- critical-route-untested ------------------------------------------------------------------
def test_untested_critical_routes_per_route_when_tests_exist() -> None:
    index = index_of(
        make_route("POST", "/auth/login", "login", line=1, public_by_design="login", tested=False),
        make_route("DELETE", "/orders/{id}", "delete", line=2, tested=True),
        make_route("POST", "/checkout", "checkout", line=3, tested=False),
        make_route("GET", "/products", "products", line=4, tested=False),
        make_route("GET", "/admin/users", "users", line=5, tested=None),
    )
    findings = list(critical_route_untested.DETECTOR.check(index))
    assert [f.route for f in findings] == ["POST /auth/login", "POST /checkout"]


def test_untested_is_one_project_finding_without_any_tests() -> None:
    index = ProjectIndex(
        root="p",
        routes=[
            make_route("POST", "/auth/login", "login", public_by_design="login"),
            make_route("DELETE", "/x/{id}", "x"),
        ],
    )
    findings = list(critical_route_untested.DETECTOR.check(index))
    assert len(findings) == 1
    assert findings[0].route is None
    assert "no tests" in findings[0].message


# --- inconsistent-response-shape ------------------------------------------------------------
def _shape(keys: list[str], status: int | None = None) -> dict[str, object]:
    return {"keys": keys, "status": status, "line": 1, "file": "app/api.py"}


def test_inconsistent_envelope_and_error_keys() -> None:
    routes = [make_route("GET", f"/r{i}", f"r{i}", line=i) for i in range(1, 6)]
    shapes = {
        "GET /r1": [_shape(["data"])],
        "GET /r2": [_shape(["data", "meta"])],
        "GET /r3": [_shape(["id", "name"]), _shape(["message"], 404)],
        "GET /r4": [_shape(["data"]), _shape(["error"], 400)],
        "GET /r5": [_shape(["data"]), _shape(["error"], 403)],
    }
    findings = list(
        inconsistent_response_shape.DETECTOR.check(index_of(*routes, response_shapes=shapes))
    )
    assert [f.route for f in findings] == ["GET /r3", "GET /r3"]
    assert "'message'" in findings[1].message


def test_consistent_shapes_are_not_reported() -> None:
    routes = [make_route("GET", f"/r{i}", f"r{i}", line=i) for i in range(1, 4)]
    shapes = {
        "GET /r1": [_shape(["data"]), _shape(["error"], 404)],
        "GET /r2": [_shape(["data", "meta"]), _shape(["error"], 400)],
        "GET /r3": [_shape(["data"]), _shape(["error"], 403)],
    }
    assert (
        list(inconsistent_response_shape.DETECTOR.check(index_of(*routes, response_shapes=shapes)))
        == []
    )


# --- on real source -----------------------------------------------------------------------
def test_rules_on_a_small_fastapi_project() -> None:
    index = build_index(
        {
            "app/main.py": """
                from fastapi import Depends, FastAPI, HTTPException
                from fastapi.security import OAuth2PasswordBearer
                scheme = OAuth2PasswordBearer(tokenUrl="/login")
                app = FastAPI()
                def current_user(token: str = Depends(scheme)):
                    return token
                @app.post("/login")
                def login():
                    return {"token": "t"}
                @app.get("/accounts/{account_id}")
                def account(account_id: int, user=Depends(current_user)):
                    return db.get(Account, account_id)
                @app.delete("/accounts/{account_id}")
                def close(account_id: int):
                    db.delete(db.get(Account, account_id))
            """,
        }
    )
    rules = {
        f.rule_id
        for detector in (
            route_missing_auth.DETECTOR,
            object_access_without_ownership.DETECTOR,
            auth_route_missing_rate_limit.DETECTOR,
            no_central_error_handler.DETECTOR,
            critical_route_untested.DETECTOR,
        )
        for f in detector.check(index)
    }
    assert rules == {
        "route-missing-auth",
        "object-access-without-ownership",
        "auth-route-missing-rate-limit",
        "no-central-error-handler",
        "critical-route-untested",
    }


def test_open_detail_page_next_to_protected_form_pages_is_not_reported() -> None:
    # A blog: anyone reads posts; creating and editing need a login.
    index = index_of(
        make_route("GET", "/post/<int:pk>/", "PostDetailView.get", line=1, loads_by_id=True),
        make_route("GET", "/post/new/", "PostCreateView.get", line=2, auth=PRESENT),
        make_route("GET", "/post/<int:pk>/update/", "PostUpdateView.get", line=3, auth=PRESENT),
    )
    assert list(route_missing_auth.DETECTOR.check(index)) == []


def test_comment_on_someone_elses_record_is_not_idor() -> None:
    index = index_of(
        make_route("POST", "/post/<int:pk>/comment/", "add_comment", auth=PRESENT, loads_by_id=True)
    )
    assert list(object_access_without_ownership.DETECTOR.check(index)) == []


def test_no_tests_in_a_published_package_is_not_a_finding() -> None:
    delete = make_route("DELETE", "/orders/{id}", "delete_order", auth=PRESENT)
    repository = ProjectIndex(root="p", routes=[delete])
    (finding,) = critical_route_untested.DETECTOR.check(repository)
    assert finding.message.startswith("The project has no tests")
    published = ProjectIndex(root="p", routes=[delete], facts={"published_package": True})
    assert list(critical_route_untested.DETECTOR.check(published)) == []


def test_rate_limit_not_asked_where_the_url_carries_the_token() -> None:
    index = index_of(
        make_route("POST", "/password-reset/", "reset", public_by_design="password reset"),
        make_route(
            "POST",
            "/password-reset/<uidb64>/<token>/",
            "confirm",
            public_by_design="password reset",
        ),
        make_route("POST", "/reset/{token}", "confirm2", public_by_design="password reset"),
    )
    findings = list(auth_route_missing_rate_limit.DETECTOR.check(index))
    assert [f.route for f in findings] == ["POST /password-reset/"]


def test_rate_limit_not_asked_of_the_step_that_consumes_a_mailed_reset() -> None:
    def findings(*routes: Route) -> list[str]:
        found = auth_route_missing_rate_limit.DETECTOR.check(index_of(*routes))
        return sorted(str(f.route) for f in found)

    # forgot-password sends the mail (spam, enumeration): asked; reset-password takes the
    # mailed token with the new password: nothing guessable there
    assert findings(
        make_route("POST", "/auth/forgot-password", "forgot"),
        make_route("POST", "/auth/reset-password", "reset"),
    ) == ["POST /auth/forgot-password"]
    assert (
        findings(
            make_route("MUTATION", "Mutation.requestPasswordReset", "request", kind="graphql"),
            make_route("MUTATION", "Mutation.resetPassword", "reset", kind="graphql"),
        )
        == []
    )  # the request step is not named for an auth endpoint; the reset follows it
    assert findings(
        make_route("POST", "/recover", "recover", public_by_design="password reset"),
        make_route("POST", "/recover/reset", "reset"),
    ) == ["POST /recover"]
    # /user/reset sends the mail, /user/reset/<key> follows it
    assert findings(
        make_route("POST", "/user/reset", "request_reset"),
        make_route("POST", "/user/reset/<id>", "perform_reset"),
    ) == ["POST /user/reset"]
    # alone, a reset route may be the one that sends the mail: still asked
    assert findings(make_route("POST", "/auth/reset-password", "reset")) == [
        "POST /auth/reset-password"
    ]
    assert findings(
        make_route("POST", "/password-reset/", "reset", public_by_design="password reset"),
        make_route("POST", "/items", "create_item"),
    ) == ["POST /password-reset/"]


def test_rate_limit_finding_once_per_view_listing_its_other_methods() -> None:
    index = index_of(
        make_route("POST", "/password-reset/", "reset", line=5, public_by_design="password reset"),
        make_route("PUT", "/password-reset/", "reset", line=5, public_by_design="password reset"),
    )
    (finding,) = auth_route_missing_rate_limit.DETECTOR.check(index)
    assert finding.route == "POST /password-reset/"
    assert finding.message.endswith("Also affects: PUT /password-reset/.")
