"""Routes that are files or procedures: Next.js route handlers and Pages API handlers, server
actions, and tRPC procedures, with their protections.

Evidence is what a definition does, found by following names through the JS linker's module
resolution: a helper that reads the session and refuses without one authenticates, whatever it
is called; a builder (`protectedProcedure`) is followed to the `.use(mw)` that makes it and the
middleware is judged by its body. Anything on a route's path we cannot follow makes the
protection `unknown`, with the reason, never `absent`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from mcp_backend.review.facts import (
    AuthConfig,
    BodySummary,
    CallbackDecision,
    FullstackFacts,
    MountList,
    MountRule,
    NextHandler,
    NextMiddleware,
    PathGuard,
    TrpcChain,
    TrpcRouter,
    TrpcRouterEntry,
)
from mcp_backend.review.javascript.frameworks import common, medusa, nextjs, packages
from mcp_backend.review.model import Evidence, Protection, Route, RouteKind
from mcp_backend.review.route_policy import public_reason_of

if TYPE_CHECKING:
    from mcp_backend.review.javascript.linker import _Linker

_KINDS = ("auth", "authz", "validation", "rate_limit")
_MAX_DEPTH = 8
_TS = (".ts", ".tsx", ".mts", ".cts")
CallKind = Literal["guard", "reader", "unknown"]
Level = Literal["app", "router", "route", "handler", "settings"]


@dataclass
class _Call:
    """What calling a function does about the caller."""

    kind: CallKind
    file: str
    line: int
    detail: str
    authz: bool = False


@dataclass
class _Judged:
    """Evidence per protection kind, and why a kind is out of sight."""

    evidence: dict[str, list[Evidence]] = field(
        default_factory=lambda: {kind: [] for kind in _KINDS}
    )
    unknown: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in _KINDS})

    def merge(self, other: _Judged) -> None:
        for kind in _KINDS:
            self.evidence[kind].extend(other.evidence[kind])
            self.unknown[kind].extend(n for n in other.unknown[kind] if n not in self.unknown[kind])


# A router's child routers: (key or merge prefix, child, the entry that names it).
_Children = dict[tuple[str, str], list[tuple[str, tuple[str, str], TrpcRouterEntry | None]]]


@dataclass
class _MiddlewareEffect:
    """What a Next.js middleware does for the paths its `config.matcher` covers: `provided`
    for all of them, each guard for the paths its terms select, `unknown` for the rest."""

    matcher: list[str] | None
    provided: _Judged
    label: str
    guards: list[tuple[PathGuard, Evidence]] = field(default_factory=list)
    unknown: str = ""

    def has_auth(self) -> bool:
        return bool(
            self.provided.evidence["auth"]
            or self.provided.unknown["auth"]
            or self.guards
            or self.unknown
        )


def _guard_covers(guard: PathGuard, path: str) -> bool | None:
    """Whether every term of the guard holds for `path`; None when one cannot be read."""
    unreadable = False
    for term in guard.terms:
        covers = nextjs.matcher_covers(term.patterns, path) if term.patterns is not None else None
        if covers is None:
            unreadable = True
            continue
        if covers == term.negated:
            return False
    return None if unreadable else True


def _public_reason(framework: packages.FileRouteFramework, path: str, opted_out: bool) -> str:
    """Why a route of a file-route framework is public by design: the route file opts out
    of the framework's authentication, or lies under a prefix it serves to anyone."""
    if opted_out:
        return f"opts out of {framework.name}'s authentication ({framework.opt_out} = false)"
    for prefix, reason in framework.public_prefixes:
        if path == prefix or path.startswith(prefix + "/"):
            return reason
    return ""


def _hinted(name: str) -> bool:
    """A name that suggests access control: at most a reason for `unknown`."""
    last = name.rsplit(".", 1)[-1]
    kinds = set(common.classify_name(last)) | set(common.strong_name_kinds(last))
    return bool(kinds & {"auth", "authz", "optional_auth"})


class FullstackLinker:
    def __init__(self, linker: _Linker) -> None:
        self.linker = linker
        self.facts: dict[str, FullstackFacts] = {
            file: facts.fullstack
            for file, facts in linker.modules.items()
            if facts.fullstack is not None
        }
        self._calls: dict[tuple[str, str], _Call | None] = {}
        self.routes: list[Route] = []
        self.frameworks: set[str] = set()
        self._tested_imports: set[tuple[str, str]] | None = None
        self._claimed: set[str] = set()  # files whose routes Next.js already listed

    def imported_by_tests(self, file: str, name: str) -> bool:
        """A test imports `name` (or the whole module) from `file`."""
        if self._tested_imports is None:
            self._tested_imports = set()
            for test, source, imported in self.linker.test_imports:
                if packages.is_package(source):
                    continue
                target = self.linker.resolve_module(test, source)
                if target is not None:
                    self._tested_imports.add((target, imported))
        return (file, name) in self._tested_imports or (file, "*") in self._tested_imports

    # ---- what a call does ---------------------------------------------------------------

    def call_kind(self, file: str, name: str, depth: int = 0) -> _Call | None:
        key = (file, name)
        if key in self._calls:
            return self._calls[key]
        self._calls[key] = None  # a cycle reads as nothing
        found = self._call_kind(file, name, depth)
        self._calls[key] = found
        return found

    def _call_kind(self, file: str, name: str, depth: int) -> _Call | None:
        if depth > _MAX_DEPTH:
            return None
        head, _, member = name.partition(".")
        imports = self.linker.module(file).imports
        facts = self.facts.get(file)
        if head not in imports:
            if not member and facts is not None and head in facts.functions:
                return self._summary_kind(file, head, facts.functions[head], depth)
            return None
        entry = imports[head]
        source = entry.source
        if packages.is_package(source):
            table = packages.IDENTITY_CALLS.get(source)
            if table is None:
                # A package we do not know: its name is at most a hint (`withApiAuth`).
                if _hinted(name):
                    return _Call("unknown", file, 1, f"{name} from {source}, which we do not know")
                return None
            exported = entry.name
            kind = table.get(f"{exported}.{member}") if member else table.get(exported)
            if kind in {"guard", "reader"}:
                return _Call(kind, file, 1, f"{name}() from {source}")  # type: ignore[arg-type]
            return None
        if self.linker.resolve_module(file, source) is None:
            if _hinted(name):
                return _Call("unknown", file, 1, f"{name} from {source}, which we cannot read")
            return None
        target, local = self.linker.resolve_symbol(file, head)
        target_facts = self.facts.get(target)
        if target_facts is None:
            return None
        if local in target_facts.identity_exports:
            return _Call("reader", target, 1, f"{head}() made by the auth library in {target}")
        if local in target_facts.functions and not member:
            return self._summary_kind(target, local, target_facts.functions[local], depth)
        return None

    def _summary_kind(self, file: str, name: str, body: BodySummary, depth: int) -> _Call | None:
        reads = body.reads_identity
        guard = False
        authz = body.role_check
        unknown = ""
        for called in body.calls:
            if called == name:
                continue
            found = self.call_kind(file, called, depth + 1)
            if found is None:
                continue
            if found.kind == "guard":
                guard = True
                authz = authz or found.authz
            elif found.kind == "reader":
                reads = True
            elif not unknown:
                unknown = found.detail
        detail = f"{name}() at {file}:{body.line}"
        if guard or (reads and body.denies):
            return _Call("guard", file, body.line, detail, authz=authz)
        if reads:
            return _Call("reader", file, body.line, detail)
        if unknown:
            return _Call("unknown", file, body.line, unknown)
        return None

    def limits(self, file: str, name: str, depth: int = 0) -> tuple[str, str, int] | None:
        """The project function `name` called in `file` limits the rate (itself or through the
        functions it calls): (label, file, line), else None."""
        if depth > 3 or "." in name:
            return None
        facts = self.facts.get(file)
        imports = self.linker.module(file).imports
        target, local = file, name
        if name in imports:
            if packages.is_package(imports[name].source):
                return None
            target, local = self.linker.resolve_symbol(file, name)
            facts = self.facts.get(target)
        body = facts.functions.get(local) if facts is not None else None
        if body is None:
            return None
        if body.rate_limit:
            return f"{local}()", target, body.line
        for called in body.calls:
            if called != local and (found := self.limits(target, called, depth + 1)):
                return found
        return None

    # ---- judging a body --------------------------------------------------------------------

    def judge(self, file: str, body: BodySummary, level: Level, what: str) -> _Judged:
        """Protections a handler, action, resolver or middleware body provides by itself and
        through the helpers it calls."""
        judged = _Judged()

        def evidence(kind: str, detail: str, where: str = file, line: int = body.line) -> Evidence:
            return Evidence(kind=kind, detail=detail, file=where, line=line, level=level)

        reads = body.reads_identity
        for called in body.calls:
            limiter = self.limits(file, called)
            if limiter is not None:
                judged.evidence["rate_limit"].append(
                    evidence("limiter", f"{what} calls {limiter[0]}, which limits the rate",
                             limiter[1], limiter[2])
                )  # fmt: skip
            found = self.call_kind(file, called)
            if found is None:
                continue
            if found.kind == "guard":
                judged.evidence["auth"].append(
                    evidence("handler_check", f"{what} calls {found.detail}, which refuses "
                             "callers without a session", found.file, found.line)
                )  # fmt: skip
                if found.authz:
                    judged.evidence["authz"].append(
                        evidence("role", f"role check in {found.detail}", found.file, found.line)
                    )
            elif found.kind == "reader":
                reads = True
                if body.denies:
                    judged.evidence["auth"].append(
                        evidence("handler_check", f"{what} reads the caller with {found.detail} "
                                 "and refuses without one")
                    )  # fmt: skip
            elif found.detail not in judged.unknown["auth"]:
                judged.unknown["auth"].append(found.detail)
        if body.auth_check or (reads and body.denies):
            judged.evidence["auth"].append(evidence("handler_check", f"{what} checks the caller"))
        if body.role_check:
            judged.evidence["authz"].append(evidence("role", f"role check in {what}"))
        if body.ownership:
            judged.evidence["authz"].append(evidence("ownership", f"ownership check in {what}"))
        if body.validation:
            judged.evidence["validation"].append(evidence("schema", f"{what} validates input"))
        if body.rate_limit:
            judged.evidence["rate_limit"].append(evidence("limiter", f"{what} limits the rate"))
        return judged

    @staticmethod
    def protection(judged: _Judged, kind: str) -> Protection:
        evidence = judged.evidence[kind]
        if evidence:
            return Protection(status="present", evidence=evidence)
        if judged.unknown[kind]:
            return Protection(status="unknown", note="; ".join(judged.unknown[kind])[:200])
        return Protection(status="absent")

    def make_route(
        self,
        *,
        kind: RouteKind,
        method: str,
        path: str,
        handler: str,
        file: str,
        line: int,
        framework: str,
        judged: _Judged,
        body: BodySummary,
        prefix: str = "",
        tested: bool | None = None,
    ) -> Route:
        auth = self.protection(judged, "auth")
        roles = [e for e in judged.evidence["authz"] if e.kind == "role"]
        if auth.status != "present" and roles:
            # A role check refuses callers without a role: without an identity, too.
            auth = Protection(
                status="present",
                evidence=[e.model_copy(update={"kind": "role_check"}) for e in roles],
            )
        validation = self.protection(judged, "validation")
        if validation.status == "absent" and not body.reads_request:
            validation = Protection(status="absent")
        elif validation.status == "absent" and body.request_whole:
            validation = Protection(
                status="unknown",
                note="the raw request is handed whole to another function, which may validate it",
            )
        return Route(
            kind=kind,
            method=method,
            path=path,
            handler=handler,
            file=file,
            line=line,
            framework=framework,
            language="typescript" if file.endswith(_TS) else "javascript",
            mounted_prefix=prefix,
            auth=auth,
            authz=self.protection(judged, "authz"),
            validation=validation,
            rate_limit=self.protection(judged, "rate_limit"),
            public_by_design=public_reason_of(
                method, path, handler, webhook_verified=None, setup_guarded=None
            ),
            reads_request_data=body.reads_request,
            loads_by_id=body.loads_by_id or body.changes_by_id,
            changes_by_id=body.changes_by_id,
            tested=tested,
        )

    # ---- Next.js ----------------------------------------------------------------------------

    def next_roots(self) -> list[str]:
        roots = [posixpath.dirname(file) for file, facts in self.facts.items() if facts.next_config]
        if not roots and any(facts.next_imports for facts in self.facts.values()):
            roots = [""]
        return sorted(roots, key=len, reverse=True)

    @staticmethod
    def _relative(file: str, roots: list[str]) -> tuple[str, str] | None:
        for root in roots:
            if not root:
                return root, file
            if file.startswith(root + "/"):
                return root, file[len(root) + 1 :]
        return None

    def _middleware_of(self, root: str) -> _MiddlewareEffect | None:
        """The root's middleware: its matcher, what it provides, and a label; None when the
        project has none or it is nothing to do with the caller."""
        for file, facts in self.facts.items():
            middleware = facts.middleware
            if middleware is None:
                continue
            place = self._relative(file, [root])
            if place is None or place[0] != root or not nextjs.is_middleware_file(place[1]):
                continue
            judged = _Judged()
            label = f"middleware {file}"
            body = middleware.body or BodySummary(line=middleware.line)
            if middleware.wrapper:
                evaluated = self._evaluated(file, middleware, label)
                if evaluated is not None:
                    return evaluated if evaluated.guards or evaluated.unknown else None
                wrapper = self._wrapper(file, middleware.wrapper)
                if wrapper == "guard":
                    judged.evidence["auth"].append(
                        Evidence(
                            kind="middleware",
                            detail=f"{middleware.wrapper} (refuses callers without a session)",
                            file=file,
                            line=middleware.wrapper_line,
                            level="app",
                        )
                    )
                    return _MiddlewareEffect(middleware.matcher, judged, label)
                if wrapper is not None:
                    own = self.judge(file, body, "app", label)
                    if own.evidence["auth"]:
                        return _MiddlewareEffect(middleware.matcher, own, label)
                    judged.unknown["auth"].append(
                        f"{middleware.wrapper} in {file}: whether it refuses depends on a "
                        "callback or config we do not evaluate"
                    )
                    return _MiddlewareEffect(middleware.matcher, judged, label)
            own = self.judge(file, body, "app", label)
            if own.evidence["auth"] or own.evidence["authz"]:
                return _MiddlewareEffect(middleware.matcher, own, label)
            if body.reads_identity or own.unknown["auth"] or middleware.wrapper:
                note = own.unknown["auth"][0] if own.unknown["auth"] else (
                    f"{label} reads the caller but we cannot tell that it refuses"
                )  # fmt: skip
                judged.unknown["auth"].append(note)
                return _MiddlewareEffect(middleware.matcher, judged, label)
            return None
        return None

    def _evaluated(
        self, file: str, middleware: NextMiddleware, label: str
    ) -> _MiddlewareEffect | None:
        """A library middleware wrapper whose callbacks we evaluate (packages.
        MIDDLEWARE_WRAPPERS, next-auth v5's `auth`): on which paths it refuses; None when the
        wrapper is not one of them."""
        imports = self.linker.module(file).imports
        head = middleware.wrapper.split("(", 1)[0]
        entry = imports.get(head)
        effect = _MiddlewareEffect(middleware.matcher, _Judged(), label)
        decisions: list[CallbackDecision] = []
        if middleware.made_here:
            own = self.facts.get(file)
            what = f"{middleware.wrapper} (next-auth)"
            config, note = self._authorized_of(file, own.identity_config if own else None, 0)
            if note:
                effect.unknown = f"{what}: {note}"
            if config is not None:
                decisions.append(config)
            entry = None
        elif entry is None or "." in head:
            return None
        else:
            what = f"{head} ({entry.source})"
        if entry is None:
            pass
        elif packages.is_package(entry.source):
            default = packages.MIDDLEWARE_WRAPPERS.get(entry.source, {}).get(entry.name)
            if default is None:
                return None
            if default == "refuses" and middleware.authorized is None:
                effect.guards.append(
                    (
                        PathGuard(line=middleware.wrapper_line, detail="refuses callers "
                                  "without a session (sends them to sign-in)"),
                        self._guard_evidence(file, what, middleware.wrapper_line, "refuses "
                                             "callers without a session"),
                    )
                )  # fmt: skip
            if middleware.authorized is not None:
                decisions.append(middleware.authorized)
        else:
            target, local = self.linker.resolve_symbol(file, head)
            target_facts = self.facts.get(target)
            if target_facts is None or local not in target_facts.identity_exports:
                return None
            what = f"{head} (next-auth, {target})"
            config, note = self._authorized_of(target, target_facts.identity_config, 0)
            if note:
                effect.unknown = f"{what}: {note}"
            if config is not None:
                decisions.append(config)
        if middleware.callback is not None:
            decisions.append(middleware.callback)
        for decision in decisions:
            for guard in decision.guards:
                effect.guards.append(
                    (guard, self._guard_evidence(file, what, guard.line, guard.detail, guard))
                )
            if decision.unknown and not effect.unknown:
                effect.unknown = f"{what} refuses on a condition we cannot evaluate: " + (
                    decision.unknown
                )
            if not decision.guards and not decision.unknown:
                for called in decision.calls:
                    found = self.call_kind(file, called)
                    if found is not None and found.kind in {"guard", "unknown"}:
                        effect.unknown = effect.unknown or (
                            f"{what}: its callback calls {found.detail}; on which paths it "
                            "refuses we do not evaluate"
                        )
        return effect

    @staticmethod
    def _guard_evidence(
        file: str, what: str, line: int, detail: str, guard: PathGuard | None = None
    ) -> Evidence:
        where = ""
        if guard is not None and guard.terms:
            where = " for " + " and ".join(
                ("paths outside " if term.negated else "paths matching ")
                + ", ".join(term.patterns or ["?"])
                for term in guard.terms
            )
        return Evidence(
            kind="middleware",
            detail=f"middleware {what}: {detail}{where}"[:200],
            file=file,
            line=line,
            level="app",
        )

    def _authorized_of(
        self, file: str, config: AuthConfig | None, depth: int
    ) -> tuple[CallbackDecision | None, str]:
        """The `authorized` callback of an auth config, following spread configs across
        modules; a note when part of the config is out of sight."""
        if config is None:
            return None, ""
        if config.authorized is not None:
            return config.authorized, ""
        if config.unreadable or depth > 3:
            return None, "its config we cannot read"
        facts = self.facts.get(file)
        for name in config.spreads:
            if facts is not None and name in facts.auth_configs:
                return self._authorized_of(file, facts.auth_configs[name], depth + 1)
            target, local = self.linker.resolve_symbol(file, name)
            target_facts = self.facts.get(target)
            if target_facts is not None and local in target_facts.auth_configs:
                return self._authorized_of(target, target_facts.auth_configs[local], depth + 1)
            module = self.linker.modules.get(target)
            if module is None or local in module.imports:
                return None, f"the config {name}, which we cannot read"
        return None, ""

    def _wrapper(self, file: str, name: str) -> str | None:
        """What a library middleware wrapper is: 'guard', 'wrapper'/'reader' (decided by its
        callback or config), or None when it is not an auth library's."""
        imports = self.linker.module(file).imports
        head = name.split(".", maxsplit=1)[0]
        entry = imports.get(head)
        if entry is None:
            return None
        if packages.is_package(entry.source):
            table = packages.IDENTITY_CALLS.get(entry.source, {})
            return table.get(entry.name)
        found = self.call_kind(file, name)
        return found.kind if found is not None else None

    def next_routes(self) -> dict[str, str]:
        """Routes of Next.js projects; returns the files that serve tRPC, with their path."""
        roots = self.next_roots()
        trpc_files: dict[str, str] = {}
        if not roots:
            return trpc_files
        middleware = {root: self._middleware_of(root) for root in roots}
        for file, facts in self.facts.items():
            if facts.client:
                continue
            place = self._relative(file, roots)
            if place is None:
                continue
            root, rel = place
            app_path = nextjs.app_route_path(rel)
            pages_path = nextjs.pages_api_path(rel)
            path = app_path or pages_path
            if path is None:
                continue
            if facts.trpc_mounts:
                trpc_files[file] = path
                continue
            handlers: list[tuple[str, NextHandler]] = []
            if app_path is not None:
                handlers = [(h.method, h) for h in facts.route_handlers]
            elif facts.pages_handler is not None:
                handler = facts.pages_handler
                handlers = [
                    (method, handler.model_copy(update={"body": body}))
                    for method, body in facts.pages_methods.items()
                ] or [("ANY", handler)]
            for method, handler in handlers:
                self.frameworks.add("nextjs")
                self._claimed.add(file)
                body, unread = self._handler_body(file, handler)
                judged = self.judge(file, body, "handler", f"{method} handler")
                if unread:
                    self._unresolved(judged, unread)
                self._apply_middleware(judged, middleware.get(root), path)
                self.routes.append(
                    self.make_route(
                        kind="http",
                        method=method,
                        path=path,
                        handler=handler.name if handler.name != "default" else f"{rel}#default",
                        file=file,
                        line=handler.line,
                        framework="nextjs",
                        judged=judged,
                        body=body,
                        tested=bool(self.linker.is_tested(path))
                        or self.imported_by_tests(file, handler.name),
                    )
                )
        self._actions(middleware, roots)
        return trpc_files

    def _handler_body(self, file: str, handler: NextHandler) -> tuple[BodySummary, str]:
        """The handler's own body, or the function it re-exports (`export { h as GET }`); with
        a note when that function is out of sight."""
        if not handler.alias_of:
            return handler.body, ""
        facts = self.facts.get(file)
        name = handler.alias_of
        if facts is not None and name in facts.functions:
            return facts.functions[name], ""
        target, local = self.linker.resolve_symbol(file, name)
        target_facts = self.facts.get(target)
        if target_facts is not None and local in target_facts.functions:
            return target_facts.functions[local], ""
        # `export const { GET, POST } = handlers` (an auth library's own endpoints), a handler
        # re-exported from a module we cannot read: what protects it is out of sight.
        return BodySummary(line=handler.line), f"the handler is {name}, which we cannot read"

    @staticmethod
    def _apply_middleware(judged: _Judged, middleware: _MiddlewareEffect | None, path: str) -> None:
        if middleware is None:
            return
        covers = nextjs.matcher_covers(middleware.matcher, path)
        if covers is None and middleware.has_auth():
            judged.unknown["auth"].append(
                f"{middleware.label} may run for it (a matcher we cannot read)"
            )
        if not covers:
            return
        judged.merge(middleware.provided)
        guarded = False
        for guard, evidence in middleware.guards:
            hit = _guard_covers(guard, path)
            if hit:
                judged.evidence["auth"].append(evidence)
                guarded = True
            elif hit is None:
                note = f"{middleware.label} refuses on paths we cannot read ({guard.detail})"
                judged.unknown["auth"].append(note)
        if middleware.unknown and not guarded:
            judged.unknown["auth"].append(middleware.unknown)

    def _actions(self, middleware: dict[str, _MiddlewareEffect | None], roots: list[str]) -> None:
        for file, facts in self.facts.items():
            if facts.client:
                continue
            place = self._relative(file, roots) if roots else None
            for action in facts.actions:
                self.frameworks.add("nextjs")
                judged = self.judge(file, action.body, "handler", f"server action {action.name}")
                found = middleware.get(place[0]) if place is not None else None
                if found is not None and found.matcher is None:
                    # An action answers a POST to any page path (with its id in a header):
                    # only a middleware that runs for every path stands in front of it.
                    judged.merge(found.provided)
                    for guard, evidence in found.guards:
                        if not guard.terms:
                            judged.evidence["auth"].append(evidence)
                    if found.unknown:
                        judged.unknown["auth"].append(found.unknown)
                self.routes.append(
                    self.make_route(
                        kind="server_action",
                        method="POST",
                        path=f"action:{file}#{action.name}",
                        handler=action.name,
                        file=file,
                        line=action.line,
                        framework="nextjs",
                        judged=judged,
                        body=action.body,
                        tested=self.imported_by_tests(file, action.name),
                    )
                )

    # ---- file-based routes of other frameworks (Medusa) ------------------------------------

    def file_routes(self) -> None:
        """Routes of frameworks in packages.FILE_ROUTE_FRAMEWORKS, for projects importing
        their packages: the path from the folders, mount-level evidence from the framework's
        middleware config and the prefixes it protects itself."""
        sources = {
            entry.source
            for module in self.linker.modules.values()
            for entry in module.imports.values()
        }
        for prefix, framework in packages.FILE_ROUTE_FRAMEWORKS.items():
            if not any(source.startswith(prefix) for source in sources):
                continue
            configs: dict[str, tuple[list[tuple[str, MountRule]], list[str]]] = {}
            for file, facts in sorted(self.facts.items()):
                if not facts.route_handlers or file in self._claimed:
                    continue
                found = medusa.route_path(file, framework.routes_dir)
                if found is None:
                    continue
                folder, path = found
                if folder not in configs:
                    configs[folder] = self._mount_rules(folder, framework.middlewares)
                rules, notes = configs[folder]
                for handler in facts.route_handlers:
                    self.frameworks.add(framework.name)
                    method = handler.method
                    body, unread = self._handler_body(file, handler)
                    judged = self.judge(file, body, "handler", f"{method} handler")
                    if unread:
                        self._unresolved(judged, unread)
                    for protected, actor in framework.protected_prefixes:
                        if (path == protected or path.startswith(protected + "/")) and not (
                            facts.authenticate_opt_out
                        ):
                            default = Evidence(
                                kind="framework_default",
                                detail=f"{framework.name} authenticates {protected} routes "
                                f"({actor}) unless the route exports "
                                f"{framework.opt_out} = false",
                                file=file,
                                line=1,
                                level="app",
                            )
                            judged.evidence["auth"].append(default)
                            if actor in framework.admin_actors:
                                judged.evidence["authz"].append(
                                    default.model_copy(update={"kind": "role"})
                                )
                    self._apply_mount_rules(judged, rules, notes, method, path, framework)
                    route = self.make_route(
                        kind="http",
                        method=method,
                        path=path,
                        handler=handler.name,
                        file=file,
                        line=handler.line,
                        framework=framework.name,
                        judged=judged,
                        body=body,
                        tested=bool(self.linker.is_tested(path))
                        or self.imported_by_tests(file, handler.name),
                    )
                    if route.public_by_design is None and route.auth.status != "present":
                        reason = _public_reason(framework, path, facts.authenticate_opt_out)
                        if reason:
                            route = route.model_copy(update={"public_by_design": reason})
                    self.routes.append(route)

    def _mount_rules(self, folder: str, stem: str) -> tuple[list[tuple[str, MountRule]], list[str]]:
        """The middleware config of a routes folder, its spread lists followed across
        modules: every entry with its file, and notes on lists we cannot read."""
        rules: list[tuple[str, MountRule]] = []
        notes: list[str] = []
        for file, facts in self.facts.items():
            if posixpath.dirname(file) != folder or "default" not in facts.mount_lists:
                continue
            if posixpath.splitext(posixpath.basename(file))[0] != stem:
                continue
            self._flatten(file, facts.mount_lists["default"], rules, notes, set())
        return rules, notes

    def _flatten(
        self,
        file: str,
        found: MountList,
        rules: list[tuple[str, MountRule]],
        notes: list[str],
        seen: set[tuple[str, str]],
    ) -> None:
        rules.extend((file, rule) for rule in found.rules)
        notes.extend(f"middleware entry {text} in {file}, which we cannot read"
                     for text in found.unreadable)  # fmt: skip
        for ref in found.spreads:
            target = self._mount_list_ref(file, ref)
            if target is None or target in seen or len(seen) > 500:
                if target is None:
                    notes.append(f"middleware list {ref} in {file}, which we cannot read")
                continue
            seen.add(target)
            self._flatten(target[0], self.facts[target[0]].mount_lists[target[1]], rules,
                          notes, seen)  # fmt: skip

    def _mount_list_ref(self, file: str, ref: str) -> tuple[str, str] | None:
        """`ns.storeRoutesMiddlewares` / `storeRoutesMiddlewares`: the list's file and name."""
        head, _, member = ref.partition(".")
        entry = self.linker.module(file).imports.get(head)
        if entry is None:
            facts = self.facts.get(file)
            return (file, head) if facts is not None and head in facts.mount_lists else None
        if packages.is_package(entry.source):
            return None
        target = self.linker.resolve_module(file, entry.source)
        name = member or entry.name
        facts = self.facts.get(target) if target is not None else None
        if target is None or facts is None or name not in facts.mount_lists:
            return None
        return target, name

    def _mount_kinds(
        self, file: str, ref: str, args: str, depth: int = 0
    ) -> tuple[tuple[str, ...] | None, str]:
        """What a middleware of a mount entry does, by where its name leads: kinds (None:
        out of sight) and where it comes from."""
        if ref == "?" or depth > 4:
            return None, f"{ref} in {file}"
        head, _, member = ref.partition(".")
        entry = self.linker.module(file).imports.get(head)
        if entry is None:
            found = self.call_kind(file, ref)
            if found is None:
                return (), ref
            if found.kind == "guard":
                return (("auth", "authz") if found.authz else ("auth",)), found.detail
            return (None, found.detail) if found.kind == "unknown" else ((), found.detail)
        source = entry.source
        if packages.is_package(source):
            kinds = packages.package_kinds(source, entry.name, member, args)
            if kinds is None:
                return (None, f"{ref} from {source}") if _hinted(ref) else ((), ref)
            return kinds, f"{member or entry.name}{args} from {source}"
        target = self.linker.resolve_module(file, source)
        facts = self.facts.get(target) if target is not None else None
        name = member or entry.name
        if target is None:
            return (None, f"{ref} from {source}") if _hinted(ref) else ((), ref)
        if facts is not None and name in facts.reexports:
            return self._mount_kinds(target, facts.reexports[name], args, depth + 1)
        if name in self.linker.module(target).imports:
            return self._mount_kinds(target, name, args, depth + 1)  # ESM re-export
        found = self.call_kind(target, name)
        if found is None:
            return (None, f"{ref} from {source}") if _hinted(ref) else ((), ref)
        if found.kind == "guard":
            return (("auth", "authz") if found.authz else ("auth",)), found.detail
        return (None, found.detail) if found.kind == "unknown" else ((), found.detail)

    def _apply_mount_rules(
        self,
        judged: _Judged,
        rules: list[tuple[str, MountRule]],
        notes: list[str],
        method: str,
        path: str,
        framework: packages.FileRouteFramework,
    ) -> None:
        for note in notes:
            self._unresolved(judged, note)
        for file, rule in rules:
            if rule.methods is not None and method not in rule.methods:
                continue
            regex = None if rule.matcher is None else medusa.matcher_regex(rule.matcher)
            covers = regex.fullmatch(path) is not None if regex is not None else None
            if covers is False:
                continue
            where = f"matcher {rule.matcher}" if rule.matcher else "a matcher we cannot read"
            if rule.policies and covers:
                judged.evidence["authz"].append(
                    Evidence(kind="policy", detail=f"RBAC policies for {where}", file=file,
                             line=rule.line, level="router")
                )  # fmt: skip
            for ref, args in zip(rule.middlewares, rule.args, strict=False):
                kinds, detail = self._mount_kinds(file, ref, args)
                if kinds is None:
                    self._unresolved(judged, f"middleware {detail} ({where})")
                    continue
                if not covers:
                    if {"auth", "authz"} & set(kinds):
                        judged.unknown["auth"].append(f"{detail} may run for it ({where})")
                    continue
                actor = args.lstrip("( ").split(",", 1)[0].strip("'\"` )")
                if "auth" in kinds and actor in framework.admin_actors:
                    kinds = (*kinds, "authz")  # only administrators are that actor
                for kind in kinds:
                    if kind in _KINDS:
                        judged.evidence[kind].append(
                            Evidence(kind="middleware", detail=f"{detail} ({where})"[:200],
                                     file=file, line=rule.line, level="router")
                        )  # fmt: skip

    # ---- tRPC -------------------------------------------------------------------------------

    def trpc_routes(self, trpc_files: dict[str, str]) -> None:
        routers: dict[tuple[str, str], TrpcRouter] = {}
        for file, facts in self.facts.items():
            for router in facts.trpc_routers:
                routers[(file, router.name)] = router
        if not routers:
            return
        self.frameworks.add("trpc")
        children: _Children = {}
        referenced: set[tuple[str, str]] = set()
        for (file, name), router in routers.items():
            found: list[tuple[str, tuple[str, str], TrpcRouterEntry | None]] = []
            for entry in router.entries:
                child = (file, entry.inline) if entry.inline else None
                if entry.ref:
                    child = self._router_key(file, entry.ref, routers)
                if child is not None and child in routers:
                    found.append((entry.key, child, entry))
            for merged in router.merges:
                child = self._router_key(file, merged, routers)
                if child is not None:
                    found.append(("", child, None))
            children[(file, name)] = found
            referenced.update(child for _, child, _ in found)
        mounts: dict[tuple[str, str], str] = {}
        for file, facts in self.facts.items():
            for mount in facts.trpc_mounts:
                key = self._router_key(file, mount.router, routers)
                if key is None:
                    continue
                prefix = mount.prefix
                if not prefix and file in trpc_files:
                    prefix = trpc_files[file].rsplit("/", 1)[0]  # /api/trpc/:trpc -> /api/trpc
                mounts[key] = prefix
        for key in sorted(routers):
            if key not in referenced:
                self._walk(key, "", mounts.get(key, ""), routers, children, set())

    def _router_key(
        self, file: str, ref: str, routers: dict[tuple[str, str], TrpcRouter]
    ) -> tuple[str, str] | None:
        if (file, ref) in routers:
            return file, ref
        target, local = self.linker.resolve_symbol(file, ref)
        if local == "default":
            local = self.linker.module(target).exports.get("default", local)
        return (target, local) if (target, local) in routers else None

    def _walk(
        self,
        key: tuple[str, str],
        path: str,
        prefix: str,
        routers: dict[tuple[str, str], TrpcRouter],
        children: _Children,
        seen: set[tuple[str, str]],
        inherited: _Judged | None = None,
    ) -> None:
        if key in seen:
            return
        seen = seen | {key}
        file = key[0]
        router = routers[key]
        v9 = bool(router.base)  # string-keyed: names and merge prefixes join as written
        around = _Judged()
        if inherited is not None:
            around.merge(inherited)
        if v9:
            around.merge(self._v9_base(file, router.base, routers, 0))
        for entry in router.entries:
            procedure = entry.procedure
            if procedure is None:
                continue
            full = path + entry.key if v9 else (f"{path}.{entry.key}" if path else entry.key)
            judged = self.chain(file, procedure.chain, 0)
            judged.merge(around)
            judged.merge(self.judge(file, procedure.body, "handler", f"procedure {full}"))
            self.routes.append(
                self.make_route(
                    kind="trpc",
                    method=procedure.type,
                    path=full,
                    handler=full,
                    file=file,
                    line=procedure.line,
                    framework="trpc",
                    judged=judged,
                    body=procedure.body,
                    prefix=prefix,
                    tested=full in self.linker.test_procedures,
                )
            )
        for key_name, child, link in children.get(key, []):
            if link is not None and link.raw_prefix:
                # v9 `.merge('post.', child)`: the middleware of the chain so far, and of the
                # router it started from, runs for every procedure of the child.
                passed = _Judged()
                passed.merge(around)
                passed.merge(self.chain(file, TrpcChain(base="router", base_is_root=True,
                                                        uses=link.uses), 0))  # fmt: skip
                self._walk(child, path + key_name, prefix, routers, children, seen, passed)
                continue
            child_path = f"{path}.{key_name}" if path and key_name else (key_name or path)
            self._walk(child, child_path, prefix, routers, children, seen, inherited)

    def _v9_base(
        self, file: str, base: str, routers: dict[tuple[str, str], TrpcRouter], depth: int
    ) -> _Judged:
        """What the router a v9 chain starts from provides: nothing for the library's
        `trpc.router()`, the middleware of a project factory (`createProtectedRouter()`)."""
        judged = _Judged()
        head = base.split(".", 1)[0]
        entry = self.linker.module(file).imports.get(head)
        if entry is not None and entry.source.startswith("@trpc/server"):
            return judged
        found = self._router_key(file, base, routers) if "." not in base else None
        if found is None or depth > _MAX_DEPTH:
            self._unresolved(judged, f"tRPC router factory {base} could not be resolved")
            return judged
        factory = routers[found]
        if factory.base:
            judged.merge(self._v9_base(found[0], factory.base, routers, depth + 1))
        judged.merge(
            self.chain(found[0], TrpcChain(base="router", base_is_root=True, uses=factory.uses), 0)
        )
        return judged

    def chain(self, file: str, chain: TrpcChain, depth: int) -> _Judged:
        """What a procedure builder chain provides: its base's, then each `.use(...)`'s."""
        judged = _Judged()
        if depth > _MAX_DEPTH:
            for kind in ("auth", "authz"):
                judged.unknown[kind].append(f"builder chain through {chain.base} is too deep")
            return judged
        base = chain.base
        if not chain.base_is_root:
            if base.endswith(".procedure"):
                head = base[: -len(".procedure")]
                target, local = self.linker.resolve_symbol(file, head)
                target_facts = self.facts.get(target)
                if target_facts is None or local not in target_facts.trpc_inits:
                    self._unresolved(judged, f"procedure builder {base} comes from {head}, "
                                     "which we cannot resolve to initTRPC")  # fmt: skip
            else:
                target, local = self.linker.resolve_symbol(file, base)
                target_facts = self.facts.get(target)
                builder = target_facts.trpc_builders.get(local) if target_facts else None
                if builder is None:
                    source = self.linker.module(target).imports.get(local)
                    where = f" (imported from {source.source})" if source else ""
                    self._unresolved(
                        judged, f"procedure builder {base}{where} could not be resolved"
                    )
                else:
                    judged.merge(self.chain(target, builder, depth + 1))
        for use in chain.uses:
            if use.body is not None:
                judged.merge(self.judge(file, use.body, "router", "inline tRPC middleware"))
                continue
            head = use.ref.split("(")[0]
            target, local = self.linker.resolve_symbol(file, head)
            target_facts = self.facts.get(target)
            summary = None
            if target_facts is not None:
                builder = target_facts.trpc_builders.get(local)
                if builder is not None:  # `.concat(otherProcedure)`
                    judged.merge(self.chain(target, builder, depth + 1))
                    continue
                summary = target_facts.trpc_middlewares.get(local) or target_facts.functions.get(
                    local
                )
            if summary is None:
                self._unresolved(judged, f"tRPC middleware {use.ref} could not be resolved")
                continue
            judged.merge(self.judge(target, summary, "router", f"tRPC middleware {local}"))
        if chain.input:
            judged.evidence["validation"].append(
                Evidence(
                    kind="schema",
                    detail=f".input({chain.input})",
                    file=file,
                    line=chain.line,
                    level="route",
                )
            )
        return judged

    @staticmethod
    def _unresolved(judged: _Judged, note: str) -> None:
        """Something on the route's path we cannot read: access control and rate limiting
        are unknown, not absent."""
        for kind in ("auth", "authz", "rate_limit"):
            if note not in judged.unknown[kind]:
                judged.unknown[kind].append(note)


def fullstack_routes(linker: _Linker) -> tuple[list[Route], set[str]]:
    """The Next.js, server action and tRPC routes of the project, and the frameworks seen."""
    found = FullstackLinker(linker)
    if not found.facts:
        return [], set()
    trpc_files = found.next_routes()
    found.file_routes()
    found.trpc_routes(trpc_files)
    return found.routes, found.frameworks
