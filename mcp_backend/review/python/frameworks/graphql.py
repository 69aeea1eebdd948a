"""GraphQL in Python, per file: Strawberry (`@strawberry.type` classes with `@strawberry.field` /
`@strawberry.mutation`, `permission_classes`, `PermissionExtension`), Graphene (`ObjectType`
classes with `resolve_x`, `graphene.Mutation` subclasses with `mutate`, `X.Field()`), Ariadne
(`QueryType()` / `MutationType()` with `@query.field("x")`), and server options.

Facts go in `facts["graphql"]` as `GqlFileFacts` (mcp_backend/review/facts.py); the linker
(python/graphql_link.py) resolves the resolvers and permission classes across modules.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from mcp_backend.review.facts import GqlFileFacts, GqlPyField, GqlResolverClass, GqlServer
from mcp_backend.review.python.frameworks._ast import const_str, last_name
from mcp_backend.review.python.frameworks._common import ModuleScope

PACKAGES = frozenset(
    {
        "strawberry",
        "strawberry_django",
        "graphene",
        "graphene_django",
        "ariadne",
        "graphql_jwt",
        "graphql",  # graphql-core: helpers that raise GraphQLError
    }
)
_STRAWBERRY_FIELDS = frozenset({"field", "mutation", "subscription"})
_ARIADNE_TYPES = {
    "QueryType": "Query",
    "MutationType": "Mutation",
    "SubscriptionType": "Subscription",
}
# Query depth/cost limits, by qualified name or package: present anywhere, the project limits.
_LIMITERS = re.compile(
    r"(QueryDepthLimiter|MaxTokensLimiter|MaxAliasesLimiter|depth_limit_validator|cost_validator"
    r"|graphql_depth_limit|graphql_query_complexity|DepthLimit)"
)
# Endpoints: (qualified prefix, last name) -> framework.
_ENDPOINTS = {
    "GraphQLRouter": "strawberry",
    "GraphQL": "",  # strawberry.asgi / ariadne.asgi / ariadne.wsgi: told apart by the import
    "GraphQLView": "",
    "AsyncGraphQLView": "strawberry",
    "GraphQLApp": "graphene",
    "make_graphql_app": "",
}


def _camel(name: str) -> str:
    head, *rest = name.strip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def extract(scope: ModuleScope, facts: dict[str, Any]) -> None:
    qualified = set(scope.imports.aliases.values())
    roots = {q.split(".", 1)[0] for q in qualified}
    limiter = next((q for q in sorted(qualified) if _LIMITERS.search(q)), None)
    if not roots & PACKAGES and limiter is None:
        return
    out = GqlFileFacts(limiter_import=limiter)
    reader = _Reader(scope, out)
    for cls in scope.classes:
        reader.cls(cls)
    reader.ariadne()
    for call in scope.calls:
        reader.server(call)
    if out.resolver_classes or out.servers or out.limiter_import or out.schema_roots:
        facts["graphql"] = out.model_dump(exclude_defaults=True)


class _Reader:
    def __init__(self, scope: ModuleScope, out: GqlFileFacts) -> None:
        self.scope = scope
        self.out = out
        self.module = scope.module

    def q(self, node: ast.AST | None) -> str:
        if isinstance(node, ast.Call):
            node = node.func
        return self.scope.q(node) if node is not None else ""

    def names(self, node: ast.AST | None) -> list[str]:
        if node is None:
            return []
        items = list(node.elts) if isinstance(node, ast.List | ast.Tuple | ast.Set) else [node]
        return [n for n in (self.q(item) for item in items) if n]

    # ---- classes ----------------------------------------------------------------------

    def cls(self, node: ast.ClassDef) -> None:
        decorators = [self.q(d) for d in node.decorator_list]
        bases = [self.q(b) for b in node.bases]
        qualname = f"{self.module}.{node.name}"
        if any(d.split(".", 1)[0] in {"strawberry", "strawberry_django"} and
               d.rsplit(".", 1)[-1] == "type" for d in decorators):  # fmt: skip
            fields = self._strawberry_fields(node, qualname)
            self.out.resolver_classes.append(
                GqlResolverClass(
                    framework="strawberry", name=node.name, line=node.lineno, fields=fields
                )
            )
        elif any(b.startswith("graphene") and b.endswith("ObjectType") for b in bases):
            fields = self._graphene_fields(node, qualname)
            self.out.resolver_classes.append(
                GqlResolverClass(
                    framework="graphene", name=node.name, line=node.lineno, fields=fields
                )
            )

    def _strawberry_fields(self, node: ast.ClassDef, qualname: str) -> list[GqlPyField]:
        fields: list[GqlPyField] = []
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                marker = next(
                    (d for d in item.decorator_list if self._is_strawberry_field(d)), None
                )
                if marker is None:
                    continue
                others = [self.q(d) for d in item.decorator_list if d is not marker]
                field = GqlPyField(
                    type=node.name,
                    field=_camel(item.name),
                    line=item.lineno,
                    handler=f"{node.name}.{item.name}",
                    handler_ref=f"{qualname}.{item.name}",
                    decorators=others,
                )
                if isinstance(marker, ast.Call):
                    self._strawberry_options(marker, field)
                fields.append(field)
            elif isinstance(item, ast.AnnAssign | ast.Assign) and isinstance(item.value, ast.Call):
                call = item.value
                if not self._is_strawberry_field(call):
                    continue
                target = item.target if isinstance(item, ast.AnnAssign) else item.targets[0]
                if not isinstance(target, ast.Name):
                    continue
                resolver = _kw(call, "resolver") or (call.args[0] if call.args else None)
                field = GqlPyField(
                    type=node.name,
                    field=_camel(target.id),
                    line=item.lineno,
                    handler=last_name(resolver) if resolver is not None else target.id,
                    handler_ref=self.q(resolver) if resolver is not None else "",
                )
                self._strawberry_options(call, field)
                fields.append(field)
        return fields

    def _is_strawberry_field(self, node: ast.expr) -> bool:
        name = self.q(node)
        return name.split(".", 1)[0] in {"strawberry", "strawberry_django"} and (
            name.rsplit(".", 1)[-1] in _STRAWBERRY_FIELDS
        )

    def _strawberry_options(self, call: ast.Call, field: GqlPyField) -> None:
        name = const_str(_kw(call, "name"))
        if name:
            field.field = name
        field.permissions.extend(self.names(_kw(call, "permission_classes")))
        extensions = _kw(call, "extensions")
        for sub in ast.walk(extensions) if extensions is not None else []:
            if isinstance(sub, ast.Call) and last_name(sub.func) == "PermissionExtension":
                field.permissions.extend(self.names(_kw(sub, "permissions")))

    def _graphene_fields(self, node: ast.ClassDef, qualname: str) -> list[GqlPyField]:
        fields: list[GqlPyField] = []
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith(
                "resolve_"
            ):
                fields.append(
                    GqlPyField(
                        type=node.name,
                        field=_camel(item.name[len("resolve_") :]),
                        line=item.lineno,
                        handler=f"{node.name}.{item.name}",
                        handler_ref=f"{qualname}.{item.name}",
                        decorators=[self.q(d) for d in item.decorator_list],
                    )
                )
            elif isinstance(item, ast.Assign) and isinstance(item.value, ast.Call):
                call = item.value
                target = item.targets[0]
                if not isinstance(target, ast.Name):
                    continue
                func = call.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "Field"
                    and not self.q(func.value).startswith("graphene")
                ):
                    # `delete_user = DeleteUser.Field()`: a graphene.Mutation class's mutate()
                    mutation = self.q(func.value)
                    fields.append(
                        GqlPyField(
                            type=node.name,
                            field=_camel(target.id),
                            line=item.lineno,
                            handler=f"{last_name(func.value)}.mutate",
                            handler_ref=f"{mutation}.mutate",
                        )
                    )
                elif (resolver := _kw(call, "resolver")) is not None:
                    fields.append(
                        GqlPyField(
                            type=node.name,
                            field=_camel(target.id),
                            line=item.lineno,
                            handler=last_name(resolver),
                            handler_ref=self.q(resolver),
                        )
                    )
        return fields

    # ---- Ariadne ----------------------------------------------------------------------

    def ariadne(self) -> None:
        bindables: dict[str, str] = {}
        for assign in self.scope.assignments:
            value = assign.value
            targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
            if (
                not isinstance(value, ast.Call)
                or not targets
                or not isinstance(targets[0], ast.Name)
            ):
                continue
            name = self.q(value)
            if not name.startswith("ariadne"):
                continue
            short = name.rsplit(".", 1)[-1]
            type_name = _ARIADNE_TYPES.get(short)
            if type_name is None and short == "ObjectType" and value.args:
                type_name = const_str(value.args[0])
            if type_name in {"Query", "Mutation", "Subscription"}:
                bindables[targets[0].id] = type_name
        if not bindables:
            return
        fields: dict[str, list[GqlPyField]] = {}
        for function in self.scope.functions:
            for deco in function.decorator_list:
                if not (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Attribute)
                    and deco.func.attr in {"field", "source"}
                    and isinstance(deco.func.value, ast.Name)
                    and deco.func.value.id in bindables
                    and deco.args
                ):
                    continue
                type_name = bindables[deco.func.value.id]
                fields.setdefault(type_name, []).append(
                    GqlPyField(
                        type=type_name,
                        field=const_str(deco.args[0]) or function.name,
                        line=function.lineno,
                        handler=function.name,
                        handler_ref=f"{self.module}.{function.name}",
                        decorators=[self.q(d) for d in function.decorator_list if d is not deco],
                    )
                )
        for call in self.scope.calls:  # query.set_field("users", resolve_users)
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "set_field"
                and isinstance(func.value, ast.Name)
                and func.value.id in bindables
                and len(call.args) == 2
            ):
                type_name = bindables[func.value.id]
                fields.setdefault(type_name, []).append(
                    GqlPyField(
                        type=type_name,
                        field=const_str(call.args[0]) or "",
                        line=call.lineno,
                        handler=last_name(call.args[1]),
                        handler_ref=self.q(call.args[1]),
                    )
                )
        for type_name, found in fields.items():
            self.out.resolver_classes.append(
                GqlResolverClass(
                    framework="ariadne", name=type_name, line=found[0].line, fields=found
                )
            )

    # ---- servers ----------------------------------------------------------------------

    def server(self, call: ast.Call) -> None:
        name = self.q(call)
        short = name.rsplit(".", 1)[-1]
        root = name.split(".", 1)[0]
        if short == "as_view" and isinstance(call.func, ast.Attribute):
            name = self.q(call.func.value)
            short = name.rsplit(".", 1)[-1]
            root = name.split(".", 1)[0]
        if short == "Schema" and root in {"strawberry", "graphene"}:
            # `Schema(query=RootQuery, mutation=RootMutation)`: the classes are the roots
            for option, type_name in (("query", "Query"), ("mutation", "Mutation"),
                                      ("subscription", "Subscription")):  # fmt: skip
                bound = _kw(call, option)
                if isinstance(bound, ast.Name | ast.Attribute):
                    self.out.schema_roots[self.q(bound)] = type_name
            if root == "strawberry":
                server = GqlServer(framework="strawberry", line=call.lineno)
                self._depth(server, _kw(call, "extensions"))
                self.out.servers.append(server)
            return
        if short not in _ENDPOINTS or root not in {
            "strawberry",
            "graphene_django",
            "graphene",
            "ariadne",
            "starlette_graphene3",
            "flask_graphql",
            "graphql_server",
        }:
            return
        graphene_roots = {
            "graphene_django",
            "starlette_graphene3",
            "flask_graphql",
            "graphql_server",
        }
        framework = "graphene" if root in graphene_roots else root
        server = GqlServer(framework=framework, line=call.lineno)
        if framework == "strawberry":
            server.depth_applies = False  # the schema holds the limits
            _strawberry_ide(server, call)
        elif framework == "ariadne" and short in {"GraphQL", "GraphQLView"}:
            _ariadne_introspection(server, call)
        for keyword in call.keywords:
            value = keyword.value
            literal_true = isinstance(value, ast.Constant) and value.value is True
            if keyword.arg == "graphiql" and literal_true:
                server.playground_on = value.lineno
                server.playground_detail = "graphiql=True"
            elif keyword.arg == "introspection" and literal_true:
                server.introspection_on = value.lineno
            elif keyword.arg == "debug" and literal_true:
                server.stacktrace_on = value.lineno
                server.stacktrace_detail = "debug=True"
            elif keyword.arg == "validation_rules":
                self._depth(server, value)
            elif keyword.arg is None:
                server.depth_limit = "unknown"
                server.depth_detail = "options passed as **kwargs"
        self.out.servers.append(server)

    def _depth(self, server: GqlServer, value: ast.expr | None) -> None:
        if value is None:
            return
        text = ast.unparse(value)
        if _LIMITERS.search(text) or re.search(r"depth|complexity|cost", text, re.IGNORECASE):
            server.depth_limit = "present"
            server.depth_detail = text[:60]
        elif not isinstance(value, ast.List | ast.Tuple) or any(
            isinstance(e, ast.Starred | ast.Name) for e in value.elts
        ):
            server.depth_limit = "unknown"
            server.depth_detail = "rules built elsewhere"


def _strawberry_ide(server: GqlServer, call: ast.Call) -> None:
    """Strawberry's views and routers serve GraphiQL unless told not to (`graphql_ide` defaults
    to "graphiql"; the older `graphiql` flag to on). A literal IDE name or True is on; None or
    False is off; an expression (`"graphiql" if settings.DEBUG else None`) chooses by environment,
    as it should; options passed as **kwargs cannot be read."""
    if any(k.arg is None for k in call.keywords):
        return
    given = {k.arg: k.value for k in call.keywords if k.arg in {"graphql_ide", "graphiql"}}
    if not given:
        server.playground_on = call.lineno
        server.playground_detail = "GraphiQL, Strawberry's default (graphql_ide not set)"
        return
    for name, value in given.items():
        if isinstance(value, ast.Constant) and value.value not in (None, False):
            server.playground_on = value.lineno
            server.playground_detail = f"{name}={value.value!r}"


def _ariadne_introspection(server: GqlServer, call: ast.Call) -> None:
    """Ariadne's `GraphQL` apps (ASGI, WSGI) and Django view answer introspection unless
    told not to (`introspection` defaults to True). A value given, literal or not, is read
    with the other options; options passed as **kwargs cannot be read."""
    if any(k.arg is None or k.arg == "introspection" for k in call.keywords):
        return
    server.introspection_on = call.lineno
