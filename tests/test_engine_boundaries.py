"""The engines (review, quality, recommend) know nothing of MCP or the terminal: none of their
modules imports `mcp` or argparse; those belong to the adapters (server.py, cli/)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mcp_backend"
ENGINES = ("review", "quality", "recommend")
FORBIDDEN = ("mcp", "argparse")


def imported_modules(source: Path) -> set[str]:
    """Every module an `import` or `from … import` names (absolute imports only)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def is_forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN)


@pytest.mark.parametrize("engine", ENGINES)
def test_no_engine_module_imports_mcp_or_argparse(engine: str) -> None:
    sources = sorted((PACKAGE / engine).rglob("*.py"))
    assert sources, f"no sources under {engine}/"
    offenders = {
        f"{source.relative_to(PACKAGE)}: {module}"
        for source in sources
        for module in imported_modules(source)
        if is_forbidden(module)
    }
    assert not offenders, sorted(offenders)


def test_the_check_itself_sees_an_import_of_mcp(tmp_path: Path) -> None:
    source = tmp_path / "adapter.py"
    source.write_text("import argparse\nfrom mcp.server.mcpserver import Context\nimport mcpx\n")
    assert {m for m in imported_modules(source) if is_forbidden(m)} == {
        "argparse",
        "mcp.server.mcpserver",
    }


def test_importing_every_engine_module_loads_neither_mcp_nor_argparse() -> None:
    """The import graph agrees with the sources: load every engine module in a fresh
    interpreter and look at what came along."""
    modules = sorted(
        ".".join(("mcp_backend", *source.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for engine in ENGINES
        for source in (PACKAGE / engine).rglob("*.py")
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout
