"""Django and DRF routes: urlconf walk (include() chains, DRF routers), views, settings defaults."""

from __future__ import annotations

from typing import Any

from mcp_backend.review.model import Evidence
from mcp_backend.review.python.frameworks._ast import short_name
from mcp_backend.review.python.frameworks._classify import Caps, Classifier
from mcp_backend.review.python.frameworks._draft import RouteDraft, join_path
from mcp_backend.review.python.frameworks._resolve import Modules, Symbol
from mcp_backend.review.python.frameworks.django import regex_to_route

VIEWSET_ACTIONS: dict[str, tuple[str, bool]] = {
    "list": ("GET", False),
    "create": ("POST", False),
    "retrieve": ("GET", True),
    "update": ("PUT", True),
    "partial_update": ("PATCH", True),
    "destroy": ("DELETE", True),
}
MIXIN_ACTIONS: dict[str, tuple[str, ...]] = {
    "ModelViewSet": ("list", "create", "retrieve", "update", "partial_update", "destroy"),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "ListModelMixin": ("list",),
    "CreateModelMixin": ("create",),
    "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
}
GENERIC_METHODS: dict[str, tuple[str, ...]] = {
    "ListAPIView": ("GET",),
    "CreateAPIView": ("POST",),
    "ListCreateAPIView": ("GET", "POST"),
    "RetrieveAPIView": ("GET",),
    "UpdateAPIView": ("PUT", "PATCH"),
    "DestroyAPIView": ("DELETE",),
    "RetrieveUpdateAPIView": ("GET", "PUT", "PATCH"),
    "RetrieveDestroyAPIView": ("GET", "DELETE"),
    "RetrieveUpdateDestroyAPIView": ("GET", "PUT", "PATCH", "DELETE"),
    "ListView": ("GET",),
    "DetailView": ("GET",),
    "TemplateView": ("GET",),
    "RedirectView": ("GET",),
    # Django's form views answer PUT too: ProcessFormView.put hands it to post
    "CreateView": ("GET", "POST", "PUT"),
    "UpdateView": ("GET", "POST", "PUT"),
    "FormView": ("GET", "POST", "PUT"),
    "DeleteView": ("GET", "POST"),
    "LoginView": ("GET", "POST", "PUT"),
    "LogoutView": ("POST",),
}
DETAIL_GENERICS = ("Retrieve", "Update", "Destroy", "DetailView", "UpdateView", "DeleteView")
VERB_METHODS = ("get", "post", "put", "patch", "delete")
# Login/token views from packages: name -> (package prefix, methods).
# Views from packages we know: (package, methods, what guards them); Django's form views
# answer PUT too (ProcessFormView.put hands it to post). "public": a login/token
# view, public by design; "login": the view requires a signed-in user itself.
PACKAGE_VIEWS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "obtain_auth_token": ("rest_framework", ("POST",), "public"),
    "ObtainAuthToken": ("rest_framework", ("POST",), "public"),
    "TokenObtainPairView": ("rest_framework_simplejwt", ("POST",), "public"),
    "TokenObtainSlidingView": ("rest_framework_simplejwt", ("POST",), "public"),
    "TokenRefreshView": ("rest_framework_simplejwt", ("POST",), "public"),
    "LoginView": ("django.contrib.auth", ("GET", "POST", "PUT"), "public"),
    "LogoutView": ("django.contrib.auth", ("POST",), "public"),
    "PasswordResetView": ("django.contrib.auth", ("GET", "POST", "PUT"), "public"),
    "PasswordResetDoneView": ("django.contrib.auth", ("GET",), "public"),
    "PasswordResetConfirmView": ("django.contrib.auth", ("GET", "POST", "PUT"), "public"),
    "PasswordResetCompleteView": ("django.contrib.auth", ("GET",), "public"),
    "PasswordChangeView": ("django.contrib.auth", ("GET", "POST", "PUT"), "login"),
    "PasswordChangeDoneView": ("django.contrib.auth", ("GET",), "login"),
}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
PAGE_VIEWS = frozenset({"TemplateView", "RedirectView"})


class DjangoLinker:
    def __init__(self, modules: Modules, classifier: Classifier) -> None:
        self.modules = modules
        self.classifier = classifier
        self.settings: dict[str, Any] = {}
        self.settings_file = ""
        for result, facts in modules.by_name.values():
            settings = facts.get("django_settings")
            if (
                settings
                and not result.is_test
                and (not self.settings or "rest_framework" in settings or "middleware" in settings)
            ):
                merged = {**self.settings, **settings}
                self.settings, self.settings_file = merged, result.file
        self.is_django = bool(self.settings) or any(
            facts.get("urlpatterns") for _, facts in modules.by_name.values()
        )
        rest = self.settings.get("rest_framework", {})
        self.default_permissions: list[str] = list(rest.get("DEFAULT_PERMISSION_CLASSES", []))
        self.default_throttles: list[str] = list(rest.get("DEFAULT_THROTTLE_CLASSES", []))
        self.login_middleware = self._enforcing_middleware()

    def global_throttles(self) -> list[dict[str, Any]]:
        return [
            {"file": self.settings_file, "detail": f"DEFAULT_THROTTLE_CLASSES {name}", "line": 1}
            for name in self.default_throttles
        ]

    # --- urlconf walk ---------------------------------------------------------------------
    def routes(self) -> list[RouteDraft]:
        if not self.is_django:
            return []
        drafts: list[RouteDraft] = []
        mounted_at_run_time = self._run_time_includes()
        for module in self._root_urlconfs():
            before = len(drafts)
            self._walk(module, "", [], drafts, {module})
            how = mounted_at_run_time.get(module)
            for draft in drafts[before:] if how else []:
                draft.unknown_notes.append(
                    f"its urlconf is mounted at run time by {how}: the prefix and the view "
                    "decorators where it is mounted are not known"
                )
        return drafts

    def _run_time_includes(self) -> dict[str, str]:
        """Urlconf modules a function includes (a CMS hook returning url entries), by module:
        `register_admin_urls() (wagtail_hooks.py:12)`."""
        found: dict[str, str] = {}
        for result, facts in self.modules.by_name.values():
            for entry in facts.get("run_time_includes", []):
                target = self.modules.find_module(entry["module"]) if entry["module"] else None
                if target is None and entry["ref"]:
                    symbol = self.modules.resolve(entry["ref"])
                    target = (
                        symbol.module if symbol is not None and symbol.kind == "module" else None
                    )
                if target is not None:
                    found.setdefault(
                        target, f"{entry['function']}() ({result.file}:{entry['line']})"
                    )
        return found

    def _root_urlconfs(self) -> list[str]:
        root = self.settings.get("root_urlconf")
        if root:
            found = self.modules.find_module(root)
            if found:
                return [found]
        with_patterns = [
            m
            for m, (result, facts) in self.modules.by_name.items()
            if facts.get("urlpatterns") and not result.is_test
        ]
        included: set[str] = set()
        for module in with_patterns:
            for entry in self.modules.facts(module)["urlpatterns"]:
                if entry.get("kind") == "include":
                    target = self.modules.find_module(entry.get("include_module", ""))
                    if target:
                        included.add(target)
                elif entry.get("kind") == "include_ref":
                    # include(editing_sessions_urls), the module imported by name: not a root
                    symbol = self.modules.resolve(entry.get("include_ref", ""))
                    if symbol is not None and symbol.kind == "module":
                        included.add(symbol.module)
        return [m for m in with_patterns if m not in included]

    def _walk(
        self,
        module: str,
        prefix: str,
        wrappers: list[str],
        drafts: list[RouteDraft],
        seen: set[str],
    ) -> None:
        entries = self.modules.facts(module).get("urlpatterns", [])
        self._walk_entries(entries, module, prefix, wrappers, drafts, seen)

    def _walk_entries(
        self,
        entries: list[dict[str, Any]],
        module: str,
        prefix: str,
        wrappers: list[str],
        drafts: list[RouteDraft],
        seen: set[str],
    ) -> None:
        file = self.modules.file(module)
        for entry in entries:
            own = entry.get("route", "")
            if entry.get("route_parts"):
                own = self.modules.path_from_parts(entry["route_parts"])
            route = join_path(prefix, own)
            if own.endswith("/") or not own:
                route = route if route.endswith("/") else route + "/"
            kind = entry.get("kind")
            entry_wrappers = [*wrappers, *entry.get("wrappers", [])]
            if kind == "include":
                target = self.modules.find_module(entry.get("include_module", ""))
                if target and target not in seen:
                    self._walk(target, route, entry_wrappers, drafts, {*seen, target})
            elif kind == "include_ref":
                symbol = self.modules.resolve(entry.get("include_ref", ""))
                if symbol is not None and symbol.kind == "module" and symbol.module not in seen:
                    self._walk(symbol.module, route, entry_wrappers, drafts, {*seen, symbol.module})
                elif symbol is None:  # include(organizer_patterns): a list of url entries
                    self._walk_list(entry["include_ref"], route, entry_wrappers, drafts, seen)
            elif kind == "include_list":
                self._walk_entries(
                    entry.get("entries", []), module, route, entry_wrappers, drafts, seen
                )
            elif kind == "list_ref":  # urlpatterns = common_patterns + [...]
                self._walk_list(entry["list_ref"], prefix, entry_wrappers, drafts, seen)
            elif kind == "router":
                # include((pkg.control.urls, "control")): a urls module, not a DRF router
                urls = self.modules.find_module(f"{entry.get('router_ref', '')}.urls")
                if (
                    urls is not None
                    and self.modules.resolve(entry.get("router_ref", "")) is not None
                ):
                    if urls not in seen:
                        self._walk(urls, route, entry_wrappers, drafts, {*seen, urls})
                    continue
                self._router(entry, route, entry_wrappers, drafts)
            elif kind == "class":
                cls = self.modules.resolve(entry.get("view_ref", ""))
                if cls is not None and cls.kind == "class":
                    self._class_view(cls, route, entry, wrappers=entry_wrappers, drafts=drafts)
                else:
                    self._package_view(entry, route, file, drafts)
            elif kind == "view":
                view = self.modules.resolve(entry.get("view_ref", ""))
                if view is None:
                    self._package_view(entry, route, file, drafts)
                elif view.kind == "function":
                    self._function_view(view, route, entry, wrappers=entry_wrappers, drafts=drafts)
                elif view is not None and view.kind == "class":
                    self._class_view(view, route, entry, wrappers=entry_wrappers, drafts=drafts)
                elif view.kind == "object" and str(view.fact.get("call", "")).endswith(".as_view"):
                    # login = LoginView.as_view(...) in a module, then path("login/", login)
                    cls_ref = str(view.fact["call"])[: -len(".as_view")]
                    cls = self.modules.resolve(cls_ref)
                    if cls is not None and cls.kind == "class":
                        self._class_view(cls, route, entry, wrappers=entry_wrappers, drafts=drafts)
                    else:
                        self._package_view({**entry, "view_ref": cls_ref}, route, file, drafts)

    def _url_list(
        self, qualified: str, depth: int = 0
    ) -> tuple[str, str, list[dict[str, Any]]] | None:
        """The module, name and entries of a module-level pattern list, through imports."""
        parts = qualified.split(".")
        if depth > 6 or len(parts) < 2:
            return None
        module = self.modules.find_module(".".join(parts[:-1]))
        if module is None:
            return None
        facts = self.modules.facts(module)
        entries = facts.get("url_lists", {}).get(parts[-1])
        if entries is not None:
            return module, parts[-1], entries
        imported = facts.get("imports", {}).get(parts[-1])
        if imported and imported != qualified:
            return self._url_list(imported, depth + 1)
        return None

    def _walk_list(
        self,
        qualified: str,
        prefix: str,
        wrappers: list[str],
        drafts: list[RouteDraft],
        seen: set[str],
    ) -> None:
        found = self._url_list(qualified)
        if found is None:
            return
        module, name, entries = found
        key = f"{module}:{name}"
        if key not in seen:
            self._walk_entries(entries, module, prefix, wrappers, drafts, {*seen, key})

    def _router(
        self, entry: dict[str, Any], prefix: str, wrappers: list[str], drafts: list[RouteDraft]
    ) -> None:
        router = self.modules.resolve(entry.get("router_ref", ""))
        if router is None:
            return
        if str(router.fact.get("call", "")).endswith("DefaultRouter"):
            # DefaultRouter also serves an API root view listing the registered endpoints
            root = RouteDraft(
                method="GET",
                path=join_path(prefix, "") or "/",
                handler="api_root",
                file=router.file,
                line=int(router.fact.get("line", 1)),
                framework="django",
            )
            self._drf_defaults(root)
            self._drf_throttle_defaults(root)
            drafts.append(root)
        for _, facts in self.modules.by_name.values():
            for registration in facts.get("drf_registrations", []):
                owner = self.modules.resolve(registration.get("router", ""))
                if owner is None or owner.key != router.key:
                    continue
                viewset = self.modules.resolve(registration.get("viewset", ""))
                if viewset is None or viewset.kind != "class":
                    continue
                base = join_path(prefix, registration.get("prefix", "")) + "/"
                basename = registration.get("basename") or self._basename(viewset)
                self._viewset(viewset, base, basename, wrappers=wrappers, drafts=drafts)

    def _basename(self, cls: Symbol) -> str:
        """DRF's default basename: the queryset's model name, lower-cased."""
        queryset = str(self.modules.class_attr(cls, "queryset") or "")
        return queryset.split(".", 1)[0].lower() if queryset else cls.name.lower()

    # --- views ----------------------------------------------------------------------------
    def _viewset(
        self,
        cls: Symbol,
        base: str,
        basename: str,
        *,
        wrappers: list[str],
        drafts: list[RouteDraft],
    ) -> None:
        actions: list[str] = []
        for name in self.modules.base_names(cls):
            actions.extend(MIXIN_ACTIONS.get(name.rsplit(".", 1)[-1], ()))
        for chain_cls in self.modules.class_chain(cls):
            actions.extend(m for m in chain_cls.fact.get("methods", []) if m in VIEWSET_ACTIONS)
        lookup = self.modules.class_attr(cls, "lookup_field") or "pk"
        for action in dict.fromkeys(actions):
            method, detail = VIEWSET_ACTIONS[action]
            path = f"{base}<{lookup}>/" if detail else base
            self._class_route(
                cls,
                action,
                method,
                path,
                detail=detail,
                wrappers=wrappers,
                drafts=drafts,
                url_name=f"{basename}-{'detail' if detail else 'list'}",
            )
        for chain_cls in self.modules.class_chain(cls):
            for extra in chain_cls.fact.get("actions", []):
                segment = extra.get("url_path") or extra["name"].replace("_", "-")
                if "(?P<" in segment:  # url_path=r"download/(?P<token>[^/]+)"
                    segment = regex_to_route(segment)
                path = (
                    f"{base}<{lookup}>/{segment}/" if extra.get("detail") else f"{base}{segment}/"
                )
                for method in extra.get("methods", ["GET"]):
                    self._class_route(
                        cls,
                        extra["name"],
                        method,
                        path,
                        detail=bool(extra.get("detail")),
                        wrappers=wrappers,
                        drafts=drafts,
                        url_name=f"{basename}-{segment}",
                    )

    def _class_view(
        self,
        cls: Symbol,
        path: str,
        entry: dict[str, Any],
        *,
        wrappers: list[str],
        drafts: list[RouteDraft],
    ) -> None:
        if entry.get("actions"):
            for method, action in entry["actions"].items():
                detail = "<" in path and action in {
                    "retrieve",
                    "update",
                    "partial_update",
                    "destroy",
                }
                self._class_route(
                    cls,
                    action,
                    method,
                    path,
                    detail=detail,
                    wrappers=wrappers,
                    drafts=drafts,
                    url_name=entry.get("name"),
                )
            return
        methods: list[tuple[str, str]] = []
        defined = {m for c in self.modules.class_chain(cls) for m in c.fact.get("methods", [])}
        for verb in VERB_METHODS:
            if verb in defined:
                found = self.modules.method(cls, verb)
                if found is not None and found.fact.get("body", {}).get("not_allowed"):
                    continue  # a stub answering 405: the method is not served
                methods.append((verb.upper(), verb))
        if not methods:
            for base in self.modules.base_names(cls):
                short = base.rsplit(".", 1)[-1]
                account = PACKAGE_VIEWS.get(short)
                generic = GENERIC_METHODS.get(short) or (
                    account[1] if account and base.startswith(account[0]) else None
                )
                if generic:
                    methods = [(m, m.lower()) for m in generic]
                    break
        detail = "<" in path and any(
            base.rsplit(".", 1)[-1].startswith(DETAIL_GENERICS)
            for base in self.modules.base_names(cls)
        )
        for method, action in methods or [("GET", "get")]:
            self._class_route(
                cls,
                action,
                method,
                path,
                detail=detail,
                wrappers=wrappers,
                drafts=drafts,
                url_name=entry.get("name"),
            )

    def _account_view_base(self, draft: RouteDraft, cls: Symbol) -> None:
        """A project subclass of one of Django's account views keeps what guards it:
        `class WgerPasswordChangeView(PasswordChangeView)` requires a signed-in user,
        `class SiteLoginView(LoginView)` is public by design."""
        for base in self.modules.base_names(cls):
            short = base.rsplit(".", 1)[-1]
            known = PACKAGE_VIEWS.get(short)
            if known is None or not base.startswith(known[0]):
                continue
            if known[2] == "login" and not draft.auth:
                draft.auth.append(
                    _at_class(
                        cls, "view", f"{cls.name} is a {short}, which requires a signed-in user"
                    )
                )
            elif known[2] == "public":
                draft.open_notes.append(f"explicitly public: {cls.name} (a {short})")
            return

    def _package_view(
        self, entry: dict[str, Any], path: str, urls_file: str, drafts: list[RouteDraft]
    ) -> None:
        """Views from installed packages we know: token and login endpoints (public by design;
        DRF ones get the throttle defaults)."""
        ref = str(entry.get("view_ref", ""))
        known = PACKAGE_VIEWS.get(ref.rsplit(".", 1)[-1])
        if known is None or not ref.startswith(known[0]):
            self._unread_package_view(entry, ref, path, urls_file, drafts)
            return
        package, methods, guard = known
        for method in methods:
            draft = RouteDraft(
                method=method,
                path=path,
                handler=ref.rsplit(".", 1)[-1],
                file=urls_file,
                line=int(entry.get("line", 1)),
                framework="django",
                url_name=entry.get("name"),
            )
            if guard == "login":
                draft.auth.append(
                    Evidence(
                        kind="view",
                        detail=f"{ref.rsplit('.', 1)[-1]} requires a signed-in user",
                        file=urls_file,
                        line=int(entry.get("line", 1)),
                        level="route",
                    )
                )
            else:
                draft.open_notes.append(f"explicitly public: {ref} (an account view)")
            if package.startswith("rest_framework"):
                self._drf_throttle_defaults(draft)
            drafts.append(draft)

    def _unread_package_view(
        self, entry: dict[str, Any], ref: str, path: str, urls_file: str, drafts: list[RouteDraft]
    ) -> None:
        """A view from an installed package we do not know is still a route: Django's own
        page views (TemplateView, RedirectView) answer GET and hold no data; anything else
        has protections we cannot see."""
        if not ref or "." not in ref:
            return
        short = ref.rsplit(".", 1)[-1]
        page = ref.startswith("django.views.generic") and short in PAGE_VIEWS
        draft = RouteDraft(
            method="GET" if page else "ANY",
            path=path,
            handler=short,
            file=urls_file,
            line=int(entry.get("line", 1)),
            framework="django",
            url_name=entry.get("name"),
        )
        for wrapper in entry.get("wrappers", []):
            draft.apply(
                self.classifier.classify(wrapper),
                "decorator",
                wrapper.rsplit(".", 1)[-1],
                file=urls_file,
                line=int(entry.get("line", 1)),
                level="route",
            )
        if not page:
            draft.unknown_notes.append(f"{ref} is a view from a package we cannot read")
        drafts.append(draft)

    def _is_drf(self, cls: Symbol) -> bool:
        return any(base.startswith("rest_framework") for base in self.modules.base_names(cls))

    def _class_route(
        self,
        cls: Symbol,
        action: str,
        method: str,
        path: str,
        *,
        detail: bool,
        wrappers: list[str],
        drafts: list[RouteDraft],
        url_name: str | None,
    ) -> None:
        handler = self.modules.method(cls, action)
        draft = RouteDraft(
            method=method,
            path=path,
            handler=f"{cls.name}.{action}",
            file=handler.file if handler else cls.file,
            line=int(handler.fact.get("line", 1)) if handler else int(cls.fact.get("line", 1)),
            framework="django",
            url_name=url_name,
        )
        drf = self._is_drf(cls)
        self._wrappers(draft, wrappers, cls.file)
        if drf:
            self._drf_policies(draft, cls)
        else:
            for base in self.modules.base_names(cls):
                caps = self.classifier.classify(base)
                if caps.auth or caps.role:
                    draft.apply(
                        caps,
                        "mixin",
                        base.rsplit(".", 1)[-1],
                        file=cls.file,
                        line=int(cls.fact.get("line", 1)),
                        level="route",
                        keep_unknown=False,
                    )
            self._login_middleware(draft)
            # a plain Django view throttled DRF-style by a project mixin
            # (class PasswordResetView(ThrottleViewMixin, ...): throttle_classes = [...])
            for name in self.modules.class_attr(cls, "throttle_classes") or []:
                draft.rate.append(
                    _at_class(cls, "limiter", f"throttle_classes {name.rsplit('.', 1)[-1]}")
                )
        for chain_cls in self.modules.class_chain(cls):
            for deco in chain_cls.fact.get("decorators", []):
                for arg in (
                    deco.get("args", [])
                    if deco.get("short") == "method_decorator"
                    else [deco["name"]]
                ):
                    caps = self.classifier.classify(arg)
                    draft.apply(
                        caps,
                        "decorator",
                        f"@{arg.rsplit('.', 1)[-1]}",
                        file=chain_cls.file,
                        line=int(deco.get("line", 1)),
                        level="route",
                        keep_unknown=False,
                    )
        if self.modules.class_attr(cls, "permission_required"):
            draft.role.append(
                Evidence(
                    kind="role",
                    detail="permission_required",
                    file=cls.file,
                    line=int(cls.fact.get("line", 1)),
                    level="route",
                )
            )
        if drf and method in WRITE_METHODS and self.modules.class_attr(cls, "serializer_class"):
            serializer = self.modules.class_attr(cls, "serializer_class")[0].rsplit(".", 1)[-1]
            draft.validate.append(
                Evidence(
                    kind="schema",
                    detail=f"serializer_class {serializer}",
                    file=cls.file,
                    line=int(cls.fact.get("line", 1)),
                    level="route",
                )
            )
        if not drf and method in WRITE_METHODS and self.modules.class_attr(cls, "form_class"):
            draft.validate.append(
                Evidence(
                    kind="schema",
                    detail="form_class",
                    file=cls.file,
                    line=int(cls.fact.get("line", 1)),
                    level="route",
                )
            )
        for hook in ("dispatch", "initial", "get_queryset", "get_object"):
            found = self.modules.method(cls, hook)
            if found is not None:
                body = found.fact.get("body", {})
                # @method_decorator(login_required) on dispatch, here or in a base class
                draft.apply_decorators(
                    found.fact.get("decorators", []),
                    self.classifier,
                    found.file,
                    int(found.fact.get("line", 1)),
                )
                draft.apply_body(
                    {k: body.get(k, []) for k in ("auth_checks", "role_checks", "owner_checks")},
                    self.classifier,
                    self.modules,
                    found.file,
                )
        if handler is not None:
            draft.apply_handler(handler.fact, self.classifier, self.modules, framework="django")
        self._account_view_base(draft, cls)
        form_class = self.modules.class_attr(cls, "form_class")
        if form_class and not draft.rate and method in WRITE_METHODS:
            # LoginView(form_class=LoginForm) whose clean() calls check_rate_limit(...)
            draft.limiting_helpers([str(name) for name in form_class], self.modules)
        if detail and (
            drf or self.modules.class_attr(cls, "model") or self.modules.class_attr(cls, "queryset")
        ):
            draft.loads_by_id = True
        drafts.append(draft)

    def _function_view(
        self,
        view: Symbol,
        path: str,
        entry: dict[str, Any],
        *,
        wrappers: list[str],
        drafts: list[RouteDraft],
    ) -> None:
        fact = view.fact
        decorators = fact.get("decorators", [])
        methods: list[str] = []
        drf = False
        for deco in decorators:
            short = deco.get("short", "")
            if short == "api_view":
                drf = True
                methods = [m.upper() for m in deco.get("strings", [])] or ["GET"]
            elif short == "require_http_methods":
                methods = [m.upper() for m in deco.get("strings", [])]
            elif short in {"require_POST", "require_GET", "require_safe"}:
                methods = {
                    "require_POST": ["POST"],
                    "require_GET": ["GET"],
                    "require_safe": ["GET"],
                }[short]
        if not methods:
            body = fact.get("body", {})
            methods = sorted({"GET", *body.get("method_checks", [])})
            if (
                any(r.get("kind") == "body" for r in body.get("raw_reads", []))
                and "POST" not in methods
            ):
                methods.append("POST")
        for method in methods:
            draft = RouteDraft(
                method=method,
                path=path,
                handler=view.name,
                file=view.file,
                line=int(fact.get("line", 1)),
                framework="django",
                url_name=entry.get("name"),
            )
            self._wrappers(draft, wrappers, view.file)
            if drf:
                if not any(d.get("short") == "permission_classes" for d in decorators):
                    self._drf_defaults(draft)
                if not any(d.get("short") == "throttle_classes" for d in decorators):
                    self._drf_throttle_defaults(draft)
            else:
                self._login_middleware(draft, decorators)
            draft.apply_handler(fact, self.classifier, self.modules, framework="django")
            drafts.append(draft)

    # --- protections ------------------------------------------------------------------
    def _wrappers(self, draft: RouteDraft, wrappers: list[str], file: str) -> None:
        for wrapper in wrappers:
            draft.apply(
                self.classifier.classify(wrapper),
                "decorator",
                f"{wrapper.rsplit('.', 1)[-1]}() in urls",
                file=file,
                line=1,
                level="router",
                keep_unknown=False,
            )

    def _enforcing_middleware(self) -> str | None:
        """The MIDDLEWARE entry that makes every view require a login: Django 5.1's
        LoginRequiredMiddleware (or a package's namesake), or a project middleware whose
        __call__ / process_view / process_request rejects anonymous requests."""
        for entry in self.settings.get("middleware", []):
            if entry.endswith("LoginRequiredMiddleware"):
                return "LoginRequiredMiddleware"
            symbol = self.modules.resolve(entry)
            if symbol is None or symbol.kind != "class":
                continue
            for method in ("__call__", "process_view", "process_request"):
                found = self.modules.method(symbol, method)
                if found is None:
                    continue
                caps = self.classifier.function(found, 0, by_name=False)
                if caps.auth:
                    return f"{symbol.name}.{method}"
        return None

    def _login_middleware(
        self, draft: RouteDraft, decorators: list[dict[str, Any]] | None = None
    ) -> None:
        if not self.login_middleware:
            return
        if any(d.get("short") == "login_not_required" for d in decorators or []):
            return
        draft.auth.append(
            Evidence(
                kind="middleware",
                detail=self.login_middleware,
                file=self.settings_file,
                line=1,
                level="settings",
            )
        )

    def _drf_policies(self, draft: RouteDraft, cls: Symbol) -> None:
        permissions = self.modules.class_attr(cls, "permission_classes")
        chooser = self.modules.method(cls, "get_permissions")
        if chooser is not None:
            # get_permissions() picks classes per action; we credit what it can return and
            # never call the route open on its account.
            seen = False
            for call in chooser.fact.get("body", {}).get("calls", []):
                caps = self.classifier.classify(call)
                if caps.auth or caps.role or caps.owner:
                    seen = True
                    draft.apply(
                        caps,
                        "permission_class",
                        f"get_permissions {call.rsplit('.', 1)[-1]}",
                        file=chooser.file,
                        line=int(chooser.fact.get("line", 1)),
                        level="route",
                    )
            if not seen:
                draft.unknown_notes.append(
                    f"{cls.name}.get_permissions() chooses permissions at run time"
                )
        if permissions is None and chooser is None:
            self._drf_defaults(draft)
        else:
            for name in permissions or []:
                if name.endswith("api_settings.DEFAULT_PERMISSION_CLASSES"):
                    self._drf_defaults(draft)  # the settings' defaults, extended by the view
                    continue
                caps = self.classifier.classify(name)
                draft.apply(
                    caps,
                    "permission_class",
                    short_name(name),
                    file=cls.file,
                    line=int(cls.fact.get("line", 1)),
                    level="route",
                )
        throttles = self.modules.class_attr(cls, "throttle_classes")
        if throttles is None:
            self._drf_throttle_defaults(draft)
        else:
            for name in throttles:
                if name.endswith("api_settings.DEFAULT_THROTTLE_CLASSES"):
                    self._drf_throttle_defaults(draft)
                    continue
                draft.rate.append(
                    _at_class(cls, "limiter", f"throttle_classes {name.rsplit('.', 1)[-1]}")
                )
        if self.modules.class_attr(cls, "throttle_scope"):
            draft.rate.append(_at_class(cls, "limiter", "throttle_scope"))

    def _drf_defaults(self, draft: RouteDraft) -> None:
        if not self.settings.keys() & {"rest_framework", "installed_apps", "middleware"}:
            # no settings module among the reviewed files: the defaults live in one we did not
            # read (a deployment's own, a settings_example.py outside the paths), not AllowAny
            draft.unknown_notes.append(
                "DRF default permissions: no Django settings module among the reviewed files"
            )
            return
        if not self.default_permissions:
            draft.open_notes.append(
                "DRF default permission AllowAny (no DEFAULT_PERMISSION_CLASSES)"
            )
            return
        for name in self.default_permissions:
            caps = self.classifier.classify(name)
            draft.apply(
                caps,
                "settings_default",
                f"DEFAULT_PERMISSION_CLASSES {name.rsplit('.', 1)[-1]}",
                file=self.settings_file,
                line=1,
                level="settings",
            )

    def _drf_throttle_defaults(self, draft: RouteDraft) -> None:
        for name in self.default_throttles:
            draft.rate.append(
                Evidence(
                    kind="limiter",
                    detail=f"DEFAULT_THROTTLE_CLASSES {name.rsplit('.', 1)[-1]}",
                    file=self.settings_file,
                    line=1,
                    level="settings",
                )
            )


__all__ = ["Caps", "DjangoLinker"]


def _at_class(cls: Symbol, kind: str, detail: str) -> Evidence:
    """Route-level evidence found on a view class, pointing at the class."""
    return Evidence(
        kind=kind, detail=detail, file=cls.file, line=int(cls.fact.get("line", 1)), level="route"
    )
