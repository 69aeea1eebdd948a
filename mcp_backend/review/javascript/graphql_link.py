"""GraphQL routes for JS/TS: one Route per field of Query/Mutation/Subscription in the
project's resolver maps (Apollo Server, GraphQL Yoga, Mercurius, graphql-tools), with what
protects it resolved across modules:

- checks in the resolver's body, or in a project function it hands the context to
  (`requireUser(ctx)`) or that wraps it (`authenticated(fn)`, `combineResolvers(isAuth, fn)`),
  judged by that function's body, never its name;
- graphql-shield permission maps (`shield({ Mutation: { deleteUser: isAdmin } })`) applied
  with `applyMiddleware`, each `rule()` judged by what its body reads.

A resolver or wrapper we cannot read makes the protection `unknown`, named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcp_backend.review.facts import (
    GQL_ROOT_TYPES,
    GqlCallee,
    GqlCheck,
    GqlField,
    GqlFileFacts,
)
from mcp_backend.review.javascript.frameworks import common
from mcp_backend.review.model import Evidence, Protection, Route
from mcp_backend.review.route_policy import public_reason_of

if TYPE_CHECKING:
    from mcp_backend.review.javascript.linker import _Linker

# Library functions that only combine resolvers: what they combine is judged, not them.
_COMBINERS = frozenset(
    {"combineResolvers", "pipeResolvers", "compose", "withFilter", "pipe", "resolver"}
)
# Directives of the GraphQL specification and of federation/caching: not access control.
_NEUTRAL_DIRECTIVES = frozenset(
    {"deprecated", "specifiedBy", "include", "skip", "cacheControl", "external", "key",
     "requires", "provides", "shareable", "tag", "inaccessible", "override", "link",
     "oneOf", "defer", "stream", "constraint", "length", "rateLimit", "complexity"}
)  # fmt: skip
# graphql-shield's own rules.
_SHIELD_ALLOW = frozenset({"allow"})
_SHIELD_DENY = frozenset({"deny"})
_MAX_DEPTH = 4


def file_facts(linker: _Linker) -> dict[str, GqlFileFacts]:
    cache: dict[str, GqlFileFacts] | None = getattr(linker, "_graphql_facts", None)
    if cache is None:
        cache = {
            file: facts.graphql
            for file, facts in linker.modules.items()
            if facts.graphql is not None
        }
        linker._graphql_facts = cache  # type: ignore[attr-defined]
    return cache


def _from_package(linker: _Linker, file: str, name: str) -> bool:
    head = name.split(".", 1)[0]
    imported = linker.module(file).imports.get(head)
    return imported is not None and linker.resolve_module(file, imported.source) is None


def callee_kinds(linker: _Linker, file: str, name: str, depth: int = 0) -> tuple[str, ...] | None:
    """What a project function does to the caller (auth / authz / ownership), by its body;
    None when we cannot read it (a package, a module out of sight)."""
    if depth > _MAX_DEPTH:
        return None
    if _from_package(linker, file, name):
        return None
    target, local = linker.resolve_symbol(file, name)
    facts = file_facts(linker).get(target)
    short = local.rsplit(".", 1)[-1]
    function = None
    if facts is not None:
        function = facts.functions.get(local) or facts.functions.get(short)
    if function is None:
        defs = linker.module(target).defs
        entry = defs.get(local) or defs.get(short)
        if entry is not None:  # a middleware-like helper the route facts classified
            return tuple(k for k in entry.kinds if k in {"auth", "authz"})
        return None
    kinds: set[str] = {check.kind for check in function.checks}
    for call in function.calls:
        sub = callee_kinds(linker, target, call.name, depth + 1)
        kinds.update(sub or ())
    return tuple(sorted(kinds))


# Middleware that serves GraphQL over an HTTP app: `app.use('/graphql', expressMiddleware(s))`.
_GRAPHQL_MOUNTS = frozenset(
    {"expressMiddleware", "graphqlHTTP", "createHandler", "koaMiddleware", "yoga", "mercurius"}
)


class HttpGate:
    """What the HTTP app runs before the GraphQL endpoint, for every field: middleware
    registered for every path (or the GraphQL one) on an app that mounts a GraphQL
    middleware, no later than the mount (within the mount, the items before it)."""

    def __init__(self, linker: _Linker) -> None:
        self.evidence: dict[str, list[Evidence]] = {"auth": [], "authz": [], "rate_limit": []}
        self.unknown: list[str] = []
        for ops in linker.contexts.values():
            mounts = [(op, _mount_index(op)) for op in ops if op.get("op") in {"use", "register"}]
            mounts = [(op, index) for op, index in mounts if index is not None]
            if not mounts:
                continue
            last = max(int(op.get("line", 1)) for op, _ in mounts)
            for op in ops:
                line = int(op.get("line", 1))
                if op.get("op") not in {"use", "register"} or line > last:
                    continue
                path = op.get("path")
                if path and "graphql" not in str(path):
                    continue
                items = op.get("items", [])
                index = _mount_index(op)
                self._items(linker, op.get("_file", ""), items[:index] if index else items, line)

    def _items(self, linker: _Linker, file: str, items: list[dict[str, Any]], line: int) -> None:
        for item in items:
            evidence = Evidence(
                kind="middleware",
                detail=str(item.get("call") or item.get("ref") or "middleware")[:80],
                file=file,
                line=int(item.get("line", line)),
                level="app",
            )
            kinds = linker._item_kinds(file, item)
            for kind in kinds:
                if kind in self.evidence:
                    self.evidence[kind].append(
                        evidence.model_copy(update={"kind": "limiter"})
                        if kind == "rate_limit"
                        else evidence
                    )
            hint = linker._item_hint(file, item)
            if hint is not None and set(hint[0]) & {"auth", "authz"}:
                self.unknown.append(f"{hint[1]} runs before /graphql")


def _mount_index(op: dict[str, Any]) -> int | None:
    """Where the GraphQL middleware sits among a registration's items, if it is there."""
    for index, item in enumerate(op.get("items", [])):
        if str(item.get("call", item.get("ref", ""))).split(".")[-1] in _GRAPHQL_MOUNTS:
            return index
    return None


def graphql_routes(linker: _Linker) -> list[Route]:
    files = file_facts(linker)
    if not files:
        return []
    shield = _Shield(linker, files, HttpGate(linker))
    frameworks = {server.framework for facts in files.values() for server in facts.servers}
    # The server that serves the resolvers when the project has one kind; else "graphql".
    shield.framework = frameworks.pop() if len(frameworks) == 1 else "graphql"
    routes: dict[tuple[str, str, str, int], Route] = {}
    for file, facts in files.items():
        for resolver_map in facts.maps:
            for field in resolver_map.fields:
                route = _route(linker, file, field, shield)
                routes.setdefault((route.path, route.file, route.handler, route.line), route)
            for spread in resolver_map.spreads:
                target, local = linker.resolve_symbol(file, spread.ref)
                target_facts = files.get(target)
                if target_facts is None:
                    continue
                if local == "default":
                    local = linker.module(target).exports.get("default", local)
                fields = target_facts.field_objects.get(local) or target_facts.field_objects.get(
                    local.rsplit(".", 1)[-1]
                )
                for field in fields or []:
                    typed = field.model_copy(update={"type": spread.type})
                    route = _route(linker, target, typed, shield)
                    routes.setdefault((route.path, route.file, route.handler, route.line), route)
    if routes:
        linker.frameworks.add(shield.framework)
    return list(routes.values())


def field_tested(linker: _Linker, path: str) -> bool | None:
    """A test's GraphQL document calls the field; None when there are no tests to read."""
    if linker.test_fields is None:
        return None
    return path.rsplit(".", 1)[-1] in linker.test_fields


def graphql_servers(linker: _Linker) -> list[dict[str, Any]]:
    """Servers with their file, for the project rules (same keys as the Python linker)."""
    out: list[dict[str, Any]] = []
    limiter = next(
        (f"{file}: {facts.limiter_import}" for file, facts in file_facts(linker).items()
         if facts.limiter_import),
        None,
    )  # fmt: skip
    for file, facts in file_facts(linker).items():
        for server in facts.servers:
            entry = server.model_dump()
            entry["file"] = file
            if limiter and server.depth_limit == "absent":
                entry["depth_limit"] = "present"
                entry["depth_detail"] = f"limiter package imported in {limiter}"
            out.append(entry)
    return out


class _Shield:
    """Schema-level protections of the project: graphql-shield maps (applied when some module
    applies middleware) and SDL directives with the code that implements them."""

    def __init__(self, linker: _Linker, files: dict[str, GqlFileFacts], gate: HttpGate) -> None:
        self.linker = linker
        self.gate = gate  # carried along: one walk per project, used per field
        for file, facts in files.items():
            for context in facts.contexts:
                kinds = callee_kinds(linker, file, context.name)
                if kinds is None:
                    if set(common.classify_name(context.name)) & {"auth", "authz"}:
                        gate.unknown.append(f"context function {context.name}")
                    continue
                for kind in kinds:
                    target = "auth" if kind == "auth" else "authz"
                    gate.evidence[target].append(
                        Evidence(
                            kind="role" if target == "authz" else "context",
                            detail=f"context function refuses the caller ({context.name})"[:120],
                            file=file,
                            line=context.line,
                            level="app",
                        )
                    )
        self.framework = "graphql"
        self.sdl: dict[tuple[str, str], list[tuple[str, int, list[str]]]] = {}
        self.directives: dict[str, tuple[str, list[str]]] = {}
        for file, facts in files.items():
            for sdl in facts.sdl_fields:
                self.sdl.setdefault((sdl.type, sdl.field), []).append(
                    (file, sdl.line, sdl.directives)
                )
            for name, implemented in facts.directive_impls.items():
                self.directives[name] = (file, [str(k) for k in implemented])
        self.entries: dict[tuple[str, str], list[tuple[str, Any]]] = {}
        self.fallbacks: list[tuple[str, str]] = []
        applied = any(f.applies_middleware for f in files.values())
        if not applied:
            return
        for file, facts in files.items():
            for entry in facts.shield:
                self.entries.setdefault((entry.type, entry.field), []).append((file, entry))
            if facts.shield_fallback:
                self.fallbacks.append((file, facts.shield_fallback))

    def checks(self, type_name: str, field: str) -> tuple[list[Evidence], list[str], bool]:
        """Evidence per kind for one field, what we could not read, and whether `allow`."""
        found = self.entries.get((type_name, field)) or self.entries.get((type_name, "*"))
        pairs = [(file, entry.rule, entry.line) for file, entry in found or []]
        if not pairs:
            pairs = [(file, rule, 1) for file, rule in self.fallbacks]
        evidence: list[Evidence] = []
        unknown: list[str] = []
        allowed = False
        for file, rule, line in pairs:
            kinds = self._rule_kinds(file, rule, 0)
            if kinds is None:
                unknown.append(f"shield rule {rule[:60]}")
                continue
            if kinds == ("allow",):
                allowed = True
            for kind in kinds:
                if kind in {"auth", "authz", "ownership"}:
                    evidence.append(
                        Evidence(
                            kind="role"
                            if kind == "authz"
                            else ("ownership" if kind == "ownership" else "permission"),
                            detail=f"graphql-shield {rule[:60]}",
                            file=file,
                            line=line,
                            level="app",
                        )
                    )
        return evidence, unknown, allowed

    def directive_checks(self, type_name: str, field: str) -> tuple[list[Evidence], list[str]]:
        """`deleteUser(id: ID!): Boolean @hasRole(role: ADMIN)`: judged by the code that
        implements the directive (a transformer calling getDirective, a directive package)."""
        evidence: list[Evidence] = []
        unknown: list[str] = []
        guarding = sorted(name for name, (_, kinds) in self.directives.items() if kinds)
        if guarding and (type_name, field) not in self.sdl:
            # The project enforces directives, and this field's SDL (a .graphql file, a
            # schema loaded at run time) is out of our sight: it may carry one.
            unknown.append(f"@{guarding[0]} is enforced here; the field's SDL is not in code")
        for file, line, directives in self.sdl.get((type_name, field), []):
            for name in directives:
                if name in _NEUTRAL_DIRECTIVES:
                    continue
                impl = self.directives.get(name)
                if impl is None:
                    unknown.append(f"directive @{name} whose implementation we cannot read")
                    continue
                for kind in impl[1]:
                    evidence.append(
                        Evidence(
                            kind="role" if kind == "authz" else "directive",
                            detail=f"@{name} (implemented in {impl[0]})",
                            file=file,
                            line=line,
                            level="route",
                        )
                    )
        return evidence, unknown

    def _rule_kinds(self, file: str, rule: str, depth: int) -> tuple[str, ...] | None:
        if depth > _MAX_DEPTH:
            return None
        name = rule.split("(", 1)[0]
        if name in _SHIELD_ALLOW:
            return ("allow",)
        if name in _SHIELD_DENY:
            return ("auth", "authz")  # nobody passes
        if "(" in rule and name in {"and", "chain", "race", "or"}:
            parts = [p for p in rule[len(name) + 1 : -1].split(",") if p]
            sub = [self._rule_kinds(file, p, depth + 1) for p in parts]
            if name == "or":  # protected only as much as its weakest branch
                if any(s is None for s in sub):
                    return None
                common_kinds = set.intersection(*(set(s or ()) for s in sub)) if sub else set()
                return tuple(sorted(common_kinds))
            if name == "race" and any(s is None for s in sub):
                return None
            merged: set[str] = set()
            for s in sub:
                merged.update(s or ())
            merged.discard("allow")
            return tuple(sorted(merged))
        target, local = self.linker.resolve_symbol(file, name)
        facts = file_facts(self.linker).get(target)
        found = facts.shield_rules.get(local) if facts is not None else None
        if found is None:
            return None
        if found.uses:
            return self._rule_kinds(target, f"and({','.join(found.uses)})", depth + 1)
        kinds = set(found.kinds)
        if "authz" in kinds or "ownership" in kinds:
            kinds.add("auth")
        return tuple(sorted(kinds))


def _route(linker: _Linker, file: str, field: GqlField, shield: _Shield) -> Route:
    method = GQL_ROOT_TYPES.get(field.type, "QUERY")
    path = f"{field.type}.{field.field}"
    evidence: dict[str, list[Evidence]] = {"auth": [], "authz": []}
    unknown: list[str] = list(field.unknown)
    loads_by_id = False
    handler_file, line = file, field.line

    def add(check: GqlCheck, where: str, at: int, detail: str = "") -> None:
        kind = "auth" if check.kind == "auth" else "authz"
        evidence[kind].append(
            Evidence(
                kind={"auth": "handler_check", "authz": "role", "ownership": "ownership"}[
                    check.kind
                ],
                detail=(detail or check.detail)[:160],
                file=where,
                line=at,
                level="handler" if check.level == "handler" else check.level,
            )
        )

    def calls(where: str, callees: list[GqlCallee], wrapping: bool) -> None:
        for callee in callees:
            name = callee.name
            if name.rsplit(".", 1)[-1] in _COMBINERS:
                continue
            kinds = callee_kinds(linker, where, name)
            if kinds is None:
                hinted = common.classify_name(name)
                if wrapping or set(hinted) & {"auth", "authz", "optional_auth"}:
                    unknown.append(f"{name} (a function we cannot read)")
                continue
            for kind in kinds:
                add(
                    GqlCheck(kind=kind, detail=f"{name} checks the caller"),
                    where,
                    callee.line,
                )

    body = field.body
    if field.ref is not None and body is None:
        target, local = linker.resolve_symbol(file, field.ref)
        facts = file_facts(linker).get(target)
        function = None
        if facts is not None:
            function = facts.functions.get(local) or facts.functions.get(local.rsplit(".", 1)[-1])
        if function is None:
            unknown.append(f"resolver {field.ref} is defined where we cannot read it")
        else:
            body, handler_file, line = function, target, function.line
            file_for_calls = target
    if body is not None:
        file_for_calls = handler_file
        for check in body.checks:
            add(check, handler_file, check.line)
        calls(file_for_calls, body.calls, wrapping=False)
        loads_by_id = body.loads_by_id
    for check in field.checks:
        add(check, file, check.line)
    calls(file, field.wrappers, wrapping=True)
    shield_evidence, shield_unknown, allowed = shield.checks(field.type, field.field)
    unknown.extend(shield_unknown)
    for kind in ("auth", "authz"):
        evidence[kind].extend(shield.gate.evidence[kind][:1])
    unknown.extend(shield.gate.unknown)
    directive_evidence, directive_unknown = shield.directive_checks(field.type, field.field)
    shield_evidence.extend(directive_evidence)
    unknown.extend(directive_unknown)
    for item in shield_evidence:
        evidence["authz" if item.kind in {"role", "ownership"} else "auth"].append(item)
    if evidence["authz"] and not evidence["auth"]:
        evidence["auth"].append(evidence["authz"][0].model_copy(update={"kind": "role_check"}))
    reason = public_reason_of(
        method, path, field.handler or field.field, webhook_verified=None, setup_guarded=None
    )
    if allowed and not reason and not evidence["auth"]:
        reason = "allowed by the graphql-shield map"
    language = (
        "typescript" if handler_file.endswith((".ts", ".tsx", ".mts", ".cts")) else "javascript"
    )
    return Route(
        kind="graphql",
        method=method,
        path=path,
        handler=field.handler or field.field,
        file=handler_file,
        line=line,
        framework=shield.framework,
        language=language,
        auth=_protection(evidence["auth"], unknown),
        authz=_protection(evidence["authz"], unknown),
        validation=Protection(
            status="unknown", note="arguments are typed by the GraphQL schema; no constraints read"
        ),
        rate_limit=Protection(status="present", evidence=shield.gate.evidence["rate_limit"][:1])
        if shield.gate.evidence["rate_limit"]
        else Protection(status="absent"),
        public_by_design=reason,
        loads_by_id=loads_by_id,
        tested=field_tested(linker, path),
    )


def _protection(evidence: list[Evidence], unknown: list[str]) -> Protection:
    if evidence:
        seen: set[tuple[str, str, int]] = set()
        unique = []
        for item in evidence:
            key = (item.detail, item.file, item.line)
            if key not in seen:
                seen.add(key)
                unique.append(item)
        return Protection(status="present", evidence=unique)
    if unknown:
        return Protection(status="unknown", note="; ".join(dict.fromkeys(unknown))[:300])
    return Protection(status="absent")
