"""What the project is: its Python and Node packages, their environments and their tools.

Detection only reads files (no tool is run), so it is fast and safe on any checkout.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
import os
import re
import shutil
import sys
import tomllib
from collections.abc import Mapping
from configparser import ConfigParser
from configparser import Error as ConfigParserError
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp_backend.quality.models import NodeProject, PackageManager, Project, PythonProject

# The review's own rules for what is not the project's code (environments, dependencies, build
# output, vendored code, VCS metadata): the tools skip the same folders the review skips.
from mcp_backend.review.discover import _skip_dir_reason as skip_dir_reason

logger = logging.getLogger(__name__)

PYTHON_TOOLS = ("ruff", "flake8", "black", "mypy", "pyright", "pytest")
NODE_TOOL_BINS = {"eslint": "eslint", "biome": "biome", "tsc": "tsc", "vitest": "vitest",
                  "jest": "jest", "prettier": "prettier"}  # fmt: skip
# Directories that never hold a package of the project itself.
SKIP_DIRS = frozenset(
    {"node_modules", ".venv", "venv", ".git", "dist", "build", "__pycache__", ".tox", ".nox"}
)
MONOREPO_DIRS = ("packages", "apps", "services", "libs")
MAX_PACKAGES = 20
MAX_TSCONFIG_PROJECTS = 50
MAX_TSCONFIG_DEPTH = 5
# How far detection walks a package for folders the tools must skip (a nested .venv,
# packages/x/build) and for Python source.
WALK_DEPTH = 8
MAX_ENTRIES_VISITED = 20_000
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_VERSION_IN_DIST_INFO = re.compile(r"^(?P<name>[A-Za-z0-9_.]+)-(?P<version>[^-]+)\.dist-info$")


def detect_project(
    root: Path, environ: Mapping[str, str] | None = None, our_python: str | None = None
) -> Project:
    """Every Python and Node package under `root` (the root itself, declared workspaces and
    the usual monorepo folders), with how to run its tools."""
    environ = os.environ if environ is None else environ
    our_python = our_python or sys.executable
    root = root.resolve()
    project = Project(root=root)
    for directory in _package_dirs(root):
        if _is_python_package(directory):
            project.python.append(_detect_python(directory, root, environ, our_python))
        if (directory / "package.json").is_file():
            node = _detect_node(directory, root)
            if node is not None:
                project.node.append(node)
    if not project.python and not project.node:
        project.notes.append(
            "No Python (pyproject.toml, setup.cfg, setup.py, requirements*.txt) or Node "
            "(package.json) project found here."
        )
    return project


# ---------------------------------------------------------------- packages


def _is_python_package(directory: Path) -> bool:
    markers = ("pyproject.toml", "setup.cfg", "setup.py")
    return any((directory / m).is_file() for m in markers) or any(
        directory.glob("requirements*.txt")
    )


def _is_package(directory: Path) -> bool:
    return _is_python_package(directory) or (directory / "package.json").is_file()


def _package_dirs(root: Path) -> list[Path]:
    found: list[Path] = []
    if _is_package(root):
        found.append(root)
    candidates: list[Path] = []
    for pattern in _workspace_patterns(root):
        candidates.extend(sorted(root.glob(pattern)))
    for folder in MONOREPO_DIRS:
        if (root / folder).is_dir():
            candidates.extend(sorted((root / folder).iterdir()))
    if not found:
        # Not a package itself: look one level down (backend/, frontend/, api/, …).
        candidates.extend(sorted(p for p in root.iterdir() if p.is_dir()))
    for candidate in candidates:
        if len(found) >= MAX_PACKAGES:
            break
        if (
            candidate.is_dir()
            and candidate.name not in SKIP_DIRS
            and not candidate.name.startswith(".")
            and candidate.resolve() not in found
            and _is_package(candidate)
        ):
            found.append(candidate.resolve())
    return found


def _workspace_patterns(root: Path) -> list[str]:
    patterns: list[str] = []
    package_json = _read_json(root / "package.json")
    workspaces = package_json.get("workspaces") if package_json else None
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        patterns.extend(str(w) for w in workspaces)
    pnpm_workspace = root / "pnpm-workspace.yaml"
    if pnpm_workspace.is_file():
        for line in _read_text(pnpm_workspace).splitlines():
            item = line.strip()
            if item.startswith("- "):
                patterns.append(item[2:].strip().strip("'\""))
    pyproject = _read_toml(root / "pyproject.toml")
    members = pyproject.get("tool", {}).get("uv", {}).get("workspace", {}).get("members", [])
    if isinstance(members, list):
        patterns.extend(str(m) for m in members)
    # Negations and absolute patterns are not package locations.
    return [p for p in patterns if p and not p.startswith(("!", "/")) and ".." not in p]


# ---------------------------------------------------------------- python


def _detect_python(
    directory: Path, root: Path, environ: Mapping[str, str], our_python: str
) -> PythonProject:
    pyproject = _read_toml(directory / "pyproject.toml")
    tool_table: dict[str, Any] = pyproject.get("tool", {})
    setup_cfg = _read_ini(directory / "setup.cfg")
    tox_ini = _read_ini(directory / "tox.ini")

    configured: set[str] = set()
    if "ruff" in tool_table or _exists(directory, "ruff.toml", ".ruff.toml"):
        configured.add("ruff")
    if "black" in tool_table:
        configured.add("black")
    if (
        "mypy" in tool_table
        or _exists(directory, "mypy.ini", ".mypy.ini")
        or setup_cfg.has_section("mypy")
    ):
        configured.add("mypy")
    if "pyright" in tool_table or _exists(directory, "pyrightconfig.json"):
        configured.add("pyright")
    if (
        _exists(directory, ".flake8")
        or setup_cfg.has_section("flake8")
        or tox_ini.has_section("flake8")
    ):
        configured.add("flake8")
    if (
        "pytest" in tool_table
        or _exists(directory, "pytest.ini", "conftest.py")
        or setup_cfg.has_section("tool:pytest")
        or tox_ini.has_section("pytest")
    ):
        configured.add("pytest")
    configured |= _declared_tools(directory, pyproject) & set(PYTHON_TOOLS)

    mypy_table = tool_table.get("mypy", {})
    mypy_files = bool(mypy_table.get("files") or mypy_table.get("packages"))
    for ini in (directory / "mypy.ini", directory / ".mypy.ini"):
        parsed = _read_ini(ini)
        mypy_files = mypy_files or parsed.has_option("mypy", "files")
    mypy_files = mypy_files or setup_cfg.has_option("mypy", "files")

    tree = walk_package(directory)
    project = PythonProject(
        root=directory,
        env_kind="interpreter",
        interpreter=our_python,
        configured=sorted(configured),
        mypy_files_configured=mypy_files,
        has_src_dir=(directory / "src").is_dir(),
        has_tests=_has_python_tests(directory) or "pytest" in configured,
        excluded_dirs=tree.excluded_dirs,
        has_python_files=tree.has_python_files,
        # A read-only mount: ruff, mypy and pytest would fail writing their caches there.
        read_only=not os.access(directory, os.W_OK),
    )
    _detect_python_env(project, directory, root, environ, our_python)
    return project


def _detect_python_env(
    project: PythonProject,
    directory: Path,
    root: Path,
    environ: Mapping[str, str],
    our_python: str,
) -> None:
    venv = _find_venv(directory, root)
    lock_runner: tuple[str, list[str]] | None = None
    if _exists_upwards(directory, root, "uv.lock"):
        lock_runner = ("uv", ["uv", "run", "--no-sync", "--"])
    elif _exists_upwards(directory, root, "poetry.lock"):
        lock_runner = ("poetry", ["poetry", "run"])

    if lock_runner is not None:
        kind, runner = lock_runner
        project.env_kind = "uv" if kind == "uv" else "poetry"
        project.runner = runner
        project.runner_available = shutil.which(kind) is not None
        if venv is not None:
            project.env_bin = venv
            project.interpreter = str(venv / "python")
        else:
            project.interpreter = "python"
        if not project.runner_available and venv is not None:
            # The lockfile's tool is absent but its environment exists: use it directly.
            project.runner = []
            project.runner_available = True
    elif venv is not None:
        project.env_kind = "venv"
        project.env_bin = venv
        project.interpreter = str(venv / "python")
    elif environ.get("VIRTUAL_ENV") and Path(environ["VIRTUAL_ENV"], "bin", "python").exists():
        project.env_kind = "virtual_env"
        project.env_bin = Path(environ["VIRTUAL_ENV"]) / "bin"
        project.interpreter = str(project.env_bin / "python")
    else:
        project.env_kind = "interpreter"
        project.env_bin = Path(our_python).parent
        project.interpreter = our_python

    if project.env_bin is not None:
        for tool in PYTHON_TOOLS:
            executable = project.env_bin / tool
            if executable.is_file() and os.access(executable, os.X_OK):
                project.installed[tool] = [str(executable)]
        project.tool_versions = _env_versions(project.env_bin)
    if project.env_kind == "interpreter":
        # Our own interpreter: its tools are importable even without scripts on disk.
        for tool in ("ruff", "mypy", "pytest"):
            if tool not in project.installed and importlib.util.find_spec(tool) is not None:
                project.installed[tool] = [our_python, "-m", tool]
        for tool in ("ruff", "mypy", "pytest"):
            if tool not in project.tool_versions:
                try:
                    project.tool_versions[tool] = importlib.metadata.version(tool)
                except importlib.metadata.PackageNotFoundError:
                    continue


def _find_venv(directory: Path, root: Path) -> Path | None:
    """The bin directory of .venv/ or venv/ in the package or above it, up to the root."""
    current = directory
    while True:
        for name in (".venv", "venv"):
            candidate = current / name / "bin"
            if (candidate / "python").exists():
                return candidate
        if current in (root, current.parent):
            return None
        current = current.parent


def _env_versions(env_bin: Path) -> dict[str, str]:
    """Tool versions read from the environment's dist-info folders (no process started)."""
    versions: dict[str, str] = {}
    for site_packages in env_bin.parent.glob("lib/python3*/site-packages"):
        for info in site_packages.glob("*.dist-info"):
            match = _VERSION_IN_DIST_INFO.match(info.name)
            if match and match["name"].lower() in PYTHON_TOOLS:
                versions[match["name"].lower()] = match["version"]
    return versions


def _declared_tools(directory: Path, pyproject: dict[str, Any]) -> set[str]:
    """Tool names among the project's declared (dev) dependencies."""
    names: list[str] = []
    project_table = pyproject.get("project", {})
    names.extend(project_table.get("dependencies", []))
    for group in project_table.get("optional-dependencies", {}).values():
        names.extend(group)
    for group in pyproject.get("dependency-groups", {}).values():
        names.extend(item for item in group if isinstance(item, str))
    poetry = pyproject.get("tool", {}).get("poetry", {})
    names.extend(poetry.get("dependencies", {}))
    names.extend(poetry.get("dev-dependencies", {}))
    for group in poetry.get("group", {}).values():
        names.extend(group.get("dependencies", {}))
    for requirements in directory.glob("requirements*.txt"):
        names.extend(_read_text(requirements).splitlines())
    declared: set[str] = set()
    for name in names:
        match = _REQUIREMENT_NAME.match(str(name))
        if match:
            declared.add(match.group(1).lower())
    return declared


@dataclass
class PackageTree:
    """What a bounded walk of a package saw: the folders the tools must skip, and whether
    any Python source lies outside them."""

    excluded_dirs: list[str] = field(default_factory=list)
    has_python_files: bool = False


def walk_package(directory: Path) -> PackageTree:
    """Folders under `directory` that hold no project code by the review's rules (a
    virtualenv is recognised by its content whatever its name), and whether Python source
    exists elsewhere. Bounded: past the limits, Python files are assumed present."""
    found: set[str] = set()
    has_python = False
    level = [directory]
    visited = 0
    for depth in range(WALK_DEPTH):
        deeper: list[Path] = []
        for folder in level:
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                visited += 1
                if visited > MAX_ENTRIES_VISITED:
                    return PackageTree(sorted(found), True)
                if not entry.is_dir(follow_symlinks=False):
                    has_python = has_python or entry.name.endswith((".py", ".pyi"))
                    continue
                if skip_dir_reason(entry.name, Path(entry.path)) is not None:
                    found.add(entry.name)
                elif depth + 1 < WALK_DEPTH:
                    deeper.append(Path(entry.path))
                else:
                    has_python = True  # deeper than we look: assume there is code
        level = deeper
    return PackageTree(sorted(found), has_python)


def _has_python_tests(directory: Path) -> bool:
    if (directory / "tests").is_dir() or (directory / "test").is_dir():
        return True
    return any(directory.glob("test_*.py")) or any(directory.glob("*/test_*.py"))


# ---------------------------------------------------------------- node


def _detect_node(directory: Path, root: Path) -> NodeProject | None:
    package_json = _read_json(directory / "package.json")
    if package_json is None:
        return None
    manager, source = _package_manager(directory, root, package_json)
    scripts = {
        str(k): str(v) for k, v in (package_json.get("scripts") or {}).items() if isinstance(v, str)
    }
    dependencies: set[str] = set()
    for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        section = package_json.get(key) or {}
        if isinstance(section, dict):
            dependencies.update(section)
    tools: list[str] = []
    if (
        "eslint" in dependencies
        or any(directory.glob("eslint.config.*"))
        or any(directory.glob(".eslintrc*"))
    ):
        tools.append("eslint")
    if "@biomejs/biome" in dependencies or _exists(directory, "biome.json", "biome.jsonc"):
        tools.append("biome")
    if "prettier" in dependencies:
        tools.append("prettier")
    typescript = "typescript" in dependencies or (directory / "tsconfig.json").is_file()
    if typescript and (directory / "tsconfig.json").is_file():
        tools.append("tsc")
    if "vitest" in dependencies:
        tools.append("vitest")
    if "jest" in dependencies:
        tools.append("jest")
    if "node --test" in scripts.get("test", ""):
        tools.append("node_test")

    node_modules = _find_upwards(directory, root, "node_modules")
    bins: dict[str, str] = {}
    for tool, bin_name in NODE_TOOL_BINS.items():
        found = _find_bin(directory, root, bin_name)
        if found is not None:
            bins[tool] = str(found)
    layout = _tsconfig_layout(directory) if "tsc" in tools else TsconfigLayout()
    return NodeProject(
        root=directory,
        tsconfig_projects=layout.projects,
        tsconfig_composite=layout.composite,
        tsconfig_selects_nothing=layout.selects_nothing,
        package_manager=manager,
        package_manager_source=source,
        scripts=scripts,
        tools=tools,
        bins=bins,
        has_node_modules=node_modules is not None,
        typescript=typescript,
        has_tests=_has_node_tests(directory),
        # node_modules and .git: every JavaScript tool skips them already.
        excluded_dirs=[
            name
            for name in walk_package(directory).excluded_dirs
            if name not in ("node_modules", ".git")
        ],
    )


@dataclass
class TsconfigLayout:
    projects: list[str] = field(default_factory=list)
    composite: bool = False
    selects_nothing: bool = False


def _tsconfig_layout(directory: Path) -> TsconfigLayout:
    """Whether tsconfig.json is a solution file (Nx, Vite and `tsc --init --solution` write
    them): `tsc --noEmit` on it checks no file, the references hold the code."""
    layout = TsconfigLayout()
    config = _read_jsonc(directory / "tsconfig.json")
    if config is None or not _is_solution(config):
        return layout
    leaves: list[Path] = []
    _referenced_leaves(directory / "tsconfig.json", config, leaves, set(), depth=0)
    if not leaves:
        layout.selects_nothing = True
        return layout
    for leaf in leaves:
        try:
            layout.projects.append(leaf.relative_to(directory).as_posix())
        except ValueError:
            layout.projects.append(str(leaf))
        layout.composite = layout.composite or _compiler_option(leaf, "composite") is True
    return layout


def _is_solution(config: dict[str, Any]) -> bool:
    # With `files` given, `include` defaults to nothing: `files: []` alone selects no file.
    return config.get("files") == [] and not config.get("include")


def _referenced_leaves(
    config_path: Path, config: dict[str, Any], leaves: list[Path], seen: set[Path], depth: int
) -> None:
    """The configs the references lead to, through nested solution files (bounded)."""
    references = config.get("references")
    if not isinstance(references, list) or depth > MAX_TSCONFIG_DEPTH:
        return
    for reference in references:
        raw = reference.get("path") if isinstance(reference, dict) else None
        if not isinstance(raw, str) or len(leaves) >= MAX_TSCONFIG_PROJECTS:
            continue
        target = (config_path.parent / raw).resolve()
        if target.is_dir():
            target = target / "tsconfig.json"
        if target in seen or not target.is_file():
            continue
        seen.add(target)
        referenced = _read_jsonc(target)
        if referenced is None:
            continue
        if _is_solution(referenced):
            _referenced_leaves(target, referenced, leaves, seen, depth + 1)
        else:
            leaves.append(target)


def _compiler_option(config_path: Path, name: str, depth: int = 0) -> Any:
    """A compiler option, following relative `extends` (a few levels)."""
    config = _read_jsonc(config_path)
    if config is None:
        return None
    options = config.get("compilerOptions")
    if isinstance(options, dict) and name in options:
        return options[name]
    parent = config.get("extends")
    if isinstance(parent, str) and parent.startswith(".") and depth < MAX_TSCONFIG_DEPTH:
        base = config_path.parent / parent
        if not base.name.endswith(".json"):
            base = base.with_name(base.name + ".json")
        return _compiler_option(base, name, depth + 1)
    return None


def _package_manager(
    directory: Path, root: Path, package_json: dict[str, Any]
) -> tuple[PackageManager, str]:
    field = package_json.get("packageManager")
    if isinstance(field, str):
        name = field.split("@", 1)[0]
        if name in ("npm", "pnpm", "yarn", "bun"):
            return name, f"packageManager field ({field})"  # type: ignore[return-value]
    lockfiles: list[tuple[str, PackageManager]] = [
        ("pnpm-lock.yaml", "pnpm"),
        ("yarn.lock", "yarn"),
        ("bun.lockb", "bun"),
        ("bun.lock", "bun"),
        ("package-lock.json", "npm"),
    ]
    current = directory
    while True:
        for lockfile, manager in lockfiles:
            if (current / lockfile).is_file():
                return manager, lockfile
        if current in (root, current.parent):
            break
        current = current.parent
    return "npm", "default (no lockfile)"


def _find_bin(directory: Path, root: Path, name: str) -> Path | None:
    current = directory
    while True:
        candidate = current / "node_modules" / ".bin" / name
        if candidate.exists():
            return candidate
        if current in (root, current.parent):
            return None
        current = current.parent


def _has_node_tests(directory: Path) -> bool:
    patterns = ("*.test.*", "*.spec.*")
    for folder in (directory, directory / "test", directory / "tests", directory / "src"):
        if folder.is_dir() and any(any(folder.glob(p)) for p in patterns):
            return True
    return (directory / "test").is_dir() or (directory / "__tests__").is_dir()


# ---------------------------------------------------------------- small readers


def _exists(directory: Path, *names: str) -> bool:
    return any((directory / name).is_file() for name in names)


def _exists_upwards(directory: Path, root: Path, name: str) -> bool:
    return _find_upwards(directory, root, name) is not None


def _find_upwards(directory: Path, root: Path, name: str) -> Path | None:
    current = directory
    while True:
        if (current / name).exists():
            return current / name
        if current in (root, current.parent):
            return None
        current = current.parent


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        logger.warning("cannot parse %s: %s", path, exc)
        return {}


def _read_json(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        logger.warning("cannot parse %s: %s", path, exc)
        return None
    return data if isinstance(data, dict) else None


# tsconfig files are JSON with comments and trailing commas.
_JSONC_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/|,(?=\s*[}\]])', re.DOTALL)


def _read_jsonc(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    text = _JSONC_TOKEN.sub(
        lambda match: match.group(0) if match.group(0).startswith('"') else "", _read_text(path)
    )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        logger.warning("cannot parse %s: %s", path, exc)
        return None
    return data if isinstance(data, dict) else None


def _read_ini(path: Path) -> ConfigParser:
    parser = ConfigParser(interpolation=None)
    if path.is_file():
        try:
            parser.read_string(_read_text(path))
        except ConfigParserError as exc:
            logger.warning("cannot parse %s: %s", path, exc)
    return parser
