"""Tool-argument fuzzing: every tool listed by tools/list gets hostile arguments on one session.

Each call must end in a result (success, or is_error with a message a person can act on), never
a traceback in the text, never a dead session. Tools are discovered, not named, so a tool added
later is fuzzed too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client
from mcp.types import CallToolResult, Tool

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

EXAMPLES_PER_TOOL = 40
# Tools that run programs get fewer examples, and only paths that fail to resolve, so a fuzz run
# never starts a real lint/test pass on every example.
EXAMPLES_PER_RUNNING_TOOL = 15
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "')

HOSTILE_PATHS = [
    "..",
    "../..",
    "../../../../../../etc/passwd",
    "/etc/passwd",
    "/",
    "~",
    "~root",
    "file:///etc/shadow",
    "app/../../..",
    "a\x00b",
    "\x00",
    "C:\\Windows\\System32",
    "\\\\server\\share",
    "%2e%2e/%2e%2e/etc",
    "…/…",
    "app/\u202emain.py",
    "x" * 5000,
    "/proc/self/environ",
    "-rf",
    "--help",
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
hostile_strings = (
    st.sampled_from(HOSTILE_PATHS)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
    | st.just("\x00" * 64)
    | st.integers(min_value=10_000, max_value=300_000).map(lambda n: "A" * n)
)


def value_for(schema: dict[str, Any], runs_programs: bool, name: str) -> st.SearchStrategy[Any]:
    """Mostly hostile values, plus some the schema allows so deeper code is reached too."""
    if runs_programs and name == "path":
        return hostile_strings | json_values
    allowed: list[st.SearchStrategy[Any]] = []
    for option in schema.get("anyOf", [schema]):
        if "enum" in option:
            allowed.append(st.sampled_from(option["enum"]))
        elif option.get("type") == "array":
            items = option.get("items", {})
            element = st.sampled_from(items["enum"]) if "enum" in items else hostile_strings
            allowed.append(st.lists(element, max_size=8))
        elif option.get("type") == "integer":
            allowed.append(st.integers(min_value=-5, max_value=10_000))
        elif option.get("type") == "boolean":
            allowed.append(st.booleans())
        elif option.get("type") == "string":
            allowed.append(st.sampled_from([".", "app", "app/main.py"]) | hostile_strings)
    return st.one_of(*allowed, hostile_strings, json_values)


def arguments_for(tool: Tool) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = tool.input_schema.get("properties", {})
    runs_programs = not (tool.annotations and tool.annotations.read_only_hint)
    known = st.fixed_dictionaries(
        {},
        optional={
            name: value_for(schema, runs_programs, name) for name, schema in properties.items()
        },
    )
    unknown = st.dictionaries(st.text(min_size=1, max_size=12), json_values, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, known, unknown)


def result_text(result: CallToolResult) -> str:
    parts = [getattr(block, "text", "") for block in result.content]
    if result.structured_content is not None:
        parts.append(json.dumps(result.structured_content, default=str))
    return "\n".join(parts)


def check_result(tool: str, arguments: dict[str, Any], result: CallToolResult) -> None:
    text = result_text(result)
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, (tool, arguments, text[:800])
    if result.is_error:
        message = text.strip()
        assert len(message) >= 10, (tool, arguments, message)
    else:
        assert result.content or result.structured_content is not None, (tool, arguments)


# Both protocol generations: the `initialize` handshake and the stateless 2026-07-28 one.
@pytest.fixture(params=["legacy", "auto"])
def session(
    project: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[BlockingPortal, Client]]:
    server = build_server(Workspace.configure([str(project)]))
    with (
        start_blocking_portal(backend="asyncio") as portal,
        portal.wrap_async_context_manager(Client(server, mode=request.param)) as client,
    ):
        yield portal, client


def fuzz_tool(portal: BlockingPortal, client: Client, tool: Tool) -> None:
    runs_programs = not (tool.annotations and tool.annotations.read_only_hint)

    @settings(
        max_examples=EXAMPLES_PER_RUNNING_TOOL if runs_programs else EXAMPLES_PER_TOOL,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(arguments=arguments_for(tool))
    def fuzz(arguments: dict[str, Any]) -> None:
        result = portal.call(client.call_tool, tool.name, arguments)
        check_result(tool.name, arguments, result)

    fuzz()


def test_every_tool_survives_hostile_arguments(session: tuple[BlockingPortal, Client]) -> None:
    portal, client = session
    tools = portal.call(client.list_tools).tools
    assert tools, "tools/list is empty"
    for tool in tools:
        fuzz_tool(portal, client, tool)
        # The session still answers after everything this tool was sent.
        assert portal.call(client.list_tools).tools


def test_unknown_tool_is_a_clear_error(session: tuple[BlockingPortal, Client]) -> None:
    portal, client = session
    result = portal.call(client.call_tool, "no_such_tool", {})
    assert result.is_error
    assert "no_such_tool" in result_text(result)
