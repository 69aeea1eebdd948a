"""Fixture projects for the quality loop, copied to a temporary folder before each run."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from mcp_backend.quality.engine import run_quality_loop
from mcp_backend.quality.models import LoopReport, LoopRequest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "quality"
DATA = Path(__file__).resolve().parent / "data"
NPM_CACHE = Path(__file__).resolve().parent.parent / ".npm-cache"
NPM_INSTALL_TIMEOUT_S = 600


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_outer_virtualenv(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detection must see the fixture's own environment, not the one running pytest."""
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)


CopyFixture = Callable[[str], Path]


@pytest.fixture
def copy_fixture(tmp_path: Path) -> CopyFixture:
    """Copy a fixture project out of the repository (tools write caches next to it)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("node_modules"))
        return target

    return copy


def read_data(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def pid_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X")


def npm_installed(name: str, tools: tuple[str, ...]) -> Path:
    """A Node fixture project with its npm dev dependencies installed (once, cached)."""
    root = FIXTURES / name
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip(f"npm and node are needed for the {name} fixture and are not installed")
    bins = root / "node_modules" / ".bin"
    if not all((bins / tool).exists() for tool in tools):
        completed = subprocess.run(
            [
                "npm",
                "ci",
                "--cache",
                str(NPM_CACHE),
                "--prefer-offline",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=NPM_INSTALL_TIMEOUT_S,
            env={**os.environ, "NO_UPDATE_NOTIFIER": "1"},
            check=False,
        )
        if completed.returncode != 0:
            pytest.fail(f"npm ci failed in {root}:\n{completed.stderr[-2000:]}")
    return root


@pytest.fixture(scope="session")
def ts_catalog() -> Path:
    """The TypeScript fixture with its npm dev dependencies installed (once, cached)."""
    return npm_installed("ts_catalog", ("eslint", "tsc", "vitest"))


def _written(path: Path) -> bool:
    return path.exists() and bool(path.read_text().strip())


async def wait_for_file(path: Path, attempts: int = 1200) -> None:
    """Poll (bounded: about a minute) until a process has written `path`."""
    for _ in range(attempts):
        if _written(path):
            return
        await anyio.sleep(0.05)
    raise AssertionError(f"{path} was never written")


async def run_loop(root: Path, **fields: object) -> LoopReport:
    request = LoopRequest.model_validate({"root": root, **fields})
    return await run_quality_loop(request)
