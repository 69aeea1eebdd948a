"""Links per-file Python facts into the project's route inventory.

Contract (used by scan.py): `link_python(results, root) -> ProjectIndex`.

Per-file facts name things by qualified name only; here they meet: routers are followed
through `include_router` / `register_blueprint` / `mount` chains (prefixes and dependencies),
Django urlconfs through `include()` and DRF routers, aliases and dependencies across modules,
settings defaults and app-level middleware and hooks. Each route then gets its protections with
evidence and the level it came from.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mcp_backend.review import route_policy
from mcp_backend.review.model import (
    ChecklistItemId,
    Evidence,
    FileResult,
    ProjectIndex,
    Protection,
    Route,
    Signal,
)
from mcp_backend.review.python.frameworks._classify import Caps, Classifier
from mcp_backend.review.python.frameworks._django_link import DjangoLinker
from mcp_backend.review.python.frameworks._draft import RouteDraft, join_path
from mcp_backend.review.python.frameworks._resolve import Modules, Symbol
from mcp_backend.review.python.graphql_link import GraphqlLinker
from mcp_backend.review.route_context import operator_only

logger = logging.getLogger(__name__)

# The HTTP views that serve a GraphQL schema: graphene-django and Strawberry's GraphQLView,
# Ariadne's GraphQL app, Strawberry's GraphQLRouter, Starlette's GraphQLApp.
_SCHEMA_VIEW = re.compile(r"(^|\.)(Async)?(GraphQLView|GraphQL|GraphQLRouter|GraphQLApp)$")


def _served_schema(routes: list[Route]) -> list[Route]:
    """GraphQL fields answered through the one HTTP view that serves the schema get what that
    view has and they lack: a rate limit or authentication wrapped around the view
    (`ratelimit(...)(GraphQLView.as_view())`) runs before every field. With several views,
    which schema each serves is not read, so nothing is passed on."""
    views = [r for r in routes if r.kind != "graphql" and _SCHEMA_VIEW.search(r.handler)]
    if len(views) != 1:
        return routes
    view = views[0]
    out: list[Route] = []
    for route in routes:
        update: dict[str, Protection] = {}
        if route.kind == "graphql":
            for kind in ("auth", "rate_limit"):
                served: Protection = getattr(view, kind)
                if served.status == "present" and getattr(route, kind).status != "present":
                    update[kind] = served.model_copy(
                        update={"note": f"on the view serving the schema ({view.file}:{view.line})"}
                    )
        out.append(route.model_copy(update=update) if update else route)
    return out


APP_KINDS = {
    "FastAPI": ("fastapi", "app"),
    "APIRouter": ("fastapi", "router"),
    "Flask": ("flask", "app"),
    "Quart": ("flask", "app"),
    "Blueprint": ("flask", "router"),
    "Namespace": ("flask", "router"),
    "Api": ("flask", "router"),
    "namespace": ("flask", "router"),
    "Application": ("aiohttp", "app"),
    "RouteTableDef": ("aiohttp", "router"),
    "Starlette": ("starlette", "app"),
    "Router": ("starlette", "router"),  # Starlette's, and Django Ninja's
    "NinjaAPI": ("starlette", "app"),
}
ROUTE_DECORATORS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "route", "api_route", "websocket"}
)
NOT_MECHANISMS = frozenset({"wraps", "staticmethod", "classmethod", "property", "cache"})


@dataclass
class Chain:
    """One way a router is reached from an app: full prefix, inherited mechanisms."""

    prefix: str = ""
    dependencies: list[tuple[str, str, int, str]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


@dataclass
class Mechanism:
    """A hook or middleware, classified once, applied to every route behind it."""

    caps: Caps
    kind: str
    detail: str
    file: str
    line: int
    level: str
    unknown_note: str | None = None  # it may run for the route; we cannot tell

    def apply_to(self, draft: RouteDraft) -> None:
        if self.unknown_note is not None:
            draft.unknown_notes.append(self.unknown_note)
            return
        draft.apply(
            self.caps, self.kind, self.detail, file=self.file, line=self.line, level=self.level
        )


@dataclass
class Edge:
    parent: Symbol | None
    prefix: str
    override_prefix: bool
    dependencies: list[str]
    file: str
    line: int


def link_python(results: list[FileResult], root: str) -> ProjectIndex:
    return _Linker(results, root).run()


class _Linker:
    def __init__(self, results: list[FileResult], root: str) -> None:
        python = [r for r in results if r.language == "python"]
        self.results = [r for r in python if not r.skipped]
        self.root = root
        self.modules = Modules(python)
        # Unparsed files that may mount routers or apply middleware, hooks or dependencies.
        self.unread_wiring = [
            f"{r.file} could not be parsed ({r.skipped}) and may mount routes or protect them"
            for r in python
            if r.skipped and r.facts.get("wiring")
        ]
        self.classifier = Classifier(self.modules)
        self.edges: dict[str, list[Edge]] = {}
        # Django Ninja `auth=` classes, named as such in the evidence (not as Depends(...))
        self.auth_classes = {
            name
            for _, facts in self.modules.by_name.values()
            for fact in [
                *facts.get("objects", {}).values(),
                *facts.get("routes", []),
                *facts.get("includes", []),
            ]
            for name in fact.get("auth_classes", [])
        }
        self._limiters_cache: list[tuple[str, str, int]] | None = None
        self._mechanism_cache: dict[str, list[Mechanism]] | None = None
        self._called_cache: set[str] | None = None
        self._build_edges()

    # --- wiring ---------------------------------------------------------------------------
    def _build_edges(self) -> None:
        for result, facts in self.modules.by_name.values():
            for include in facts.get("includes", []):
                child = self.modules.resolve(include.get("child", ""))
                if child is None or child.kind != "object":
                    continue
                parent = (
                    self.modules.resolve(include.get("parent", ""))
                    if include.get("parent")
                    else None
                )
                self.edges.setdefault(child.key, []).append(
                    Edge(
                        parent=parent if parent is not None and parent.kind == "object" else None,
                        prefix=self._prefix(include),
                        override_prefix=bool(include.get("override_prefix")),
                        dependencies=include.get("dependencies", []),
                        file=result.file,
                        line=int(include.get("line", 1)),
                    )
                )

    def _prefix(self, fact: dict[str, Any]) -> str:
        """A literal prefix, or one built from constants: a name we cannot resolve stays
        visible as `{NAME}`, as in route paths, rather than the prefix being dropped."""
        parts = fact.get("prefix_parts") or []
        if not parts:
            return str(fact.get("prefix", ""))
        return self.modules.path_from_parts(parts)

    def _object_kind(self, symbol: Symbol | None) -> tuple[str, str]:
        if symbol is None or symbol.kind != "object":
            return ("", "")
        return self._object_kind_of_call(str(symbol.fact.get("call", "")))

    def _object_kind_of_call(self, call: str) -> tuple[str, str]:
        """('fastapi', 'router') for `APIRouter(...)`, and for a project subclass of it."""
        kind = APP_KINDS.get(call.rsplit(".", 1)[-1])
        if kind is not None:
            return kind
        cls = self._project_class(call)
        for base in self.modules.base_names(cls) if cls is not None else []:
            kind = APP_KINDS.get(base.rsplit(".", 1)[-1])
            if kind is not None:
                return kind
        return ("", "")

    def _project_class(self, call: str) -> Symbol | None:
        symbol = self.modules.resolve(call) if call else None
        return symbol if symbol is not None and symbol.kind == "class" else None

    def _inherited_router_dependencies(self, call: str) -> list[str]:
        """Dependencies a project router subclass passes to `super().__init__`."""
        cls = self._project_class(call)
        if cls is None:
            return []
        return [
            name
            for link in self.modules.class_chain(cls)
            for name in link.fact.get("init_kwargs", {}).get("dependencies", [])
        ]

    def chains(self, symbol: Symbol | None, depth: int = 0) -> list[Chain]:
        if symbol is None:
            return [Chain()]
        _, kind = self._object_kind(symbol)
        level = "app" if kind == "app" else "router"
        own = Chain(
            prefix=self._prefix(symbol.fact),
            dependencies=[
                (d, symbol.file, int(symbol.fact.get("line", 1)), level)
                for d in [
                    *symbol.fact.get("dependencies", []),
                    *self._inherited_router_dependencies(str(symbol.fact.get("call", ""))),
                ]
            ],
            keys=[symbol.key],
        )
        parents = self.edges.get(symbol.key, [])
        if not parents or depth > 8:
            return [own]
        out: list[Chain] = []
        for edge in parents:
            for parent_chain in self.chains(edge.parent, depth + 1):
                edge_level = (
                    "app"
                    if self._object_kind(edge.parent)[1] == "app" and not edge.dependencies
                    else "router"
                )
                out.append(
                    Chain(
                        prefix=join_path(
                            parent_chain.prefix,
                            edge.prefix,
                            "" if edge.override_prefix else own.prefix,
                        ),
                        dependencies=[
                            *parent_chain.dependencies,
                            *((d, edge.file, edge.line, edge_level) for d in edge.dependencies),
                            *own.dependencies,
                        ],
                        keys=[*parent_chain.keys, symbol.key],
                    )
                )
        return out[:6]

    # --- routes ---------------------------------------------------------------------------
    def run(self) -> ProjectIndex:
        drafts = self._declared_routes()
        django = DjangoLinker(self.modules, self.classifier)
        drafts.extend(django.routes())
        graphql = GraphqlLinker(self.modules, self.classifier)
        graphql_drafts = graphql.drafts()
        if graphql_drafts:
            self._app_middleware(graphql_drafts)
        drafts.extend(graphql_drafts)
        for draft in drafts:
            draft.unreadable_notes.extend(self.unread_wiring)
        routes = [self._finish(draft) for draft in drafts]
        routes = _served_schema(self._dedupe(routes))
        test_results = [r for r in self.results if r.is_test]
        self._mark_tested(routes, drafts, test_results)
        index = ProjectIndex(
            root=self.root,
            routes=routes,
            frameworks=sorted({r.framework for r in routes} | self._framework_packages()),
            test_files=sorted(r.file for r in self.results if r.is_test),
            source_files=sorted(r.file for r in self.results if not r.is_test),
            unread_wiring=self.unread_wiring,
        )
        index.facts = self._project_facts(routes, drafts, django)
        servers = graphql.servers()
        if servers:
            index.facts["graphql_servers"] = servers
        index.signals = self._signals(routes, index.facts)
        return index

    def _framework_packages(self) -> set[str]:
        names = {"fastapi", "flask", "django", "aiohttp", "starlette"}
        found: set[str] = set()
        for result in self.results:
            for package in result.facts.get("packages", []):
                if package in names:
                    found.add(package)
                elif package == "rest_framework":
                    found.add("django")
        return found

    def _declared_routes(self) -> list[RouteDraft]:
        drafts: list[RouteDraft] = []
        for result, facts in self.modules.by_name.values():
            if result.is_test:
                continue
            declared = list(facts.get("routes", []))
            declared.extend(self._class_routes(facts))
            for route in declared:
                target = (
                    self.modules.resolve(route.get("target", "")) if route.get("target") else None
                )
                framework = route.get("framework") or self._object_kind(target)[0]
                if not framework:
                    framework = next(
                        (
                            p
                            for p in ("fastapi", "flask", "aiohttp", "starlette")
                            if p in facts.get("packages", [])
                        ),
                        "",
                    )
                    if not framework and "quart" in facts.get("packages", []):
                        framework = "flask"
                if not framework:
                    continue
                handler = self.modules.resolve(route.get("handler_ref", ""))
                chains = self.chains(target) if target is not None else [Chain()]
                for chain in chains:
                    own_path = route["path"]
                    if route.get("path_parts"):  # @router.get(ITEMS_PATH), f"{BASE}/items"
                        own_path = self.modules.path_from_parts(route["path_parts"])
                    for method in route.get("methods") or ["GET"]:
                        draft = RouteDraft(
                            method=method.upper(),
                            path=join_path(chain.prefix, own_path),
                            handler=route.get("handler", ""),
                            file=result.file if handler is None else handler.file,
                            line=int(route.get("line", 1))
                            if handler is None
                            else int(handler.fact.get("line", route.get("line", 1))),
                            framework=framework,
                            mounted_prefix=chain.prefix,
                            url_name=route.get("url_name"),
                            handler_fact=handler.fact
                            if handler is not None and handler.kind == "function"
                            else None,
                        )
                        self._route_mechanisms(draft, route, chain, result.file)
                        drafts.append(draft)
        return drafts

    def _class_routes(self, facts: dict[str, Any]) -> list[dict[str, Any]]:
        """Flask `add_url_rule(view_func=View.as_view(...))`: one route per verb method."""
        routes: list[dict[str, Any]] = []
        for entry in facts.get("class_routes", []):
            cls = self.modules.resolve(entry.get("class_ref", ""))
            if cls is None or cls.kind != "class":
                continue
            verbs = [
                m
                for m in cls.fact.get("methods", [])
                if m.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}
                and (not entry.get("methods") or m.upper() in entry["methods"])
            ]
            for verb in verbs:
                routes.append(
                    {
                        "target": entry["target"],
                        "methods": [verb.upper()],
                        "path": entry["path"],
                        "dependencies": [],
                        "handler_ref": f"{cls.module}.{cls.name}.{verb}",
                        "handler": f"{cls.name}.{verb}",
                        "line": entry.get("line", 1),
                        "class_ref": f"{cls.module}.{cls.name}",
                    }
                )
        return routes

    def _ninja_operation_auth(self, draft: RouteDraft, route: dict[str, Any], file: str) -> None:
        """`auth=[BearerTokenAuth(), AllowAnonymous()]`: Ninja tries each in turn, so the
        operation rejects a caller only when every entry does."""
        names = route.get("auth_classes", [])
        line = int(route.get("decorator_line", route.get("line", 1)))
        judged = [(name, self.classifier.classify(name)) for name in names]
        admitting = [name for name, caps in judged if not (caps.auth or caps.role)]
        if len(names) > 1 and admitting:
            shown = ", ".join(n.rsplit(".", 1)[-1] for n in admitting)
            draft.apply(
                Caps(open=f"auth=[...] also admits callers through {shown}"),
                "dependency",
                f"auth=[...] also admits callers through {shown}",
                file=file,
                line=line,
                level="route",
            )
            return
        for name, caps in judged:
            draft.apply(
                caps,
                "dependency",
                self._dependency_label(name),
                file=file,
                line=line,
                level="route",
            )

    def _dependency_label(self, name: str) -> str:
        short = name.rsplit(".", 1)[-1]
        return f"auth={short}" if name in self.auth_classes else f"Depends({short})"

    def _route_mechanisms(
        self, draft: RouteDraft, route: dict[str, Any], chain: Chain, file: str
    ) -> None:
        if route.get("auth_none"):
            draft.open_notes.append("explicitly public: auth=None on the operation")
        for name, where, line, level in chain.dependencies:
            if route.get("auth_none") and name in self.auth_classes:
                continue  # the operation's auth=None replaces the router's and the API's
            draft.apply(
                self.classifier.classify(name),
                "dependency",
                self._dependency_label(name),
                file=where,
                line=line,
                level=level,
            )
        self._ninja_operation_auth(draft, route, file)
        for name in route.get("dependencies", []):
            draft.apply(
                self.classifier.classify(name),
                "dependency",
                self._dependency_label(name),
                file=file,
                line=int(route.get("decorator_line", route.get("line", 1))),
                level="route",
            )
        for key in chain.keys:
            self._hooks_and_middleware(draft, key)
        for mechanism in self._mechanisms().get(f"installed:{draft.framework}", []):
            mechanism.apply_to(draft)
        if draft.framework == "starlette":
            self._starlette_middleware(draft)
        if draft.framework == "aiohttp":
            for mechanism in self._mechanisms().get("aiohttp:*", []):
                mechanism.apply_to(draft)
        if draft.framework == "flask":
            self._flask_global_limits(draft)
        owner = self.modules.resolve(str(route.get("owner_class", "")))
        if owner is not None and owner.kind == "class":
            for name in dict.fromkeys(
                d for c in self.modules.class_chain(owner) for d in c.fact.get("dependencies", [])
            ):
                draft.apply(
                    self.classifier.classify(name),
                    "dependency",
                    f"{owner.name}: {name.rsplit('.', 1)[-1]}",
                    file=owner.file,
                    line=int(owner.fact.get("line", 1)),
                    level="router",
                    keep_unknown=False,
                )
        class_ref = route.get("class_ref")
        if class_ref:
            cls = self.modules.resolve(class_ref)
            if cls is not None and cls.kind == "class":
                for attr in ("decorators", "method_decorators"):
                    for name in self.modules.class_attr(cls, attr) or []:
                        draft.apply(
                            self.classifier.classify(name),
                            "decorator",
                            f"{attr} {name.rsplit('.', 1)[-1]}",
                            file=cls.file,
                            line=int(cls.fact.get("line", 1)),
                            level="route",
                            keep_unknown=False,
                        )
                for deco in cls.fact.get("decorators", []):
                    if deco.get("short") not in ROUTE_DECORATORS:
                        draft.apply(
                            self.classifier.classify(deco["name"], deco.get("strings")),
                            "decorator",
                            f"@{deco['short']}",
                            file=cls.file,
                            line=int(deco.get("line", 1)),
                            level="router",
                        )
        fact = draft.handler_fact
        if fact is not None:
            draft.apply_handler(fact, self.classifier, self.modules, framework=draft.framework)

    def _hooks_and_middleware(self, draft: RouteDraft, key: str) -> None:
        for mechanism in self._mechanisms().get(key, []):
            mechanism.apply_to(draft)

    def _starlette_middleware(self, draft: RouteDraft) -> None:
        for mechanism in self._mechanisms().get("", []):
            mechanism.apply_to(draft)

    def _mechanisms(self) -> dict[str, list[Mechanism]]:
        """Hooks and middleware by the app/blueprint they are attached to, built once.
        Key '' holds what applies to every route of its kind (before_app_request, Starlette
        Middleware(...) lists)."""
        if self._mechanism_cache is not None:
            return self._mechanism_cache
        found: dict[str, list[Mechanism]] = {}

        def add(key: str, mechanism: Mechanism) -> None:
            found.setdefault(key, []).append(mechanism)

        for result, facts in self.modules.by_name.values():
            for hook in facts.get("hooks", []):
                target = self.modules.resolve(hook.get("target", ""))
                function = str(hook.get("function", ""))
                mechanism = Mechanism(
                    caps=self.classifier.classify_enforcing(function),
                    kind="hook",
                    detail=f"before_request {function.rsplit('.', 1)[-1]}",
                    file=result.file,
                    line=int(hook.get("line", 1)),
                    level="app" if self._object_kind(target)[1] == "app" else "router",
                )
                if hook.get("installer"):
                    self._installed(hook, mechanism, add)
                elif hook.get("kind") == "before_app_request":
                    add("*", mechanism)
                elif target is not None:
                    add(target.key, mechanism)
            for middleware in facts.get("middleware", []):
                name = str(middleware.get("name", ""))
                mechanism = Mechanism(
                    caps=self._middleware_caps(name, str(middleware.get("backend", ""))),
                    kind="middleware",
                    detail=name.rsplit(".", 1)[-1],
                    file=result.file,
                    line=int(middleware.get("line", 1)),
                    level="app",
                )
                if middleware.get("installer"):
                    self._installed(middleware, mechanism, add)
                elif not middleware.get("target"):
                    add("", mechanism)
                elif middleware["target"] == "aiohttp:*":
                    add("aiohttp:*", mechanism)
                elif (target := self.modules.resolve(middleware["target"])) is not None:
                    add(target.key, mechanism)
            for name, obj in facts.get("objects", {}).items():
                # aiohttp web.Application(middlewares=[...]) / FastAPI(middleware=[...])
                backends = obj.get("middleware_backends", {})
                for entry in obj.get("middleware", []):
                    add(
                        f"{facts.get('module')}:{name}",
                        Mechanism(
                            caps=self._middleware_caps(entry, backends.get(entry, "")),
                            kind="middleware",
                            detail=entry.rsplit(".", 1)[-1],
                            file=result.file,
                            line=int(obj.get("line", 1)),
                            level="app",
                        ),
                    )
        # before_app_request hooks apply to every Flask route: attach them to every key.
        for mechanism in found.pop("*", []):
            for key in {k for k in found if k} | self._flask_keys():
                found.setdefault(key, []).append(mechanism)
        self._mechanism_cache = found
        return found

    def _middleware_caps(self, name: str, backend: str) -> Caps:
        """What a middleware gives the routes behind it. An authentication middleware whose
        project backend lets a request without credentials through as anonymous refuses no one:
        each route decides, so it adds nothing rather than making every route unknown."""
        caps = self.classifier.classify_enforcing(name)
        if caps.auth_soft and backend:
            symbol = self.modules.resolve(backend)
            if (
                symbol is not None
                and symbol.kind == "class"
                and symbol.fact.get("anonymous_passes")
            ):
                return Caps()
        return caps

    def _app_middleware(self, drafts: list[RouteDraft]) -> None:
        """A GraphQL endpoint is served by the app: its middleware (a global limiter, an
        authentication middleware) runs before every field. The apps' own, and those that
        apply to every route of their kind."""
        mechanisms = self._mechanisms()
        app_keys = {""} | {
            f"{facts.get('module')}:{name}"
            for _, facts in self.modules.by_name.values()
            for name, obj in facts.get("objects", {}).items()
            if self._object_kind_of_call(str(obj.get("call", "")))[1] == "app"
        }
        for draft in drafts:
            for key in app_keys:
                for mechanism in mechanisms.get(key, []):
                    mechanism.apply_to(draft)

    def _installed(
        self, fact: dict[str, Any], mechanism: Mechanism, add: Callable[[str, Mechanism], None]
    ) -> None:
        """Middleware or a hook that a function installs on the app it is handed: it runs for
        the routes of that framework's app once the installer is called. With several apps of
        the framework we cannot tell which one it is handed to, so it only makes them unknown."""
        installer = self.modules.resolve(str(fact["installer"]))
        if installer is None or installer.name not in self._called():
            return
        framework = str(fact.get("framework", ""))
        apps = self._app_objects().get(framework, [])
        if len(apps) > 1 and (mechanism.caps.auth or mechanism.caps.role):
            note = (
                f"{mechanism.detail} ({mechanism.file}:{mechanism.line}) is installed by "
                f"{installer.name} on one of {len(apps)} {framework} apps"
            )
            mechanism = Mechanism(
                caps=Caps(),
                kind=mechanism.kind,
                detail=mechanism.detail,
                file=mechanism.file,
                line=mechanism.line,
                level="app",
                unknown_note=note,
            )
        mechanism.level = "app"
        add(f"installed:{framework}", mechanism)

    def _called(self) -> set[str]:
        """Names of the functions the project calls with an app (`install_auth(app)`)."""
        if self._called_cache is None:
            self._called_cache = {
                name
                for _, facts in self.modules.by_name.values()
                for name in facts.get("app_handoffs", [])
            }
        return self._called_cache

    def _app_objects(self) -> dict[str, list[str]]:
        """App objects (FastAPI(), Flask(), ...) of the project by framework."""
        apps: dict[str, list[str]] = {}
        for _, facts in self.modules.by_name.values():
            for name, obj in facts.get("objects", {}).items():
                call = str(obj.get("call", "")).rsplit(".", 1)[-1]
                framework, kind = APP_KINDS.get(call, ("", ""))
                if kind == "app":
                    apps.setdefault(framework, []).append(f"{facts.get('module')}:{name}")
        return apps

    def _flask_keys(self) -> set[str]:
        keys: set[str] = set()
        for _, facts in self.modules.by_name.values():
            for name, obj in facts.get("objects", {}).items():
                if self._object_kind_of_call(str(obj.get("call", "")))[0] == "flask":
                    keys.add(f"{facts.get('module')}:{name}")
        return keys

    def _flask_global_limits(self, draft: RouteDraft) -> None:
        for symbol_file, obj, line in self._global_limiters():
            draft.rate.append(
                Evidence(kind="limiter", detail=obj, file=symbol_file, line=line, level="app")
            )

    def _global_limiters(self) -> list[tuple[str, str, int]]:
        if self._limiters_cache is not None:
            return self._limiters_cache
        found: list[tuple[str, str, int]] = []
        for result, facts in self.modules.by_name.values():
            module = facts.get("module", "")
            initialised = {entry.get("object", "") for entry in facts.get("init_app", [])}
            for name, obj in facts.get("objects", {}).items():
                if not str(obj.get("call", "")).endswith("Limiter") or not obj.get(
                    "default_limits"
                ):
                    continue
                if (
                    "flask_limiter" not in str(obj.get("call", ""))
                    and str(obj.get("call", "")).rsplit(".", 1)[-1] != "Limiter"
                ):
                    continue
                if "slowapi" in str(obj.get("call", "")):
                    continue  # slowapi's defaults apply only with SlowAPIMiddleware
                if (
                    obj.get("has_app")
                    or f"{module}.{name}" in initialised
                    or self._init_elsewhere(module, name)
                ):
                    found.append(
                        (
                            result.file,
                            f"Limiter(default_limits=...) {name}",
                            int(obj.get("line", 1)),
                        )
                    )
        self._limiters_cache = found
        return found

    def _init_elsewhere(self, module: str, name: str) -> bool:
        for _, facts in self.modules.by_name.values():
            for entry in facts.get("init_app", []):
                resolved = self.modules.resolve(entry.get("object", ""))
                if resolved is not None and resolved.key == f"{module}:{name}":
                    return True
        return False

    # --- finishing ------------------------------------------------------------------------
    def _finish(self, draft: RouteDraft) -> Route:
        route = draft.to_route()
        route.public_by_design = route_policy.public_reason(
            route, webhook_verified=draft.signature_check, setup_guarded=draft.setup_guard
        )
        if route.public_by_design is None and route.method in {"GET", "HEAD"}:
            if draft.redirect_only:
                route.public_by_design = "a redirect (returns no data)"
            elif draft.serves_files and route_policy.CATCH_ALL_PATH.search(route.path):
                route.public_by_design = "static files"
        return route

    @staticmethod
    def _dedupe(routes: list[Route]) -> list[Route]:
        seen: set[tuple[str, str, str, int]] = set()
        unique: list[Route] = []
        for route in routes:
            key = (route.method, route.path, route.file, route.line)
            if key not in seen:
                seen.add(key)
                unique.append(route)
        return sorted(unique, key=lambda r: (r.file, r.line, r.path, r.method))

    def _mark_tested(
        self, routes: list[Route], drafts: list[RouteDraft], tests: list[FileResult]
    ) -> None:
        if not tests:
            return
        calls: set[tuple[str, str]] = set()
        url_names: set[str] = set()
        names: set[str] = set()
        graphql_fields: set[str] = set()
        for result in tests:
            refs = result.facts.get("test_refs", {})
            graphql_fields.update(refs.get("graphql_fields", []))
            for call in refs.get("calls", []):
                verb, _, path = str(call).partition(" ")
                calls.add((verb, path))
            url_names.update(refs.get("url_names", []))
            names.update(n.rsplit(".", 1)[-1] for n in refs.get("names", []))
        url_name_of = {(d.method, d.path, d.file, d.line): d.url_name for d in drafts}
        for route in routes:
            handler = route.handler.rsplit(".", 1)[-1]
            cls = route.handler.split(".", 1)[0]
            if route.kind == "graphql":
                # a test's GraphQL document calls the field, or the test calls the resolver
                route.tested = route.path.rsplit(".", 1)[-1] in graphql_fields or handler in names
                continue
            name = url_name_of.get((route.method, route.path, route.file, route.line))
            fixed = route_policy.static_segments(route.path)
            anchor = fixed[-1] if fixed else ""  # cheap pre-filter before regex matching
            route.tested = (
                any(
                    (verb in {"ANY", route.method} or route.method == "ANY")
                    and anchor in path.lower()
                    and route_policy.url_matches(route.path, path)
                    for verb, path in calls
                )
                or (name is not None and name in url_names)
                or handler in names
                or cls in names
                or any(n == handler or n.endswith("." + handler) for n in url_names)
            )

    def _project_facts(
        self, routes: list[Route], drafts: list[RouteDraft], django: DjangoLinker
    ) -> dict[str, Any]:
        error_handlers: list[dict[str, Any]] = []
        for result, facts in self.modules.by_name.values():
            if result.is_test:
                continue
            for handler in facts.get("error_handlers", []):
                error_handlers.append({"file": result.file, **handler})
        rest = django.settings.get("rest_framework", {})
        if rest.get("EXCEPTION_HANDLER"):
            error_handlers.append(
                {
                    "file": django.settings_file,
                    "line": 1,
                    "kind": "EXCEPTION_HANDLER",
                    "detail": rest["EXCEPTION_HANDLER"],
                }
            )
        shapes: dict[str, list[dict[str, Any]]] = {}
        for draft in drafts:
            if draft.responses:
                shapes[f"{draft.method} {draft.path}"] = [
                    {**r, "file": draft.file} for r in draft.responses
                ]
        apps = []
        for result, facts in self.modules.by_name.values():
            for name, obj in facts.get("objects", {}).items():
                framework, kind = APP_KINDS.get(
                    str(obj.get("call", "")).rsplit(".", 1)[-1], ("", "")
                )
                if kind == "app" and "." in str(obj.get("call", "")):
                    apps.append(
                        {
                            "file": result.file,
                            "line": obj.get("line", 1),
                            "name": name,
                            "framework": framework,
                        }
                    )
        return {
            "error_handlers": error_handlers,
            # A GraphQL server turns every resolver's error into the response's `errors`.
            "framework_error_handling": "django"
            if django.is_django
            else ("graphql" if routes and all(r.kind == "graphql" for r in routes) else None),
            "rate_limit_global": [
                {"file": f, "detail": d, "line": line} for f, d, line in self._global_limiters()
            ]
            + django.global_throttles(),
            "response_shapes": shapes,
            "has_tests": any(r.is_test for r in self.results),
            "apps": apps,
            "critical_routes": [
                f"{r.method} {r.path}" for r in routes if route_policy.critical_kind(r)
            ],
            "operator_only_handlers": self._operator_only_handlers(routes, drafts),
        }

    def _operator_only_handlers(
        self, routes: list[Route], drafts: list[RouteDraft]
    ) -> list[dict[str, Any]]:
        """Line spans of handlers every route of which requires an administrator role before
        the handler runs (a dependency, decorator or hook; a check inside the handler often
        only lets admins past an ownership test)."""
        end_of = {
            (d.file, d.line): int(d.handler_fact.get("end_line", d.line))
            for d in drafts
            if d.handler_fact is not None
        }
        by_handler: dict[tuple[str, int], list[Route]] = {}
        for route in routes:
            if (route.file, route.line) in end_of:
                by_handler.setdefault((route.file, route.line), []).append(route)
        operator = operator_only(by_handler, routes, signed_in_operates=True)
        spans = [{"file": f, "start": line, "end": end_of[(f, line)]} for f, line in operator]
        # helpers that only operator-only handlers call (`_update_function(request, id, ...)`)
        helpers: dict[str, set[bool]] = {}
        found: dict[str, Symbol] = {}
        for draft in drafts:
            if draft.handler_fact is None:
                continue
            is_operator = (draft.file, draft.line) in operator
            for call in draft.handler_fact.get("body", {}).get("calls", []):
                callee = self.modules.resolve(call)
                if callee is not None and callee.kind == "function" and callee.file == draft.file:
                    helpers.setdefault(callee.key, set()).add(is_operator)
                    found[callee.key] = callee
        for key, callers in helpers.items():
            if callers == {True}:
                fact = found[key].fact
                line = int(fact.get("line", 1))
                spans.append(
                    {"file": found[key].file, "start": line, "end": int(fact.get("end_line", line))}
                )
        return spans

    def _signals(self, routes: list[Route], facts: dict[str, Any]) -> list[Signal]:
        signals: list[Signal] = []
        seen: set[tuple[str, str]] = set()

        def add(item: ChecklistItemId, evidence: Evidence) -> None:
            key = (item, evidence.detail)
            if key in seen or len(seen) > 60:
                return
            seen.add(key)
            signals.append(
                Signal(item=item, detail=evidence.detail, file=evidence.file, line=evidence.line)
            )

        for route in routes:
            pairs: tuple[tuple[ChecklistItemId, Protection], ...] = (
                ("authentication", route.auth),
                ("authorization", route.authz),
                ("input-validation", route.validation),
                ("rate-limiting", route.rate_limit),
            )
            for item, protection in pairs:
                if protection.status == "present":
                    for evidence in protection.evidence[:1]:
                        add(item, evidence)
        for handler in facts["error_handlers"][:5]:
            add(
                "error-handling",
                Evidence(
                    kind="error_handler",
                    detail=f"{handler.get('kind')} {handler.get('detail', '')}".strip(),
                    file=handler["file"],
                    line=int(handler.get("line", 1)),
                ),
            )
        tests = [r for r in self.results if r.is_test]
        if tests:
            add(
                "tests",
                Evidence(
                    kind="tests", detail=f"{len(tests)} test files", file=tests[0].file, line=1
                ),
            )
        return signals
