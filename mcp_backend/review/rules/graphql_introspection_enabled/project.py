"""graphql-introspection-enabled: introspection or an IDE switched on unconditionally."""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review.model import Finding, ProjectIndex
from mcp_backend.review.rules import _graphql
from mcp_backend.review.rules.graphql_introspection_enabled import RULE


class GraphqlIntrospectionEnabled:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        for server in _graphql.servers(index):
            if server.introspection_on is not None:
                yield _graphql.server_finding(
                    RULE,
                    server,
                    server.introspection_on,
                    f"The {server.framework} GraphQL server answers introspection in every "
                    "environment: anyone can list every query, mutation and argument.",
                    "Enable introspection only outside production (read it from the "
                    "environment), or leave the framework's production default.",
                    "introspection enabled",
                )
            if server.playground_on is not None:
                yield _graphql.server_finding(
                    RULE,
                    server,
                    server.playground_on,
                    f"The {server.framework} GraphQL server serves an in-browser IDE "
                    f"({server.playground_detail}) in every environment.",
                    "Serve GraphiQL/Playground only in development (a flag read from the "
                    "environment).",
                    server.playground_detail,
                )


DETECTOR = GraphqlIntrospectionEnabled()
