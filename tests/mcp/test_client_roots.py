"""The client's roots become the allowed roots when the user configured none."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import ListRootsResult, Root

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio


def roots_of(directory: Path) -> Any:
    uri = directory.resolve().as_uri()

    async def list_roots(context: Any) -> ListRootsResult:
        return ListRootsResult(roots=[Root(uri=uri, name="project")])

    return list_roots


async def test_client_roots_are_adopted_when_none_are_configured(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the server's own default root
    monkeypatch.delenv("MCP_BACKEND_ROOTS", raising=False)
    server = build_server(Workspace.configure([]))
    async with Client(server, mode="legacy", list_roots_callback=roots_of(project)) as client:
        result = await client.call_tool("review_backend", {"path": str(project), "limit": 1})
    assert not result.is_error, result.content


async def test_explicit_roots_are_not_replaced_by_the_client(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    server = build_server(Workspace.configure([str(other)]))
    async with Client(server, mode="legacy", list_roots_callback=roots_of(project)) as client:
        result = await client.call_tool("review_backend", {"path": str(project)})
    assert result.is_error
    assert "outside the allowed roots" in result.content[0].text  # type: ignore[union-attr]


@pytest.mark.parametrize("start", ["filesystem root", "home"])
async def test_started_from_root_or_home_without_roots_the_tools_refuse(
    start: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Desktop clients may launch servers with the working directory `/`.
    monkeypatch.delenv("MCP_BACKEND_ROOTS", raising=False)
    home = tmp_path / "home"
    (home / "project").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir("/" if start == "filesystem root" else home)
    server = build_server(Workspace.configure([]))
    async with Client(server, mode="legacy") as client:
        for tool, arguments in (
            ("review_backend", {"path": "."}),
            ("review_backend", {"path": "/etc"}),
            ("run_quality_loop", {"path": str(home / "project")}),
        ):
            result = await client.call_tool(tool, arguments)
            assert result.is_error, (tool, arguments)
            text = result.content[0].text  # type: ignore[union-attr]
            assert "--root" in text and "MCP_BACKEND_ROOTS" in text, text


async def test_client_roots_still_work_when_started_from_root(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MCP_BACKEND_ROOTS", raising=False)
    monkeypatch.chdir("/")
    server = build_server(Workspace.configure([]))
    async with Client(server, mode="legacy", list_roots_callback=roots_of(project)) as client:
        result = await client.call_tool("review_backend", {"path": ".", "limit": 1})
    assert not result.is_error, result.content


UNREADABLE = Path("/proc/1/map_files")  # refused without CAP_SYS_ADMIN, even to root


def unreadable_here() -> bool:
    try:
        os.listdir(UNREADABLE)
    except PermissionError:
        return True
    except OSError:
        return False
    return False


@pytest.mark.skipif(not unreadable_here(), reason=f"{UNREADABLE} is readable here")
async def test_an_os_error_inside_a_tool_names_the_path() -> None:
    server = build_server(Workspace.configure([str(UNREADABLE.parent)]))
    async with Client(server, mode="legacy") as client:
        result = await client.call_tool(
            "run_quality_loop", {"path": UNREADABLE.name, "stages": ["lint"]}
        )
    assert result.is_error
    text = result.content[0].text  # type: ignore[union-attr]
    assert f"cannot read {UNREADABLE}: Permission denied" in text
