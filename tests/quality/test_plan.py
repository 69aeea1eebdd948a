"""plan() is pure: every decision checked from Project values, nothing is run."""

from __future__ import annotations

from pathlib import Path

from mcp_backend.quality.models import NodeProject, PlanOptions, Project, PythonProject, Stage
from mcp_backend.quality.plan import plan

ROOT = Path("/srv/shop")
OUR_PYTHON = "/opt/mcp/bin/python"
REPORTS = Path("/tmp/reports")


def options(**overrides: object) -> PlanOptions:
    values: dict[str, object] = {"report_dir": REPORTS, "our_python": OUR_PYTHON}
    values.update(overrides)
    return PlanOptions.model_validate(values)


def venv_project(root: Path = ROOT, **overrides: object) -> PythonProject:
    bin_dir = root / ".venv" / "bin"
    values: dict[str, object] = {
        "root": root,
        "env_kind": "venv",
        "env_bin": bin_dir,
        "interpreter": str(bin_dir / "python"),
        "configured": ["mypy", "pytest", "ruff"],
        "installed": {t: [str(bin_dir / t)] for t in ("ruff", "mypy", "pytest")},
        "tool_versions": {"mypy": "1.15.0", "ruff": "0.16.2", "pytest": "8.3.0"},
        "mypy_files_configured": True,
        "has_tests": True,
    }
    values.update(overrides)
    return PythonProject.model_validate(values)


def node_project(root: Path = ROOT, **overrides: object) -> NodeProject:
    bins = root / "node_modules" / ".bin"
    values: dict[str, object] = {
        "root": root,
        "package_manager": "pnpm",
        "package_manager_source": "pnpm-lock.yaml",
        "scripts": {"lint": "eslint .", "typecheck": "tsc --noEmit", "test": "vitest"},
        "tools": ["eslint", "tsc", "vitest"],
        "bins": {t: str(bins / t) for t in ("eslint", "tsc", "vitest")},
        "has_node_modules": True,
        "typescript": True,
        "has_tests": True,
    }
    values.update(overrides)
    return NodeProject.model_validate(values)


def by_id(stages: list[Stage]) -> dict[str, Stage]:
    return {stage.id: stage for stage in stages}


def test_python_project_uses_its_own_venv_tools_with_machine_readable_output() -> None:
    stages = by_id(plan(Project(root=ROOT, python=[venv_project()]), options()))
    assert list(stages) == ["lint", "format", "typecheck", "security", "test"]
    venv = "/srv/shop/.venv/bin"
    assert stages["lint"].argv == [
        f"{venv}/ruff", "check", "--no-fix", "--output-format", "json", "--force-exclude", ".",
    ]  # fmt: skip
    assert stages["format"].argv == [
        f"{venv}/ruff", "format", "--check", "--output-format", "json", "--force-exclude", ".",
    ]  # fmt: skip
    assert stages["typecheck"].argv == [f"{venv}/mypy", "-O", "json"]
    assert stages["typecheck"].parser == "mypy_json"
    test = stages["test"]
    assert test.argv[:4] == [f"{venv}/pytest", "-q", "--color=no", "--ff"]
    assert test.argv[4] == f"--junitxml={REPORTS}/pytest-root.xml"
    assert test.report_file == REPORTS / "pytest-root.xml"
    assert all(not s.modifies_files for s in stages.values())
    assert all(not s.notes or "own" not in s.notes[0] for s in stages.values())


def test_tests_wait_for_checks_unless_cores_allow() -> None:
    project = Project(root=ROOT, python=[venv_project()])
    after = by_id(plan(project, options()))["test"].after
    assert after == ["lint", "format", "typecheck", "security"]
    alongside = by_id(plan(project, options(tests_alongside=True)))
    assert alongside["test"].after == []
    assert all(s.after == [] for s in alongside.values())


def test_old_mypy_gets_text_output_and_missing_tools_fall_back_to_ours() -> None:
    python = venv_project(
        installed={"mypy": ["/srv/shop/.venv/bin/mypy"]},
        tool_versions={"mypy": "1.8.0"},
        mypy_files_configured=False,
        has_src_dir=True,
    )
    stages = by_id(plan(Project(root=ROOT, python=[python]), options()))
    typecheck = stages["typecheck"]
    assert typecheck.parser == "mypy_text"
    assert typecheck.argv[:2] == ["/srv/shop/.venv/bin/mypy", "--no-pretty"]
    assert "src" in typecheck.argv and "--exclude" in typecheck.argv
    assert any("predates" in note for note in typecheck.notes)
    lint = stages["lint"]
    assert lint.argv[:3] == [OUR_PYTHON, "-m", "ruff"]
    assert "mcp-backend's own ruff" in lint.notes[0]
    # pytest has no fallback of ours: the stage carries an install command instead.
    assert stages["test"].error is not None
    assert "/srv/shop/.venv/bin/python -m pip install pytest" in stages["test"].error


def test_uv_and_poetry_projects_run_through_their_runner() -> None:
    uv = venv_project(env_kind="uv", runner=["uv", "run", "--no-sync", "--"])
    stages = by_id(plan(Project(root=ROOT, python=[uv]), options(stages=["lint", "test"])))
    assert stages["lint"].argv[:5] == ["uv", "run", "--no-sync", "--", "ruff"]
    assert stages["test"].argv[:5] == ["uv", "run", "--no-sync", "--", "pytest"]
    poetry = venv_project(env_kind="poetry", runner=["poetry", "run"], runner_available=False)
    [lint] = plan(Project(root=ROOT, python=[poetry]), options(stages=["lint"]))
    assert lint.error is not None and "poetry install" in lint.error


def test_configured_alternatives_flake8_black_pyright() -> None:
    bin_dir = ROOT / ".venv" / "bin"
    python = venv_project(
        configured=["black", "flake8", "pyright"],
        installed={t: [str(bin_dir / t)] for t in ("black", "flake8", "pyright")},
    )
    stages = by_id(plan(Project(root=ROOT, python=[python]), options()))
    assert stages["lint"].argv == [str(bin_dir / "flake8"), "--benchmark", "."]
    assert stages["lint"].parser == "flake8"
    assert stages["format"].argv == [str(bin_dir / "black"), "--check", "."]
    assert stages["typecheck"].argv == [str(bin_dir / "pyright"), "--outputjson"]


def test_fix_mode_modifies_files_and_orders_fixes() -> None:
    stages = by_id(plan(Project(root=ROOT, python=[venv_project()]), options(fix=True)))
    lint, fmt = stages["lint"], stages["format"]
    assert "--fix" in lint.argv and "--no-fix" not in lint.argv
    assert fmt.argv[1:3] == ["format", "--force-exclude"] and "--check" not in fmt.argv
    assert lint.modifies_files and fmt.modifies_files
    assert fmt.after == ["lint"]
    assert stages["typecheck"].after == ["lint", "format"]


def test_changed_only_lints_changed_files_of_the_right_language() -> None:
    changed = ["src/app.py", "web/main.ts", "README.md", "tests/test_app.py"]
    project = Project(root=ROOT, python=[venv_project()], node=[node_project()])
    stages = plan(project, options(changed_files=changed, stages=["lint", "format"]))
    found = {s.id: s for s in stages}
    py_lint = found["lint (., python)"]
    assert py_lint.argv[-2:] == ["src/app.py", "tests/test_app.py"]
    node_lint = found["lint (., node)"]
    assert node_lint.argv[-1] == "web/main.ts"
    nothing_changed = plan(project, options(changed_files=["README.md"], stages=["lint"]))
    assert all(s.skip_reason and "changed_only" in s.skip_reason for s in nothing_changed)


def test_node_project_uses_node_modules_bins_with_json_and_caches() -> None:
    node = node_project()
    stages = by_id(plan(Project(root=ROOT, node=[node]), options()))
    bins = "/srv/shop/node_modules/.bin"
    cache = "/srv/shop/node_modules/.cache/mcp-backend"
    assert stages["lint"].argv == [
        f"{bins}/eslint", "-f", "json", "--cache", "--cache-location", f"{cache}/eslintcache", ".",
    ]  # fmt: skip
    assert stages["typecheck"].argv == [
        f"{bins}/tsc", "--noEmit", "--pretty", "false", "--incremental",
        "--tsBuildInfoFile", f"{cache}/tsconfig.tsbuildinfo",
    ]  # fmt: skip
    # `vitest` alone would watch forever: the plan always says `run`.
    assert stages["test"].argv == [
        f"{bins}/vitest", "run", "--reporter=json", f"--outputFile={REPORTS}/vitest-root.json",
    ]  # fmt: skip
    assert stages["format"].skip_reason is not None


def test_node_scripts_and_missing_node_modules() -> None:
    node = node_project(
        scripts={"lint": "eslint src && stylelint '**/*.css'", "test": "node --test test/"},
        tools=["eslint", "node_test"],
        bins={},
        has_node_modules=False,
        typescript=False,
    )
    stages = by_id(plan(Project(root=ROOT, node=[node]), options()))
    assert stages["lint"].error is not None
    assert "run `pnpm install`" in stages["lint"].error
    test = stages["test"]
    assert test.argv == [
        "node", "--test", "--test-reporter=junit",
        f"--test-reporter-destination={REPORTS}/node-test-root.xml", "test/",
    ]  # fmt: skip
    assert test.parser == "node_junit"
    assert stages["typecheck"].skip_reason is not None
    # A compound script cannot be rewritten: it is run as the project wrote it.
    scripted = node_project(scripts={"lint": "eslint src && stylelint x"}, tools=[], bins={})
    [lint] = plan(Project(root=ROOT, node=[scripted]), options(stages=["lint"]))
    assert lint.argv == ["pnpm", "run", "lint"] and lint.parser == "text"


def test_tsc_build_mode_script_runs_as_written() -> None:
    node = node_project(scripts={"typecheck": "tsc -b"})
    [stage] = plan(Project(root=ROOT, node=[node]), options(stages=["typecheck"]))
    assert stage.argv == ["pnpm", "run", "typecheck"] and stage.parser == "tsc"


def test_test_selection_goes_to_the_matching_package_and_runner() -> None:
    api = venv_project(root=ROOT / "services" / "api")
    web = node_project(root=ROOT / "apps" / "web")
    project = Project(root=ROOT, python=[api], node=[web])
    selection = ["services/api/tests/test_orders.py::test_total", "apps/web/src/cart.test.ts"]
    stages = by_id(plan(project, options(stages=["test"], tests=selection)))
    assert stages["test (services/api)"].argv[-1] == "tests/test_orders.py::test_total"
    assert stages["test (apps/web)"].argv[-1] == "src/cart.test.ts"
    only_python = by_id(plan(project, options(stages=["test"], tests=selection[:1])))
    assert only_python["test (apps/web)"].skip_reason == "none of the selected tests"


def test_security_stage_is_in_process_or_skipped() -> None:
    project = Project(root=ROOT, python=[venv_project()])
    [security] = plan(project, options(stages=["security"]))
    assert security.in_process and security.skip_reason is None
    [missing] = plan(project, options(stages=["security"], security_available=False))
    assert missing.skip_reason is not None and "review engine" in missing.skip_reason
    [empty] = plan(Project(root=ROOT), options(stages=["security"]))
    assert empty.skip_reason is not None


def test_plan_is_pure_and_repeatable() -> None:
    project = Project(root=ROOT, python=[venv_project()], node=[node_project()])
    first = [s.model_dump() for s in plan(project, options())]
    second = [s.model_dump() for s in plan(project, options())]
    assert first == second
    assert len({s["id"] for s in first}) == len(first)


def test_no_formatter_configured_skips_format_and_our_mypy_sees_project_packages() -> None:
    bin_dir = ROOT / ".venv" / "bin"
    python = venv_project(configured=[], installed={"pytest": [str(bin_dir / "pytest")]})
    stages = by_id(plan(Project(root=ROOT, python=[python]), options()))
    assert stages["format"].skip_reason == "no formatter configured (ruff or black)"
    typecheck = stages["typecheck"]
    assert typecheck.argv[:3] == [OUR_PYTHON, "-m", "mypy"]
    assert typecheck.argv[-2:] == ["--python-executable", str(bin_dir / "python")]
    # The project's own mypy already runs in its environment: no such flag.
    own = by_id(plan(Project(root=ROOT, python=[venv_project()]), options()))["typecheck"]
    assert "--python-executable" not in own.argv


def test_test_selection_never_passes_options_to_the_runner() -> None:
    from mcp_backend.quality.plan import _selected_tests

    chosen = _selected_tests(".", ["--basetemp=/tmp/x", "-p", "tests/test_a.py::test_b"], "python")
    assert chosen == ["tests/test_a.py::test_b"]


def test_old_project_ruff_formats_without_json_output() -> None:
    project = venv_project(tool_versions={"mypy": "1.15.0", "ruff": "0.15.0", "pytest": "8.3.0"})
    stage = by_id(plan(Project(root=ROOT, python=[project]), options()))["format"]
    assert "--output-format" not in stage.argv and "--check" in stage.argv
    assert stage.parser == "text"


def test_read_only_project_runs_its_tools_without_caches() -> None:
    stages = by_id(plan(Project(root=ROOT, python=[venv_project(read_only=True)]), options()))
    assert "--no-cache" in stages["lint"].argv and "--no-cache" in stages["format"].argv
    assert "--cache-dir" in stages["typecheck"].argv
    assert "--ff" not in stages["test"].argv and "no:cacheprovider" in stages["test"].argv


def test_only_the_plain_tsc_and_eslint_runs_are_marked_for_warm_workers() -> None:
    stages = by_id(plan(Project(root=ROOT, node=[node_project()]), options(fix=True)))
    lint, types = stages["lint"], stages["typecheck"]
    assert lint.worker is not None and types.worker is not None
    assert (lint.worker.tool, lint.worker.bin) == ("eslint", lint.argv[0])
    assert lint.worker.patterns == ["."] and lint.worker.fix
    assert lint.worker.cache_location == lint.argv[lint.argv.index("--cache-location") + 1]
    # The worker gets exactly the CLI's arguments; the plan's command stays the command.
    assert (types.worker.tool, types.worker.args) == ("tsc", types.argv[1:])
    assert all(stages[name].worker is None for name in ("format", "test", "security"))
    # A custom project file, a build script or a missing binary keep the CLI.
    custom = node_project(scripts={"typecheck": "tsc --noEmit -p tsconfig.build.json"})
    [typecheck] = plan(Project(root=ROOT, node=[custom]), options(stages=["typecheck"]))
    assert "-p" in typecheck.argv and typecheck.worker is None
    built = node_project(scripts={"typecheck": "tsc -b"})
    [typecheck] = plan(Project(root=ROOT, node=[built]), options(stages=["typecheck"]))
    assert typecheck.worker is None
    missing = node_project(bins={})
    assert all(s.worker is None for s in plan(Project(root=ROOT, node=[missing]), options()))
