"""Typed per-file facts both languages produce, serialised into `FileResult.facts` (JSON, so
the per-file cache keeps them) and validated back by the linkers.

Each section belongs to one mechanism; keep new models in a section of their own.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- GraphQL ---------------------------------------------------------------------------
# Root operation types whose fields are entry points a client calls.
GQL_ROOT_TYPES: dict[str, str] = {
    "Query": "QUERY",
    "Mutation": "MUTATION",
    "Subscription": "SUBSCRIPTION",
}
GqlCheckKind = Literal["auth", "authz", "ownership"]
# A GraphQL document in a test: `mutation DeleteUser($id: ID!) { deleteUser(id: $id) }`.
_TEST_OPERATION = re.compile(
    r"\b(?:mutation|query|subscription)\b\s*[\w$]*\s*(?:\([^)]*\))?\s*\{\s*(?:\w+\s*:\s*)?"
    r"([A-Za-z_]\w*)"
)


def graphql_test_fields(text: str) -> set[str]:
    """The fields a test's GraphQL documents call first: what the test exercises."""
    if "mutation" not in text and "query" not in text and "subscription" not in text:
        return set()
    return {m.group(1) for m in _TEST_OPERATION.finditer(text)}


class GqlCheck(_Fact):
    """A check seen on the path of a field: in its body, a guard, a permission, a directive."""

    kind: GqlCheckKind
    detail: str
    line: int = 1
    level: Literal["app", "router", "route", "handler"] = "handler"


class GqlCallee(_Fact):
    """A function the resolver hands the caller to (`requireUser(ctx)`) or that wraps it
    (`combineResolvers(isAuthenticated, fn)`, `authenticated(fn)`): judged where it is defined."""

    name: str
    line: int = 1
    wraps: bool = Field(default=False, description="It wraps the resolver (runs before it).")


class GqlFunction(_Fact):
    """A module-level function of a GraphQL module (a resolver or a helper), summarised."""

    line: int = 1
    checks: list[GqlCheck] = Field(default_factory=list)
    calls: list[GqlCallee] = Field(default_factory=list)
    loads_by_id: bool = False


class GqlField(_Fact):
    """One field of a root type: `Mutation.deleteUser`."""

    type: str
    field: str
    line: int = 1
    handler: str = ""
    ref: str | None = Field(
        default=None, description="The resolver is this name, defined elsewhere."
    )
    body: GqlFunction | None = Field(default=None, description="The resolver written in place.")
    wrappers: list[GqlCallee] = Field(default_factory=list)
    checks: list[GqlCheck] = Field(default_factory=list, description="Guards, decorators, …")
    unknown: list[str] = Field(default_factory=list, description="What we could not read.")
    public: bool = Field(default=False, description="Marked public (@Public(), allow).")


class GqlSpread(_Fact):
    """`Query: { ...userQueries }` or `Query: queries`: fields kept in an object elsewhere."""

    type: str
    ref: str
    line: int = 1


class GqlSdlField(_Fact):
    """A root field declared in SDL in the project, with the directives on it or its type."""

    type: str
    field: str
    directives: list[str] = Field(default_factory=list)
    line: int = 1


class GqlResolverMap(_Fact):
    name: str = ""
    line: int = 1
    fields: list[GqlField] = Field(default_factory=list)
    spreads: list[GqlSpread] = Field(default_factory=list)


class GqlServer(_Fact):
    """A GraphQL server or schema build and what its options say."""

    framework: str
    file: str = Field(default="", description="Set by the linker.")
    line: int = 1
    introspection_on: int | None = Field(default=None, description="Line of `introspection: true`.")
    playground_on: int | None = Field(default=None, description="Line of an IDE left on.")
    playground_detail: str = ""
    stacktrace_on: int | None = Field(default=None, description="Line that exposes stack traces.")
    stacktrace_detail: str = ""
    depth_applies: bool = Field(
        default=True, description="False for an endpoint whose schema holds the limits."
    )
    depth_limit: Literal["present", "absent", "unknown"] = "absent"
    depth_detail: str = ""


class GqlShieldRule(_Fact):
    """A graphql-shield `rule()` judged by its body, or a combination of rules."""

    kinds: list[GqlCheckKind] = Field(default_factory=list)
    line: int = 1
    uses: list[str] = Field(default_factory=list, description="and(...)/or(...)/chain(...) parts")
    allow: bool = False


class GqlShieldEntry(_Fact):
    type: str
    field: str = Field(description="A field name, or '*' for the whole type.")
    rule: str
    line: int = 1


class GqlFileFacts(_Fact):
    """Everything GraphQL one file contributes."""

    maps: list[GqlResolverMap] = Field(default_factory=list)
    field_objects: dict[str, list[GqlField]] = Field(
        default_factory=dict, description="Module-level objects of resolvers, by name."
    )
    functions: dict[str, GqlFunction] = Field(default_factory=dict)
    servers: list[GqlServer] = Field(default_factory=list)
    shield_rules: dict[str, GqlShieldRule] = Field(default_factory=dict)
    shield: list[GqlShieldEntry] = Field(default_factory=list)
    shield_fallback: str | None = None
    contexts: list[GqlCallee] = Field(
        default_factory=list,
        description="Context functions of servers: one that refuses a caller guards every field.",
    )
    applies_middleware: bool = Field(
        default=False, description="applyMiddleware/useGraphQLMiddleware: a shield map applies."
    )
    limiter_import: str | None = Field(
        default=None, description="A query depth/complexity package imported here."
    )
    resolver_classes: list[GqlResolverClass] = Field(default_factory=list)
    sdl_fields: list[GqlSdlField] = Field(default_factory=list)
    schema_roots: dict[str, str] = Field(
        default_factory=dict,
        description="Python: `Schema(query=RootQuery)` binds a class (qualified) to a root type.",
    )
    directive_impls: dict[str, list[GqlCheckKind]] = Field(
        default_factory=dict,
        description="Schema directives implemented here, by name: what their code checks.",
    )


class GqlResolverClass(_Fact):
    """Python GraphQL: a Strawberry/Graphene/Ariadne root type and its fields."""

    framework: str
    name: str
    line: int = 1
    fields: list[GqlPyField] = Field(default_factory=list)


class GqlPyField(_Fact):
    """A Python resolver: `handler_ref` is the qualified function or method the linker
    resolves (its body summary is in the module's functions); `permissions` and `decorators`
    are qualified names the classifier judges by what their definition does."""

    type: str
    field: str
    line: int = 1
    handler: str = ""
    handler_ref: str = ""
    permissions: list[str] = Field(default_factory=list)
    decorators: list[str] = Field(default_factory=list)


GqlFileFacts.model_rebuild()
GqlResolverClass.model_rebuild()
