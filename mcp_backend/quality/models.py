"""The quality loop's data model: what a project is, what will run, and what came out.

Requests and reports are pydantic models (the MCP tool and the CLI serialise them as they
are); the detection and plan structures are too, so a plan can be shown without running it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

StageName = Literal["lint", "format", "typecheck", "security", "test"]
# The seed's order: lint, format check, type check, security, tests.
STAGE_ORDER: tuple[StageName, ...] = get_args(StageName)

StageStatus = Literal["passed", "failed", "error", "timed_out", "skipped"]
LoopStatus = Literal["passed", "failed", "error"]
DiagnosticSeverity = Literal["error", "warning", "info"]

PackageManager = Literal["npm", "pnpm", "yarn", "bun"]
PythonEnvKind = Literal["uv", "poetry", "venv", "virtual_env", "interpreter"]

# A parser turns a tool's output into diagnostics and counts; "text" means only the exit
# code and the raw tail are reported.
ParserName = Literal[
    "ruff_check",
    "ruff_format",
    "flake8",
    "black",
    "mypy_json",
    "mypy_text",
    "pyright",
    "pytest_junit",
    "eslint",
    "biome",
    "tsc",
    "vitest",
    "jest",
    "node_junit",
    "text",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- detection


class PythonProject(_Model):
    """One Python package: where it is, which environment runs it, which tools it configures."""

    root: Path
    env_kind: PythonEnvKind
    runner: list[str] = Field(
        default_factory=list, description="Prefix for every command, e.g. ['uv', 'run', '--']."
    )
    runner_available: bool = True
    env_bin: Path | None = Field(default=None, description="The environment's bin directory.")
    interpreter: str = Field(description="Python used for `-m` tools in this environment.")
    configured: list[str] = Field(
        default_factory=list, description="Tools with configuration: ruff, flake8, black, …"
    )
    installed: dict[str, list[str]] = Field(
        default_factory=dict, description="Tools found in the project's environment: argv prefix."
    )
    tool_versions: dict[str, str] = Field(default_factory=dict)
    mypy_files_configured: bool = Field(
        default=False, description="mypy's config names what to check (files/packages)."
    )
    has_src_dir: bool = False
    has_tests: bool = False
    excluded_dirs: list[str] = Field(
        default_factory=list,
        description="Names of the environment, dependency, build, vendored and VCS folders found "
        "in the package (the review's discovery rules): every tool is pointed away from them.",
    )
    has_python_files: bool = Field(
        default=True, description="Python source outside the excluded folders."
    )
    read_only: bool = Field(
        default=False, description="The package's directory cannot be written: tools run cacheless."
    )


class NodeProject(_Model):
    root: Path
    package_manager: PackageManager
    package_manager_source: str = Field(description="packageManager field, a lockfile or default.")
    scripts: dict[str, str] = Field(default_factory=dict)
    tools: list[str] = Field(
        default_factory=list, description="eslint, biome, tsc, vitest, jest, node_test."
    )
    bins: dict[str, str] = Field(
        default_factory=dict, description="Tool → node_modules/.bin executable found."
    )
    has_node_modules: bool = False
    typescript: bool = False
    has_tests: bool = False
    excluded_dirs: list[str] = Field(
        default_factory=list,
        description="Environment, dependency, build, vendored and VCS folders found in the "
        "package (the review's discovery rules), beyond node_modules and .git.",
    )
    tsconfig_projects: list[str] = Field(
        default_factory=list,
        description="When tsconfig.json is a solution file (`files: []`, no include, only "
        "references): the configs its references lead to, which hold the code to check.",
    )
    tsconfig_composite: bool = Field(
        default=False, description="A referenced project is composite: `tsc -b` checks them."
    )
    tsconfig_selects_nothing: bool = Field(
        default=False, description="tsconfig.json has `files: []`, no include and no references."
    )


class Project(_Model):
    root: Path
    python: list[PythonProject] = Field(default_factory=list)
    node: list[NodeProject] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- plan

WorkerTool = Literal["tsc", "eslint"]


class WorkerSpec(_Model):
    """What a warm worker needs to give exactly the result of the stage's command.

    Used only by long-lived processes (the MCP server), see quality/workers.py; the plan stays
    the command, and the worker declines whatever it cannot reproduce."""

    tool: WorkerTool
    bin: str = Field(description="The CLI the worker stands in for; it loads that package.")
    args: list[str] = Field(
        default_factory=list, description="tsc: the CLI arguments (after the executable)."
    )
    patterns: list[str] = Field(default_factory=list, description="eslint: what to lint.")
    cache_location: str | None = Field(default=None, description="eslint: --cache-location.")
    ignore_patterns: list[str] = Field(
        default_factory=list, description="eslint: each --ignore-pattern."
    )
    fix: bool = Field(default=False, description="eslint: --fix.")


class Stage(_Model):
    """One command of the loop, decided before anything runs."""

    id: str = Field(description="Unique in the plan: '<stage>' or '<stage>:<package>'.")
    name: StageName
    package: str = Field(default=".", description="Package directory relative to the root.")
    target: str | None = Field(
        default=None, description="What the stage checks when a package has several (a tsconfig)."
    )
    language: Literal["python", "node", "any"]
    tool: str
    argv: list[str] = Field(default_factory=list)
    cwd: Path
    parser: ParserName = "text"
    report_file: Path | None = Field(
        default=None, description="Where the tool writes its machine-readable report."
    )
    env: dict[str, str] = Field(default_factory=dict, description="Extra environment variables.")
    modifies_files: bool = False
    after: list[str] = Field(default_factory=list, description="Stage ids to finish first.")
    skip_reason: str | None = None
    error: str | None = Field(
        default=None, description="Known before running: the tool is missing (with the fix)."
    )
    notes: list[str] = Field(default_factory=list)
    in_process: bool = Field(default=False, description="Runs inside our process (security).")
    worker: WorkerSpec | None = Field(
        default=None, description="A warm worker may run this stage instead of argv."
    )


class PlanOptions(_Model):
    stages: list[StageName] = Field(default_factory=lambda: list(STAGE_ORDER))
    fix: bool = False
    changed_files: list[str] | None = Field(
        default=None, description="changed_only: files changed against HEAD (root-relative)."
    )
    tests: list[str] = Field(default_factory=list, description="Test paths or node ids.")
    tests_alongside: bool = False
    report_dir: Path = Field(description="Temporary directory for report files.")
    our_python: str = Field(description="sys.executable: runs our own ruff and mypy.")
    security_available: bool = True


# ---------------------------------------------------------------- results


class Diagnostic(_Model):
    file: str = Field(description="POSIX path relative to the project root ('' if none).")
    line: int | None = None
    column: int | None = None
    code: str = ""
    severity: DiagnosticSeverity = "error"
    message: str
    fix_available: bool = False


class StageCounts(_Model):
    errors: int = 0
    warnings: int = 0
    fixable: int = 0
    files: int = Field(default=0, description="Files with a problem (e.g. to reformat).")
    tests_total: int | None = None
    tests_passed: int | None = None
    tests_failed: int | None = None
    tests_errors: int | None = None
    tests_skipped: int | None = None


class ParsedOutput(_Model):
    """What a parser made of a tool's output."""

    diagnostics: list[Diagnostic] = Field(default_factory=list)
    counts: StageCounts = Field(default_factory=StageCounts)
    parsed: bool = Field(default=True, description="False when the output was not understood.")
    problem: str | None = Field(default=None, description="Why the output was not understood.")
    nothing_examined: str | None = Field(
        default=None,
        description="Set when the tool checked no file or ran no test (why): such a stage "
        "never passes.",
    )


class StageResult(_Model):
    id: str
    name: StageName
    package: str
    tool: str
    command: list[str]
    cwd: str
    status: StageStatus
    reason: str | None = Field(default=None, description="Why skipped / error / timed out.")
    exit_code: int | None = None
    duration_s: float = 0.0
    modifies_files: bool = False
    counts: StageCounts = Field(default_factory=StageCounts)
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    diagnostics_total: int = 0
    output_tail: str = Field(default="", description="The end of the raw output (cut).")
    notes: list[str] = Field(default_factory=list)


class LoopRequest(_Model):
    root: Path = Field(description="Resolved project root (already confined by the caller).")
    stages: list[StageName] | None = Field(default=None, description="None: all five.")
    fix: bool = Field(default=False, description="Let ruff/eslint fix and format files.")
    changed_only: bool = Field(default=False, description="Lint/format only files changed vs HEAD.")
    timeout_s: float = Field(default=300.0, gt=0, le=3600, description="Time limit per stage.")
    tests: list[str] = Field(default_factory=list, description="Test paths or node ids.")
    fail_fast: bool = False
    baseline: Path | None = Field(
        default=None,
        description="Security stage: review baseline file (resolved, confined by the caller); "
        "None: the project's .mcp-backend-baseline.json when present.",
    )
    max_diagnostics: int = Field(default=30, ge=0, le=200, description="Per stage.")
    tail_chars: int = Field(default=1500, ge=0, le=20000)
    output_cap_bytes: int = Field(default=16 * 1024 * 1024, ge=64 * 1024)


class LoopReport(_Model):
    root: str
    status: LoopStatus
    headline: str
    duration_s: float
    stages: list[StageResult]
    fix_first: list[str] = Field(default_factory=list, description="What to fix first.")
    project: Project
    notes: list[str] = Field(default_factory=list, description="What was cut or assumed.")
