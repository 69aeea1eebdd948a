"""A third-party client no one here wrote: the MCP Inspector CLI drives the installed server.

The Inspector is installed with npm on first use into tests/.npm-cache (kept between runs).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCRIPT

INSPECTOR_VERSION = "2.12.0"
CACHE = Path(__file__).resolve().parents[1] / ".npm-cache" / "inspector"

pytestmark = [pytest.mark.npm, pytest.mark.slow]


@pytest.fixture(scope="module")
def inspector() -> Path:
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("Node.js and npm are needed for the MCP Inspector")
    binary = CACHE / "node_modules" / ".bin" / "mcp-inspector"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
                str(CACHE),
                f"@modelcontextprotocol/inspector@{INSPECTOR_VERSION}",
            ],
            check=True,
            timeout=600,
            capture_output=True,
        )
    return binary


def run_inspector(inspector: Path, project: Path, *method: str) -> Any:
    completed = subprocess.run(
        [str(inspector), "--cli", str(SCRIPT), "serve", "--root", str(project), *method],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout)


def test_inspector_lists_tools(inspector: Path, project: Path) -> None:
    listed = run_inspector(inspector, project, "--method", "tools/list")
    names = {tool["name"] for tool in listed["tools"]}
    assert "get_guidance" in names


def test_inspector_reads_a_resource(inspector: Path, project: Path) -> None:
    read = run_inspector(
        inspector,
        project,
        "--method",
        "resources/read",
        "--uri",
        "backend://frameworks/framework-selection",
    )
    (contents,) = read["contents"]
    assert contents["mimeType"] == "text/markdown"
    assert "Fastify" in contents["text"]


def test_inspector_calls_a_tool(inspector: Path, project: Path) -> None:
    called = run_inspector(
        inspector,
        project,
        "--method",
        "tools/call",
        "--tool-name",
        "get_guidance",
        "--tool-arg",
        "topic=checklist/jwt",
    )
    assert called.get("isError") in (None, False)
    assert "JWT" in json.dumps(called)


def test_inspector_validates_our_results_without_warnings(inspector: Path, project: Path) -> None:
    # Calling a tool, its validator (ajv) compiles the output schema and warned eight times
    # about pydantic's `"format": "path"`, which JSON Schema does not define.
    completed = subprocess.run(
        [str(inspector), "--cli", str(SCRIPT), "serve", "--root", str(project),
         "--method", "tools/call", "--tool-name", "run_quality_loop",
         "--tool-arg", 'stages=["format"]'],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "## Quality loop" in completed.stdout
    assert "unknown format" not in completed.stderr + completed.stdout
