"""The installed console script over a real stdio subprocess, as Claude Desktop launches it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from mcp import Client, ClientSession, StdioServerParameters, stdio_client

from tests.conftest import SCRIPT

pytestmark = pytest.mark.anyio


def params(project: Path) -> StdioServerParameters:
    env = dict(os.environ)
    env.pop("MCP_BACKEND_ROOTS", None)
    return StdioServerParameters(
        command=str(SCRIPT), args=["serve", "--root", str(project)], env=env, cwd=str(project)
    )


async def test_legacy_initialize_handshake(project: Path) -> None:
    async with (
        stdio_client(params(project)) as (read, write),
        ClientSession(read, write) as session,
    ):
        init = await session.initialize()
        assert init.server_info.name == "mcp-backend"
        assert init.instructions and "review_backend" in init.instructions
        tools = {tool.name for tool in (await session.list_tools()).tools}
        assert "get_guidance" in tools
        resources = (await session.list_resources()).resources
        assert any(str(r.uri) == "backend://checklist" for r in resources)
        templates = (await session.list_resource_templates()).resource_templates
        assert any(t.uri_template == "backend://checklist/{item_id}" for t in templates)
        prompts = {p.name for p in (await session.list_prompts()).prompts}
        assert "review-and-fix" in prompts
        checklist = await session.read_resource("backend://checklist.json")
        assert json.loads(checklist.contents[0].text)  # type: ignore[union-attr]
        result = await session.call_tool("get_guidance", {"topic": "anti-patterns"})
        assert not result.is_error and "N+1" in result.content[0].text  # type: ignore[union-attr]
        bad = await session.call_tool("get_guidance", {"topic": "no-such-topic"})
        assert bad.is_error and "Valid topics" in bad.content[0].text  # type: ignore[union-attr]


async def test_modern_stateless_protocol(project: Path) -> None:
    async with Client(params(project)) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        assert "get_guidance" in tools
        prompt = await client.get_prompt("clarify-requirements", {"request": "a todo API"})
        assert "a todo API" in prompt.messages[0].content.text  # type: ignore[union-attr]
        read = await client.read_resource("backend://frameworks/framework-selection")
        assert "Hono" in read.contents[0].text  # type: ignore[union-attr]


def test_console_script_is_installed() -> None:
    assert SCRIPT.exists(), f"{SCRIPT} missing: install the project (make run / make test)"
    assert os.access(SCRIPT, os.X_OK)
    assert Path(sys.executable).parent == SCRIPT.parent
