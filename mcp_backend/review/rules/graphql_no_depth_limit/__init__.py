"""Catalog entry: a GraphQL server with no query depth or complexity limit."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="graphql-no-depth-limit",
    name="GraphQL server without a query depth or cost limit",
    checklist_item="rate-limiting",
    severity="low",
    confidence="medium",
    cwe=770,
    owasp="API4:2023 Unrestricted Resource Consumption",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Reported once per GraphQL server (Apollo Server, GraphQL Yoga, Mercurius, NestJS "
            "`GraphQLModule`, Strawberry, Ariadne, graphene-django) when nothing in the project "
            "limits how deep or costly a query may be: no `graphql-depth-limit` / "
            "`createComplexityLimitRule` / `graphql-query-complexity` / "
            "`@escape.tech/graphql-armor` / `@envelop/depth-limit` / Mercurius `queryDepth`, "
            "no Strawberry `QueryDepthLimiter` / `MaxTokensLimiter`, no Ariadne or graphene "
            "depth validation rule. Servers whose validation rules or plugins are built "
            "elsewhere, out of our sight, are not reported."
        ),
        why=(
            "One request with nested relations (`user { friends { friends { friends ... } } }`) "
            "or hundreds of aliases makes the server resolve millions of fields: a "
            "denial of service that a per-request rate limit does not stop, since it takes "
            "one request."
        ),
        example=("```ts\nconst server = new ApolloServer({ typeDefs, resolvers });\n```"),
        instead=(
            "```ts\n"
            'import depthLimit from "graphql-depth-limit";\n'
            "\n"
            "const server = new ApolloServer({\n"
            "  typeDefs,\n"
            "  resolvers,\n"
            "  validationRules: [depthLimit(8)],\n"
            "});\n"
            "```\n"
            "\n"
            "```python\n"
            "schema = strawberry.Schema(\n"
            "    query=Query, mutation=Mutation, extensions=[QueryDepthLimiter(max_depth=8)]\n"
            ")\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/770.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/GraphQL_Cheat_Sheet.html",
            "https://strawberry.rocks/docs/extensions/query-depth-limiter",
        ],
    ),
)
