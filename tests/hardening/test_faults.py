"""Faults reachable through the MCP surface: a client that leaves mid-call, a read-only project."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from mcp import Client

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace
from tests.conftest import SCRIPT

from .jsonrpc_stdio import StdioPeer
from .test_http import TOKEN, serve_in_thread

HANG_SECONDS = 900


def process_table() -> dict[int, tuple[int, str, bytes]]:
    """pid -> (parent pid, state, command line) for every process we can see."""
    table: dict[int, tuple[int, str, bytes]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # it ended while we looked
        table[int(entry.name)] = (int(fields[1]), fields[0], cmdline)
    return table


def descendants(pid: int) -> dict[int, bytes]:
    table = process_table()
    found: dict[int, bytes] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, _state, cmdline) in table.items():
            if ppid == parent and child not in found:
                found[child] = cmdline
                frontier.append(child)
    return found


def still_running(pids: list[int]) -> list[int]:
    table = process_table()
    return [pid for pid in pids if pid in table and table[pid][1] != "Z"]


def end_leftovers(pids: list[int]) -> None:
    """After a failed check, end what the test's own server left behind (never anything else)."""
    for pid in still_running(pids):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def wait_until(condition: Callable[[], bool], attempts: int, pause: float = 0.25) -> bool:
    """Poll a condition a bounded number of times (no timing is asserted, only the outcome)."""
    for _ in range(attempts):
        if condition():
            return True
        time.sleep(pause)
    return bool(condition())


@pytest.fixture
def hanging_project(tmp_path: Path) -> Path:
    root = tmp_path / "slow-service"
    (root / "service").mkdir(parents=True)
    (root / "service" / "__init__.py").write_text("")
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "slow-service"\nversion = "0.1.0"\n')
    (root / "tests" / "test_waits.py").write_text(
        "import time\n\n\n"
        "def test_waits_for_a_service_that_never_answers() -> None:\n"
        f"    time.sleep({HANG_SECONDS})\n"
    )
    return root


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_client_leaving_mid_call_leaves_no_processes(hanging_project: Path) -> None:
    peer = StdioPeer([str(SCRIPT), "serve", "--root", str(hanging_project)])
    try:
        peer.initialize()
        listed = peer.call("tools", "tools/list")
        if "run_quality_loop" not in {tool["name"] for tool in listed["result"]["tools"]}:
            pytest.skip("run_quality_loop is not offered by this build")
        peer.request(
            "loop",
            "tools/call",
            {
                "name": "run_quality_loop",
                "arguments": {"path": ".", "stages": ["test"], "timeout_s": 600},
            },
        )
        # Wait (bounded) until the hanging test is really running under the server.
        assert wait_until(
            lambda: any(b"pytest" in cmd for cmd in descendants(peer.pid).values()), 480
        ), peer.describe("pytest never started")
        started = descendants(peer.pid)
    finally:
        # The client goes away: its end of both pipes closes.
        # It must then exit by itself (close() fails the test if it has to kill it)...
        peer.close(timeout=120)
    # ...and end everything it started.
    leftovers = list(started)
    try:
        assert wait_until(lambda: not still_running(leftovers), 240), {
            pid: started[pid].replace(b"\0", b" ")[:200] for pid in still_running(leftovers)
        }
    finally:
        end_leftovers(leftovers)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_http_client_hanging_up_mid_call_leaves_no_processes(hanging_project: Path) -> None:
    """Stateless HTTP: nobody can collect the answer once the caller hangs up, so the work ends."""
    with contextmanager(serve_in_thread)(hanging_project, token=TOKEN, rate_per_minute=600) as live:
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {
                    "name": "run_quality_loop",
                    "arguments": {"path": ".", "stages": ["test"], "timeout_s": 600},
                },
            }
        ).encode()
        head = (
            f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{live.port}\r\n"
            f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
            "Accept: application/json, text/event-stream\r\n"
            f"MCP-Protocol-Version: 2025-06-18\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        with socket.create_connection(("127.0.0.1", live.port), timeout=30) as connection:
            connection.sendall(head.encode() + body)

            def pytest_children() -> dict[int, bytes]:
                found = descendants(os.getpid())
                return {pid: cmd for pid, cmd in found.items() if b"junitxml" in cmd}

            assert wait_until(lambda: bool(pytest_children()), 480), "pytest never started"
            started = pytest_children()
        # The connection is closed: the caller hung up.
        leftovers = list(started)
        try:
            assert wait_until(lambda: not still_running(leftovers), 240), still_running(leftovers)
        finally:
            end_leftovers(leftovers)


@pytest.fixture
def read_only_project(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "frozen"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "users.py").write_text(
        "import sqlite3\n\n"
        "from fastapi import FastAPI\n\n"
        "app = FastAPI()\n\n\n"
        "@app.get('/users/{name}')\n"
        "def find_user(name: str) -> list[tuple[str, ...]]:\n"
        "    conn = sqlite3.connect('users.db')\n"
        "    return conn.execute(f\"SELECT * FROM users WHERE name = '{name}'\").fetchall()\n"
    )
    (root / "pyproject.toml").write_text('[project]\nname = "frozen"\nversion = "0.1.0"\n')
    paths = sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True)
    for path in [*paths, root]:
        mode = 0o555 if path.is_dir() else 0o444
        path.chmod(mode)
    yield root
    for path in [root, *root.rglob("*")]:
        path.chmod(stat.S_IRWXU | (path.stat().st_mode & 0o777))


@pytest.mark.anyio
async def test_read_only_project_is_reviewed(read_only_project: Path) -> None:
    """As root the permission bits do not bind, so this then checks the plain path only."""
    server = build_server(Workspace.configure([str(read_only_project)]))
    async with Client(server, mode="legacy") as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        if "review_backend" not in names:
            pytest.skip("review_backend is not offered by this build")
        result = await client.call_tool("review_backend", {"path": "."})
        text = "\n".join(getattr(block, "text", "") for block in result.content)
        text += json.dumps(result.structured_content or {})
        assert not result.is_error, text[:800]
        assert "Traceback" not in text
        assert "users.py" in text  # the injectable query is still found
