"""The wheel is what users install: it must carry the knowledge base and find it when installed
as a normal (non-editable) package in a fresh virtualenv."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )
    (built,) = out.glob("mcp_backend-*.whl")
    return built


def test_wheel_contains_resources_and_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {
        Path(name).relative_to("mcp_backend/_resources").as_posix()
        for name in names
        if name.startswith("mcp_backend/_resources/")
    }
    expected = {
        path.relative_to(ROOT / "resources").as_posix()
        for path in (ROOT / "resources").rglob("*")
        if path.is_file()
    }
    assert expected and expected <= shipped
    assert "mcp_backend/server.py" in names
    # The quality loop's warm workers are Node scripts beside the Python code.
    workers = {
        f"mcp_backend/quality/node_workers/{path.name}"
        for path in (ROOT / "mcp_backend" / "quality" / "node_workers").glob("*.cjs")
    }
    assert workers and workers <= set(names)
    # Each rule's documentation is package data beside its metadata (backend://rules/{id}).
    docs = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "mcp_backend" / "review" / "rules").glob("*/doc.md")
    }
    assert docs and docs <= set(names)
    assert not any(name.startswith("tests/") for name in names)


@pytest.mark.slow
def test_installed_wheel_serves_knowledge_from_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        timeout=900,
        stdout=subprocess.DEVNULL,
    )
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    # Run outside the checkout so nothing can be imported from the source tree.
    located = subprocess.run(
        [str(python), "-c", "import mcp_backend.knowledge.loader as l; print(l.resources_dir())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert str(venv) in located.stdout
    listed = subprocess.run(
        [str(venv / "bin" / "mcp-backend"), "guidance", "checklist", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)
