"""Catalog entry: a GraphQL server that puts stack traces in its error responses."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="graphql-stacktrace-exposed",
    name="GraphQL errors expose stack traces",
    checklist_item="error-handling",
    severity="medium",
    confidence="high",
    cwe=209,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds GraphQL servers told to send exception details to clients whatever the "
            "environment: Apollo Server `includeStacktraceInErrorResponses: true`, Apollo "
            "Server 3 / NestJS `GraphQLModule` `debug: true`, a Mercurius `errorFormatter` or "
            "an Apollo `formatError` that returns `error.stack`, Strawberry and Ariadne "
            "`debug=True`. A value read from the environment is not reported."
        ),
        why=(
            "Stack traces in the `errors[].extensions` of a response show file paths, library "
            "versions, SQL and the code path of a failure: a map for the next attack, served to "
            "anyone who can send a malformed query."
        ),
        example=(
            "```ts\n"
            "new ApolloServer({ typeDefs, resolvers, includeStacktraceInErrorResponses: true });\n"
            "```"
        ),
        instead=(
            "```ts\n"
            "new ApolloServer({\n"
            "  typeDefs,\n"
            "  resolvers,\n"
            "  // the default: stack traces only outside production\n"
            "  formatError: (formatted) => ({ message: formatted.message, "
            "extensions: { code: formatted.extensions?.code } }),\n"
            "});\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/209.html",
            "https://www.apollographql.com/docs/apollo-server/data/errors#omitting-or-including-stacktrace",
        ],
    ),
)
