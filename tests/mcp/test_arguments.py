"""Tool arguments: unknown ones are refused naming the valid ones, invalid ones are explained
one line per parameter, and the published schemas use only JSON Schema's own formats."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio

# JSON Schema 2020-12, "Defined Formats" (section 7.3).
STANDARD_FORMATS = {
    "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
    "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template",
    "json-pointer", "relative-json-pointer", "regex",
}  # fmt: skip


async def call(project: Path, tool: str, arguments: dict[str, Any]) -> tuple[bool, str]:
    server = build_server(Workspace.configure([str(project)]))
    async with Client(server, mode="legacy") as client:
        result = await client.call_tool(tool, arguments)
    return bool(result.is_error), result.content[0].text  # type: ignore[union-attr]


async def test_unknown_argument_is_refused_naming_the_valid_ones(project: Path) -> None:
    is_error, text = await call(project, "review_backend", {"lang": "python"})
    assert is_error
    assert "'lang'" in text
    for valid in ("path", "items", "min_severity", "changed_only", "limit", "offset"):
        assert valid in text


async def test_known_arguments_still_work(project: Path) -> None:
    is_error, text = await call(project, "review_backend", {"path": ".", "limit": 1})
    assert not is_error, text


async def test_invalid_arguments_one_line_per_parameter(project: Path) -> None:
    is_error, text = await call(
        project, "review_backend", {"limit": 500, "min_severity": "huge", "offset": -1}
    )
    assert is_error
    assert "validation error for" not in text and "errors.pydantic.dev" not in text
    lines = text.splitlines()
    assert lines[0] == "invalid arguments for review_backend:"
    by_name = {line.split(":", 1)[0].removeprefix("- "): line for line in lines[1:]}
    assert set(by_name) == {"limit", "min_severity", "offset"}
    assert by_name["limit"] == "- limit: expected less than or equal to 30, got 500"
    assert "'huge'" in by_name["min_severity"] and "'critical'" in by_name["min_severity"]
    assert by_name["offset"].endswith("got -1")


async def test_invalid_recommend_argument_is_one_line(project: Path) -> None:
    is_error, text = await call(project, "recommend_stack", {"runtime": "cobol"})
    assert is_error
    assert "validation error for" not in text
    assert "- runtime: expected 'node'" in text and "got 'cobol'" in text


async def test_published_schemas_use_only_json_schema_formats(project: Path) -> None:
    server = build_server(Workspace.configure([str(project)]))
    async with Client(server, mode="legacy") as client:
        tools = (await client.list_tools()).tools
    formats: set[str] = set()
    for tool in tools:
        for schema in (tool.input_schema, tool.output_schema):
            formats |= set(re.findall(r'"format": "([^"]+)"', json.dumps(schema)))
    assert formats <= STANDARD_FORMATS, formats - STANDARD_FORMATS
    # The get_guidance parameter named "format" is a property, not a format: still there.
    [guidance] = [t for t in tools if t.name == "get_guidance"]
    assert "format" in guidance.input_schema["properties"]
