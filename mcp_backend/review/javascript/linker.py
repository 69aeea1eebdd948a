"""Links per-file JS/TS facts into the project's route inventory.

Express/Hono/Fastify: every app, router and plugin is a context with ordered operations. From
each context nobody mounts (the apps), the walk follows `use`/`route`/`register`/applied
plugins into the routers they mount, carrying the middleware that is active at that point
(registered earlier, on a matching path), resolving names across files through imports and
exports. NestJS routes come from controllers, their guards and the global guards and pipes.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Any

from mcp_backend.review.facts import (
    JsDef,
    JsModuleFacts,
    NestFacts,
    NestGuardClass,
    NestVersioning,
)
from mcp_backend.review.javascript import graphql_link
from mcp_backend.review.javascript.frameworks import common, nestjs
from mcp_backend.review.javascript.frameworks.hono import use_path_matches
from mcp_backend.review.javascript.fullstack import fullstack_routes
from mcp_backend.review.model import Evidence, FileResult, ProjectIndex, Protection, Route, Signal
from mcp_backend.review.route_context import operator_only
from mcp_backend.review.route_policy import public_reason_of

_EXTENSIONS = (".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".mts", ".cts")
_KINDS = ("auth", "authz", "validation", "rate_limit")
_MAX_DEPTH = 12
# Guards Nest's own packages provide: judged where they are written (nestjs._guard_item).
_LIBRARY_GUARD = re.compile(r"^(AuthGuard\b|ThrottlerGuard$|Throttler)")
# A template hole our facts could not fill in the file: `{NAME}`, `{module_1.Enum.MEMBER}`.
_HOLE = re.compile(r"\{([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\}")
_NO_FACTS = JsModuleFacts()
_NO_NEST = NestFacts()
_ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "del", "head", "options", "all"}
)


@dataclass
class _Active:
    """A middleware in force at some point of a context, with the path it is limited to."""

    kinds: tuple[str, ...]
    detail: str
    file: str
    line: int
    level: str
    path: str | None = None
    # Kinds a middleware from a package we cannot read may provide (its name suggests them):
    # reported `unknown` with `note`, never `present`.
    unknown: tuple[str, ...] = ()
    note: str = ""
    # The source text of the condition the registration runs under (`if (prod) app.use(x)`).
    condition: str = ""
    # `app.put('/api/*', auth())`: in force only for these methods (empty: every method)
    methods: tuple[str, ...] = ()


@dataclass
class _Linker:
    root: str
    modules: dict[str, JsModuleFacts] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    # the routes each handler runs for, by (file, first line, last line) of its code
    handler_routes: dict[tuple[str, int, int], list[Route]] = field(default_factory=dict)
    decorations: dict[str, list[str]] = field(default_factory=dict)
    mounted: set[tuple[str, str]] = field(default_factory=set)
    contexts: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    frameworks: set[str] = field(default_factory=set)
    test_paths: list[str] = field(default_factory=list)
    # What tests call or import: tRPC procedure paths, and (test file, source, name) imports.
    test_procedures: set[str] = field(default_factory=set)
    test_imports: list[tuple[str, str, str]] = field(default_factory=list)
    # GraphQL fields test documents call; None when the project has no tests.
    test_fields: set[str] | None = None
    unresolved_mounts: int = 0
    # Set while walking an app that an exported factory returns and no module here uses: the
    # caller that serves it (another package, a host app) may protect it out of our sight.
    handed_out: str = ""

    # ---- module resolution ------------------------------------------------------------

    def module(self, file: str) -> JsModuleFacts:
        """The facts of a project file; empty for a file we do not know."""
        return self.modules.get(file, _NO_FACTS)

    def resolve_module(self, importer: str, source: str) -> str | None:
        if source.startswith("."):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), source))
            return self._candidates(base)
        if source.startswith(("@/", "~/", "#/")):
            base = source[2:]
        elif source.startswith("src/"):
            base = source[4:]
        elif source.startswith("@") and "/" in source:
            base = source[1:]  # tsconfig paths such as "@middleware/auth"
        else:
            return None
        # Path aliases point into the project's source root, which in a monorepo sits above
        # the importer (apps/api/src/...): try each ancestor, deepest first.
        directory = posixpath.dirname(importer)
        while True:
            for prefix in ("src/", "app/", ""):
                found = self._candidates(posixpath.join(directory, prefix + base))
                if found:
                    return found
            if not directory:
                return None
            directory = posixpath.dirname(directory)

    def _candidates(self, base: str) -> str | None:
        stem = base
        for ext in (".js", ".mjs", ".cjs", ".jsx"):
            if stem.endswith(ext):
                stem = stem[: -len(ext)]  # TS ESM: import './users.js' means users.ts
        for candidate in (
            base,
            *(stem + e for e in _EXTENSIONS),
            *(stem + "/index" + e for e in _EXTENSIONS),
        ):
            if candidate in self.modules:
                return candidate
        return None

    def resolve_symbol(self, file: str, name: str, depth: int = 0) -> tuple[str, str]:
        """Follow imports/exports: where `name` used in `file` is defined."""
        facts = self.module(file)
        if depth > 6:
            return file, name
        head, _, rest = name.partition(".")
        imported = facts.imports.get(head)
        if imported is None:
            return file, name
        target = self.resolve_module(file, imported.source)
        if target is None:
            return file, name
        exported = imported.name
        target_exports = self.module(target).exports
        target_imports = self.module(target).imports
        if (
            exported != "*"
            and (exported == "default" or exported not in target_exports)
            and target_exports.get("default") == "default"
            and "default" in target_imports
        ):
            # `module.exports = require('./service')`: the names live in that module.
            inner = "" if exported == "default" else f".{exported}"
            return self.resolve_symbol(
                target, f"default{inner}{'.' + rest if rest else ''}", depth + 1
            )
        if exported == "*":
            if not rest:
                return target, "*"
            local = target_exports.get(rest.split(".")[0], rest.split(".")[0])
            return self.resolve_symbol(target, local, depth + 1)
        local = target_exports.get(exported, exported)
        if rest and f"{local}.{rest}" in self.module(target).defs:
            return target, f"{local}.{rest}"  # a member of an exported object
        if rest:
            # `controller.getUser` where controller is a default-exported object or class.
            if local in self.module(target).defs and rest not in self.module(target).defs:
                return target, local
            # `info.sshkeys` with `module.exports = { sshkeys: function () {...} }` beside an
            # import named `sshkeys`: the exported function defined here, not the import.
            if (
                "." not in rest
                and rest in self.module(target).defs
                and self.module(target).exports.get(rest) == rest
            ):
                return target, rest
            # `members.middleware.getMemberData`: follow the first name the module exports.
            return (
                self.resolve_symbol(target, rest, depth + 1)
                if rest.split(".")[0] in self.module(target).exports
                else (target, rest)
            )
        return self.resolve_symbol(target, local, depth + 1)

    def context_of(self, file: str, name: str, depth: int = 0) -> tuple[str, str] | None:
        """The app/router/plugin context a name refers to, if any."""
        file, local = self.resolve_symbol(file, name)
        facts = self.module(file)
        if local in facts.apps:
            return file, facts.apps[local].alias_of or local
        for key, plugin in facts.plugins.items():
            if plugin.name == local and local:
                return file, key
        if local == "default" and "default" in facts.exports:
            exported = facts.exports["default"]
            if exported != "default":
                return self.context_of(file, exported)
        entry = facts.defs.get(local)
        returned = entry.returns if entry is not None else ""
        if returned and (returned in facts.apps or (file, returned) in self.contexts):
            # (an app made by a project helper, `apiUtils.createExpressApp()`, is known by
            # the routes registered on it)
            return file, returned  # a router factory: `export default () => { ...; return router }`
        delegated = entry.returns_call if entry is not None else ""
        if delegated and depth < 4:  # `return other.app()`: the router another factory makes
            return self.context_of(file, delegated, depth + 1)
        return None

    def def_of(self, file: str, name: str) -> tuple[str, JsDef] | None:
        file, local = self.resolve_symbol(file, name)
        defs = self.module(file).defs
        entry = defs.get(local) or defs.get(local.split(".")[-1])
        if entry is None:
            return None
        made_by = entry.made_by
        if made_by and not entry.kinds:
            inner = self.def_of(file, made_by)
            if inner is not None:
                return inner
        return file, entry

    # ---- building contexts ----------------------------------------------------------

    def build(self) -> None:
        for file, facts in self.modules.items():
            self.decorations.update(facts.decorations)
            self.frameworks.update(facts.frameworks)
            expanded: list[dict[str, Any]] = []
            for written in facts.ops:
                if written["op"] == "class_call":
                    expanded.extend(self._expand_class_call(file, written["target"], written))
                elif written["op"] == "helper":
                    helper = self._expand_helper(file, written)
                    if helper is not None:
                        expanded.append(helper)
                else:
                    expanded.append(written)
            for found in expanded:
                path = found.get("path")
                op = found
                if isinstance(path, str) and "{" in path:
                    op = {**found, "path": self._resolve_holes(file, path)}
                target = op["target"]
                key: tuple[str, str] | None
                if target in facts.apps:
                    key = (file, facts.apps[target].alias_of or target)
                else:
                    key = self.context_of(file, target)
                if key is None:
                    key = (file, target)
                self.contexts.setdefault(key, []).append({**op, "_file": file})
            for name, app in facts.apps.items():
                self.contexts.setdefault((file, app.alias_of or name), [])
        for key, ops in self.contexts.items():
            for op in ops:
                if op["op"] in {"use", "register", "apply"}:
                    for item in op.get("items", []):
                        child = self._item_context(op["_file"], item)
                        if child is not None and child != key:
                            self.mounted.add(child)

    def _resolve_holes(self, file: str, path: str, depth: int = 0) -> str:
        """`{PATH_FEATURE}/x`, `{api_1.ApiPaths.WEB}`: a path constant another module
        defines (a string, a template of constants, a member of an object or enum), filled in."""

        def fill(match: re.Match[str]) -> str:
            symbol = match.group(1)
            target, local = self.resolve_symbol(file, symbol)
            value = self.module(target).constants.get(local)
            head, _, rest = symbol.partition(".")
            if value is None and rest:  # a member of an imported object or enum
                target, local = self.resolve_symbol(file, head)
                value = self.module(target).constants.get(f"{local}.{rest}")
            if value is None or depth > 4:
                return match.group(0)
            return self._resolve_holes(target, value, depth + 1)

        return _HOLE.sub(fill, path)

    def _class_wrapper(
        self, file: str, name: str, method: str, depth: int = 0
    ) -> tuple[str, dict[str, Any]] | None:
        """The wrapper `method` of class `name` in `file`, or of the class it extends."""
        entry = self.module(file).classes.get(name)
        if entry is None or depth > 6:
            return None
        spec = entry.get("wrappers", {}).get(method)
        if spec is not None:
            return file, spec
        base = entry.get("extends")
        if not base:
            return None
        base_file, local = self.resolve_symbol(file, base)
        if local == "default":
            local = self.module(base_file).exports.get("default", local)
        return self._class_wrapper(base_file, local, method, depth + 1)

    def _expand_class_call(
        self,
        file: str,
        owner: str,
        op: dict[str, Any],
        depth: int = 0,
    ) -> list[dict[str, Any]]:
        """`this.route({ method: 'get', path: PATH, handler: this.list })` in class `owner`:
        the registrations its (inherited) wrapper makes with these arguments (classes.py)."""
        found = self._class_wrapper(file, owner, op["method"]) if depth <= 4 else None
        if found is None:
            return []
        spec_file, spec = found
        args: list[dict[str, Any]] = op["args"]

        def value(ref: dict[str, Any] | None) -> dict[str, Any]:
            if not ref:
                return {}
            if "param" in ref:
                got = args[ref["param"]] if ref["param"] < len(args) else {}
                if "key" in ref:
                    got = got.get("object", {}).get(ref["key"], {})
                return dict(got)
            if "object" in ref:
                return {"object": {k: value(v) for k, v in ref["object"].items()}}
            return {"text": ref["text"]} if "text" in ref else {}

        if spec["kind"] == "call":
            inner = {**op, "method": spec["method"], "args": [value(a) for a in spec["args"]]}
            return self._expand_class_call(file, owner, inner, depth + 1)
        path = value(spec["path"]).get("text")
        if not isinstance(path, str):
            return []
        if spec["kind"] == "use":
            items: list[dict[str, Any]] = []
            for part in spec["items"]:
                if "param" in part:
                    items.extend(value(part).get("items", []))
                else:
                    items.append({**part["item"], "_file": spec_file})
            return [
                {"op": "use", "target": owner, "path": path, "items": items, "line": op["line"]}
            ]
        method = str(value(spec["method"]).get("text", "")).lower()
        if method not in _ROUTE_METHODS:
            return []
        return [
            {
                "op": "route",
                "target": owner,
                "method": "ANY"
                if method == "all"
                else ("DELETE" if method == "del" else method.upper()),
                "path": path if path.startswith(("/", "*", "$", "{")) or not path else "/" + path,
                "items": [{**i, "_file": spec_file} for i in spec["items"]],
                "handler": value(spec["handler"]).get("handler", {}),
                "line": op["line"],
                **({"table": True} if spec.get("table") else {}),
            }
        ]

    def _expand_helper(self, file: str, op: dict[str, Any]) -> dict[str, Any] | None:
        """A call handing a router to a project function that registers a route on it
        (`setupApiRoute(router, 'put', '/users/:uid', [mw], controller)`): the route that
        call registers, read from the function's definition wherever it lives. A function
        that does not register one adds nothing."""
        found = self.def_of(file, op["callee"])
        spec = found[1].registers if found is not None else None
        if found is None or spec is None:
            return None
        helper_file = found[0]
        args: list[dict[str, Any]] = op["args"]

        def arg(index: int) -> dict[str, Any]:
            return args[index] if index < len(args) else {}

        if arg(spec["target"]).get("app") != op["target"]:
            return None
        method = spec["method"]
        if isinstance(method, dict):
            method = str(arg(method["param"]).get("text", ""))
        method = method.lower()
        path = spec["path"]
        if isinstance(path, dict):
            path = arg(path["param"]).get("text")
        if method not in _ROUTE_METHODS or not isinstance(path, str):
            return None
        items: list[dict[str, Any]] = []
        for part in spec["items"]:
            if "param" in part:
                items.extend(arg(part["param"]).get("items", []))
            else:
                items.append({**part["item"], "_file": helper_file})
        handler: dict[str, Any] = {}
        for part in spec["handler"]:
            if "param" in part:
                handler = arg(part["param"]).get("handler", {})
            elif "ref" in part.get("item", {}):
                handler = {"ref": part["item"]["ref"]}
        return {
            "op": "route",
            "target": op["target"],
            "method": "ANY"
            if method == "all"
            else ("DELETE" if method == "del" else method.upper()),
            "path": path if path.startswith(("/", "*", "$", "{")) else "/" + path,
            "items": items,
            "handler": handler,
            "line": op["line"],
        }

    def _item_context(self, file: str, item: dict[str, Any]) -> tuple[str, str] | None:
        if "plugin" in item:
            return (file, item["plugin"]) if (file, item["plugin"]) in self.contexts else None
        if "ref" in item:
            return self.context_of(file, item["ref"])
        if "require" in item:
            target = self.resolve_module(file, item["require"])
            if target is not None:
                name = item.get("name") or "default"  # require('./x').api, { api } = import(...)
                return self.context_of(target, name) or (
                    self._default_plugin(target) if name == "default" else None
                )
        if "call" in item and item.get("resolvable"):
            return self.context_of(file, item["call"])
        return None

    def _default_plugin(self, file: str) -> tuple[str, str] | None:
        plugins = self.module(file).plugins
        if len(plugins) == 1:
            return file, next(iter(plugins))
        return None

    # ---- walking ----------------------------------------------------------------------

    def walk(
        self,
        key: tuple[str, str],
        prefix: str,
        inherited: list[_Active],
        depth: int,
        seen: frozenset[tuple[str, str]],
        bindings: dict[str, str] | None = None,
    ) -> None:
        """`bindings`: constructor locals this instance fixed (`{prefix}` in its paths)."""
        if depth > _MAX_DEPTH or key in seen:
            return
        seen = seen | {key}
        file, name = key
        app = self.module(file).apps.get(name)
        prefix = join_paths(prefix, app.base if app is not None else "")
        level = "app" if depth == 0 else "router"
        active = list(inherited)
        ops = self.contexts.get(key, [])
        # Fastify hooks cover every route of their context whatever the order.
        for op in ops:
            if op["op"] == "hook":
                active.extend(self._entries(op["_file"], op["items"], level, None))
        if bindings:
            ops = [
                {**op, "path": _bind_holes(op["path"], bindings)}
                if isinstance(op.get("path"), str) and "{" in op["path"]
                else op
                for op in ops
            ]
        for op in ops:
            if op["op"] in {"use", "register"}:
                path = op.get("path")
                scope = join_paths(prefix, path) if path else None
                if scope is not None and app is not None and app.kind == "hono":
                    scope = "=" + scope  # Hono middleware paths are exact patterns
                before: list[_Active] = []
                for item in op.get("items", []):
                    child = self._item_context(op["_file"], item)
                    if child is not None:
                        child_plugin = self.module(child[0]).plugins.get(child[1])
                        if op["op"] == "register" and child_plugin is not None and child_plugin.fp:
                            # fastify-plugin: its hooks apply to the parent context.
                            for child_op in self.contexts.get(child, []):
                                if child_op["op"] == "hook":
                                    active.extend(
                                        self._entries(
                                            child_op["_file"], child_op["items"], level, None
                                        )
                                    )
                        self.walk(
                            child,
                            join_paths(prefix, path or ""),
                            active + before,
                            depth + 1,
                            seen,
                            self._instance_bindings(child, item),
                        )
                    elif op["op"] == "register":
                        if "rate_limit" in self._item_kinds(op["_file"], item) and op.get(
                            "global", True
                        ):
                            before.append(
                                _Active(
                                    ("rate_limit",),
                                    _label(item),
                                    op["_file"],
                                    op["line"],
                                    level,
                                    scope,
                                )
                            )
                    else:
                        entries = self._entries(
                            op["_file"], [item], level, scope, op.get("condition", "")
                        )
                        if op.get("methods"):
                            methods = tuple(op["methods"])
                            entries = [replace(e, methods=methods) for e in entries]
                        before.extend(entries)
                active.extend(before)
            elif op["op"] == "apply":
                for item in op.get("items", []):
                    child = self._item_context(op["_file"], item)
                    if child is not None:
                        self.walk(child, prefix, active, depth + 1, seen)
            elif op["op"] == "route":
                self.add_route(op, prefix, active, key)

    def _instance_bindings(
        self, child: tuple[str, str], item: dict[str, Any]
    ) -> dict[str, str] | None:
        """The constructor locals an instance's arguments decide: with
        `new ContextController(config, services, 'project')` and
        `const prefix = mode === 'global' ? '' : '/:projectId/context'`, prefix is the second."""
        ctor = self.module(child[0]).classes.get(child[1], {}).get("ctor")
        if not ctor or not item.get("instance"):
            return None
        given: list[str | None] = item.get("new_args", [])
        values: dict[str, str] = dict(ctor.get("defaults", {}))
        for position, name in enumerate(ctor.get("params", [])):
            if position < len(given) and given[position] is not None and name:
                values[name] = str(given[position])
            elif position < len(given) and name:
                values.pop(name, None)  # a value we cannot read: no choice is known
        bound: dict[str, str] = {}
        for local, choice in ctor.get("choices", {}).items():
            if choice["param"] in values:
                picked = values[choice["param"]] == choice["equals"]
                bound[local] = choice["then"] if picked else choice["else"]
        return bound or None

    def _external(self, file: str, entry: JsDef | dict[str, Any]) -> bool:
        """Judged by its name only, from a package that is not a module of this project."""
        if isinstance(entry, JsDef):
            return entry.by_name and self.resolve_module(file, entry.package) is None
        return bool(entry.get("by_name")) and self.resolve_module(file, entry["package"]) is None

    def _item_hint(self, file: str, item: dict[str, Any]) -> tuple[tuple[str, ...], str] | None:
        """(kinds its name suggests, note) for a middleware from a package we cannot read."""
        if self._external(file, item):
            return tuple(item.get("kinds", [])), f"{_label(item)} from {item['package']}"
        ref = item.get("ref") or (item.get("call") if item.get("resolvable") else None)
        found = self.def_of(file, ref) if ref else None
        if found is not None and self._external(found[0], found[1]):
            detail = found[1].detail if found[1].detail is not None else ref
            return tuple(found[1].kinds), f"{detail} from {found[1].package}"
        return None

    def _resolved_label(self, file: str, item: dict[str, Any]) -> str:
        """The item as written, and the library call it stands for when it names one
        (`auth.required = expressjwt() from express-jwt`)."""
        label = _label(item)
        ref = item.get("ref") or (item.get("call") if item.get("resolvable") else None)
        found = self.def_of(file, ref) if ref else None
        if found is not None and found[1].package and found[1].detail:
            return f"{label} = {found[1].detail}() from {found[1].package}"[:120]
        return label

    def _item_kinds(self, file: str, item: dict[str, Any], depth: int = 0) -> tuple[str, ...]:
        if self._external(file, item):
            return ()
        kinds = tuple(item.get("kinds", []))
        ref = item.get("ref") or (item.get("call") if item.get("resolvable") else None)
        found = self.def_of(file, ref) if ref else None
        if found is not None and self._external(found[0], found[1]):
            return ()
        if found is not None and found[1].package:
            return tuple(found[1].kinds)  # a library middleware we know
        if found is not None and depth < 4 and found[1].items is not None:
            # An array of middleware: what its members do, each resolved where it lives.
            merged: list[str] = []
            for sub in found[1].items:
                for kind in self._item_kinds(found[0], sub, depth + 1):
                    if kind not in merged:
                        merged.append(kind)
            return tuple(merged)
        if ref and found is not None and not item.get("local"):
            if found[1].kinds:
                return tuple(found[1].kinds)
            if found[1].detail:
                return tuple(common.classify_call(found[1].detail)) or kinds
            if not found[1].made_by:
                # A project function whose body shows nothing: trust only unmistakable names.
                return common.strong_name_kinds(ref)
        if item.get("decorated"):
            decorated = self.decorations.get(item["decorated"])
            if decorated:
                return tuple(decorated)
        if "require" in item:
            source = item["require"]
            if "rate-limit" in source or "ratelimit" in source:
                return ("rate_limit",)
        return kinds

    def _entries(
        self,
        file: str,
        items: list[dict[str, Any]],
        level: str,
        scope: str | None,
        condition: str = "",
    ) -> list[_Active]:
        out: list[_Active] = []
        for item in items:
            # Middleware a route-registering helper adds is resolved where the helper lives.
            item_file = item.get("_file", file)
            kinds = self._item_kinds(item_file, item)
            hint = None if kinds else self._item_hint(item_file, item)
            if kinds or (hint and hint[0]):
                out.append(
                    _Active(
                        kinds,
                        self._resolved_label(item_file, item),
                        item_file,
                        item.get("line", 1),
                        level,
                        scope,
                        unknown=hint[0] if hint else (),
                        note=hint[1] if hint else "",
                        condition=condition,
                    )
                )
        return out

    def add_route(
        self, op: dict[str, Any], prefix: str, active: list[_Active], key: tuple[str, str]
    ) -> None:
        file = op["_file"]
        full = join_paths(prefix, op["path"])
        protections: dict[str, list[Evidence]] = {kind: [] for kind in _KINDS}
        # Per kind: what a package we cannot read may do, and conditions evidence rests on.
        out_of_sight: dict[str, list[str]] = {kind: [] for kind in _KINDS}
        conditions: dict[str, list[str]] = {kind: [] for kind in _KINDS}
        unconditional: set[str] = set()
        identity_loaded = False
        for entry in [*active, *self._entries(file, op.get("items", []), "route", None)]:
            if entry.path is not None and not use_path_matches(entry.path, full):
                continue
            if entry.methods and op.get("method") not in entry.methods:
                continue  # a guard on PUT does not protect GET (nor ANY: not every method)
            identity_loaded = identity_loaded or "optional_auth" in entry.kinds
            for kind in entry.unknown:
                for target in ("authz", "auth") if kind == "authz" else (kind,):
                    if target in out_of_sight and entry.note not in out_of_sight[target]:
                        out_of_sight[target].append(entry.note)
            for kind in entry.kinds:
                if entry.condition and kind in conditions:
                    conditions[kind].append(entry.condition)
                elif not entry.condition:
                    unconditional.add(kind)
            if "authz" in entry.kinds:
                if entry.condition:
                    conditions["auth"].append(entry.condition)
                else:
                    unconditional.add("auth")
            evidence = Evidence(
                kind="middleware",
                detail=entry.detail,
                file=entry.file,
                line=entry.line,
                level=_level(entry.level),
            )
            for kind in entry.kinds:
                if kind == "authz":
                    # Middleware authorization is a role/permission gate, unless named for owners.
                    role = "ownership" if "own" in entry.detail.lower() else "role"
                    protections[kind].append(evidence.model_copy(update={"kind": role}))
                elif kind in protections:
                    protections[kind].append(evidence)
            if "authz" in entry.kinds and not protections["auth"]:
                protections["auth"].append(evidence.model_copy(update={"kind": "role_check"}))
        if op.get("schema"):
            protections["validation"].append(
                Evidence(kind="schema", detail="route JSON schema", file=file, line=op["line"])
            )
        if op.get("rate_limit"):
            protections["rate_limit"].append(
                Evidence(
                    kind="limiter", detail="route config.rateLimit", file=file, line=op["line"]
                )
            )
        handler = dict(op.get("handler", {}))
        handler_name = handler.get("ref") or f"<anonymous@{file}:{handler.get('line', op['line'])}>"
        if "ref" in handler and "lines" not in handler:
            found = self.def_of(file, handler["ref"])
            if found is not None:
                handler.update(found[1].handler)
                handler["_file"] = found[0]
                handler["line"] = found[1].line
        handler_file = handler.get("_file", file)
        handler_line = handler.get("line", op["line"])
        if handler.get("auth_check"):
            protections["auth"].append(
                Evidence(
                    kind="handler_check",
                    detail="handler checks the caller",
                    file=handler_file,
                    line=handler_line,
                    level="handler",
                )
            )
        if handler.get("role_check") or handler.get("ownership"):
            detail = (
                "ownership check in handler"
                if handler.get("ownership")
                else "role check in handler"
            )
            protections["authz"].append(
                Evidence(
                    kind="ownership" if handler.get("ownership") else "role",
                    detail=detail,
                    file=handler_file,
                    line=handler_line,
                    level="handler",
                )
            )
        if handler.get("validation"):
            protections["validation"].append(
                Evidence(
                    kind="schema",
                    detail="handler validates input",
                    file=handler_file,
                    line=handler_line,
                    level="handler",
                )
            )
        app = self.module(key[0]).apps.get(key[1])
        framework = app.kind if app is not None else "unknown"
        framework = {
            "router": "express",
            "koa_router": "koa",
            "plugin": _plugin_framework(self.frameworks),
        }.get(framework, framework)
        mounted_here = key not in self.mounted and (
            app is None or app.kind in {"router", "koa_router", "plugin"}
        )
        # Handler-level evidence is unconditional.
        for kind in _KINDS:
            if any(e.level == "handler" for e in protections[kind]) or (
                kind == "validation" and op.get("schema")
            ):
                unconditional.add(kind)
        if op.get("rate_limit"):
            unconditional.add("rate_limit")

        def judged(kind: str, protection: Protection) -> Protection:
            if protection.status == "absent" and op.get("table") and kind != "validation":
                return Protection(
                    status="unknown",
                    note=f"kept in a route table ({file}:{op['line']}) that is mounted onto an "
                    "app at run time: what runs before it there is out of sight",
                )
            if protection.status == "absent" and out_of_sight[kind]:
                return Protection(
                    status="unknown",
                    note=f"{'; '.join(out_of_sight[kind])[:200]}: a package we cannot read",
                )
            if protection.status == "present" and kind not in unconditional and conditions[kind]:
                return protection.model_copy(
                    update={"note": f"registered only under a condition: {conditions[kind][0]}"}
                )
            return protection

        auth = judged("auth", self._protection(protections["auth"], mounted_here))
        delegate = handler.get("delegates")
        if auth.status == "absent" and delegate and self.def_of(file, delegate) is None:
            auth = Protection(
                status="unknown",
                note=f"the handler hands the request to {delegate}, which we cannot read",
            )
        if auth.status == "absent" and handler.get("dispatches"):
            auth = Protection(
                status="unknown",
                note=f"the handler ({handler_file}:{handler_line}) runs a function it picks by a "
                "path parameter; that function decides who may call it",
            )
        if auth.status == "absent" and identity_loaded and "lines" not in handler:
            # The caller is loaded when present, and the handler that would require it is
            # one we cannot read.
            auth = Protection(
                status="unknown",
                note="identity loaded by middleware; the handler, which may require it, is "
                "out of sight",
            )
        route = Route(
            method=op["method"],
            path=full or "/",
            handler=handler_name,
            file=file,
            line=op["line"],
            framework=framework,
            language="typescript"
            if file.endswith((".ts", ".tsx", ".mts", ".cts"))
            else "javascript",
            mounted_prefix=prefix,
            auth=auth,
            authz=judged("authz", self._protection(protections["authz"], mounted_here)),
            validation=judged("validation", _validation(protections["validation"], handler)),
            rate_limit=judged(
                "rate_limit", self._protection(protections["rate_limit"], mounted_here)
            ),
            public_by_design=public_reason(op["method"], full, handler_name)
            or (
                "the same fixed page for every caller (the request is not read)"
                if op["method"] in {"GET", "HEAD"} and handler.get("fixed_response")
                else None
            ),
            reads_request_data=bool(handler.get("reads")),
            loads_by_id=bool(handler.get("loads_by_id")),
            tested=self.is_tested(full),
        )
        self.routes.append(route)
        span = handler.get("span")
        if isinstance(span, list) and len(span) == 2:
            self.handler_routes.setdefault((handler_file, span[0], span[1]), []).append(route)

    def _protection(self, evidence: list[Evidence], unmounted: bool) -> Protection:
        if evidence:
            return Protection(status="present", evidence=_dedupe(evidence))
        if unmounted and self.unresolved_mounts:
            return Protection(
                status="unknown", note="router mounted where we cannot see (dynamic loading)"
            )
        if self.handed_out:
            return Protection(
                status="unknown",
                note=f"the app is returned by {self.handed_out}(), which nothing in the project "
                "calls: whoever serves it may protect it",
            )
        return Protection(status="absent")

    def handed_out_apps(self) -> dict[tuple[str, str], str]:
        """Apps built and returned by an exported factory that no module of the project imports
        or calls (a library's `createServer()`), with the factory's name."""
        candidates: dict[tuple[str, str], tuple[str, list[str]]] = {}
        for file, facts in self.modules.items():
            apps = facts.apps
            defs = facts.defs
            exported = facts.exports
            for function, entry in defs.items():
                app = entry.returns
                if app not in apps or "." in function:
                    continue
                names = [name for name, local in exported.items() if local == function]
                if names and not any(d.made_by == function for d in defs.values()):
                    candidates[(file, app)] = (function, names)
        if not candidates:
            return {}
        # An import can only reach a candidate's file if it names the file (or its directory,
        # for an index file): resolve just those, not every import of the project.
        stems: set[str] = set()
        for file, _ in candidates:
            stem = posixpath.basename(file).split(".")[0]
            stems.add(posixpath.basename(posixpath.dirname(file)) if stem == "index" else stem)
        imported: set[tuple[str, str]] = set()
        for file, facts in self.modules.items():
            sources = [(e.source, e.name) for e in facts.imports.values()]
            sources += [(source, "*") for source in facts.loads]
            for source, name in sources:
                stem = posixpath.basename(source).split(".")[0]
                if stem and stem not in stems:  # '.', '..' may name a directory's index
                    continue
                target = self.resolve_module(file, source)
                if target is not None:
                    imported.add((target, name))
        return {
            key: function
            for key, (function, names) in candidates.items()
            if (key[0], "*") not in imported and not any((key[0], n) in imported for n in names)
        }

    def is_tested(self, path: str) -> bool | None:
        if not self.test_paths:
            return False
        # Tests often build URLs as '/users/' + id, and NestJS e2e apps skip the global prefix.
        patterns = [route_regex(path)]
        unprefixed = re.sub(r"^/(api|v\d+)(/v\d+)?(?=/)", "", path)
        if unprefixed != path:
            patterns.append(route_regex(unprefixed))
        for candidate in self.test_paths:
            probes = (candidate, candidate + "1") if candidate.endswith("/") else (candidate,)
            if any(p.match(probe) for p in patterns for probe in probes):
                return True
        return False

    # ---- NestJS -----------------------------------------------------------------------

    def nest_routes(self) -> None:
        nest_files = {
            file: facts.nest for file, facts in self.modules.items() if facts.nest is not None
        }
        if not nest_files:
            return
        self.frameworks.add("nestjs")
        global_guards: list[tuple[str, dict[str, Any]]] = []
        guard_classes: dict[str, NestGuardClass] = {}
        global_prefix = ""
        global_validation: tuple[str, int] | None = None
        dtos: set[str] = set()
        throttler = False
        middleware_classes: dict[str, list[str]] = {}
        applied: list[tuple[str, dict[str, Any]]] = []
        versioning: NestVersioning | None = None
        for file, nest in nest_files.items():
            middleware_classes.update(nest.middleware_classes)
            applied.extend((file, m) for m in nest.middleware)
            global_guards.extend((file, g) for g in nest.global_guards)
            guard_classes.update(nest.guards)
            if nest.global_prefix is not None:
                global_prefix = nest.global_prefix
            if nest.versioning is not None:
                versioning = nest.versioning
            if nest.global_validation is not None:
                global_validation = (file, nest.global_validation.line)
            dtos.update(nest.dtos)
            throttler = throttler or nest.throttler_module is not None
        for _guard_file, guard in global_guards:
            known = guard_classes.get(guard["ref"])
            if known is not None and known.kinds:
                guard["kinds"] = known.kinds
        consumer = [
            (
                file,
                entry,
                {
                    kind
                    for ref in entry.get("refs", [])
                    for kind in (
                        middleware_classes[ref]
                        if ref in middleware_classes
                        else common.classify_call(ref)
                    )
                }
                & set(_KINDS),
            )
            for file, entry in applied
        ]
        for file, nest in nest_files.items():
            for controller in nest.controllers:
                for route in controller.get("routes", []):
                    # URI versioning: /{prefix}/v{version}/{controller}/{route}, once per version.
                    versions = [""]
                    if versioning is not None:
                        declared = route.get("version") or controller.get("version")
                        default = [versioning.default] if versioning.default else [""]
                        versions = [
                            f"{versioning.prefix}{v}" if v else "" for v in declared or default
                        ]
                    for version in versions:
                        self._nest_route(
                            file,
                            controller,
                            route,
                            global_guards,
                            guard_classes,
                            join_paths(global_prefix, version),
                            global_validation,
                            dtos,
                            consumer,
                        )
            for resolver in nest.resolvers:
                for route in resolver.get("routes", []):
                    self._nest_route(
                        file,
                        resolver,
                        route,
                        global_guards,
                        guard_classes,
                        "",
                        global_validation,
                        dtos,
                        consumer,
                        graphql=True,
                    )
        del throttler

    def _guard_out_of_sight(self, file: str, ref: str) -> bool:
        """A guard imported from a package other than Nest's own, or from a project module
        in which no guard class of that name was read: its name proves nothing."""
        if _LIBRARY_GUARD.match(ref):
            return False
        root = ref.split("(", maxsplit=1)[0].split(".", maxsplit=1)[0]
        imported = self.module(file).imports.get(root)
        if imported is None:
            return False  # not imported: defined where we judged it by name (or a global)
        return not imported.source.startswith("@nestjs/")

    def _nest_decorators(
        self, file: str, decorators: list[dict[str, Any]]
    ) -> tuple[list[tuple[str, dict[str, Any]]], list[str], dict[str, Any] | None, bool]:
        """Project decorators on a controller or handler, resolved to their definitions:
        the guards composites apply (each with the file it is written in), the metadata keys
        they set, the first decorator setting metadata, and whether one marks the route public."""
        guards: list[tuple[str, dict[str, Any]]] = []
        keys: list[str] = []
        setter: dict[str, Any] | None = None
        public = False
        pending = [(file, d["name"], d) for d in decorators]
        seen: set[tuple[str, str]] = set()
        while pending:
            where, name, written = pending.pop(0)
            found_file, local = self.resolve_symbol(where, name)
            composite = (self.module(found_file).nest or _NO_NEST).composites.get(local)
            if composite is None or (found_file, local) in seen or len(seen) > 16:
                continue
            seen.add((found_file, local))
            guards.extend((found_file, g) for g in composite.get("guards", []))
            if composite.get("keys"):
                keys.extend(composite["keys"])
                setter = setter or written
            public = public or bool(composite.get("public"))
            pending.extend((found_file, used, written) for used in composite.get("uses", []))
        return guards, keys, setter, public

    def _nest_route(
        self,
        file: str,
        controller: dict[str, Any],
        route: dict[str, Any],
        global_guards: list[tuple[str, dict[str, Any]]],
        guard_classes: dict[str, NestGuardClass],
        global_prefix: str,
        global_validation: tuple[str, int] | None,
        dtos: set[str],
        consumer: list[tuple[str, dict[str, Any], set[str]]],
        graphql: bool = False,
    ) -> None:
        full = join_paths(
            join_paths(global_prefix, controller.get("path", "")), route.get("path", "")
        )
        protections: dict[str, list[Evidence]] = {kind: [] for kind in _KINDS}
        # `consumer.apply(...).forRoutes(...)` matches paths without the global prefix.
        local_path = join_paths(controller.get("path", ""), route.get("path", ""))
        if graphql:
            full = route["path"]  # `Mutation.deleteUser`; HTTP middleware sees /graphql
            local_path = "/graphql"
        out_of_sight: set[str] = set()
        for mw_file, entry, applied_kinds in consumer:
            if not applied_kinds:
                continue
            if controller.get("name") in entry.get("controllers", []) or any(
                nestjs.middleware_path_matches(p, local_path) for p in entry.get("paths", [])
            ):
                for kind in applied_kinds:
                    protections[kind].append(
                        Evidence(
                            kind="middleware",
                            detail=", ".join(entry.get("refs", []))[:100],
                            file=mw_file,
                            line=entry.get("line", 1),
                            level="app",
                        )
                    )
            elif entry.get("dynamic"):
                out_of_sight.update(applied_kinds)  # applied to a path built at run time
        public_line = route.get("public") or controller.get("public")
        class_guards, class_keys, class_setter, class_public = self._nest_decorators(
            file, controller.get("decorators", [])
        )
        route_guards, route_keys, route_setter, route_public = self._nest_decorators(
            file, route.get("decorators", [])
        )
        if (class_public or route_public) and not public_line:
            public_line = route["line"]
        metadata_keys = set(class_keys) | set(route_keys)
        metadata_setter = route_setter or class_setter
        levels = [
            ("app", global_guards),
            ("router", [(file, g) for g in controller.get("guards", [])] + class_guards),
            ("route", [(file, g) for g in route.get("guards", [])] + route_guards),
        ]
        # Guards whose class we cannot read: what their names suggest is unknown, not present.
        unread: dict[str, list[str]] = {kind: [] for kind in _KINDS}
        for level, guards in levels:
            for guard_file, guard in guards:
                kinds = list(guard.get("kinds", []))
                known = guard_classes.get(guard["ref"])
                if known is not None and known.kinds:
                    kinds = list(known.kinds)
                if known is None and self._guard_out_of_sight(guard_file, guard["ref"]):
                    for kind in kinds:
                        if kind in unread and guard["ref"] not in unread[kind]:
                            unread[kind].append(guard["ref"])
                    continue
                if level == "app" and public_line and "auth" in kinds:
                    continue  # @Public() opts out of the global auth guard
                evidence = Evidence(
                    kind="guard",
                    detail=guard["ref"],
                    file=guard_file,
                    line=guard.get("line", 1),
                    level=_level(level),
                )
                reads = set(known.reads) if known is not None else set()
                declares_roles = bool(route.get("roles") or controller.get("roles")) or bool(
                    metadata_keys and (not reads or reads & metadata_keys)
                )
                for kind in kinds:
                    metadata_driven = known is not None and known.metadata_driven
                    if kind == "authz" and metadata_driven and not declares_roles:
                        continue  # a RolesGuard passes routes without @Roles()
                    if kind in protections:
                        protections[kind].append(evidence)
        roles = route.get("roles") or controller.get("roles") or metadata_setter
        if (roles and protections["authz"]) or (roles and "Auth" in roles["detail"]):
            protections["authz"].append(
                Evidence(kind="role", detail=roles["detail"], file=file, line=roles["line"])
            )
        if protections["authz"] and not protections["auth"]:
            protections["auth"].append(
                protections["authz"][0].model_copy(update={"kind": "role_check"})
            )
        dto_types = route.get("dto_types", [])
        validated_dto = [d for d in dto_types if d in dtos or not dtos]
        if (
            global_validation or route.get("validation_pipe") or controller.get("validation_pipe")
        ) and validated_dto:
            where = global_validation or (
                file,
                route.get("validation_pipe") or controller.get("validation_pipe") or 1,
            )
            protections["validation"].append(
                Evidence(
                    kind="schema",
                    detail=f"ValidationPipe + {', '.join(validated_dto)}",
                    file=where[0],
                    line=where[1],
                )
            )
        if graphql:
            self._graphql_decorators(file, controller, route, protections, unread)
        if route.get("param_pipes"):
            protections["validation"].append(
                Evidence(
                    kind="schema",
                    detail="parameter pipe",
                    file=file,
                    line=route["line"],
                    level="route",
                )
            )
        if route.get("skip_throttle"):
            protections["rate_limit"] = []
        elif route.get("throttle") or controller.get("throttle"):
            protections["rate_limit"].append(
                Evidence(
                    kind="limiter",
                    detail="@Throttle",
                    file=file,
                    line=route.get("throttle") or controller.get("throttle") or 1,
                    level="route",
                )
            )
        handler = route.get("handler_facts", {})
        if handler.get("ownership") or handler.get("role_check"):
            protections["authz"].append(
                Evidence(
                    kind="ownership" if handler.get("ownership") else "role",
                    detail="check in handler",
                    file=file,
                    line=route["line"],
                    level="handler",
                )
            )
        if handler.get("auth_check"):
            protections["auth"].append(
                Evidence(
                    kind="handler_check",
                    detail="handler checks the caller",
                    file=file,
                    line=route["line"],
                    level="handler",
                )
            )
        reason = public_reason(route["method"], full, route["handler"])
        if public_line and not reason:
            reason = "marked @Public()"
        self.routes.append(
            Route(
                kind="graphql" if graphql else "http",
                method=route["method"],
                path=full or "/",
                handler=route["handler"],
                file=file,
                line=route["line"],
                framework="nestjs",
                language="typescript" if file.endswith((".ts", ".tsx")) else "javascript",
                mounted_prefix=join_paths(global_prefix, controller.get("path", "")),
                auth=_nest_protection(
                    protections["auth"], "auth" in out_of_sight, unread["auth"] + unread["authz"]
                ),
                authz=_nest_protection(
                    protections["authz"], "authz" in out_of_sight, unread["authz"]
                ),
                validation=self._protection(protections["validation"], False),
                rate_limit=_nest_protection(
                    protections["rate_limit"], "rate_limit" in out_of_sight, unread["rate_limit"]
                ),
                public_by_design=reason,
                reads_request_data=bool(route.get("raw_params") or handler.get("reads")),
                loads_by_id=bool(handler.get("loads_by_id")),
                tested=graphql_link.field_tested(self, full) if graphql else self.is_tested(full),
            )
        )

    def _graphql_decorators(
        self,
        file: str,
        resolver: dict[str, Any],
        route: dict[str, Any],
        protections: dict[str, list[Evidence]],
        unread: dict[str, list[str]],
    ) -> None:
        """type-graphql `@Authorized(roles?)` (the schema's authChecker runs before the
        resolver) and `@UseMiddleware(isAuth)` (judged by the middleware's body)."""
        for level, where in (("router", resolver), ("route", route)):
            authorized = where.get("authorized")
            if authorized:
                imported = self.module(file).imports.get("Authorized")
                if imported is not None and imported.source == "type-graphql":
                    evidence = Evidence(
                        kind="decorator",
                        detail=authorized["detail"],
                        file=file,
                        line=authorized["line"],
                        level=_level(level),
                    )
                    protections["auth"].append(evidence)
                    if authorized.get("roles"):
                        protections["authz"].append(evidence.model_copy(update={"kind": "role"}))
            for ref in where.get("use_middleware", []):
                kinds = graphql_link.callee_kinds(self, file, ref)
                if kinds is None:
                    unread["auth"].append(ref)
                    continue
                for kind in kinds:
                    target = "authz" if kind in {"authz", "ownership"} else "auth"
                    protections[target].append(
                        Evidence(
                            kind="role"
                            if kind == "authz"
                            else ("ownership" if kind == "ownership" else "middleware"),
                            detail=f"@UseMiddleware({ref})",
                            file=file,
                            line=route["line"],
                            level=_level(level),
                        )
                    )


def _bind_holes(path: str, bindings: dict[str, str]) -> str:
    """`{prefix}/:id` with prefix bound to '' -> `/:id`; other holes stay."""
    bound = re.sub(
        r"\{([A-Za-z_$][\w$]*)\}",
        lambda m: bindings.get(m.group(1), m.group(0)),
        path,
    )
    return re.sub(r"//+", "/", bound)


def _nest_protection(
    evidence: list[Evidence], out_of_sight: bool, unread: list[str] | None = None
) -> Protection:
    if evidence:
        return Protection(status="present", evidence=_dedupe(evidence))
    if unread:
        return Protection(
            status="unknown",
            note=f"guard {', '.join(unread)[:100]} is not a class we can read",
        )
    if out_of_sight:
        return Protection(
            status="unknown", note="middleware applied to paths built at run time (forRoutes)"
        )
    return Protection(status="absent")


def _validation(evidence: list[Evidence], handler: dict[str, Any]) -> Protection:
    """Absent only when the handler uses the raw request data itself (a query, a path, a
    command, a spread into a record); handed to a project function, it may be checked there."""
    if evidence:
        return Protection(status="present", evidence=_dedupe(evidence))
    if handler.get("reads") and not handler.get("raw_use"):
        return Protection(
            status="unknown",
            note="request data handed to other functions, not used as-is in the handler",
        )
    return Protection(status="absent")


def _plugin_framework(frameworks: set[str]) -> str:
    for name in ("fastify", "express", "hono"):
        if name in frameworks:
            return name
    return "unknown"


def _level(level: str) -> Any:
    return level if level in {"app", "router", "route", "handler", "settings"} else "route"


def _label(item: dict[str, Any]) -> str:
    if "ref" in item:
        return str(item["ref"])
    if "call" in item:
        return f"{item['call']}{item.get('args', '()')}"[:100]
    if "require" in item:
        return f"require({item['require']!r})"
    if item.get("inline"):
        return "inline middleware"
    return str(item.get("text", "middleware"))[:100]


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, str, int]] = set()
    out: list[Evidence] = []
    for item in evidence:
        key = (item.detail, item.file, item.line)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# Directories that hold what the server sends to browsers, and front-end bundle names.
_BROWSER_DIRS = frozenset({"public", "static", "assets", "www", "wwwroot", "bower_components"})
_BUNDLE_NAME = re.compile(
    r"(^|[.\-_])(bundle|chunk|min)\.[cm]?js$|^(bundle|vendor|main\.[0-9a-f]{6,})"
)


def is_browser_code(file: str, facts: JsModuleFacts) -> bool:
    """Code that runs in the browser: under a directory served as static files, a bundle,
    or a script that uses the page (`document`, `window`) and imports no server framework."""
    parts = file.split("/")
    if _BUNDLE_NAME.search(parts[-1]):
        return True
    for index, part in enumerate(parts[:-1]):
        if part in _BROWSER_DIRS and not _is_file_route(parts, index):
            return True
    return facts.browser


def _is_file_route(parts: list[str], index: int) -> bool:
    """`app/api/public/ping/route.ts`, `pages/api/static/[id].ts`: a folder named like a
    static directory below a file-based routes folder is part of a URL, not static files."""
    stem = parts[-1].split(".", 1)[0]
    above = parts[:index]
    if stem == "route" and ("app" in above or "api" in above):
        return True
    return "pages/api/" in "/".join(above) + "/"


def join_paths(prefix: str, path: str) -> str:
    if prefix and not prefix.startswith("/"):
        prefix = "/" + prefix
    if not path or path == "/":
        return prefix or path
    if not prefix:
        return path if path.startswith("/") else "/" + path
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def route_regex(path: str) -> re.Pattern[str]:
    """'/users/:id' -> matches '/users/42' and '/users/42?x' in tests; `${x}` is any segment."""
    parts: list[str] = []
    for segment in path.strip("/").split("/"):
        if (
            segment.startswith(":")
            or segment.startswith("{")
            or "${" in segment
            or segment in {"*", "**"}
        ):
            parts.append(r"[^/]+")
        else:
            parts.append(re.escape(segment))
    return re.compile("^(/[^/]+)*/" + "/".join(parts) + r"/?$" if parts != [""] else r"^/$")


def public_reason(method: str, path: str, handler: str) -> str | None:
    """The shared policy; webhook signatures and set-up guards are not analysed here yet."""
    return public_reason_of(method, path, handler, webhook_verified=None, setup_guarded=None)


def link_javascript(results: list[FileResult], root: str) -> ProjectIndex:
    linker = _Linker(root=root)
    source_files: list[str] = []
    test_files: list[str] = []
    signals: list[Signal] = []
    error_handlers: list[str] = []
    for result in results:
        if result.skipped is not None:
            continue
        (test_files if result.is_test else source_files).append(result.file)
        signals.extend(result.signals)
        module = JsModuleFacts.model_validate(result.facts)  # an older shape fails loudly
        if result.is_test:
            linker.test_paths.extend(module.test_paths)
            linker.test_procedures.update(module.procedure_calls)
            linker.test_imports.extend(
                (result.file, entry.source, entry.name)
                for entry in module.imports.values()
                if not entry.source.startswith(("@jest", "vitest", "node:"))
            )
            linker.test_fields = (linker.test_fields or set()) | set(module.graphql_test_fields)
            continue
        if is_browser_code(result.file, module):
            continue  # a page's script or a front-end bundle: its routes are not the server's
        linker.modules[result.file] = module
        error_handlers.extend(f"{result.file}:{line}" for line in module.error_handlers)
        if module.nest is not None and module.nest.exception_filter:
            error_handlers.append(result.file)
    linker.build()
    for key in linker.contexts:
        if key not in linker.mounted:
            own_apps = linker.module(key[0]).apps
            if key[1] not in own_apps and not linker.contexts[key]:
                continue
    roots = [key for key in linker.contexts if key not in linker.mounted]
    # Routers nobody mounts in code we can see, in a project that loads modules dynamically
    # (require(path.join(dir, file))): what protects them is unknown, not absent.
    has_dynamic = any(facts.dynamic_loading for facts in linker.modules.values()) or any(
        op.get("op") == "use" and any("text" in item for item in op.get("items", []))
        for ops in linker.contexts.values()
        for op in ops
    )
    linker.unresolved_mounts = 1 if has_dynamic else 0
    handed_out = linker.handed_out_apps()
    for key in sorted(roots):
        linker.handed_out = handed_out.get(key, "")
        linker.walk(key, "", [], 0, frozenset())
    linker.handed_out = ""
    linker.nest_routes()
    file_routes, file_frameworks = fullstack_routes(linker)
    linker.routes.extend(file_routes)
    linker.frameworks.update(file_frameworks)
    linker.routes.extend(graphql_link.graphql_routes(linker))
    # A router reached twice (mounted from two apps, or twice on one) is one route per path.
    unique: dict[tuple[str, str, str, int], Route] = {}
    for route in linker.routes:
        unique.setdefault((route.method, route.path, route.file, route.line), route)
    # A server's webpack bundle shipped beside the modules it was built from: each route
    # is reported once, at the module.
    bundles = {file for file, facts in linker.modules.items() if facts.bundle}
    unbundled = {(r.method, r.path, r.handler) for r in unique.values() if r.file not in bundles}
    linker.routes = [
        r
        for r in unique.values()
        if r.file not in bundles or (r.method, r.path, r.handler) not in unbundled
    ]
    linker.routes.sort(key=lambda r: (r.file, r.line, r.method))
    # Resolve imported error middleware: app.use(errorHandler) with the handler in another file.
    for ops in linker.contexts.values():
        for op in ops:
            if op["op"] != "use":
                continue
            for item in op.get("items", []):
                if item.get("ref") and "error_handler" in linker._item_kinds(op["_file"], item):
                    error_handlers.append(f"{op['_file']}:{op['line']}")
    apps: list[dict[str, Any]] = [
        {"file": file, "line": app.line, "name": name, "framework": app.kind}
        for file, facts_of in linker.modules.items()
        for name, app in facts_of.apps.items()
        if app.kind in {"express", "hono", "fastify", "koa"} and not app.alias_of
    ]
    limiters = [
        {
            "file": r.rate_limit.evidence[0].file,
            "detail": r.rate_limit.evidence[0].detail,
            "line": r.rate_limit.evidence[0].line,
        }
        for r in linker.routes
        if r.rate_limit.evidence and r.rate_limit.evidence[0].level == "app"
    ]
    # Same keys as the Python linker, so the project rules read both languages alike.
    facts: dict[str, Any] = {"has_tests": bool(test_files)}
    if linker.routes:
        # Fastify, Hono, Koa and NestJS answer unhandled errors centrally by default;
        # Express's default handler prints stack traces outside production.
        kinds = {app["framework"] for app in apps} | (
            {"nestjs"} if "nestjs" in linker.frameworks else set()
        )
        # Next.js and tRPC answer an unhandled error with a bare 500 / a formatted TRPCError.
        kinds |= file_frameworks
        if all(r.kind == "graphql" for r in linker.routes):
            # A GraphQL server turns every resolver's error into the response's `errors`.
            kinds.add("graphql")
        if kinds and "express" not in kinds:
            facts["framework_error_handling"] = sorted(kinds)[0]
        elif "graphql" in kinds:
            facts["framework_error_handling"] = "graphql"
        facts["error_handlers"] = [
            {
                "file": h.split(":")[0],
                "line": int(h.split(":")[1]) if ":" in h else 1,
                "kind": "error_middleware",
                "detail": h,
            }
            for h in sorted(set(error_handlers))
        ]
    if apps:
        facts["apps"] = apps
    if limiters:
        facts["rate_limit_global"] = limiters[:1]
    operator = operator_only(linker.handler_routes, linker.routes)
    if operator:
        facts["operator_only_handlers"] = [
            {"file": file, "start": start, "end": end} for file, start, end in sorted(operator)
        ]
    servers = graphql_link.graphql_servers(linker)
    if servers:
        facts["graphql_servers"] = servers
    return ProjectIndex(
        root=root,
        routes=linker.routes,
        signals=signals,
        frameworks=sorted(linker.frameworks),
        test_files=test_files,
        source_files=source_files,
        facts=facts,
    )
