"""Next.js: file-based routes, middleware and server actions, per file.

- App Router: `app/**/route.(ts|js)` exports `GET`, `POST`, ... (functions, consts, re-exports);
  the URL comes from the folders (`[id]` -> `:id`, `[...slug]` / `[[...slug]]` -> `*slug`,
  `(group)` dropped, `@slot` and `_private` folders are not routes).
- Pages Router: `pages/api/**` default-exports one handler; one route per `req.method` it
  branches on, else ANY.
- `middleware.ts` (`proxy.ts` in Next 16): what its body does and `config.matcher`.
- Server actions: exported async functions of a `'use server'` module, and functions whose body
  starts with `'use server'`: each is a public POST endpoint.

The path helpers (`app_route_path`, `pages_api_path`, `matcher_covers`) are pure; the linker
decides which files lie in a Next project (next.config.* or imports of `next`).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from tree_sitter import Node

from mcp_backend.review.facts import (
    BodySummary,
    FullstackFacts,
    NextHandler,
    NextMiddleware,
    ServerAction,
)
from mcp_backend.review.javascript.astutil import unwrap
from mcp_backend.review.javascript.context import FUNCTION_TYPES, JsFileContext
from mcp_backend.review.javascript.frameworks import (
    caller,
    medusa,
    next_middleware,
    packages,
    trpc,
)
from mcp_backend.review.javascript.frameworks.facts import MAX_CLASSIFIED_BODY

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
MIDDLEWARE_STEMS = frozenset({"middleware", "proxy"})
ROUTE_EXTENSIONS = frozenset({".ts", ".js", ".mjs", ".tsx", ".jsx"})
_METHOD_BRANCH = re.compile(
    r"\b(?:req|request)\.method\s*(===?|!==?)\s*['\"](GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)['\"]"
    r"|\bcase\s+['\"](GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)['\"]\s*:"
)
# Packages whose importers may hold Next handlers, auth helpers or tRPC code.
_FULLSTACK_SOURCES = (
    "next/",
    "next-auth",
    "@trpc/",
    "@clerk/",
    "@auth0/",
    "@kinde-oss/",
    "iron-session",
    "@workos-inc/",
    "better-auth",
    "@supabase/",
    "lucia",
)
# Frameworks with file-based routes outside Next.js (packages.FILE_ROUTE_FRAMEWORKS).
_FILE_ROUTE_SOURCES = ("@medusajs/",)
# A module importing only project modules is read when it may hold a helper or a router.
_PROJECT_HINTS = (
    b"session",
    b"ctx.user",
    b"getUser",
    b"currentUser",
    b"TRPC",
    b"Procedure",
    b".procedure",
    b".mutation(",
    b".subscription(",
)


def _segment(folder: str) -> str | None:
    """'' for a folder that adds nothing to the URL, None for one that is not part of routing."""
    if folder.startswith("(") and folder.endswith(")"):
        return ""
    if folder.startswith(("@", "_")):
        return None
    if folder.startswith("[[...") and folder.endswith("]]"):
        return "*" + folder[5:-2]
    if folder.startswith("[...") and folder.endswith("]"):
        return "*" + folder[4:-1]
    if folder.startswith("[") and folder.endswith("]"):
        return ":" + folder[1:-1]
    return folder


def _join(folders: list[str]) -> str | None:
    parts: list[str] = []
    for folder in folders:
        segment = _segment(folder)
        if segment is None:
            return None
        if segment:
            parts.append(segment)
    return "/" + "/".join(parts)


def app_route_path(rel: str) -> str | None:
    """`app/users/[id]/route.ts` -> '/users/:id'; `rel` is relative to the Next project."""
    parts = rel.split("/")
    stem, ext = posixpath.splitext(parts[-1])
    if stem != "route" or ext not in ROUTE_EXTENSIONS:
        return None
    if parts[:1] == ["app"]:
        return _join(parts[1:-1])
    if parts[:2] == ["src", "app"]:
        return _join(parts[2:-1])
    return None


def pages_api_path(rel: str) -> str | None:
    """`pages/api/users/[id].ts` -> '/api/users/:id'; `pages/api/index.ts` -> '/api'."""
    parts = rel.split("/")
    if parts[:1] == ["src"]:
        parts = parts[1:]
    if parts[:2] != ["pages", "api"]:
        return None
    stem, ext = posixpath.splitext(parts[-1])
    if ext not in ROUTE_EXTENSIONS or stem.startswith("_"):
        return None
    folders = parts[1:-1] + ([] if stem == "index" else [stem])
    return _join(folders)


def is_middleware_file(rel: str) -> bool:
    parts = rel.split("/")
    stem, ext = posixpath.splitext(parts[-1])
    return stem in MIDDLEWARE_STEMS and ext in ROUTE_EXTENSIONS and parts[:-1] in ([], ["src"])


def _matcher_regex(pattern: str) -> re.Pattern[str] | None:
    """A `config.matcher` entry (path-to-regexp with custom groups) as a regex."""
    regex = pattern
    regex = re.sub(r"/:(\w+)\*", r"(?:/.*)?", regex)
    regex = re.sub(r"/:(\w+)\+", r"/.+", regex)
    regex = re.sub(r"/:(\w+)\?", r"(?:/[^/]+)?", regex)
    regex = re.sub(r"/:(\w+)(?![\w(])", r"/[^/]+", regex)
    try:
        return re.compile(regex)
    except re.error:
        return None


def matcher_covers(matchers: list[str] | None, path: str) -> bool | None:
    """Whether middleware with these matchers runs for `path`; None when a matcher cannot be
    read (then coverage is unknown)."""
    if matchers is None:
        return True
    unreadable = False
    for pattern in matchers:
        regex = _matcher_regex(pattern)
        if regex is None:
            unreadable = True
        elif regex.fullmatch(path) or regex.fullmatch(path.rstrip("/") or "/"):
            return True
    return None if unreadable else False


# ---- per-file extraction ----------------------------------------------------------------


def _directive(ctx: JsFileContext, block: Node | None) -> str:
    """The directive prologue of a module or function body: 'use server', 'use client'."""
    if block is None:
        return ""
    for statement in block.named_children:
        if statement.type == "comment":
            continue
        if statement.type == "expression_statement" and statement.named_children:
            value = statement.named_children[0]
            if value.type == "string":
                return ctx.text(value).strip("'\"`")
        return ""
    return ""


def _string_list(ctx: JsFileContext, node: Node | None) -> list[str] | None:
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        return [ctx.text(node).strip("'\"`")]
    if node.type == "array":
        found: list[str] = []
        for child in node.named_children:
            element = unwrap(child)
            if element is None:
                continue
            if element.type == "string":
                found.append(ctx.text(element).strip("'\"`"))
            elif element.type == "object":
                source = _pair(ctx, element, "source")
                if source is not None and source.type == "string":
                    found.append(ctx.text(source).strip("'\"`"))
            else:
                return None
        return found
    return None


def _pair(ctx: JsFileContext, obj: Node, key: str) -> Node | None:
    for child in obj.named_children:
        if child.type == "pair":
            name = ctx.text(child.child_by_field_name("key")).strip("'\"")
            if name == key:
                return child.child_by_field_name("value")
    return None


class _Extractor:
    def __init__(self, ctx: JsFileContext, imports: dict[str, dict[str, str]]) -> None:
        self.ctx = ctx
        self.imports = imports
        self.out = FullstackFacts()
        self.top: dict[str, Node] = {}

    def run(self) -> FullstackFacts:
        ctx = self.ctx
        out = self.out
        out.next_imports = any(
            e["source"] == "next" or e["source"].startswith("next/") for e in self.imports.values()
        )
        stem = posixpath.splitext(posixpath.basename(ctx.file))[0]
        out.next_config = stem == "next.config"
        directive = _directive(ctx, ctx.root)
        out.client = directive == "use client"
        if out.client:
            return out
        self._top_level()
        for name, node in self.top.items():
            out.functions[name] = caller.summarize(ctx, node)
        if directive == "use server":
            self._module_actions()
        elif ctx.has(b"use server"):
            self._inline_actions()
        self._exports()
        if ctx.has(b"exports.") and stem == "route":
            declared = {h.method for h in out.route_handlers}
            for method, local, line in medusa.cjs_method_exports(ctx):
                if method not in declared:
                    self._method(method, local, line, self.top.get(local))
        if stem in {"route", "middlewares"} or any(
            entry["source"].startswith(_FILE_ROUTE_SOURCES) for entry in self.imports.values()
        ):
            medusa.extract(ctx, out)
        if ctx.has(b"authorized"):
            self._auth_configs()
        if stem in MIDDLEWARE_STEMS:
            self._middleware()
        if ctx.has(b"trpc", b"TRPC", b".procedure", b"Router()"):
            trpc.extract(ctx, self.imports, out)
        return out

    def _top_level(self) -> None:
        ctx = self.ctx
        for statement in ctx.root.named_children:
            node = statement
            if node.type == "export_statement":
                node = node.child_by_field_name("declaration") or node
            if node.type in {"function_declaration", "generator_function_declaration"}:
                name = node.child_by_field_name("name")
                if name is not None:
                    self.top[ctx.text(name)] = node
            elif node.type in {"lexical_declaration", "variable_declaration"}:
                for declarator in node.named_children:
                    name = declarator.child_by_field_name("name")
                    value = unwrap(declarator.child_by_field_name("value"))
                    if name is None or value is None:
                        continue
                    if name.type == "identifier" and value.type in FUNCTION_TYPES:
                        self.top[ctx.text(name)] = value
                    elif name.type == "object_pattern" and value.type == "call_expression":
                        self._identity_factory(name, value)

    def _identity_factory(self, pattern: Node, call: Node) -> None:
        """`export const { auth, handlers } = NextAuth(config)`: readers of the caller."""
        ctx = self.ctx
        callee = ctx.text(call.child_by_field_name("function"))
        imported = self.imports.get(callee)
        if imported is None:
            return
        table = packages.IDENTITY_FACTORIES.get((imported["source"], imported["name"]))
        if table is None:
            return
        for name in ctx.bound_names(pattern):
            if name in table and name not in self.out.identity_exports:
                self.out.identity_exports.append(name)
        arguments = call.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        self.out.identity_config = next_middleware.auth_config(ctx, first)

    def _auth_configs(self) -> None:
        """Top-level config objects with `callbacks: { authorized }` (next-auth v5's
        `authConfig`), which the NextAuth call may spread from another module."""
        ctx = self.ctx
        for name, value in next_middleware.top_level_declarations(ctx):
            if value.type != "object":
                continue
            if next_middleware.authorized_callback(ctx, value) is not None:
                self.out.auth_configs[ctx.text(name)] = next_middleware.auth_config(ctx, value)

    def _module_actions(self) -> None:
        """Every exported async function of a 'use server' module is an action."""
        ctx = self.ctx
        for statement in ctx.root.named_children:
            if statement.type != "export_statement":
                continue
            declaration = statement.child_by_field_name("declaration")
            if declaration is None:
                continue
            if declaration.type == "function_declaration":
                name = ctx.text(declaration.child_by_field_name("name"))
                self._action(name, declaration)
            elif declaration.type in {"lexical_declaration", "variable_declaration"}:
                for declarator in declaration.named_children:
                    value = unwrap(declarator.child_by_field_name("value"))
                    name_node = declarator.child_by_field_name("name")
                    if value is not None and name_node is not None and value.type in FUNCTION_TYPES:
                        self._action(ctx.text(name_node), value)

    def _action(self, name: str, function: Node) -> None:
        ctx = self.ctx
        text = ctx.text(function)
        if not text.lstrip().startswith("async") and "Promise" not in text[:200]:
            return  # server actions are async functions
        body = caller.summarize(ctx, function)
        if ctx.param_names(function):
            body.reads_request = True  # its arguments come from the client
        self.out.actions.append(ServerAction(name=name, line=body.line, body=body))

    def _inline_actions(self) -> None:
        ctx = self.ctx
        for function in ctx.functions:
            body = function.child_by_field_name("body")
            if body is None or body.type != "statement_block":
                continue
            if _directive(ctx, body) != "use server":
                continue
            name_node = function.child_by_field_name("name")
            if name_node is None and function.parent is not None:
                name_node = function.parent.child_by_field_name("name")
            name = ctx.text(name_node) if name_node is not None else ""
            self._action(name or f"action@{function.start_point[0] + 1}", function)

    def _exports(self) -> None:
        """HTTP method exports (App Router) and the default export (Pages Router)."""
        ctx = self.ctx
        for statement in ctx.root.named_children:
            if statement.type != "export_statement":
                continue
            declaration = statement.child_by_field_name("declaration")
            line = statement.start_point[0] + 1
            is_default = any(child.type == "default" for child in statement.children)
            if declaration is None:
                value = statement.child_by_field_name("value")
                if is_default and value is not None:
                    self._default_export(unwrap(value), line)
                    continue
                for clause in statement.named_children:
                    if clause.type != "export_clause":
                        continue
                    for spec in clause.named_children:
                        name = ctx.text(spec.child_by_field_name("name"))
                        alias_node = spec.child_by_field_name("alias")
                        alias = ctx.text(alias_node) if alias_node is not None else name
                        if alias in HTTP_METHODS:
                            self._method(alias, name, line, self.top.get(name))
                        elif alias == "default":
                            self._default_export(None, line, name)
                        elif alias in {"middleware", "proxy"}:
                            self.out.middleware = self.out.middleware or NextMiddleware(line=line)
                            # `export { auth as middleware } from './auth'`: the import is
                            # recorded under the exported name.
                            self.out.middleware.wrapper = alias if alias in self.imports else name
                            self.out.middleware.wrapper_line = line
                continue
            if declaration.type == "function_declaration":
                name = ctx.text(declaration.child_by_field_name("name"))
                if is_default:
                    self._default_export(declaration, line, name)
                elif name in HTTP_METHODS:
                    self._method(name, name, line, declaration)
            elif declaration.type in {"lexical_declaration", "variable_declaration"}:
                for declarator in declaration.named_children:
                    name_node = declarator.child_by_field_name("name")
                    value = unwrap(declarator.child_by_field_name("value"))
                    if name_node is None:
                        continue
                    if name_node.type == "object_pattern" and value is not None:
                        for name in ctx.bound_names(name_node):
                            if name in HTTP_METHODS:
                                self.out.route_handlers.append(
                                    NextHandler(
                                        method=name, name=name, line=line, alias_of=ctx.text(value)
                                    )
                                )
                        continue
                    name = ctx.text(name_node)
                    if name in HTTP_METHODS and value is not None:
                        self._method(name, name, declarator.start_point[0] + 1, value)
                    elif (
                        name in MIDDLEWARE_STEMS
                        and value is not None
                        and value.type == "call_expression"
                        and posixpath.splitext(posixpath.basename(ctx.file))[0] in MIDDLEWARE_STEMS
                    ):
                        self._middleware_wrapper(value, line)

    def _method(self, method: str, name: str, line: int, value: Node | None) -> None:
        ctx = self.ctx
        if value is None:
            self.out.route_handlers.append(
                NextHandler(method=method, name=name, line=line, alias_of=name)
            )
            return
        if value.type == "identifier":
            self.out.route_handlers.append(
                NextHandler(method=method, name=name, line=line, alias_of=ctx.text(value))
            )
            return
        # A function, or a wrapper call around one (`withAuth(async (req) => ...)`,
        # `withAuth(handler)`): the call and the function it wraps.
        body = caller.summarize(ctx, value)
        inner = self._wrapped(value)
        if inner is not None and inner is not value:
            body = merge_bodies(body, caller.summarize(ctx, inner))
        self.out.route_handlers.append(NextHandler(method=method, name=name, line=line, body=body))

    def _wrappers(self, call: Node) -> list[str]:
        """The callees of a wrapper chain: `withA(withB(handler))` -> ['withA', 'withB']."""
        names: list[str] = []
        stack = [call]
        while stack and len(names) < 8:
            node = unwrap(stack.pop())
            if node is None or node.type != "call_expression":
                continue
            names.append("".join(self.ctx.text(node.child_by_field_name("function")).split()))
            arguments = node.child_by_field_name("arguments")
            stack.extend(arguments.named_children if arguments is not None else [])
        return names

    def _wrapped(self, value: Node, depth: int = 0) -> Node | None:
        """The handler function a wrapper call wraps: `withA(withB(handler))` -> handler's
        definition in this module; the value itself when it is a function."""
        value = unwrap(value) or value
        if value.type in FUNCTION_TYPES:
            return value
        if value.type == "identifier":
            return self.top.get(self.ctx.text(value))
        if value.type != "call_expression" or depth > 4:
            return None
        arguments = value.child_by_field_name("arguments")
        for argument in arguments.named_children if arguments is not None else []:
            found = self._wrapped(argument, depth + 1)
            if found is not None:
                return found
        return None

    def _default_export(self, value: Node | None, line: int, name: str = "") -> None:
        ctx = self.ctx
        if value is not None and value.type == "identifier":
            name = ctx.text(value)
            value = None
        if value is None:
            value = self.top.get(name)
        if value is None:
            handler = NextHandler(method="ANY", name=name or "default", line=line, alias_of=name)
        else:
            body = caller.summarize(ctx, value)
            inner = self._wrapped(value) if value.type == "call_expression" else None
            if inner is not None:
                # `export default withSession(handler)`: the wrapper call (its callee is
                # judged by what it does) and the handler it wraps, with its method branches.
                body = merge_bodies(body, caller.summarize(ctx, inner))
                wrapper_calls = BodySummary(calls=self._wrappers(value), line=body.line)
                self.out.pages_methods = {
                    method: merge_bodies(wrapper_calls, branch)
                    for method, branch in self._method_bodies(inner).items()
                }
            else:
                self.out.pages_methods = self._method_bodies(value)
            handler = NextHandler(
                method="ANY", name=name or "default", line=value.start_point[0] + 1, body=body
            )
        self.out.pages_handler = handler
        stem = posixpath.splitext(posixpath.basename(ctx.file))[0]
        if stem in MIDDLEWARE_STEMS and value is not None and value.type == "call_expression":
            self._middleware_wrapper(value, line)
            if self.out.middleware is not None:
                self.out.middleware.body = handler.body
        elif stem in MIDDLEWARE_STEMS and value is not None and value.type == "member_expression":
            self._factory_middleware(value, line)
        elif stem in MIDDLEWARE_STEMS and value is None and name and name in self.imports:
            # `export { default } from "next-auth/middleware"`, `export default auth`.
            self.out.middleware = self.out.middleware or NextMiddleware(line=line)
            self.out.middleware.wrapper = name
            self.out.middleware.wrapper_line = line

    def _factory_middleware(self, member: Node, line: int) -> None:
        """`export default NextAuth(authConfig).auth`: the auth library's middleware."""
        ctx = self.ctx
        call = unwrap(member.child_by_field_name("object"))
        if call is None or call.type != "call_expression":
            return
        imported = self.imports.get(ctx.text(call.child_by_field_name("function")))
        if imported is None:
            return
        table = packages.IDENTITY_MIDDLEWARE.get((imported["source"], imported["name"]), {})
        if table.get(ctx.text(member.child_by_field_name("property"))) != "config":
            return
        arguments = call.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        self.out.identity_config = next_middleware.auth_config(ctx, first)
        middleware = self.out.middleware = self.out.middleware or NextMiddleware(line=line)
        middleware.wrapper = ctx.text(member)
        middleware.wrapper_line = line
        middleware.made_here = True

    def _middleware_wrapper(self, call: Node, line: int) -> None:
        """`export default clerkMiddleware(async (auth, req) => ...)`, `withAuth(fn, opts)`,
        `auth((req) => ...)`: the wrapper, its callback and its `authorized` option, evaluated."""
        ctx = self.ctx
        middleware = self.out.middleware = self.out.middleware or NextMiddleware(line=line)
        middleware.wrapper = "".join(ctx.text(call.child_by_field_name("function")).split())
        middleware.wrapper_line = line
        middleware.body = caller.summarize(ctx, call)
        matchers = next_middleware.route_matchers(
            ctx, self.imports, packages.ROUTE_MATCHER_FACTORIES
        )
        arguments = call.child_by_field_name("arguments")
        for raw in arguments.named_children if arguments is not None else []:
            argument = unwrap(raw)
            if argument is None:
                continue
            if argument.type in FUNCTION_TYPES and middleware.callback is None:
                middleware.callback = next_middleware.decide(ctx, argument, matchers)
            elif argument.type == "identifier" and middleware.callback is None:
                function = self.top.get(ctx.text(argument))
                if function is not None:
                    middleware.callback = next_middleware.decide(ctx, function, matchers)
                else:
                    middleware.callback = next_middleware.CallbackDecision(
                        unknown=f"the callback {ctx.text(argument)}, which we cannot read"
                    )
            elif argument.type == "object":
                callback = next_middleware.authorized_callback(ctx, argument)
                if callback is not None:
                    middleware.authorized = next_middleware.decide(
                        ctx, callback, matchers, authorized=True
                    )

    def _method_bodies(self, function: Node) -> dict[str, BodySummary]:
        """`if (req.method === 'POST') {...}` / `switch (req.method) { case 'GET': ... }`: per
        method, the handler's text without the branches of the other methods."""
        ctx = self.ctx
        text = ctx.text(function)
        if len(text) > MAX_CLASSIFIED_BODY or not _METHOD_BRANCH.search(text):
            return {}
        spans: dict[str, list[tuple[int, int]]] = {}
        seen: list[str] = []
        stack = [function]
        while stack:
            node = stack.pop()
            stack.extend(node.named_children)
            branch: Node | None = None
            methods: list[str] = []
            if node.type == "if_statement":
                condition = ctx.text(node.child_by_field_name("condition"))
                found = [m for m in _METHOD_BRANCH.finditer(condition) if m.group(2)]
                if found and all(m.group(1) in {"==", "==="} for m in found):
                    methods = [m.group(2) for m in found]
                    branch = node.child_by_field_name("consequence")
                seen.extend(m.group(2) for m in found)
            elif node.type == "switch_case":
                value = node.child_by_field_name("value")
                parent = node.parent.parent if node.parent is not None else None
                subject = ctx.text(parent.child_by_field_name("value")) if parent else ""
                if value is not None and value.type == "string" and ".method" in subject:
                    methods = [ctx.text(value).strip("'\"`").upper()]
                    branch = node
            if branch is not None:
                for method in methods:
                    spans.setdefault(method, []).append(
                        (
                            branch.start_byte - function.start_byte,
                            branch.end_byte - function.start_byte,
                        )
                    )
        data = ctx.source[function.start_byte : function.end_byte]
        params = ctx.param_names(function)
        line = function.start_point[0] + 1
        bodies: dict[str, BodySummary] = {}
        for method in [*spans, *(m for m in seen if m not in spans)]:
            if method not in HTTP_METHODS or method in bodies:
                continue
            blanked = bytearray(data)
            for other, ranges in spans.items():
                if other != method:
                    for start, end in ranges:
                        blanked[start:end] = b" " * (end - start)
            bodies[method] = caller.summarize_text(blanked.decode("utf-8", "replace"), line, params)
        return bodies

    def _middleware(self) -> None:
        ctx = self.ctx
        middleware = self.out.middleware
        for name in ("middleware", "proxy"):
            function = self.top.get(name)
            if function is not None:
                middleware = middleware or NextMiddleware(line=function.start_point[0] + 1)
                middleware.line = function.start_point[0] + 1
                middleware.body = self.out.functions.get(name) or caller.summarize(ctx, function)
        if middleware is None:
            return
        for statement in ctx.root.named_children:
            if statement.type != "export_statement":
                continue
            declaration = statement.child_by_field_name("declaration")
            if declaration is None or declaration.type not in {
                "lexical_declaration",
                "variable_declaration",
            }:
                continue
            for declarator in declaration.named_children:
                if ctx.text(declarator.child_by_field_name("name")) != "config":
                    continue
                value = unwrap(declarator.child_by_field_name("value"))
                if value is not None and value.type == "object":
                    matcher = _pair(ctx, value, "matcher")
                    if matcher is not None:
                        found = _string_list(ctx, matcher)
                        # A matcher we cannot read covers an unknown set of paths.
                        middleware.matcher = found if found is not None else ["(unreadable"]
        self.out.middleware = middleware


def merge_bodies(outer: BodySummary, inner: BodySummary) -> BodySummary:
    """A wrapper call and the handler it wraps, read as one body."""
    merged = {
        key: bool(getattr(outer, key) or getattr(inner, key))
        for key, value in BodySummary.model_fields.items()
        if value.annotation is bool
    }
    merged["request_whole"] = (outer.request_whole or not outer.reads_request) and (
        inner.request_whole or not inner.reads_request
    )
    merged["request_whole"] = merged["request_whole"] and merged["reads_request"]
    calls = [*outer.calls, *(c for c in inner.calls if c not in outer.calls)]
    return BodySummary(line=outer.line, calls=calls[: caller.MAX_CALLS], **merged)


def worth_reading(ctx: JsFileContext, imports: dict[str, dict[str, str]]) -> bool:
    """Route, middleware, config and server action files always; others when they import Next,
    tRPC or an auth library, or import project modules and mention a session or procedure."""
    name = posixpath.basename(ctx.file)
    stem = name.split(".", 1)[0]
    if stem in MIDDLEWARE_STEMS or stem == "route" or name.startswith("next.config."):
        return True
    if "pages/api/" in ctx.file or ctx.has(b"use server"):
        return True
    if stem == "middlewares" and ctx.has(b"matcher", b"iddlewares"):
        return True
    if ctx.has(b"Router()") and ctx.has(b".query('", b'.query("', b".mutation('", b'.mutation("'):
        return True  # a tRPC v9 string-keyed router chain, whatever it imports
    sources = [entry["source"] for entry in imports.values()]
    if any(s.startswith(_FILE_ROUTE_SOURCES) for s in sources) and ctx.has(b"authenticate"):
        return True  # may re-export the framework's `authenticate`
    if any(s == "next" or s.startswith(_FULLSTACK_SOURCES) for s in sources):
        return True
    return any(not packages.is_package(s) for s in sources) and ctx.has(*_PROJECT_HINTS)


def extract(ctx: JsFileContext, imports: dict[str, dict[str, str]]) -> dict[str, Any] | None:
    """The file's Next.js / server action / tRPC facts, or None when it holds none."""
    if not worth_reading(ctx, imports):
        return None
    facts = _Extractor(ctx, imports).run()
    dumped = facts.model_dump(exclude_defaults=True)
    return dumped or None


def empty_body() -> BodySummary:
    return BodySummary()


# A test calling tRPC procedures through a server-side caller:
# `const caller = createCaller(ctx); await caller.user.delete({...})`.
_CALLER_MADE = re.compile(rb"\b([\w$]+)\s*=\s*(?:await\s+)?[\w$.]*[cC]reateCaller\w*\s*\(")


def test_procedure_calls(ctx: JsFileContext) -> list[str]:
    """Procedure paths a test file calls (`caller.user.delete(...)` -> 'user.delete')."""
    if not ctx.has(b"reateCaller", b"caller."):
        return []
    names = {match.group(1) for match in _CALLER_MADE.finditer(ctx.source)} | {b"caller"}
    pattern = re.compile(
        rb"\b(?:"
        + b"|".join(re.escape(name) for name in sorted(names))
        + rb")\s*\.\s*([\w$]+(?:\s*\.\s*[\w$]+)*)\s*\("
    )
    found = {
        b"".join(match.group(1).split()).decode("utf-8", "replace")
        for match in pattern.finditer(ctx.source)
    }
    return sorted(found)[:500]
