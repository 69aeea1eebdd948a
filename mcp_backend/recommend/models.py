"""What goes into the recommend engine and what comes out.

Allowed values are Literal types so that pydantic names them in its error messages and the MCP
adapter can document flat parameters from the exported tuples (RUNTIMES, SCENARIOS, ...).
Ids match the rows of the knowledge base's decision tables; tests keep the two in step.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# Aspects of a stack, in the order the engine decides them. Earlier aspects win a conflict
# between two pinned inputs: the runtime the user asked for outlives the deployment they asked
# for, and so on down the list.
AspectId = Literal[
    "runtime",
    "deployment",
    "framework",
    "database",
    "api_style",
    "auth",
    "orm",
    "validation",
    "auth_library",
    "doc_format",
    "cache",
    "jobs",
]


Runtime = Literal["node", "bun", "deno", "python", "any"]
Scenario = Literal[
    "edge-serverless",
    "high-performance",
    "full-stack-legacy",
    "rapid-prototyping",
    "enterprise-cms",
]
Deployment = Literal["edge", "serverless", "container", "vps"]
DataNeed = Literal[
    "complex-relationships",
    "full-postgres",
    "vector-search",
    "global-distribution",
    "simple-local",
    "edge-low-latency",
]
Client = Literal["public-api", "complex-queries", "typescript-monorepo", "realtime"]
AuthNeed = Literal["jwt", "session", "oauth", "roles", "none"]
Framework = Literal["hono", "fastify", "express", "nestjs", "fastapi", "django", "flask"]
Database = Literal["postgresql", "sqlite", "neon", "turso", "postgres-pgvector", "planetscale"]
ApiStyle = Literal["rest-openapi", "graphql", "trpc", "websocket-asyncapi"]
Confidence = Literal["high", "medium", "low"]
Status = Literal["needs_clarification", "recommended"]

RUNTIMES: tuple[str, ...] = get_args(Runtime)
SCENARIOS: tuple[str, ...] = get_args(Scenario)
DEPLOYMENTS: tuple[str, ...] = get_args(Deployment)
DATA_NEEDS: tuple[str, ...] = get_args(DataNeed)
CLIENTS: tuple[str, ...] = get_args(Client)
AUTH_NEEDS: tuple[str, ...] = get_args(AuthNeed)
FRAMEWORKS: tuple[str, ...] = get_args(Framework)
DATABASES: tuple[str, ...] = get_args(Database)
API_STYLES: tuple[str, ...] = get_args(ApiStyle)

# Catalog kinds a user may name in `existing_stack` (deployment targets and auth approaches
# have their own fields).
EXISTING_STACK_KINDS: tuple[str, ...] = (
    "runtime",
    "framework",
    "database",
    "hosting",
    "api_style",
    "orm",
    "validation",
    "auth_library",
    "cache",
    "jobs",
)


def existing_stack_ids() -> tuple[str, ...]:
    """Technology ids accepted in `existing_stack` (from resources/recommend/catalog.toml)."""
    from mcp_backend.recommend.data import load_recommend_data

    data = load_recommend_data()
    return tuple(tech.id for tech in data.catalog.tech if tech.kind in EXISTING_STACK_KINDS)


Word = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)
]


_T = TypeVar("_T")


def _unique(values: list[_T]) -> list[_T]:
    """Drop repeats, keep the user's order (order is priority)."""
    return list(dict.fromkeys(values))


class Requirements(BaseModel):
    """What the user told us. Every field is optional; unspecified aspects become questions.

    List order is priority: the first scenario, data need or client wins a tie.
    """

    model_config = ConfigDict(extra="forbid")

    runtime: Runtime | None = Field(
        default=None,
        description="Runtime preference: node, bun, deno, python, or any (no preference; the "
        "engine picks). Leave unset to be asked.",
    )
    scenarios: list[Scenario] = Field(
        default_factory=list,
        max_length=len(SCENARIOS),
        description="What the service is for (framework table rows): edge-serverless, "
        "high-performance, full-stack-legacy, rapid-prototyping, enterprise-cms.",
    )
    deployment: Deployment | None = Field(
        default=None, description="Deployment target: edge, serverless, container or vps."
    )
    data_needs: list[DataNeed] = Field(
        default_factory=list,
        max_length=len(DATA_NEEDS),
        description="Data needs (database table rows): complex-relationships, full-postgres, "
        "vector-search, global-distribution, simple-local, edge-low-latency.",
    )
    clients: list[Client] = Field(
        default_factory=list,
        max_length=len(CLIENTS),
        description="Who calls the API (API style table rows): public-api, complex-queries "
        "(several clients, rich data graph), typescript-monorepo (internal TypeScript "
        "clients), realtime (server-pushed events).",
    )
    auth: list[AuthNeed] = Field(
        default_factory=list,
        max_length=len(AUTH_NEEDS),
        description="Authentication needs: jwt, session, oauth (third-party sign-in), roles "
        "(role-based access), none.",
    )
    oauth_providers: list[Word] = Field(
        default_factory=list,
        max_length=20,
        description="OAuth providers to support, e.g. google, github (implies oauth).",
    )
    requests_per_second: int | None = Field(
        default=None, ge=0, le=100_000_000, description="Expected peak requests per second."
    )
    data_size_gb: float | None = Field(
        default=None, ge=0, le=1_000_000_000, description="Expected data size in gigabytes."
    )
    team_languages: list[Word] = Field(
        default_factory=list,
        max_length=20,
        description="Languages the team writes, e.g. python, typescript.",
    )
    existing_stack: list[Word] = Field(
        default_factory=list,
        max_length=30,
        description="Technology ids already in use that the stack must stay compatible with, "
        "e.g. express, prisma, postgresql, redis.",
    )
    framework: Framework | None = Field(
        default=None,
        description="A framework the user has chosen: hono, fastify, express, nestjs, fastapi, "
        "django or flask. Leave unset to have it chosen from the scenario.",
    )
    database: Database | None = Field(
        default=None,
        description="A database the user has chosen: postgresql, sqlite, neon, turso, "
        "postgres-pgvector or planetscale. Leave unset to have it chosen from the data needs.",
    )
    api_style: ApiStyle | None = Field(
        default=None,
        description="An API style the user has chosen: rest-openapi, graphql, trpc or "
        "websocket-asyncapi. Leave unset to have it chosen from the clients.",
    )

    @field_validator(
        "scenarios",
        "data_needs",
        "clients",
        "auth",
        "oauth_providers",
        "team_languages",
    )
    @classmethod
    def _dedupe(cls, values: list[str]) -> list[str]:
        return _unique(values)

    @field_validator("existing_stack")
    @classmethod
    def _known_technologies(cls, values: list[str]) -> list[str]:
        allowed = existing_stack_ids()
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise ValueError(
                f"unknown technology id(s) {', '.join(map(repr, unknown))}; "
                f"allowed: {', '.join(allowed)}"
            )
        return _unique(values)


class TechRef(BaseModel):
    id: str
    name: str


class Alternative(TechRef):
    prefer_when: str = Field(description="When this alternative is the better choice.")


class AspectChoice(BaseModel):
    aspect: AspectId
    title: str
    choice: TechRef
    rule: str = Field(
        description="Id of what chose it: 'pinned:<field>', '<table>/<row>', "
        "'implied:<table>/<row>', a preference rule id, or 'catalog-order'."
    )
    reason: str = Field(description="The rule in words.")
    confidence: Confidence
    alternatives: list[Alternative] = Field(default_factory=list)
    hosted: TechRef | None = Field(default=None, description="For the database: where to run it.")
    detail: str = Field(
        default="",
        description="What else the choice involves, e.g. OAuth providers and roles for auth, "
        "or what to add where the auth library does not cover a need.",
    )
    adjusted_from: TechRef | None = Field(
        default=None,
        description="What the inputs or tables asked for before a conflict or incompatibility "
        "moved the choice.",
    )


class Conflict(BaseModel):
    id: str
    title: str
    when: dict[str, list[str]] = Field(
        description="The facts that clash (aspect or input → values)."
    )
    explanation: str
    resolution: str
    applied: str = Field(description="What this recommendation did about it.")


class AntiDefault(BaseModel):
    id: str
    avoid: str
    when: str
    prefer: str
    why: str
    heeded: bool = Field(description="Whether the recommended stack avoids it.")


class LayoutLayer(BaseModel):
    layer: str
    location: str
    responsibility: str


class ProjectLayout(BaseModel):
    framework: TechRef
    summary: str
    tree: str
    layers: list[LayoutLayer]


class ClarifyQuestion(BaseModel):
    aspect: str = Field(description="Clarify aspect id, also the Requirements field it fills.")
    name: str
    question: str
    why: str
    options: list[TechRef]


class Recommendation(BaseModel):
    status: Status
    provisional: bool = Field(
        description="True when the stack is a best guess made before the open questions are "
        "answered or while a conflict between inputs awaits the user's decision."
    )
    summary: str
    stack: list[AspectChoice]
    conflicts: list[Conflict] = Field(default_factory=list)
    anti_defaults: list[AntiDefault] = Field(default_factory=list)
    layout: ProjectLayout | None = None
    open_questions: list[ClarifyQuestion] = Field(default_factory=list)
    requirements: Requirements

    def choice(self, aspect: str) -> str:
        """The chosen technology id for an aspect, e.g. rec.choice("framework") == "fastapi"."""
        for item in self.stack:
            if item.aspect == aspect:
                return item.choice.id
        raise KeyError(aspect)
