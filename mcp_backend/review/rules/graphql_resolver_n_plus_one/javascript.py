"""graphql-resolver-n-plus-one: a field resolver of a non-root type in a resolver map that
reads the database by a key of its parent, without a DataLoader."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.facts import GQL_ROOT_TYPES
from mcp_backend.review.javascript.context import FUNCTION_TYPES, JsFileContext
from mcp_backend.review.javascript.frameworks import graphql
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.graphql_resolver_n_plus_one import RULE

# Reads by key of ORMs and drivers; Prisma's findUnique is batched by Prisma itself.
_READ = re.compile(
    r"\.(findOne|findById|findByPk|findFirst|findMany|findAll|findOneBy|findBy|find|where"
    r"|query|count|countDocuments|select|get)\s*\(([^;]*)"
)
_BATCHED = re.compile(r"\.load(Many)?\s*\(|[Ll]oader\b|DataLoader|\bdataloader\b")
_NOT_DATA = re.compile(r"^(?:args|context|ctx|info|_\w*)$")


class GraphqlResolverNPlusOne:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if ctx.is_test or not ctx.has(*graphql.GATE):
            return
        for obj in ctx.descendants(ctx.root, "(object) @o", "o"):
            if not _is_resolver_map(ctx, obj):
                continue
            for pair in obj.named_children:
                if pair.type != "pair":
                    continue
                type_name = ctx.text(pair.child_by_field_name("key")).strip("'\"")
                value = pair.child_by_field_name("value")
                if (
                    type_name in GQL_ROOT_TYPES
                    or not type_name[:1].isupper()
                    or value is None
                    or value.type != "object"
                ):
                    continue
                for member in value.named_children:
                    found = _per_parent_read(ctx, member)
                    if found is not None:
                        field, node = found
                        yield ctx.finding(
                            RULE,
                            node,
                            f"{type_name}.{field} reads the database once for every "
                            f"{type_name} in a result (N+1 queries), with no DataLoader",
                            fix="Batch the reads with a DataLoader created per request "
                            "(`ctx.loaders.x.load(parent.key)`), or load the relation with the "
                            "parent query (include/JOIN).",
                        )


def _is_resolver_map(ctx: JsFileContext, obj: Node) -> bool:
    keys = {
        ctx.text(p.child_by_field_name("key")).strip("'\"")
        for p in obj.named_children
        if p.type == "pair"
    } | {ctx.text(p) for p in obj.named_children if p.type == "shorthand_property_identifier"}
    return bool(keys & set(GQL_ROOT_TYPES))


def _per_parent_read(ctx: JsFileContext, member: Node) -> tuple[str, Node] | None:
    function: Node | None
    if member.type == "method_definition":
        function, name_node = member, member.child_by_field_name("name")
    elif member.type == "pair":
        function, name_node = member.child_by_field_name("value"), member.child_by_field_name("key")
    else:
        return None
    if (
        function is None
        or name_node is None
        or function.type not in FUNCTION_TYPES | {"method_definition"}
    ):
        return None
    params = function.child_by_field_name("parameters")
    first = params.named_children[0] if params is not None and params.named_children else None
    if first is None:
        return None
    parent = ctx.text(first.child_by_field_name("pattern") or first).split(":")[0].strip()
    if not re.match(r"^[A-Za-z$][\w$]*$", parent) or _NOT_DATA.match(parent):
        return None  # unused (`_`) or destructured parent: not read by key here
    text = ctx.text(function)
    if _BATCHED.search(text):
        return None
    uses_parent = re.compile(rf"\b{re.escape(parent)}\s*\.\s*\w+")
    for read in _READ.finditer(text):
        if read.group(1) == "findUnique":
            continue
        if uses_parent.search(read.group(2)[:300]):
            return ctx.text(name_node).strip("'\""), member
    return None


DETECTOR = GraphqlResolverNPlusOne()
