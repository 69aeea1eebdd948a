"""detect_project on real folders: environments, package managers, tools, monorepos."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from mcp_backend.quality.detect import detect_project

from .conftest import FIXTURES


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def fake_venv(root: Path, tools: tuple[str, ...], name: str = ".venv") -> Path:
    bin_dir = root / name / "bin"
    for tool in ("python", *tools):
        executable = write(bin_dir / tool, "#!/bin/sh\n")
        executable.chmod(0o755)
    site = root / name / "lib" / "python3.11" / "site-packages"
    (site / "mypy-1.8.0.dist-info").mkdir(parents=True)
    return bin_dir


def test_python_fixture_with_our_interpreter() -> None:
    project = detect_project(FIXTURES / "orders_service", environ={})
    [python] = project.python
    assert project.node == []
    assert python.env_kind == "interpreter"
    assert python.interpreter == sys.executable
    assert python.configured == ["mypy", "pytest", "ruff"]
    assert python.mypy_files_configured and python.has_src_dir and python.has_tests
    assert {"ruff", "mypy", "pytest"} <= set(python.installed)


def test_project_venv_and_its_tool_versions(tmp_path: Path) -> None:
    write(tmp_path / "setup.cfg", "[flake8]\nmax-line-length = 100\n[mypy]\nfiles = app\n")
    bin_dir = fake_venv(tmp_path, ("flake8", "mypy"), name="venv")
    [python] = detect_project(tmp_path, environ={}).python
    assert python.env_kind == "venv"
    assert python.env_bin == bin_dir
    assert python.installed == {
        "flake8": [str(bin_dir / "flake8")],
        "mypy": [str(bin_dir / "mypy")],
    }
    assert python.tool_versions["mypy"] == "1.8.0"
    assert python.configured == ["flake8", "mypy"]
    assert python.mypy_files_configured


def test_virtual_env_variable_is_used_without_a_local_venv(tmp_path: Path) -> None:
    project_dir = tmp_path / "project"
    write(project_dir / "requirements-dev.txt", "pytest==8.3\nblack>=24\n")
    outer = tmp_path / "outer-env"
    fake_venv(outer, ("pytest",), name=".")
    [python] = detect_project(project_dir, environ={"VIRTUAL_ENV": str(outer / ".")}).python
    assert python.env_kind == "virtual_env"
    assert "pytest" in python.installed
    assert python.configured == ["black", "pytest"]  # declared in requirements-dev.txt


def test_uv_lock_means_uv_run(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml", '[project]\nname = "x"\n[dependency-groups]\ndev = ["ruff"]\n'
    )
    write(tmp_path / "uv.lock")
    fake_venv(tmp_path, ("ruff",))
    [python] = detect_project(tmp_path, environ={}).python
    assert python.env_kind == "uv"
    assert "ruff" in python.configured
    # With uv on PATH the runner is `uv run`; without it the .venv is used directly.
    assert python.runner in (["uv", "run", "--no-sync", "--"], [])
    assert python.runner_available


def test_poetry_lock_without_poetry_or_venv_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.poetry]\nname = "x"\n')
    write(tmp_path / "poetry.lock")
    [python] = detect_project(tmp_path, environ={}).python
    assert python.env_kind == "poetry"
    assert python.runner == ["poetry", "run"]
    assert python.runner_available == (shutil.which("poetry") is not None)
    assert python.env_bin is None and python.interpreter == "python"


def test_node_fixture_package_manager_scripts_and_tools() -> None:
    project = detect_project(FIXTURES / "ts_catalog", environ={})
    [node] = project.node
    assert project.python == []
    assert node.package_manager == "npm" and node.package_manager_source == "package-lock.json"
    assert node.scripts["test"] == "vitest run"
    assert node.tools == ["eslint", "tsc", "vitest"]
    assert node.typescript and node.has_tests


def test_package_manager_field_wins_over_lockfiles(tmp_path: Path) -> None:
    write(tmp_path / "package.json", json.dumps({"packageManager": "pnpm@9.12.0"}))
    write(tmp_path / "yarn.lock")
    [node] = detect_project(tmp_path, environ={}).node
    assert node.package_manager == "pnpm"
    assert "packageManager" in node.package_manager_source
    (tmp_path / "package.json").write_text("{}")
    [node] = detect_project(tmp_path, environ={}).node
    assert node.package_manager == "yarn"
    assert not node.has_node_modules and node.bins == {}


def test_monorepo_workspaces_and_service_folders(tmp_path: Path) -> None:
    write(
        tmp_path / "package.json",
        json.dumps({"private": True, "workspaces": ["apps/*"], "devDependencies": {"eslint": "9"}}),
    )
    write(tmp_path / "pnpm-lock.yaml")
    write(tmp_path / "apps" / "web" / "package.json", json.dumps({"scripts": {"test": "jest"}}))
    write(tmp_path / "apps" / "web" / "node_modules" / ".bin" / "jest", "")
    write(tmp_path / "services" / "billing" / "pyproject.toml", "[tool.ruff]\n")
    write(tmp_path / "node_modules" / ".bin" / "eslint", "")
    write(tmp_path / "docs" / "package.json", "{}")  # not a workspace, not a package folder
    project = detect_project(tmp_path, environ={})
    assert [n.root.name for n in project.node] == [tmp_path.name, "web"]
    web = project.node[1]
    assert web.package_manager == "pnpm"  # the workspace root's lockfile
    assert web.has_node_modules and "eslint" in web.bins  # hoisted to the root
    assert [p.root.name for p in project.python] == ["billing"]


def test_folder_of_projects_and_nothing_found(tmp_path: Path) -> None:
    write(tmp_path / "backend" / "pyproject.toml", "[project]\nname = 'api'\n")
    write(tmp_path / "frontend" / "package.json", "{}")
    write(tmp_path / "node_modules" / "x" / "package.json", "{}")  # never a project package
    project = detect_project(tmp_path, environ={})
    assert [p.root.name for p in project.python] == ["backend"]
    assert [n.root.name for n in project.node] == ["frontend"]
    (tmp_path / "empty").mkdir()
    empty = detect_project(tmp_path / "empty", environ={})
    assert empty.python == [] and empty.node == []
    assert empty.notes and "No Python" in empty.notes[0]


def test_repository_itself_ignores_fixture_projects() -> None:
    repository = FIXTURES.parent.parent.parent
    project = detect_project(repository, environ={})
    assert [p.root for p in project.python] == [repository]
    assert project.node == []


def test_solution_tsconfig_leads_to_its_referenced_projects(tmp_path: Path) -> None:
    write(tmp_path / "package.json", '{"name": "x", "devDependencies": {"typescript": "5"}}')
    # JSONC: comments, trailing commas; a nested solution file in apps/web.
    write(
        tmp_path / "tsconfig.json",
        '{\n  // solution\n  "files": [],\n  "references": [\n'
        '    { "path": "./apps/web" },\n    { "path": "./tsconfig.tools.json" },\n  ],\n}\n',
    )
    write(tmp_path / "tsconfig.tools.json", '{"include": ["tools/**/*.ts"]}')
    write(tmp_path / "tsconfig.base.json", '{"compilerOptions": {"composite": true}}')
    write(
        tmp_path / "apps" / "web" / "tsconfig.json",
        '{"files": [], "include": [], "references": [{"path": "./tsconfig.app.json"}]}',
    )
    write(
        tmp_path / "apps" / "web" / "tsconfig.app.json",
        '{"extends": "../../tsconfig.base", "include": ["src"]}',
    )
    [node] = detect_project(tmp_path).node
    assert node.tsconfig_projects == ["apps/web/tsconfig.app.json", "tsconfig.tools.json"]
    assert node.tsconfig_composite  # inherited through `extends`
    assert not node.tsconfig_selects_nothing


def test_ordinary_and_empty_tsconfig(tmp_path: Path) -> None:
    write(tmp_path / "a" / "package.json", '{"name": "a"}')
    write(tmp_path / "a" / "tsconfig.json", '{"include": ["src"], "references": []}')
    write(tmp_path / "b" / "package.json", '{"name": "b"}')
    write(tmp_path / "b" / "tsconfig.json", '{"files": []}')
    ordinary, empty = detect_project(tmp_path).node
    assert ordinary.tsconfig_projects == [] and not ordinary.tsconfig_selects_nothing
    assert empty.tsconfig_projects == [] and empty.tsconfig_selects_nothing


def test_environment_and_build_folders_are_found_for_the_tools(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path / "app" / "main.py", "x = 1\n")
    write(tmp_path / "py311" / "pyvenv.cfg", "home = /usr/bin\n")  # a venv by its content
    write(tmp_path / "services" / "api" / "node_modules" / "x.js")
    write(tmp_path / "dist" / "x.py")
    [python] = detect_project(tmp_path).python
    assert python.excluded_dirs == ["dist", "node_modules", "py311"]
    assert python.has_python_files
