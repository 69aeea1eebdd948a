"""graphql-resolver-n-plus-one: a resolver of a non-root GraphQL type (Strawberry
`@strawberry.type` field methods, Graphene `resolve_x` on an ObjectType / DjangoObjectType,
Ariadne `@order.field("x")` on `order = ObjectType("Order")`) that reads the database by an
attribute or key of its parent object, without a DataLoader."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mcp_backend.review.facts import GQL_ROOT_TYPES
from mcp_backend.review.model import Finding
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.graphql_resolver_n_plus_one import RULE

# ORM/driver reads: Django managers, SQLAlchemy sessions, raw cursors.
_READS = frozenset(
    {"get", "filter", "first", "scalar", "scalars", "execute", "query", "find_one", "fetch",
     "fetchrow", "fetchval", "get_or_none", "exclude", "count"}
)  # fmt: skip
_RECEIVER = re.compile(
    r"(\bobjects$|session$|\bdb$|\bconn(ection)?$|\bcursor$|\bcollection$|\brepo\w*$|\bquery$"
    r"|select\(|\.query\()"
)
# info.context["db"]: a receiver looked up by key reads as the name of the key
_KEYED = re.compile(r"\[['\"](\w+)['\"]\]$")
_BATCHED = re.compile(r"\.load(_many)?\(|loader|DataLoader|prefetch_related|select_related")


class GraphqlResolverNPlusOne:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        if ctx.is_test or not any(p in ctx.source for p in ("strawberry", "graphene", "ariadne")):
            return
        yield from _ariadne(ctx)
        for cls in ast.walk(ctx.tree):
            if not isinstance(cls, ast.ClassDef) or cls.name in GQL_ROOT_TYPES:
                continue
            kind = _graphql_type(cls)
            if kind is None:
                continue
            for item in cls.body:
                if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if kind == "graphene" and not item.name.startswith("resolve_"):
                    continue
                if kind == "strawberry" and not any(
                    _last(d) in {"field", "strawberry.field"} for d in item.decorator_list
                ):
                    continue
                if not item.args.args:
                    continue
                parent = item.args.args[0].arg  # self (Strawberry) / root, parent (Graphene)
                read = _per_parent_read(item, parent)
                if read is not None:
                    yield _finding(ctx, read, cls.name, item.name.removeprefix("resolve_"))


def _finding(ctx: PythonFileContext, read: ast.AST, type_name: str, field: str) -> Finding:
    return ctx.finding(
        RULE,
        read,
        f"{type_name}.{field} reads the database once for every {type_name} in "
        "a result (N+1 queries), with no DataLoader",
        fix="Batch the reads with a DataLoader created per request "
        "(`await info.context.loaders.x.load(self.key)`), or prefetch the "
        "relation in the parent query (select_related/prefetch_related, "
        "selectinload).",
    )


def _ariadne(ctx: PythonFileContext) -> Iterator[Finding]:
    """`order = ObjectType("Order")` bound to `@order.field("customer")` resolvers: the
    resolver's first parameter is the parent object (an instance or a dict)."""
    bindables: dict[str, str] = {}
    for node in ctx.tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and _last(node.value) == "ObjectType"
            and node.value.args
            and isinstance(node.value.args[0], ast.Constant)
            and isinstance(node.value.args[0].value, str)
            and node.value.args[0].value not in GQL_ROOT_TYPES
        ):
            bindables[node.targets[0].id] = node.value.args[0].value
    if not bindables:
        return
    for function in ctx.tree.body:
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in function.decorator_list:
            if (
                isinstance(deco, ast.Call)
                and isinstance(deco.func, ast.Attribute)
                and deco.func.attr == "field"
                and isinstance(deco.func.value, ast.Name)
                and deco.func.value.id in bindables
                and deco.args
                and function.args.args
            ):
                read = _per_parent_read(function, function.args.args[0].arg)
                if read is not None:
                    name = deco.args[0]
                    field = name.value if isinstance(name, ast.Constant) else function.name
                    yield _finding(ctx, read, bindables[deco.func.value.id], str(field))
                break


def _last(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def _graphql_type(cls: ast.ClassDef) -> str | None:
    for deco in cls.decorator_list:
        text = ast.unparse(deco.func if isinstance(deco, ast.Call) else deco)
        if text in {"strawberry.type", "type"} or text.endswith("django.type"):
            return "strawberry" if text != "type" else None
    for base in cls.bases:
        if _last(base) in {"ObjectType", "DjangoObjectType"}:
            return "graphene"
    return None


def _per_parent_read(
    function: ast.FunctionDef | ast.AsyncFunctionDef, parent: str
) -> ast.AST | None:
    if _BATCHED.search(ast.unparse(function)):
        return None
    for node in ast.walk(function):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _READS
            and _RECEIVER.search(_KEYED.sub(r".\1", ast.unparse(node.func.value)))
        ):
            continue
        arguments = [*node.args, *(k.value for k in node.keywords)]
        if any(
            isinstance(sub, ast.Attribute | ast.Subscript)
            and isinstance(sub.value, ast.Name)
            and sub.value.id == parent
            for arg in arguments
            for sub in ast.walk(arg)
        ):
            return node  # author_id=self.author_id, get(User, obj["owner_id"])
    return None


DETECTOR = GraphqlResolverNPlusOne()
