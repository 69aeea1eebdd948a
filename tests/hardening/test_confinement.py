"""Confinement through the MCP surface: every tool that takes a path refuses paths outside the
allowed roots with a message naming them, and the review never reads through a symlink out of
the root.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import CallToolResult, Tool

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio

# Unique markers: if one shows up in a result, the server read a file it must not read.
OUTSIDE_MARKER = "outside_marker_7f3a91"
LIVE_KEY = "sk_live_" + "51Hq8TfGx2VbN7mKpL4sR9wYc3Zd6Ae"


@dataclass
class Layout:
    root: Path
    outside: Path


def write_layout(base: Path) -> Layout:
    root = base / "Service"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "main.py").write_text(
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.get('/health')\ndef health() -> dict[str, str]:\n    return {'status': 'ok'}\n"
    )
    (root / "app" / "billing.py").write_text(f'STRIPE_API_KEY = "{LIVE_KEY}"\n')
    outside = base / "elsewhere"
    outside.mkdir()
    (outside / "leak.py").write_text(
        "import sqlite3\n\n\n"
        f"def {OUTSIDE_MARKER}(conn: sqlite3.Connection, name: str) -> None:\n"
        "    conn.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n"
        f'\nSECRET_KEY = "{OUTSIDE_MARKER}-0123456789abcdef0123456789"\n'
    )
    # Same name as the root but another case, and a name the root's is a prefix of.
    (base / "service").mkdir()
    (base / "service" / "secret.py").write_text(f"# {OUTSIDE_MARKER}\n")
    (base / "Service-evil").mkdir()
    (base / "Service-evil" / "x.py").write_text(f"# {OUTSIDE_MARKER}\n")
    # Links inside the root that point out of it.
    (root / "linked_dir").symlink_to(outside, target_is_directory=True)
    (root / "linked_file.py").symlink_to(outside / "leak.py")
    (root / "loop").symlink_to(root / "loop")
    (root / "loop_a").symlink_to(root / "loop_b")
    (root / "loop_b").symlink_to(root / "loop_a")
    return Layout(root=root, outside=outside)


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    return write_layout(tmp_path)


@pytest.fixture
async def client(layout: Layout) -> AsyncIterator[Client]:
    server = build_server(Workspace.configure([str(layout.root)]))
    async with Client(server, mode="legacy") as connected:
        yield connected


def text_of(result: CallToolResult) -> str:
    parts = [getattr(block, "text", "") for block in result.content]
    if result.structured_content is not None:
        parts.append(json.dumps(result.structured_content))
    return "\n".join(parts)


async def path_tools(client: Client) -> list[Tool]:
    tools = [
        t
        for t in (await client.list_tools()).tools
        if "path" in t.input_schema.get("properties", {})
    ]
    return tools


def escapes(layout: Layout) -> list[str]:
    base = layout.root.parent
    return [
        "..",
        "../elsewhere",
        "app/../../elsewhere",
        "../../../../../../../../etc",
        str(layout.outside),
        str(layout.outside / "leak.py"),
        "/etc",
        "/",
        f"file://{layout.outside}",
        "linked_dir",
        "linked_dir/leak.py",
        "linked_file.py",
        str(base / "service"),  # other case of the root's name: another directory here
        "../service",
        str(base / "Service-evil"),  # the root is a string prefix of it
        "../Service-evil",
        "~",
    ]


async def call_with_path(client: Client, tool: Tool, path: str) -> CallToolResult:
    arguments: dict[str, Any] = {"path": path}
    if "stages" in tool.input_schema.get("properties", {}):
        arguments["stages"] = ["lint"]  # if a path ever got through, keep the run short
    return await client.call_tool(tool.name, arguments)


async def test_tools_with_paths_are_discovered(client: Client) -> None:
    names = {tool.name for tool in await path_tools(client)}
    assert names, "no tool takes a path: nothing to confine"


async def test_escaping_paths_are_refused_naming_the_roots(client: Client, layout: Layout) -> None:
    root_text = str(layout.root.resolve())
    for tool in await path_tools(client):
        for path in escapes(layout):
            result = await call_with_path(client, tool, path)
            text = text_of(result)
            assert result.is_error, (tool.name, path, text[:400])
            assert OUTSIDE_MARKER not in text, (tool.name, path)
            if path != "~" or Path.home().exists():
                assert root_text in text or "outside the allowed roots" in text, (
                    tool.name,
                    path,
                    text,
                )
            assert "Traceback" not in text


async def test_refusal_message_names_the_allowed_roots(client: Client, layout: Layout) -> None:
    for tool in await path_tools(client):
        result = await call_with_path(client, tool, str(layout.outside))
        text = text_of(result)
        assert result.is_error
        assert str(layout.root.resolve()) in text, text
        assert "--root" in text  # and says how to allow another directory


async def test_symlink_loops_are_refused_cleanly(client: Client) -> None:
    for tool in await path_tools(client):
        for path in ("loop", "loop_a", "loop/x"):
            result = await call_with_path(client, tool, path)
            assert result.is_error, (tool.name, path)
            assert "Traceback" not in text_of(result)


@pytest.mark.skipif(os.name != "posix", reason="case-sensitive file system expected")
async def test_case_variants_of_the_root_are_other_directories(
    client: Client, layout: Layout
) -> None:
    lower = layout.root.parent / layout.root.name.lower()
    assert lower.exists()  # "service" exists next to "Service"
    upper = layout.root.parent / layout.root.name.upper()  # does not exist
    for tool in await path_tools(client):
        for variant in (lower, upper, upper / "app"):
            result = await call_with_path(client, tool, str(variant))
            assert result.is_error, (tool.name, variant)
            assert OUTSIDE_MARKER not in text_of(result)


async def test_review_does_not_follow_links_out_and_survives_loops(client: Client) -> None:
    names = {tool.name for tool in (await client.list_tools()).tools}
    if "review_backend" not in names:
        pytest.skip("review_backend is not offered by this build")
    result = await client.call_tool("review_backend", {"path": ".", "limit": 30})
    text = text_of(result)
    assert not result.is_error, text[:500]
    assert OUTSIDE_MARKER not in text
    assert "leak.py" not in text.replace("linked_file.py", "")


async def test_review_masks_secrets_in_every_part_of_the_result(client: Client) -> None:
    names = {tool.name for tool in (await client.list_tools()).tools}
    if "review_backend" not in names:
        pytest.skip("review_backend is not offered by this build")
    result = await client.call_tool("review_backend", {"path": ".", "limit": 30})
    text = text_of(result)
    assert "billing.py" in text, "the hard-coded key should be reported"
    assert LIVE_KEY not in text
    assert LIVE_KEY[8:] not in text  # not even without its prefix


async def test_root_that_is_a_symlink(tmp_path: Path) -> None:
    layout = write_layout(tmp_path)
    link = tmp_path / "service-link"
    link.symlink_to(layout.root, target_is_directory=True)
    server = build_server(Workspace.configure([str(link)]))
    async with Client(server, mode="legacy") as client:
        tools = await path_tools(client)
        for tool in tools:
            # Inside, by the link's name or the real one: accepted (or at least not refused).
            for inside in (str(link / "app"), str(layout.root / "app"), "app"):
                result = await call_with_path(client, tool, inside)
                assert "outside the allowed roots" not in text_of(result), (tool.name, inside)
            for path in ("../elsewhere", str(layout.outside), "linked_dir", str(link / "..")):
                result = await call_with_path(client, tool, path)
                assert result.is_error, (tool.name, path)
                assert OUTSIDE_MARKER not in text_of(result)


async def test_path_through_a_symlinked_parent(tmp_path: Path) -> None:
    """A root reached through a linked parent directory confines like its real location."""
    layout = write_layout(tmp_path / "real")
    parent_link = tmp_path / "via"
    parent_link.symlink_to(tmp_path / "real", target_is_directory=True)
    server = build_server(Workspace.configure([str(parent_link / "Service")]))
    async with Client(server, mode="legacy") as client:
        for tool in await path_tools(client):
            for path in (
                str(parent_link / "elsewhere"),
                str(parent_link / "Service" / ".." / "elsewhere"),
            ):
                result = await call_with_path(client, tool, path)
                assert result.is_error, (tool.name, path)
                assert str(layout.root.resolve()) in text_of(result)


async def test_quality_loop_test_selection_cannot_reach_outside(
    client: Client, layout: Layout
) -> None:
    names = {tool.name for tool in (await client.list_tools()).tools}
    if "run_quality_loop" not in names:
        pytest.skip("run_quality_loop is not offered by this build")
    (layout.root / "pyproject.toml").write_text('[project]\nname = "service"\nversion = "0.1.0"\n')
    tests_dir = layout.root / "tests"
    tests_dir.mkdir()
    (tests_dir / "test_files.py").write_text(
        "from pathlib import Path\n\n\n"
        "def test_writes_a_file(tmp_path: Path) -> None:\n"
        "    (tmp_path / 'out.txt').write_text('ok')\n"
    )
    victim = layout.outside / "leak.py"
    hostile = [
        f"--basetemp={layout.outside}",
        "../elsewhere/leak.py",
        str(victim),
        "--rootdir=/",
        "-p",
    ]
    for entry in hostile:
        result = await client.call_tool(
            "run_quality_loop",
            {"path": ".", "stages": ["test"], "tests": [entry], "timeout_s": 120},
        )
        assert victim.exists(), f"{entry!r} deleted a file outside the allowed roots"
        assert result.is_error, (entry, text_of(result)[:600])
        assert str(layout.root.resolve()) in text_of(result)
