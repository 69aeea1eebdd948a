"""A project's own tool that crashes, or exits without a word, is reported as an error of that
stage with what is known; the loop and the server go on."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from mcp import Client

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio

TOOLS = {
    "crashes": "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n",
    "silent": "import sys\nsys.exit(7)\n",
}


def project_with_broken_ruff(tmp_path: Path, behaviour: str) -> Path:
    root = tmp_path / behaviour
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (bin_dir / "python").symlink_to(sys.executable)
    ruff = bin_dir / "ruff"
    ruff.write_text(f"#!{sys.executable}\n{TOOLS[behaviour]}")
    ruff.chmod(0o755)
    (root / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0"\n\n[tool.ruff]\n')
    (root / "app.py").write_text("VALUE = 1\n")
    return root


@pytest.mark.parametrize("behaviour", sorted(TOOLS))
async def test_broken_tool_is_a_stage_error_not_a_crash(behaviour: str, tmp_path: Path) -> None:
    root = project_with_broken_ruff(tmp_path, behaviour)
    async with Client(build_server(Workspace.configure([str(root)])), mode="legacy") as client:
        result = await client.call_tool("run_quality_loop", {"stages": ["lint"], "timeout_s": 60})
        after = await client.call_tool("get_guidance", {"topic": "quality-loop"})
    assert not result.is_error and not after.is_error
    assert result.structured_content is not None
    (lint,) = result.structured_content["stages"]
    assert lint["status"] == "error", lint
    assert lint["command"][0] == os.fspath(root / ".venv" / "bin" / "ruff")
    assert lint["exit_code"] not in (None, 0)
    assert result.structured_content["status"] != "passed"
    expected = "killed by SIGSEGV" if behaviour == "crashes" else "exited with code 7"
    assert expected in lint["reason"]
