"""Django / DRF inventory: urlconf include() chains, DRF routers, settings defaults, CBVs."""

from __future__ import annotations

import pytest

from tests.review.routes.helpers import build_index, project_findings, route

SETTINGS_WITH_DEFAULTS = """
INSTALLED_APPS = ["rest_framework", "shop"]
ROOT_URLCONF = "proj.urls"
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
"""
SETTINGS_WITHOUT_DEFAULTS = """
INSTALLED_APPS = ["rest_framework", "shop"]
ROOT_URLCONF = "proj.urls"
"""
ROOT_URLS = """
from django.contrib import admin
from django.urls import include, path
urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("shop.urls")),
]
"""
SHOP_URLS = """
from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter
from shop import views
router = DefaultRouter()
router.register(r"orders", views.OrderViewSet, basename="order")
urlpatterns = [
    path("", include(router.urls)),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    re_path(r"^legacy/(?P<pk>[0-9]+)/$", views.legacy, name="legacy"),
    path("open/", views.OpenView.as_view(), name="open"),
]
"""
SHOP_VIEWS = """
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import View
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView
from shop.models import Order
from shop.permissions import IsOwner


class OrderViewSet(viewsets.ModelViewSet):
    queryset = Order.objects.all()
    permission_classes = [IsOwner]

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return None


class ProfileView(LoginRequiredMixin, View):
    def get(self, request):
        return None

    def post(self, request):
        return None


@login_required
def legacy(request, pk):
    if request.method == "POST":
        Order.objects.filter(pk=pk).delete()
    return None


class OpenView(APIView):
    permission_classes = [AllowAny]

    def delete(self, request):
        return None
"""
PERMISSIONS = """
from rest_framework.permissions import BasePermission


class IsOwner(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        return obj.owner == request.user
"""


def _project(settings: str) -> dict[str, str]:
    return {
        "proj/settings.py": settings,
        "proj/urls.py": ROOT_URLS,
        "shop/urls.py": SHOP_URLS,
        "shop/views.py": SHOP_VIEWS,
        "shop/permissions.py": PERMISSIONS,
        "shop/models.py": "class Order:\n    pass\n",
    }


def test_urlconf_include_chain_and_router_routes() -> None:
    index = build_index(_project(SETTINGS_WITH_DEFAULTS))
    paths = {(r.method, r.path) for r in index.routes}
    assert ("GET", "/api/v1/orders/") in paths
    assert ("POST", "/api/v1/orders/") in paths
    assert ("DELETE", "/api/v1/orders/<pk>/") in paths
    assert ("POST", "/api/v1/orders/<pk>/cancel/") in paths
    assert ("GET", "/api/v1/profile/") in paths
    assert ("GET", "/api/v1/legacy/<pk>/") in paths
    assert ("POST", "/api/v1/legacy/<pk>/") in paths
    assert not any(r.path.startswith("/admin") for r in index.routes)
    assert all(r.framework == "django" for r in index.routes)


def test_viewset_permission_class_with_object_permission() -> None:
    index = build_index(_project(SETTINGS_WITH_DEFAULTS))
    detail = route(index, "DELETE", "/api/v1/orders/<pk>/")
    assert detail.loads_by_id is True
    assert detail.auth.status == "present"
    assert detail.auth.evidence[0].kind == "permission_class"
    assert detail.authz.status == "present"
    assert any(e.kind == "ownership" for e in detail.authz.evidence)


def test_mixins_decorators_and_explicit_allow_any() -> None:
    index = build_index(_project(SETTINGS_WITH_DEFAULTS))
    profile = route(index, "POST", "/api/v1/profile/")
    assert profile.auth.status == "present"
    assert profile.auth.evidence[0].detail.startswith("LoginRequiredMixin")
    legacy = route(index, "POST", "/api/v1/legacy/<pk>/")
    assert legacy.auth.status == "present"
    assert legacy.loads_by_id is True
    open_view = route(index, "DELETE", "/api/v1/open/")
    assert open_view.auth.status == "absent"
    assert open_view.auth.note.startswith("explicitly public")


def test_drf_default_permission_classes_come_from_settings() -> None:
    with_defaults = build_index(
        {
            **_project(SETTINGS_WITH_DEFAULTS),
            "shop/views.py": SHOP_VIEWS.replace("    permission_classes = [IsOwner]\n", ""),
        }
    )
    orders = route(with_defaults, "POST", "/api/v1/orders/")
    assert orders.auth.status == "present"
    assert orders.auth.evidence[0].level == "settings"
    assert "IsAuthenticated" in orders.auth.evidence[0].detail

    without_defaults = build_index(
        {
            **_project(SETTINGS_WITHOUT_DEFAULTS),
            "shop/views.py": SHOP_VIEWS.replace("    permission_classes = [IsOwner]\n", ""),
        }
    )
    orders = route(without_defaults, "POST", "/api/v1/orders/")
    assert orders.auth.status == "absent"
    assert "AllowAny" in orders.auth.note


@pytest.mark.parametrize(
    ("composed", "auth", "authz", "shown"),
    [
        # both parts demand a signed-in caller, the first a model permission too
        ("IsOwner | IsAdminUser", "present", "present", "IsOwner | IsAdminUser"),
        # AllowAny lets everyone in whatever the other part says
        ("AllowAny | IsOwner", "absent", "absent", ""),
        # either part refusing refuses: the pair demands what each demands
        ("IsAuthenticated & ReadOnlyPeriod", "present", "absent", "IsAuthenticated & ReadOnly"),
        # a part from a package we cannot read may or may not let anonymous callers in
        ("IsOwner | CanEdit", "unknown", "unknown", ""),
        # an inverted check demands what we cannot tell
        ("~IsOwner", "unknown", "unknown", ""),
    ],
)
def test_drf_permission_classes_composed_with_operators(
    composed: str, auth: str, authz: str, shown: str
) -> None:
    views = SHOP_VIEWS.replace(
        "    permission_classes = [IsOwner]\n", f"    permission_classes = ({composed},)\n"
    ).replace(
        "from shop.permissions import IsOwner\n",
        "from acme_policies import CanEdit\n"
        "from rest_framework.permissions import IsAdminUser, IsAuthenticated\n"
        "from shop.permissions import IsOwner, ReadOnlyPeriod\n",
    )
    permissions = PERMISSIONS + (
        "\n\nclass ReadOnlyPeriod(BasePermission):\n"
        "    def has_permission(self, request, view):\n"
        "        return not settings.READ_ONLY\n"
    )
    index = build_index(
        {
            **_project(SETTINGS_WITHOUT_DEFAULTS),
            "shop/views.py": views,
            "shop/permissions.py": permissions,
        }
    )
    orders = route(index, "DELETE", "/api/v1/orders/<pk>/")
    assert orders.auth.status == auth, orders.auth
    assert orders.authz.status == authz, orders.authz
    if shown:
        assert orders.auth.evidence[0].detail.startswith(shown)


def test_drf_defaults_are_unknown_when_no_settings_module_is_reviewed() -> None:
    # the reviewed paths hold the urlconfs and views, not the settings (a deployment's own
    # module, or a settings_example.py left out): the defaults are not known to be AllowAny
    project = _project(SETTINGS_WITHOUT_DEFAULTS)
    del project["proj/settings.py"]
    index = build_index(
        {**project, "shop/views.py": SHOP_VIEWS.replace("    permission_classes = [IsOwner]\n", "")}
    )
    orders = route(index, "POST", "/api/v1/orders/")
    assert orders.auth.status == "unknown"
    assert "no Django settings module" in orders.auth.note


def test_login_required_in_urls_and_login_required_middleware() -> None:
    index = build_index(
        {
            "site/settings.py": """
                ROOT_URLCONF = "site.urls"
                MIDDLEWARE = [
                    "django.contrib.sessions.middleware.SessionMiddleware",
                    "django.contrib.auth.middleware.LoginRequiredMiddleware",
                ]
            """,
            "site/urls.py": """
                from django.contrib.auth.decorators import login_required
                from django.urls import path
                from site import views
                urlpatterns = [
                    path("export/", login_required(views.export), name="export"),
                    path("ping/", views.ping, name="ping"),
                    path("signup/", views.signup, name="signup"),
                ]
            """,
            "site/views.py": """
                from django.contrib.auth.decorators import login_not_required
                def export(request):
                    return None
                def ping(request):
                    return None
                @login_not_required
                def signup(request):
                    if request.method == "POST":
                        return None
                    return None
            """,
        }
    )
    export = route(index, "GET", "/export/")
    assert export.auth.status == "present"
    assert export.auth.evidence[0].detail.startswith("login_required()")
    ping = route(index, "GET", "/ping/")
    assert ping.auth.evidence[0].detail == "LoginRequiredMiddleware"
    assert route(index, "POST", "/signup/").auth.status == "absent"


NOTE_ROUTER_URLS = """
    from rest_framework.routers import SimpleRouter
    from shop.views import NoteViewSet
    router = SimpleRouter()
    router.register("notes", NoteViewSet)
    urlpatterns = router.urls
"""


def test_get_queryset_scoped_to_the_user_is_ownership() -> None:
    index = build_index(
        {
            "proj/settings.py": SETTINGS_WITH_DEFAULTS,
            "proj/urls.py": ROOT_URLS,
            "shop/urls.py": NOTE_ROUTER_URLS,
            "shop/views.py": """
                from rest_framework import viewsets
                from shop.models import Note
                class NoteViewSet(viewsets.ModelViewSet):
                    queryset = Note.objects.all()
                    def get_queryset(self):
                        return Note.objects.filter(author=self.request.user)
            """,
        }
    )
    note = route(index, "GET", "/api/v1/notes/<pk>/")
    assert note.authz.status == "present"
    assert note.authz.evidence[0].kind == "ownership"


@pytest.mark.parametrize(
    ("get_queryset", "scoped"),
    [
        # a column named for what the caller holds, not for an owner
        ("return Note.objects.filter(mbox=self.request.user.mailbox)", True),
        # rows of what a call computed from the caller (the domains the caller administers)
        (
            "domains = Domain.objects.get_for_admin(self.request.user)\n"
            "                        return Note.objects.filter(\n"
            "                            Q(from_domain__in=domains) | Q(to_domain__in=domains)\n"
            "                        )",
            True,
        ),
        # everyone else's rows, or rows kept by something other than the caller
        ("return Note.objects.exclude(mbox=self.request.user.mailbox)", False),
        ("return Note.objects.filter(status=self.kwargs['status'])", False),
    ],
)
def test_get_queryset_kept_to_what_the_caller_holds(get_queryset: str, scoped: bool) -> None:
    index = build_index(
        {
            "proj/settings.py": SETTINGS_WITH_DEFAULTS,
            "proj/urls.py": ROOT_URLS,
            "shop/urls.py": NOTE_ROUTER_URLS,
            "shop/views.py": f"""
                from django.db.models import Q
                from rest_framework import viewsets
                from shop.models import Domain, Note
                class NoteViewSet(viewsets.ModelViewSet):
                    queryset = Note.objects.all()
                    def get_queryset(self):
                        {get_queryset}
            """,
        }
    )
    note = route(index, "DELETE", "/api/v1/notes/<pk>/")
    assert (note.authz.status == "present") is scoped, note.authz


def test_get_permissions_override_is_credited_not_called_open() -> None:
    index = build_index(
        {
            "proj/settings.py": SETTINGS_WITHOUT_DEFAULTS,
            "proj/urls.py": ROOT_URLS,
            "shop/urls.py": """
                from rest_framework.routers import SimpleRouter
                from shop.views import ArticleViewSet, DynamicViewSet
                router = SimpleRouter()
                router.register("articles", ArticleViewSet, basename="article")
                router.register("dynamic", DynamicViewSet, basename="dynamic")
                urlpatterns = router.urls
            """,
            "shop/views.py": """
                from rest_framework import permissions, viewsets
                from shop.policy import pick
                class ArticleViewSet(viewsets.ModelViewSet):
                    def get_permissions(self):
                        if self.action in ("list", "retrieve"):
                            return [permissions.AllowAny()]
                        return [permissions.IsAdminUser()]
                class DynamicViewSet(viewsets.ModelViewSet):
                    def get_permissions(self):
                        return pick(self.action)
            """,
        }
    )
    article = route(index, "DELETE", "/api/v1/articles/<pk>/")
    assert article.auth.status == "present"
    assert article.authz.status == "present"
    assert route(index, "DELETE", "/api/v1/dynamic/<pk>/").auth.status == "unknown"


def test_project_middleware_that_rejects_anonymous_users_protects_every_view() -> None:
    index = build_index(
        {
            "site/settings.py": """
                ROOT_URLCONF = "site.urls"
                MIDDLEWARE = [
                    "django.contrib.auth.middleware.AuthenticationMiddleware",
                    "site.middleware.RequireLogin",
                ]
            """,
            "site/middleware.py": """
                from django.shortcuts import redirect
                class RequireLogin:
                    def __init__(self, get_response):
                        self.get_response = get_response
                    def __call__(self, request):
                        if not request.user.is_authenticated and request.path != "/login/":
                            return redirect("/login/")
                        return self.get_response(request)
            """,
            "site/urls.py": """
                from django.urls import path
                from site import views
                urlpatterns = [path("reports/", views.reports, name="reports")]
            """,
            "site/views.py": """
                def reports(request):
                    return None
            """,
        }
    )
    reports = route(index, "GET", "/reports/")
    assert reports.auth.status == "present"
    assert reports.auth.evidence[0].detail == "RequireLogin.__call__"


ADMIN_DECORATOR = """
from functools import wraps

from django.core.exceptions import PermissionDenied


def require_admin_access(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
"""
PATTERN_UTILS = """
from django.urls import URLResolver


def decorate_urlpatterns(urlpatterns, decorator):
    for pattern in urlpatterns:
        if isinstance(pattern, URLResolver):
            decorate_urlpatterns(pattern.url_patterns, decorator)
        elif getattr(pattern, "callback", None):
            pattern.callback = decorator(pattern.callback)
    return urlpatterns
"""


def _decorated_urlconf(admin_urls: str) -> dict[str, str]:
    return {
        "site/settings.py": 'ROOT_URLCONF = "site.urls"\n',
        "site/urls.py": """
            from django.urls import include, path
            from site import views
            urlpatterns = [
                path("admin/", include("dashboard.urls")),
                path("", views.home, name="home"),
            ]
        """,
        "dashboard/urls.py": admin_urls,
        "dashboard/reports_urls.py": """
            from django.urls import path
            from dashboard import views
            urlpatterns = [path("<int:pk>/delete/", views.delete_report, name="delete")]
        """,
        "dashboard/auth.py": ADMIN_DECORATOR,
        "dashboard/utils.py": PATTERN_UTILS,
        "dashboard/views.py": """
            from dashboard.models import Report
            def users(request):
                return None
            def delete_report(request, pk):
                Report.objects.filter(pk=pk).delete()
                return None
            def public_status(request):
                return None
        """,
        "dashboard/models.py": "class Report:\n    pass\n",
        "site/views.py": "def home(request):\n    return None\n",
    }


def test_view_decorators_applied_to_a_whole_urlconf_protect_its_routes() -> None:
    index = build_index(
        _decorated_urlconf(
            """
            from django.urls import include, path
            from dashboard import views
            from dashboard.auth import require_admin_access
            from dashboard.utils import decorate_urlpatterns
            urlpatterns = [
                path("users/", views.users, name="users"),
                path("reports/", include("dashboard.reports_urls")),
            ]
            urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
            urlpatterns += [path("status/", views.public_status, name="status")]
            """
        )
    )
    users = route(index, "GET", "/admin/users/")
    assert users.auth.status == "present"
    assert users.authz.status == "present"
    assert "require_admin_access() in urls" in users.auth.evidence[0].detail
    # an included urlconf is decorated too (the decorator wraps every view below it)
    assert route(index, "GET", "/admin/reports/<int:pk>/delete/").auth.status == "present"
    # a route added after the list was decorated is not
    assert route(index, "GET", "/admin/status/").auth.status == "absent"
    assert route(index, "GET", "/").auth.status == "absent"


def test_a_list_helper_without_decorators_adds_routes_and_no_protection() -> None:
    index = build_index(
        _decorated_urlconf(
            """
            from django.conf.urls.i18n import i18n_patterns
            from django.urls import include, path
            from rest_framework.urlpatterns import format_suffix_patterns
            from dashboard import views
            urlpatterns = format_suffix_patterns([path("users/", views.users, name="users")])
            urlpatterns += i18n_patterns(path("reports/", include("dashboard.reports_urls")))
            """
        )
    )
    assert route(index, "GET", "/admin/users/").auth.status == "absent"
    deleted = route(index, "GET", "/admin/reports/<int:pk>/delete/")
    assert deleted.auth.status == "absent"


def _split_urlconf(root_urls: str) -> dict[str, str]:
    """A root urlconf that builds `urlpatterns` from lists kept in other modules."""
    return {
        "shop/settings.py": 'ROOT_URLCONF = "shop.roots.main"\n',
        "shop/roots/main.py": root_urls,
        "shop/urls.py": """
            from django.urls import include, path, re_path
            import shop.backoffice.urls
            from shop import views
            base_patterns = [
                path("health/", views.health, name="health"),
            ]
            backoffice_patterns = [
                re_path(r"^backoffice/", include((shop.backoffice.urls, "backoffice"))),
            ]
            base_patterns += [path("carts/<int:pk>/", views.cart, name="cart")]
            common_patterns = base_patterns + backoffice_patterns
        """,
        "shop/storefront.py": """
            from django.urls import path
            from shop import views
            product_patterns = [path("<slug:slug>/", views.product, name="product")]
            store_patterns = [path("checkout/", views.checkout, name="checkout")]
        """,
        "shop/backoffice/__init__.py": "",
        "shop/backoffice/urls.py": """
            from django.urls import path
            from shop import views
            urlpatterns = [path("refunds/<int:pk>/", views.refund, name="refund")]
        """,
        "shop/views.py": """
            from django.contrib.auth.decorators import login_required
            def health(request):
                return None
            def cart(request, pk):
                return None
            @login_required
            def refund(request, pk):
                return None
            def product(request, slug):
                return None
            def checkout(request):
                return None
        """,
    }


def test_urlpatterns_built_from_pattern_lists_of_other_modules_are_followed() -> None:
    index = build_index(
        _split_urlconf(
            """
            from django.urls import include, re_path
            from shop.storefront import product_patterns, store_patterns
            from shop.urls import common_patterns
            shop_patterns = [
                re_path(r"", include(store_patterns + [
                    re_path(r"^p/", include(product_patterns)),
                ])),
            ]
            urlpatterns = common_patterns + shop_patterns
            """
        )
    )
    paths = {(r.method, r.path) for r in index.routes}
    assert ("GET", "/health/") in paths
    # a list extended with += after it was first assigned
    assert ("GET", "/carts/<int:pk>/") in paths
    # include((pkg.urls_module, "namespace")) is a urlconf module, not a DRF router
    refund = route(index, "GET", "/backoffice/refunds/<int:pk>/")
    assert refund.auth.status == "present"
    # include(list_a + [...]) and include(imported_list)
    assert ("GET", "/checkout/") in paths
    assert ("GET", "/p/<slug:slug>/") in paths


def test_names_on_the_right_of_urlpatterns_that_are_not_pattern_lists_add_nothing() -> None:
    index = build_index(
        _split_urlconf(
            """
            from django.urls import path
            from shop import views
            from shop.storefront import missing_patterns
            extra = []
            urlpatterns = extra + missing_patterns + [path("only/", views.health, name="only")]
            """
        )
    )
    assert {(r.method, r.path) for r in index.routes} == {("GET", "/only/")}


def _workspace_api(permission_body: str) -> dict[str, str]:
    return {
        "proj/settings.py": """
            INSTALLED_APPS = ["rest_framework", "boards"]
            ROOT_URLCONF = "proj.urls"
            REST_FRAMEWORK = {
                "DEFAULT_PERMISSION_CLASSES": ["boards.permissions.WorkspacePermission"],
            }
        """,
        "proj/urls.py": """
            from django.urls import include, path
            urlpatterns = [path("api/", include("boards.urls"))]
        """,
        "boards/urls.py": """
            from rest_framework.routers import SimpleRouter
            from boards import views
            router = SimpleRouter()
            router.register(r"cards", views.CardViewSet)
            urlpatterns = router.urls
        """,
        "boards/permissions.py": permission_body,
        "boards/views.py": """
            from rest_framework import viewsets
            from boards.models import Card

            class CardViewSet(viewsets.ModelViewSet):
                queryset = Card.objects.none()

                def get_queryset(self):
                    return Card.objects.filter(workspace=self.request.workspace)
        """,
        "boards/models.py": "class Card:\n    objects = None\n",
    }


def test_a_permission_class_checking_a_resource_scoped_permission_authorizes() -> None:
    index = build_index(
        _workspace_api(
            """
            from rest_framework.permissions import BasePermission
            from boards.models import Workspace

            class WorkspacePermission(BasePermission):
                def has_permission(self, request, view):
                    if not request.user.is_authenticated:
                        return False
                    request.workspace = Workspace.objects.filter(
                        slug=request.headers["X-Workspace"]
                    ).first()
                    if not request.workspace or not request.user.has_workspace_permission(
                        request.workspace, view.required_permission
                    ):
                        return False
                    return True
            """
        )
    )
    delete = route(index, "DELETE", "/api/cards/<pk>/")
    assert delete.auth.status == "present"
    assert delete.authz.status == "present"
    rules = {f.rule_id for f in project_findings(index)}
    assert "object-access-without-ownership" not in rules


def test_a_permission_class_checking_only_the_login_does_not_authorize() -> None:
    index = build_index(
        _workspace_api(
            """
            from rest_framework.permissions import BasePermission
            from boards.models import Workspace

            class WorkspacePermission(BasePermission):
                def has_permission(self, request, view):
                    if not request.user.is_authenticated:
                        return False
                    request.workspace = Workspace.objects.get(slug=request.headers["X-Workspace"])
                    return True
            """
        )
    )
    delete = route(index, "DELETE", "/api/cards/<pk>/")
    assert delete.auth.status == "present"
    assert delete.authz.status == "absent"
    rules = {f.rule_id for f in project_findings(index)}
    assert "object-access-without-ownership" in rules


def test_router_prefixes_and_action_paths_written_as_regular_expressions() -> None:
    files = _workspace_api(
        """
        from rest_framework.permissions import IsAuthenticated as WorkspacePermission
        """
    )
    files["boards/urls.py"] = """
        from rest_framework.routers import SimpleRouter
        from boards import views
        router = SimpleRouter()
        router.register(r"workspaces/(?P<workspace>[^/]+)/cards", views.CardViewSet)
        router.register(r"archive", views.ArchiveViewSet)
        urlpatterns = router.urls
    """
    files["boards/views.py"] += """
            from rest_framework.decorators import action

            class ArchiveViewSet(viewsets.ReadOnlyModelViewSet):
                queryset = Card.objects.none()

                @action(detail=True, url_path=r"export/(?P<fmt>[a-z]+)")
                def export(self, request, pk=None, fmt=None):
                    return None
    """
    index = build_index(files)
    paths = {(r.method, r.path) for r in index.routes}
    assert ("DELETE", "/api/workspaces/<workspace>/cards/<pk>/") in paths
    assert ("GET", "/api/archive/<pk>/export/<fmt>/") in paths
    # a plain prefix stays as written
    assert ("GET", "/api/archive/") in paths


def _extended_defaults(permission_classes: str, queryset: str) -> dict[str, str]:
    files = _workspace_api(
        """
        from rest_framework.permissions import BasePermission

        class WorkspacePermission(BasePermission):
            def has_permission(self, request, view):
                return bool(request.user and request.user.is_authenticated)
        """
    )
    files["boards/views.py"] = f"""
        from rest_framework import generics, viewsets
        from rest_framework.permissions import AllowAny
        from rest_framework.settings import api_settings
        from boards.models import Card

        class ImportPermission:
            def has_permission(self, request, view):
                return True

        class CardViewSet(viewsets.ModelViewSet):
            permission_classes = {permission_classes}
            queryset = Card.objects.none()

            def get_queryset(self):
                return {queryset}
    """
    return files


def test_permission_classes_that_extend_the_settings_defaults_keep_them() -> None:
    index = build_index(
        _extended_defaults(
            "api_settings.DEFAULT_PERMISSION_CLASSES + [ImportPermission]",
            "Card.objects.filter(organization=self.request.user.active_organization)",
        )
    )
    delete = route(index, "DELETE", "/api/cards/<pk>/")
    assert delete.auth.status == "present"
    assert "DEFAULT_PERMISSION_CLASSES" in delete.auth.evidence[0].detail
    # a queryset scoped to the caller's organization is the tenancy check
    assert delete.authz.status == "present"
    rules = {f.rule_id for f in project_findings(index)}
    assert "object-access-without-ownership" not in rules


def test_permission_classes_that_replace_the_defaults_and_an_unscoped_queryset() -> None:
    index = build_index(_extended_defaults("[AllowAny]", "Card.objects.all()"))
    delete = route(index, "DELETE", "/api/cards/<pk>/")
    assert delete.auth.status == "absent"
    index = build_index(
        _extended_defaults(
            "api_settings.DEFAULT_PERMISSION_CLASSES", "Card.objects.filter(archived=False)"
        )
    )
    delete = route(index, "DELETE", "/api/cards/<pk>/")
    assert delete.auth.status == "present"
    assert delete.authz.status == "absent"


def test_a_urlconf_included_by_its_imported_module_is_not_also_a_root() -> None:
    # no settings module names ROOT_URLCONF: every urlconf nobody includes is a root, and one
    # included as an imported module (include(shop_urls)) is not among them
    index = build_index(
        {
            "proj/urls.py": """
                from django.urls import include, path
                from shop import urls as shop_urls

                urlpatterns = [path("backoffice/", include(shop_urls))]
            """,
            "shop/urls.py": """
                from django.urls import path
                from shop import views

                urlpatterns = [path("orders/<int:pk>/delete/", views.delete_order)]
            """,
            "shop/views.py": """
                def delete_order(request, pk):
                    return None
            """,
        }
    )
    paths = sorted(r.path for r in index.routes)
    assert paths == ["/backoffice/orders/<int:pk>/delete/"]


def test_a_urlconf_a_hook_mounts_at_run_time_is_unknown_not_absent() -> None:
    # a CMS hook returns url entries that the project's admin urlconf adds, and decorates, at
    # run time: where the documents urlconf is mounted, and what wraps it there, is not seen
    index = build_index(
        {
            "cms/hooks.py": """
                def register(name):
                    def decorator(fn):
                        return fn
                    return decorator
            """,
            "docs/admin_urls.py": """
                from django.urls import path
                from docs import views

                urlpatterns = [path("<int:pk>/delete/", views.delete_document)]
            """,
            "docs/wagtail_hooks.py": """
                from django.urls import include, path
                from cms import hooks
                from docs import admin_urls

                @hooks.register("register_admin_urls")
                def register_admin_urls():
                    return [path("documents/", include(admin_urls, namespace="docs"))]
            """,
            "docs/views.py": """
                def delete_document(request, pk):
                    return None
            """,
            "shop/urls.py": """
                from django.urls import path
                from shop import views

                urlpatterns = [path("orders/<int:pk>/delete/", views.delete_order)]
            """,
            "shop/views.py": """
                def delete_order(request, pk):
                    return None
            """,
        }
    )
    document = route(index, "GET", "/<int:pk>/delete/").auth
    assert document.status == "unknown"
    assert "register_admin_urls() (docs/wagtail_hooks.py:8)" in document.note
    # a root urlconf nobody includes, at run time or otherwise, is read whole: absent
    assert route(index, "GET", "/orders/<int:pk>/delete/").auth.status == "absent"


_GUARDED_VIEWS = """
    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404, redirect
    from django.utils.decorators import method_decorator
    from django.views import View
    from vcs.models import Installation


    def _managed_workspaces(user):
        return user.managed_workspaces.all()


    def _user_can_manage(user, installation):
        return _managed_workspaces(user).filter(pk=installation.workspace_id).exists()


    def _is_enabled(installation):
        return installation.enabled


    def _require_access(request, installation):
        if not CHECK:
            raise PermissionDenied


    @method_decorator(login_required, name="dispatch")
    class InstallationDeleteView(View):
        def post(self, request, pk):
            installation = get_object_or_404(Installation.objects, pk=pk)
            _require_access(request, installation)
            installation.delete()
            return redirect("/")
"""


@pytest.mark.parametrize(
    ("check", "authz"),
    [
        ("_user_can_manage(request.user, installation)", "present"),
        ("_is_enabled(installation)", "absent"),  # a refusal that is not about the caller
    ],
)
def test_a_helper_refusing_unless_the_caller_may_act_on_the_record_authorises(
    check: str, authz: str
) -> None:
    index = build_index(
        {
            "proj/settings.py": 'INSTALLED_APPS = ["vcs"]\nROOT_URLCONF = "proj.urls"\n',
            "proj/urls.py": """
                from django.urls import path
                from vcs import views
                urlpatterns = [
                    path("installations/<int:pk>/delete/", views.InstallationDeleteView.as_view()),
                ]
            """,
            "vcs/models.py": "class Installation:\n    objects = None\n",
            "vcs/views.py": _GUARDED_VIEWS.replace("CHECK", check),
        }
    )
    found = route(index, "POST", "/installations/<int:pk>/delete/")
    assert found.authz.status == authz
    if authz == "present":
        assert "decides the caller's permission on the record" in found.authz.evidence[0].detail


def test_url_patterns_given_by_keyword() -> None:
    """`path(route="tasks/<task_id>", view=TaskStatus.as_view(), name=...)` and an include
    given by keyword are routes like their positional forms."""
    index = build_index(
        {
            "proj/settings.py": SETTINGS_WITH_DEFAULTS,
            "proj/urls.py": """
                from django.urls import include, path
                urlpatterns = [path(route="v1/", view=include("shop.urls"))]
            """,
            "shop/urls.py": """
                from django.urls import path
                from shop.views import TaskStatus
                urlpatterns = [
                    path(route="tasks/status/<task_id>", view=TaskStatus.as_view(), name="task"),
                ]
            """,
            "shop/views.py": """
                from rest_framework.views import APIView
                class TaskStatus(APIView):
                    def get(self, request, task_id):
                        return None
            """,
        }
    )
    task = route(index, "GET", "/v1/tasks/status/<task_id>")
    assert task.auth.status == "present"


def test_login_required_on_an_inherited_dispatch_and_405_stubs() -> None:
    """`@method_decorator(login_required)` on a base view's dispatch protects every subclass;
    a base view's `post` that only answers 405 is no route, while the subclass's own `get` is."""
    index = build_index(
        {
            "proj/settings.py": SETTINGS_WITHOUT_DEFAULTS.replace('"rest_framework", ', ""),
            "proj/urls.py": """
                from django.urls import path
                from shop import views
                urlpatterns = [
                    path("prefs/", views.SettingsView.as_view()),
                    path("lists/<list_id>/", views.ListDetail.as_view()),
                    path("open/", views.OpenForm.as_view()),
                ]
            """,
            "shop/views.py": """
                from django.contrib.auth.decorators import login_required
                from django.http import HttpResponse
                from django.utils.decorators import method_decorator
                from django.views.generic import FormView, TemplateView

                class PreferencesView(FormView):
                    @method_decorator(login_required)
                    def dispatch(self, request, *args, **kwargs):
                        return super().dispatch(request, *args, **kwargs)

                class SettingsView(PreferencesView):
                    template_name = "settings.html"

                class OpenForm(FormView):
                    template_name = "open.html"

                class ListBase(TemplateView):
                    def get(self, request, *args, **kwargs):
                        return HttpResponse(status=405)

                    def post(self, request, *args, **kwargs):
                        \"\"\"Overridden by subclasses.\"\"\"
                        return HttpResponse(status=405)

                class ListDetail(ListBase):
                    def get(self, request, list_id):
                        return HttpResponse(list_id)
            """,
        }
    )
    assert route(index, "POST", "/prefs/").auth.status == "present"
    assert route(index, "POST", "/open/").auth.status == "absent"
    assert route(index, "GET", "/lists/<list_id>/").auth.status == "absent"
    assert not [r for r in index.routes if r.path == "/lists/<list_id>/" and r.method == "POST"]


def test_rate_limits_counted_by_a_project_helper_or_in_a_form_clean() -> None:
    """`check_rate_limit("login", request)` counting attempts in the cache limits the view that
    calls it, and the LoginView whose form's clean() calls it; a helper by that name that
    counts nothing, or a form that does not call it, limits nothing."""
    index = build_index(
        {
            "proj/settings.py": SETTINGS_WITHOUT_DEFAULTS.replace('"rest_framework", ', ""),
            "proj/urls.py": """
                from django.urls import path
                from shop import views
                urlpatterns = [
                    path("reset/", views.reset_password),
                    path("login/", views.LoginView.as_view()),
                    path("signup/", views.SignupView.as_view()),
                    path("recover/", views.recover),
                    path("remind/", views.remind),
                ]
            """,
            "shop/limits.py": """
                from django.core.cache import cache

                def check_rate_limit(scope, request):
                    key = f"rl:{scope}:{request.META['REMOTE_ADDR']}"
                    attempts = cache.get(key, 0)
                    cache.set(key, attempts + 1, 300)
                    return attempts < 5

                def rate_limit_note(scope, request):
                    print(scope)
                    return True
            """,
            "shop/forms.py": """
                from django import forms
                from shop.limits import check_rate_limit

                class LoginForm(forms.Form):
                    def clean(self):
                        if not check_rate_limit("login", self.request):
                            raise forms.ValidationError("Too many attempts")
                        return self.cleaned_data

                class SignupForm(forms.Form):
                    def clean(self):
                        return self.cleaned_data
            """,
            "shop/views.py": """
                from django.contrib.auth import views as auth_views
                from django.shortcuts import redirect
                from django.views.generic import FormView
                from shop.forms import LoginForm, SignupForm
                from shop.limits import check_rate_limit, rate_limit_note
                from shop.unreviewed.ratelimit import check_login_rate_limit

                def remind(request):
                    if request.method == "POST" and check_login_rate_limit(request):
                        send_reset_mail(request.POST["email"])
                    return redirect("/")

                def reset_password(request):
                    if request.method == "POST":
                        if not check_rate_limit("password_reset", request):
                            return redirect("/slow-down")
                        send_reset_mail(request.POST["email"])
                    return redirect("/")

                def recover(request):
                    if request.method == "POST":
                        rate_limit_note("recover", request)
                        send_reset_mail(request.POST["email"])
                    return redirect("/")

                class LoginView(auth_views.LoginView):
                    form_class = LoginForm

                class SignupView(FormView):
                    form_class = SignupForm
            """,
        }
    )
    assert route(index, "POST", "/reset/").rate_limit.status == "present"
    assert route(index, "POST", "/login/").rate_limit.status == "present"
    assert route(index, "POST", "/signup/").rate_limit.status != "present"
    assert route(index, "POST", "/recover/").rate_limit.status == "absent"
    # a limiter of the project's own package that the review did not read: unknown, not absent
    remind = route(index, "POST", "/remind/").rate_limit
    assert remind.status == "unknown" and "check_login_rate_limit" in remind.note


def test_project_subclasses_of_django_account_views() -> None:
    """A PasswordChangeView subclass requires a signed-in user like its base; a LoginView or
    PasswordResetConfirmView subclass is public by design; another FormView is neither."""
    index = build_index(
        {
            "proj/settings.py": SETTINGS_WITHOUT_DEFAULTS.replace('"rest_framework", ', ""),
            "proj/urls.py": """
                from django.urls import path
                from shop import views
                urlpatterns = [
                    path("password/", views.SitePasswordChangeView.as_view()),
                    path("login/", views.SiteLoginView.as_view()),
                    path("reset/<uidb64>/<token>/", views.SiteResetConfirmView.as_view()),
                    path("feedback/", views.FeedbackView.as_view()),
                    path("forgot/", views.ThrottledResetView.as_view()),
                ]
            """,
            "shop/views.py": """
                from django.contrib.auth.views import (
                    LoginView, PasswordChangeView, PasswordResetConfirmView, PasswordResetView,
                )
                from shop.throttles import ResetRequestThrottle, ThrottleViewMixin
                from django.views.generic import FormView

                class SitePasswordChangeView(PasswordChangeView):
                    template_name = "password.html"

                class SiteLoginView(LoginView):
                    template_name = "login.html"

                class SiteResetConfirmView(PasswordResetConfirmView):
                    template_name = "reset.html"

                class FeedbackView(FormView):
                    template_name = "feedback.html"

                class ThrottledResetView(ThrottleViewMixin, PasswordResetView):
                    throttle_classes = [ResetRequestThrottle]
            """,
        }
    )
    assert route(index, "POST", "/password/").auth.status == "present"
    for path in ("/login/", "/reset/<uidb64>/<token>/"):
        assert route(index, "POST", path).auth.note.startswith("explicitly public")
    feedback = route(index, "POST", "/feedback/").auth
    assert feedback.status == "absent" and not feedback.note.startswith("explicitly public")
    # throttle_classes on a plain Django view, applied by a project mixin
    assert route(index, "POST", "/forgot/").rate_limit.status == "present"
    assert route(index, "POST", "/login/").rate_limit.status != "present"
