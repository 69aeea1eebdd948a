"""graphql-no-depth-limit: once per GraphQL server when nothing in the project limits query
depth or cost. Servers whose rules or plugins come from elsewhere are `unknown`: silent."""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review.model import Finding, ProjectIndex
from mcp_backend.review.rules import _graphql
from mcp_backend.review.rules.graphql_no_depth_limit import RULE


class GraphqlNoDepthLimit:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        found = [s for s in _graphql.servers(index) if s.depth_applies]
        if any(s.depth_limit != "absent" for s in found):
            return  # one server limits queries (or may): the project knows the concern
        for server in found:
            yield _graphql.server_finding(
                RULE,
                server,
                server.line,
                f"The {server.framework} GraphQL server accepts queries of any depth and cost: "
                "one nested query can make it resolve millions of fields.",
                "Add a depth or cost limit: graphql-depth-limit / graphql-armor in "
                "validationRules or plugins, Strawberry QueryDepthLimiter, Mercurius queryDepth.",
                f"{server.framework} server without a depth limit",
            )


DETECTOR = GraphqlNoDepthLimit()
