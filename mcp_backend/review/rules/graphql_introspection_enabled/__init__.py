"""Catalog entry: GraphQL introspection or an in-browser IDE left on in production."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="graphql-introspection-enabled",
    name="GraphQL introspection or IDE enabled in production",
    checklist_item="transport-security",
    severity="low",
    confidence="high",
    cwe=200,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds a GraphQL server configured to answer introspection or to serve an "
            "in-browser IDE whatever the environment: Apollo Server / NestJS `GraphQLModule` "
            "`introspection: true`, `playground: true`, the GraphQL Playground landing-page "
            "plugin, GraphQL Yoga / Mercurius `graphiql: true`, Strawberry "
            "`GraphQLRouter(schema, graphiql=True)` / `GraphQLView.as_view(..., graphiql=True)`, "
            "Ariadne `GraphQL(schema, introspection=True)`, graphene-django "
            "`GraphQLView.as_view(graphiql=True)`. A value read from the environment or a "
            "condition (`introspection: process.env.NODE_ENV !== 'production'`) is not reported."
        ),
        why=(
            "Introspection hands anyone the whole schema: every mutation, every admin-only "
            "field, every argument, which makes finding an unprotected resolver a matter of "
            "reading a list. An IDE served in production also invites unauthenticated "
            "exploration. Apollo Server turns both off when NODE_ENV is production; an "
            "explicit `true` overrides that."
        ),
        example=(
            "```ts\n"
            "const server = new ApolloServer({ typeDefs, resolvers, introspection: true });\n"
            "```\n"
            "\n"
            "```python\n"
            "graphql_app = GraphQLRouter(schema, graphiql=True)\n"
            "```"
        ),
        instead=(
            "```ts\n"
            "const server = new ApolloServer({\n"
            "  typeDefs,\n"
            "  resolvers,\n"
            '  introspection: process.env.NODE_ENV !== "production",\n'
            "});\n"
            "```\n"
            "\n"
            "```python\n"
            'graphql_app = GraphQLRouter(schema, graphiql=settings.ENV == "development")\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/200.html",
            "https://www.apollographql.com/docs/apollo-server/api/apollo-server#introspection",
            "https://cheatsheetseries.owasp.org/cheatsheets/GraphQL_Cheat_Sheet.html",
        ],
    ),
)
