"""run_quality_loop through a real client uses the server's warm workers, and the server's end
ends them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mcp import Client

from mcp_backend.server import build_server, quality_worker_pool
from mcp_backend.workspace import Workspace
from tests.quality.conftest import pid_alive, ts_catalog

__all__ = ["ts_catalog"]  # the session fixture that installs the fixture's node_modules

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.npm,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
]


async def test_the_tool_lints_in_the_servers_warm_worker_until_the_server_stops(
    ts_catalog: Path, tmp_path: Path
) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(ts_catalog, root, ignore=shutil.ignore_patterns("node_modules"))
    (root / "node_modules").mkdir()
    for entry in (ts_catalog / "node_modules").iterdir():
        if entry.name != ".cache":
            (root / "node_modules" / entry.name).symlink_to(entry)
    server = build_server(Workspace.configure([str(root)]))
    assert quality_worker_pool(server) is None  # nothing started before the first call
    async with Client(server, mode="legacy") as client:
        pids = []
        for _ in range(2):
            result = await client.call_tool("run_quality_loop", {"stages": ["lint"]})
            assert not result.is_error and result.structured_content is not None
            [lint] = result.structured_content["stages"]
            assert lint["status"] == "failed" and lint["counts"]["errors"] == 3
            assert any(n.startswith("warm worker: ran") for n in lint["notes"])
            assert "ran in a warm worker" in result.content[0].text  # type: ignore[union-attr]
            pool = quality_worker_pool(server)
            assert pool is not None
            pids.append(pool.pids[(str(root), "eslint")])
        assert pids[0] == pids[1]  # the same warm process served both calls
    assert not pid_alive(pids[0])  # the server's lifespan ended it
