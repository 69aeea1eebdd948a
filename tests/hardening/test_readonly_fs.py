"""A project on a read-only filesystem (a mounted checkout, a container layer) is reviewed and
checked without crashing. As root, chmod does not stop writes, so the test mounts a real
read-only tmpfs; it is skipped where mounting is not allowed."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

APP = (
    "import sqlite3\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    '@app.get("/users")\n'
    "def find() -> object:\n"
    '    conn = sqlite3.connect("app.db")\n'
    "    return conn.execute(f\"SELECT * FROM users WHERE name = '{request.args['name']}'\")\n"
)


def mount(*argv: str) -> bool:
    if shutil.which("mount") is None:
        return False
    return (
        subprocess.run(["mount", *argv], capture_output=True, timeout=30, check=False).returncode
        == 0
    )


@pytest.fixture
def read_only_project(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "ro"
    root.mkdir()
    if os.geteuid() != 0 or not mount("-t", "tmpfs", "tmpfs", str(root)):
        pytest.skip("needs root and permission to mount a tmpfs")
    try:
        (root / "pyproject.toml").write_text(
            '[project]\nname = "ro"\nversion = "0"\n\n[tool.ruff]\n'
        )
        (root / "app.py").write_text(APP)
        assert mount("-o", "remount,ro", str(root))
        with pytest.raises(OSError):
            (root / "probe").write_text("x")
        yield root
    finally:
        subprocess.run(["umount", str(root)], capture_output=True, timeout=30, check=False)


@pytest.mark.anyio
async def test_review_and_loop_work_on_a_read_only_project(read_only_project: Path) -> None:
    server = build_server(Workspace.configure([str(read_only_project)]))
    async with Client(server, mode="legacy") as client:
        review = await client.call_tool("review_backend", {"path": "."})
        loop = await client.call_tool(
            "run_quality_loop",
            {"path": ".", "stages": ["lint", "typecheck", "security"], "timeout_s": 300},
        )
    assert not review.is_error
    assert review.structured_content is not None
    assert any(f["rule_id"] == "sql-string-query" for f in review.structured_content["findings"])
    assert not loop.is_error
    assert loop.structured_content is not None
    stages = {stage["name"]: stage for stage in loop.structured_content["stages"]}
    assert stages["security"]["status"] == "failed"  # the SQL finding, not a crash
    assert stages["lint"]["status"] in ("passed", "failed")
    assert stages["typecheck"]["status"] in ("passed", "failed")
