"""Fixtures for testing the MCP surface through real clients."""

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
    """A tiny backend project the tools may read."""
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "main.py").write_text(
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.get('/health')\ndef health() -> dict[str, str]:\n    return {'status': 'ok'}\n"
    )
    return root
