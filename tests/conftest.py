"""Shared fixtures: a small project for the tools to read, the installed script, anyio."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("mcp-backend")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny FastAPI service, written the way a team would, for the tools to read."""
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "main.py").write_text(
        "from fastapi import FastAPI\n\n"
        "app = FastAPI()\n\n\n"
        "@app.get('/health')\n"
        "def health() -> dict[str, str]:\n"
        "    return {'status': 'ok'}\n"
    )
    (root / "pyproject.toml").write_text('[project]\nname = "tiny-service"\nversion = "0.1.0"\n')
    return root
