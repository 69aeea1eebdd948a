"""Shared by the GraphQL rules: the servers the linkers found
(`ProjectIndex.facts["graphql_servers"]`), typed, and a finding at a server's option."""

from __future__ import annotations

from mcp_backend.review.facts import GqlServer
from mcp_backend.review.model import Finding, ProjectIndex, RuleMeta


def servers(index: ProjectIndex) -> list[GqlServer]:
    return [GqlServer.model_validate(s) for s in index.facts.get("graphql_servers", [])]


def server_finding(
    rule: RuleMeta, server: GqlServer, line: int, message: str, fix: str, snippet: str
) -> Finding:
    return rule.finding(message, file=server.file, line=max(line, 1), snippet=snippet, fix=fix)
