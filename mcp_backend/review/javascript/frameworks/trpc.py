"""tRPC (v10 and v11; v9's string-keyed router chains), per file: `initTRPC...create()`
instances, procedure builders (`t.procedure.use(isAuthed)`),
middleware (`t.middleware(fn)`), routers
(`t.router({...})`, `createTRPCRouter({...})`, nested and merged) and HTTP adapters that serve a
router (`fetchRequestHandler({ endpoint: '/api/trpc', router })`).

Nothing here judges a builder by its name: a chain records its base and its `.use(...)` items,
and the linker follows the base to where it is defined, across modules, and judges each
middleware by its body.
"""

from __future__ import annotations

import re
from typing import Literal

from tree_sitter import Node

from mcp_backend.review.facts import (
    BodySummary,
    FullstackFacts,
    TrpcChain,
    TrpcMount,
    TrpcProcedure,
    TrpcRouter,
    TrpcRouterEntry,
    TrpcUse,
)
from mcp_backend.review.javascript.astutil import unwrap
from mcp_backend.review.javascript.context import FUNCTION_TYPES, JsFileContext
from mcp_backend.review.javascript.frameworks import caller

PACKAGE = "@trpc/server"
# The last call of a procedure chain and the kind of procedure it makes.
PROCEDURE_TYPES: dict[str, Literal["QUERY", "MUTATION", "SUBSCRIPTION"]] = {
    "query": "QUERY",
    "mutation": "MUTATION",
    "subscription": "SUBSCRIPTION",
}
# Calls that may appear in a builder chain before the resolver.
BUILDER_LINKS = frozenset({"use", "input", "output", "meta", "concat", "unstable_concat"})
# Links of a tRPC v9 router chain.
_V9_LINKS = frozenset(
    {"query", "mutation", "subscription", "middleware", "merge", "formatError", "transformer",
     "flat", "interop"}
)  # fmt: skip
# Adapters that serve a router over HTTP, by exported name (@trpc/server/adapters/*).
ADAPTERS = frozenset(
    {
        "fetchRequestHandler",
        "createNextApiHandler",
        "createExpressMiddleware",
        "createHTTPServer",
        "createHTTPHandler",
        "fastifyTRPCPlugin",
        "trpcServer",
        "createAPIGatewayHandler",
    }
)
_ROUTER_ARG = re.compile(r"\brouter\s*:\s*([\w$.]+)|[{,]\s*(router)\s*[,}]")
_ENDPOINT = re.compile(r"\b(?:endpoint|prefix)\s*:\s*['\"`]([^'\"`]+)['\"`]")


class _Trpc:
    def __init__(self, ctx: JsFileContext, imports: dict[str, dict[str, str]], out: FullstackFacts):
        self.ctx = ctx
        self.imports = imports
        self.out = out

    def run(self) -> None:
        ctx = self.ctx
        declarations: list[tuple[str, Node, int]] = []
        for statement in ctx.root.named_children:
            node: Node | None = statement
            if statement.type == "export_statement":
                node = statement.child_by_field_name("declaration") or unwrap(
                    statement.child_by_field_name("value")
                )
                if node is None:
                    continue
                if node.type == "call_expression":
                    declarations.append(("default", node, node.start_point[0] + 1))
                    continue
            if node is not None and node.type == "expression_statement":
                declarations.extend(self._commonjs_exports(node))
                continue
            if node is None or node.type not in {"lexical_declaration", "variable_declaration"}:
                continue
            for declarator in node.named_children:
                name_node = declarator.child_by_field_name("name")
                value = unwrap(declarator.child_by_field_name("value"))
                if name_node is not None and name_node.type == "identifier" and value is not None:
                    declarations.append((ctx.text(name_node), value, declarator.start_point[0] + 1))
        for name, value, _ in declarations:
            if "initTRPC" in ctx.text(value)[:200] and value.type == "call_expression":
                self.out.trpc_inits.append(name)
        for name, value, line in declarations:
            if value.type == "call_expression" and self._v9_router(name, value, line):
                continue
            self._declaration(name, value, line)
        if ctx.has(b"router"):
            self._v9_factories()
        for call in ctx.calls_named(ADAPTERS):
            self._mount(call.node, call.name or "")

    def _commonjs_exports(self, statement: Node) -> list[tuple[str, Node, int]]:
        """`module.exports = { userRouter: router({...}) }`, `exports.userRouter = ...`,
        `module.exports = router({...})`: what CommonJS exports, by exported name."""
        ctx = self.ctx
        expression = statement.named_children[0] if statement.named_children else None
        if expression is None or expression.type != "assignment_expression":
            return []
        left = "".join(ctx.text(expression.child_by_field_name("left")).split())
        value = unwrap(expression.child_by_field_name("right"))
        if value is None:
            return []
        line = statement.start_point[0] + 1
        for prefix in ("module.exports.", "exports."):
            if left.startswith(prefix) and "." not in left[len(prefix) :]:
                return [(left[len(prefix) :], value, line)]
        if left != "module.exports":
            return []
        if value.type != "object":
            return [("default", value, line)]
        found: list[tuple[str, Node, int]] = []
        for child in value.named_children:
            if child.type == "pair":
                key = ctx.text(child.child_by_field_name("key")).strip("'\"")
                inner = unwrap(child.child_by_field_name("value"))
                if inner is not None and inner.type in {"call_expression", "member_expression"}:
                    found.append((key, inner, child.start_point[0] + 1))
        return found

    # ---- tRPC v9: string-keyed router chains ------------------------------------------------

    def _v9_links(self, node: Node) -> tuple[Node, list[tuple[str, list[Node], int]]] | None:
        """`createRouter().middleware(mw).query('name', {...}).merge('p.', sub)`: the base
        call and the links in order; None when it is not such a chain."""
        ctx = self.ctx
        links: list[tuple[str, list[Node], int]] = []
        current: Node | None = unwrap(node)
        while current is not None and current.type == "call_expression":
            function = current.child_by_field_name("function")
            if function is None or function.type != "member_expression":
                break
            prop = ctx.text(function.child_by_field_name("property"))
            if prop not in _V9_LINKS:
                return None
            links.append((prop, self._args(current), current.start_point[0] + 1))
            current = unwrap(function.child_by_field_name("object"))
        if current is None or current.type != "call_expression":
            return None
        links.reverse()
        return current, links

    def _v9_router(self, name: str, value: Node, line: int, factory: bool = False) -> bool:
        """Record a v9 router chain bound to `name`; False when `value` is not one."""
        ctx = self.ctx
        found = self._v9_links(value)
        if found is None:
            return False
        base_call, links = found
        named = any(
            kind in PROCEDURE_TYPES and args and args[0].type == "string" for kind, args, _ in links
        )
        base = "".join(ctx.text(base_call.child_by_field_name("function")).split())
        base = base.split("<", 1)[0]
        if not named and not factory and not any(kind == "merge" for kind, _, _ in links):
            return False
        if not named and base.rsplit(".", 1)[-1] != "router" and not links:
            return False
        router = TrpcRouter(name=name, line=line, base=base)
        uses: list[TrpcUse] = []
        for kind, args, link_line in links:
            first = args[0] if args else None
            if kind == "middleware" and first is not None:
                if first.type in FUNCTION_TYPES:
                    uses.append(TrpcUse(body=caller.summarize(ctx, first), line=link_line))
                else:
                    uses.append(TrpcUse(ref="".join(ctx.text(first).split()), line=link_line))
            elif kind in PROCEDURE_TYPES and first is not None and first.type == "string":
                key = ctx.text(first).strip("'\"`")
                options = args[1] if len(args) > 1 else None
                chain = TrpcChain(base="router", base_is_root=True, uses=list(uses),
                                  line=link_line)  # fmt: skip
                body = BodySummary(line=link_line)
                if options is not None and options.type == "object":
                    for child in options.named_children:
                        if child.type == "pair":
                            prop = ctx.text(child.child_by_field_name("key"))
                            target = unwrap(child.child_by_field_name("value"))
                            if prop == "input" and target is not None:
                                chain.input = ctx.text(target)[:80]
                            elif prop == "resolve" and target is not None:
                                body = caller.summarize(ctx, target)
                        elif child.type == "method_definition" and (
                            ctx.text(child.child_by_field_name("name")) == "resolve"
                        ):
                            body = caller.summarize(ctx, child)
                procedure = TrpcProcedure(
                    key=key, type=PROCEDURE_TYPES[kind], line=link_line, chain=chain, body=body
                )
                router.entries.append(TrpcRouterEntry(key=key, procedure=procedure))
            elif kind == "merge" and first is not None:
                child_node = args[1] if len(args) > 1 else first
                prefix = ctx.text(first).strip("'\"`") if len(args) > 1 else ""
                ref = "".join(ctx.text(child_node).split())
                if child_node.type == "call_expression":
                    inner = f"{name}#{link_line}"
                    if not self._v9_router(inner, child_node, link_line):
                        continue
                    ref = inner
                if prefix:
                    router.entries.append(
                        TrpcRouterEntry(key=prefix, ref=ref, raw_prefix=True, uses=list(uses))
                    )
                else:
                    router.entries.append(
                        TrpcRouterEntry(key="", ref=ref, raw_prefix=True, uses=list(uses))
                    )
        router.uses = uses
        self.out.trpc_routers.append(router)
        return True

    def _v9_factories(self) -> None:
        """`export function createRouter() { return trpc.router<Context>(); }` and
        `export const createProtectedRouter = () => createRouter().middleware(...)`: router
        factories a v9 chain may start from."""
        ctx = self.ctx
        for statement in ctx.root.named_children:
            node: Node | None = statement
            if statement.type == "export_statement":
                node = statement.child_by_field_name("declaration")
            if node is None:
                continue
            functions: list[tuple[str, Node]] = []
            if node.type == "function_declaration":
                name_node = node.child_by_field_name("name")
                if name_node is not None:
                    functions.append((ctx.text(name_node), node))
            elif node.type in {"lexical_declaration", "variable_declaration"}:
                for declarator in node.named_children:
                    name_node = declarator.child_by_field_name("name")
                    value = unwrap(declarator.child_by_field_name("value"))
                    if name_node is not None and value is not None and value.type in FUNCTION_TYPES:
                        functions.append((ctx.text(name_node), value))
            for name, function in functions:
                body = function.child_by_field_name("body")
                returned: Node | None = body
                if body is not None and body.type == "statement_block":
                    statements = [c for c in body.named_children if c.type != "comment"]
                    last = statements[-1] if statements else None
                    returned = (
                        unwrap(last.named_children[0])
                        if last is not None
                        and last.type == "return_statement"
                        and last.named_children
                        else None
                    )
                if returned is not None and returned.type == "call_expression":
                    callee = "".join(ctx.text(returned.child_by_field_name("function")).split())
                    if (
                        callee.split("<", 1)[0].rsplit(".", 1)[-1] == "router"
                        and not (self._v9_links(returned) or (None, []))[1]
                    ):
                        self.out.trpc_routers.append(
                            TrpcRouter(name=name, line=function.start_point[0] + 1,
                                       base=callee.split("<", 1)[0])
                        )  # fmt: skip
                    else:
                        self._v9_router(name, returned, function.start_point[0] + 1, True)

    def _is_router_callee(self, callee: str) -> bool:
        last = callee.rsplit(".", 1)[-1]
        return (
            last in {"router", "createTRPCRouter", "createRouter", "mergeRouters"}
            or callee in self.out.trpc_router_aliases
            or (callee in self.imports and "router" in callee.lower())
        )

    def _declaration(self, name: str, value: Node, line: int) -> None:
        ctx = self.ctx
        text = "".join(ctx.text(value).split()) if value.type == "member_expression" else ""
        if text:
            head, _, prop = text.rpartition(".")
            if head in self.out.trpc_inits and prop in {"router", "mergeRouters", "createRouter"}:
                self.out.trpc_router_aliases.append(name)
                return
            if prop == "procedure":
                self.out.trpc_builders[name] = TrpcChain(
                    base=text, base_is_root=head in self.out.trpc_inits, line=line
                )
                return
        if value.type != "call_expression":
            return
        callee_node = value.child_by_field_name("function")
        callee = "".join(ctx.text(callee_node).split())
        args = self._args(value)
        last = callee.rsplit(".", 1)[-1]
        standalone = last == "create" and "Middleware" in callee  # experimental_standalone...
        if (
            (last in {"middleware", "createMiddleware"} or standalone)
            and args
            and args[0].type in FUNCTION_TYPES
        ):
            self.out.trpc_middlewares[name] = caller.summarize(ctx, args[0])
            return
        if last == "mergeRouters" or (
            self._is_router_callee(callee) and args and args[0].type == "object"
        ):
            self._router(name, value, line)
            return
        chain = self._chain(value)
        if chain is not None and chain[1] is None:
            self.out.trpc_builders[name] = chain[0]

    @staticmethod
    def _args(call: Node) -> list[Node]:
        args = call.child_by_field_name("arguments")
        if args is None:
            return []
        return [node for node in (unwrap(a) for a in args.named_children) if node is not None]

    def _chain(self, node: Node) -> tuple[TrpcChain, TrpcProcedure | None] | None:
        """A builder chain, and the procedure when it ends in .query/.mutation/.subscription."""
        ctx = self.ctx
        links: list[tuple[str, list[Node], int]] = []
        current: Node | None = unwrap(node)
        while current is not None and current.type == "call_expression":
            function = current.child_by_field_name("function")
            if function is None or function.type != "member_expression":
                return None
            prop = ctx.text(function.child_by_field_name("property"))
            links.append((prop, self._args(current), current.start_point[0] + 1))
            current = unwrap(function.child_by_field_name("object"))
        if current is None or current.type not in {"identifier", "member_expression"}:
            return None
        links.reverse()
        kind = PROCEDURE_TYPES.get(links[-1][0]) if links else None
        builder_links = links[:-1] if kind else links
        if any(link[0] not in BUILDER_LINKS for link in builder_links):
            return None
        base = "".join(ctx.text(current).split())
        head, _, prop = base.rpartition(".")
        if "." in base and prop != "procedure":
            return None
        if not builder_links and not kind and prop != "procedure":
            return None
        chain = TrpcChain(
            base=base,
            base_is_root=prop == "procedure" and head in self.out.trpc_inits,
            line=node.start_point[0] + 1,
        )
        for method, args, line in builder_links:
            first = args[0] if args else None
            if method == "input" and first is not None:
                chain.input = ctx.text(first)[:80]
            elif method in {"use", "concat", "unstable_concat"} and first is not None:
                # `.concat(otherProcedure)` (v11) adds another builder's middleware: resolved
                # like a `.use(...)` name, to a builder or a middleware.
                if first.type in FUNCTION_TYPES:
                    chain.uses.append(TrpcUse(body=caller.summarize(ctx, first), line=line))
                elif first.type == "call_expression":
                    callee = "".join(ctx.text(first.child_by_field_name("function")).split())
                    chain.uses.append(TrpcUse(ref=callee, line=line))
                else:
                    chain.uses.append(TrpcUse(ref="".join(ctx.text(first).split()), line=line))
        if not kind:
            return chain, None
        resolver = links[-1][1][0] if links[-1][1] else None
        body = caller.summarize(ctx, resolver) if resolver is not None else BodySummary()
        procedure = TrpcProcedure(
            key="",
            type=kind,
            line=node.start_point[0] + 1,
            chain=chain,
            body=body,
        )
        return chain, procedure

    def _router(self, name: str, call: Node, line: int) -> None:
        ctx = self.ctx
        router = TrpcRouter(name=name, line=line)
        self.out.trpc_routers.append(router)
        args = self._args(call)
        callee = "".join(ctx.text(call.child_by_field_name("function")).split())
        if callee.rsplit(".", 1)[-1] == "mergeRouters":
            for index, arg in enumerate(args):
                if arg.type in {"identifier", "member_expression"}:
                    router.merges.append("".join(ctx.text(arg).split()))
                elif arg.type == "call_expression":  # mergeRouters(a, t.router({...}))
                    inner = f"{name}#{index}"
                    inner_callee = "".join(ctx.text(arg.child_by_field_name("function")).split())
                    inner_args = self._args(arg)
                    if self._is_router_callee(inner_callee) and inner_args:
                        self._router(inner, arg, arg.start_point[0] + 1)
                        router.merges.append(inner)
            return
        self._entries(router, args[0])

    def _entries(self, router: TrpcRouter, obj: Node) -> None:
        ctx = self.ctx
        for child in obj.named_children:
            if child.type == "shorthand_property_identifier":
                key = ctx.text(child)
                router.entries.append(TrpcRouterEntry(key=key, ref=key))
                continue
            if child.type != "pair":
                continue
            key = ctx.text(child.child_by_field_name("key")).strip("'\"")
            value = unwrap(child.child_by_field_name("value"))
            if value is None:
                continue
            if value.type in {"identifier", "member_expression"}:
                router.entries.append(
                    TrpcRouterEntry(key=key, ref="".join(ctx.text(value).split()))
                )
                continue
            if value.type == "object":  # v11: a plain object nests procedures
                inner = f"{router.name}.{key}"
                nested = TrpcRouter(name=inner, line=value.start_point[0] + 1)
                self.out.trpc_routers.append(nested)
                self._entries(nested, value)
                router.entries.append(TrpcRouterEntry(key=key, inline=inner))
                continue
            if value.type != "call_expression":
                continue
            callee = "".join(ctx.text(value.child_by_field_name("function")).split())
            args = self._args(value)
            if self._is_router_callee(callee) and args and args[0].type == "object":
                inner = f"{router.name}.{key}"
                self._router(inner, value, value.start_point[0] + 1)
                router.entries.append(TrpcRouterEntry(key=key, inline=inner))
                continue
            chain = self._chain(value)
            if chain is not None and chain[1] is not None:
                procedure = chain[1]
                procedure.key = key
                procedure.line = child.start_point[0] + 1
                router.entries.append(TrpcRouterEntry(key=key, procedure=procedure))

    def _mount(self, node: Node, name: str) -> None:
        ctx = self.ctx
        text = ctx.text(node)
        found = _ROUTER_ARG.search(text)
        if found is None:
            return
        router = found.group(1) or found.group(2)
        endpoint = _ENDPOINT.search(text)
        prefix = endpoint.group(1) if endpoint else ""
        parent = node.parent
        if not prefix and parent is not None and parent.type == "arguments":
            # app.use('/trpc', createExpressMiddleware({ router }))
            first = parent.named_children[0] if parent.named_children else None
            if first is not None and first.type == "string":
                prefix = ctx.text(first).strip("'\"`").rstrip("*").rstrip("/")
        self.out.trpc_mounts.append(
            TrpcMount(router=router, prefix=prefix, line=node.start_point[0] + 1)
        )


def extract(ctx: JsFileContext, imports: dict[str, dict[str, str]], out: FullstackFacts) -> None:
    _Trpc(ctx, imports, out).run()
