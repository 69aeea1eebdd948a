"""graphql-stacktrace-exposed: a server configured to send stack traces to clients."""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review.model import Finding, ProjectIndex
from mcp_backend.review.rules import _graphql
from mcp_backend.review.rules.graphql_stacktrace_exposed import RULE


class GraphqlStacktraceExposed:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        for server in _graphql.servers(index):
            if server.stacktrace_on is None:
                continue
            yield _graphql.server_finding(
                RULE,
                server,
                server.stacktrace_on,
                f"The {server.framework} GraphQL server puts exception details in its error "
                f"responses ({server.stacktrace_detail}) in every environment.",
                "Remove the option (the frameworks include stack traces only in development "
                "by default) or read it from the environment; log the exception server-side.",
                server.stacktrace_detail,
            )


DETECTOR = GraphqlStacktraceExposed()
