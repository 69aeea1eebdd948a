"""Which stages run, with which exact command: a pure function of the detected project.

Nothing here touches the filesystem or starts a process, so every decision (the project's own
tool or ours, which output format, which cache) is unit-tested from a `Project` value.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path, PurePosixPath

from mcp_backend.quality.models import (
    STAGE_ORDER,
    NodeProject,
    ParserName,
    PlanOptions,
    Project,
    PythonProject,
    Stage,
    StageName,
    WorkerSpec,
)

PYTHON_SUFFIXES = (".py", ".pyi")
NODE_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte")
# mypy's `-O json` appeared in 1.11; older versions get their text output parsed.
MYPY_JSON_SINCE = (1, 11)
RUFF_FORMAT_JSON_SINCE = (0, 16)  # `ruff format --output-format` left preview in 0.16
# Skipped when mypy is pointed at a directory instead of a configured file list, with whatever
# else detection found (PythonProject.excluded_dirs).
MYPY_EXCLUDED_DIRS = (".venv", "venv", "node_modules", "build", "dist", ".tox", ".nox")
NODE_CACHE_DIR = "node_modules/.cache/mcp-backend"
NPM_DEFAULT_TEST = 'echo "Error: no test specified" && exit 1'
TYPECHECK_SCRIPTS = ("typecheck", "type-check", "check-types", "types", "tsc")
SHELL_SYNTAX = ("&&", "||", ";", "|", ">", "<", "$", "`", "*")


def plan(project: Project, options: PlanOptions) -> list[Stage]:
    """The loop's stages in the seed's order (lint, format, typecheck, security, test)."""
    stages: list[Stage] = []
    for name in STAGE_ORDER:
        if name not in options.stages:
            continue
        if name == "security":
            stages.append(_security_stage(project, options))
            continue
        for python in project.python:
            stages.append(_python_stage(name, python, project.root, options))
        for node in project.node:
            stages.extend(_node_stages(name, node, project.root, options))
    _assign_ids(stages, project)
    _order(stages, options)
    return stages


# ---------------------------------------------------------------- ids and ordering


def _assign_ids(stages: list[Stage], project: Project) -> None:
    both_languages = {p.root for p in project.python} & {n.root for n in project.node}
    names = [s.name for s in stages]
    packages = [(s.name, s.package) for s in stages]
    for stage in stages:
        if names.count(stage.name) == 1:
            stage.id = stage.name
        elif stage.target is not None:
            # One of several tsconfig projects: named by its config, with its package when
            # more than one package has this stage.
            several_packages = len({p for n, p in packages if n == stage.name}) > 1
            where = f"{stage.package}, " if several_packages else ""
            stage.id = f"{stage.name} ({where}{stage.target})"
        elif stage.cwd in both_languages:
            stage.id = f"{stage.name} ({stage.package}, {stage.language})"
        else:
            stage.id = f"{stage.name} ({stage.package})"


def _order(stages: list[Stage], options: PlanOptions) -> None:
    """Tests wait for the checks unless cores allow both; fixes never race each other."""
    runnable = [s for s in stages if s.skip_reason is None and s.error is None]
    for stage in runnable:
        rank = STAGE_ORDER.index(stage.name)
        before: list[Stage] = []
        if options.fix:
            # Fixing rewrites files: format after lint fixes, every check after both.
            before += [
                s
                for s in runnable
                if s.cwd == stage.cwd
                and s.language == stage.language
                and s.name in ("lint", "format")
                and STAGE_ORDER.index(s.name) < rank
            ]
        if stage.name == "test" and not options.tests_alongside:
            before += [s for s in runnable if s.name != "test"]
        stage.after = [s.id for s in runnable if s in before]


# ---------------------------------------------------------------- helpers


def _package(directory: Path, root: Path) -> str:
    try:
        relative = directory.relative_to(root).as_posix()
    except ValueError:
        return directory.as_posix()
    return relative or "."


def _changed_targets(
    package: str, changed: list[str] | None, suffixes: tuple[str, ...]
) -> list[str] | None:
    """Package-relative changed files with these suffixes; None when changed_only is off."""
    if changed is None:
        return None
    targets: list[str] = []
    for file in changed:
        path = PurePosixPath(file)
        if path.suffix not in suffixes:
            continue
        if package == ".":
            targets.append(path.as_posix())
        elif path.is_relative_to(package):
            targets.append(path.relative_to(package).as_posix())
    return targets


def _selected_tests(package: str, tests: list[str], language: str) -> list[str]:
    """The requested tests (paths or node ids, root-relative) that belong to this package and
    language, made package-relative."""
    selected: list[str] = []
    for entry in tests:
        if entry.startswith("-"):
            continue  # an option (e.g. --basetemp=DIR deletes DIR), never a test: not passed on
        file_part = entry.split("::", 1)[0]
        suffix = PurePosixPath(file_part).suffix
        is_python = suffix in PYTHON_SUFFIXES or "::" in entry
        is_node = suffix in NODE_SUFFIXES
        if (language == "python" and is_node) or (language == "node" and is_python):
            continue
        if package == ".":
            selected.append(entry)
        elif PurePosixPath(file_part).is_relative_to(package):
            selected.append(entry[len(package) + 1 :])
    return selected


def _version_at_least(version: str | None, minimum: tuple[int, int]) -> bool:
    if not version:
        return True  # unknown: assume a current release
    parts: list[int] = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts) >= minimum


def mypy_exclude(excluded_dirs: list[str]) -> str:
    """mypy's --exclude regex for these folder names, at any depth."""
    names = sorted({*MYPY_EXCLUDED_DIRS, *excluded_dirs})
    return r"(^|/)(" + "|".join(re.escape(name) for name in names) + ")/"


def _exclude_args(option: str, excluded_dirs: list[str]) -> list[str]:
    """`--extend-exclude a,b` (flake8, ruff): added to the project's own excludes."""
    return [option, ",".join(excluded_dirs)] if excluded_dirs else []


def _skip(name: StageName, package: str, language: str, cwd: Path, reason: str) -> Stage:
    return Stage(
        id=name,
        name=name,
        package=package,
        language="python" if language == "python" else "node",
        tool="-",
        cwd=cwd,
        skip_reason=reason,
    )


# ---------------------------------------------------------------- python


def _install_hint(python: PythonProject, tool: str) -> str:
    match python.env_kind:
        case "uv":
            return f"uv add --dev {tool}"
        case "poetry":
            return f"poetry add --group dev {tool}"
        case "venv" | "virtual_env":
            return f"{python.env_bin}/python -m pip install {tool}"
        case _:
            return f"python -m venv .venv && .venv/bin/python -m pip install {tool}"


def _python_tool(
    python: PythonProject, tool: str, options: PlanOptions, ours: bool
) -> tuple[list[str] | None, list[str], str | None]:
    """(argv prefix, notes, error) for running `tool` in the project's environment."""
    if python.env_kind in ("uv", "poetry") and python.runner:
        if not python.runner_available:
            runner = python.runner[0]
            sync = "sync" if runner == "uv" else "install"
            error = (
                f"{runner} manages this project ({runner}.lock) but `{runner}` is not on PATH "
                f"and no .venv exists: install it (`python -m pip install {runner}`), then run "
                f"`{runner} {sync}`."
            )
            return None, [], error
        if tool in python.installed or python.env_bin is None:
            return [*python.runner, tool], [], None
    elif tool in python.installed:
        notes: list[str] = []
        if python.env_kind == "interpreter":
            notes.append(
                f"no project environment found (.venv, venv, $VIRTUAL_ENV, uv, poetry): "
                f"using mcp-backend's own {tool} from {options.our_python}"
            )
        return list(python.installed[tool]), notes, None
    if ours:
        note = (
            f"{tool} is not installed in the project's environment: using mcp-backend's own "
            f"{tool} ({options.our_python} -m {tool}); its version may differ from the one "
            f"the project expects."
        )
        return [options.our_python, "-m", tool], [note], None
    return (
        None,
        [],
        (
            f"{tool} is not installed in the project's environment ({python.env_kind}"
            f"{', ' + str(python.env_bin) if python.env_bin else ''}): install it with "
            f"`{_install_hint(python, tool)}`."
        ),
    )


def _python_stage(
    name: StageName, python: PythonProject, root: Path, options: PlanOptions
) -> Stage:
    package = _package(python.root, root)
    configured = set(python.configured)
    targets = _changed_targets(package, options.changed_files, PYTHON_SUFFIXES)
    if name in ("lint", "format") and targets == []:
        return _skip(name, package, "python", python.root, "changed_only: no changed Python file")
    if name in ("lint", "format", "typecheck") and not python.has_python_files:
        # A check of no file would "pass" and prove nothing.
        reason = "no Python file in this package (outside environments and build output)"
        return _skip(name, package, "python", python.root, reason)
    paths = targets if targets else ["."]
    tool: str
    args: list[str]
    parser: ParserName
    module_fallback = False
    report_file: Path | None = None
    modifies = False
    notes: list[str] = []

    if name == "lint":
        if "flake8" in configured and "ruff" not in configured:
            # flake8's own defaults skip no environment (.venv, venv, node_modules); --benchmark
            # prints how many files it read, so a run that checked nothing is seen as such.
            exclude = _exclude_args("--extend-exclude", python.excluded_dirs)
            tool, args, parser = "flake8", ["--benchmark", *exclude, *paths], "flake8"
        else:
            tool, module_fallback = "ruff", True
            # --no-fix: a project's `fix = true` must not rewrite files unless asked.
            fix_flag = ["--fix"] if options.fix else ["--no-fix"]
            exclude = _exclude_args("--extend-exclude", python.excluded_dirs)
            args = ["check", *fix_flag, "--output-format", "json", "--force-exclude", *exclude]
            args += paths
            parser, modifies = "ruff_check", options.fix
            if python.read_only:
                args = ["check", "--no-cache", *args[1:]]
    elif name == "format":
        if "black" in configured:
            tool, parser = "black", "black"
            args = paths if options.fix else ["--check", *paths]
            modifies = options.fix
        elif "ruff" in configured or (
            python.env_kind != "interpreter" and "ruff" in python.installed
        ):
            tool, module_fallback = "ruff", True
            exclude = _exclude_args("--extend-exclude", python.excluded_dirs)
            if options.fix:
                args = ["format", "--force-exclude", *exclude, *paths]
                parser, modifies = "text", True
            else:
                version = python.tool_versions.get("ruff") if "ruff" in python.installed else None
                if _version_at_least(version, RUFF_FORMAT_JSON_SINCE):
                    args = ["format", "--check", "--output-format", "json", "--force-exclude"]
                    args, parser = [*args, *exclude, *paths], "ruff_format"
                else:  # older ruff: JSON output of the formatter needed --preview
                    args = ["format", "--check", "--force-exclude", *exclude, *paths]
                    parser = "text"
                if python.read_only:
                    args = ["format", "--no-cache", *args[1:]]
        else:
            # Reformatting a project that never chose a formatter would only be noise.
            return _skip(name, package, "python", python.root,
                         "no formatter configured (ruff or black)")  # fmt: skip
    elif name == "typecheck":
        if "pyright" in configured and "mypy" not in configured:
            tool, args, parser = "pyright", ["--outputjson"], "pyright"
        else:
            tool, module_fallback = "mypy", True
            targets_args: list[str] = []
            if not python.mypy_files_configured:
                targets_args = [
                    "src" if python.has_src_dir else ".",
                    "--exclude",
                    mypy_exclude(python.excluded_dirs),
                ]
            version = python.tool_versions.get("mypy") if "mypy" in python.installed else None
            if _version_at_least(version, MYPY_JSON_SINCE):
                args, parser = ["-O", "json", *targets_args], "mypy_json"
            else:
                args = [
                    "--no-pretty",
                    "--show-column-numbers",
                    "--no-error-summary",
                    "--no-color-output",
                    *targets_args,
                ]
                parser = "mypy_text"
                notes.append(f"mypy {version} predates `-O json`: its text output is parsed.")
            if python.read_only:
                args = [*args, "--cache-dir", os.devnull]  # mypy's documented "no cache"
                notes.append("read-only project: mypy runs without its incremental cache")
            else:
                notes.append("incremental: mypy reuses the project's .mypy_cache")
    else:  # test
        selected = _selected_tests(package, options.tests, "python")
        if options.tests and not selected:
            return _skip(name, package, "python", python.root, "none of the selected tests")
        if not python.has_tests and not selected:
            return _skip(name, package, "python", python.root, "no Python tests found")
        tool, parser = "pytest", "pytest_junit"
        report_file = options.report_dir / f"pytest-{_slug(package)}.xml"
        # --ff runs the tests that failed last time first (pytest's own cache), which a
        # read-only project cannot keep.
        cache = ["-p", "no:cacheprovider"] if python.read_only else ["--ff"]
        args = ["-q", "--color=no", *cache, f"--junitxml={report_file}"]
        if selected:  # after "--", pytest reads them as paths whatever they look like
            args += ["--", *selected]

    prefix, tool_notes, error = _python_tool(python, tool, options, ours=module_fallback)
    if (
        tool == "mypy"
        and prefix is not None
        and prefix[0] == options.our_python
        and python.env_bin is not None
        and python.interpreter != options.our_python
    ):
        # Our mypy, the project's packages: imports resolve against the project environment.
        args = [*args, "--python-executable", python.interpreter]
    stage = Stage(
        id=name,
        name=name,
        package=package,
        language="python",
        tool=tool,
        cwd=python.root,
        parser=parser,
        report_file=report_file,
        modifies_files=modifies,
        notes=[*tool_notes, *notes],
    )
    if error is not None or prefix is None:
        stage.error = error
        stage.argv = [tool, *args]
        return stage
    stage.argv = [*prefix, *args]
    if tool == "pytest":
        stage.env = {"PYTEST_ADDOPTS": ""}  # a user's addopts (e.g. -x, --pdb) must not leak in
    return stage


def _slug(package: str) -> str:
    return "root" if package == "." else package.replace("/", "-")


# ---------------------------------------------------------------- node


def _run_script(node: NodeProject, script: str) -> list[str]:
    return [node.package_manager, "run", script]


def _simple_script(command: str) -> list[str] | None:
    """The words of a script that is one plain command (no shell syntax), else None."""
    if any(token in command for token in SHELL_SYNTAX):
        return None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    return words or None


def _missing_node_modules(node: NodeProject, tool: str) -> str:
    install = {
        "npm": "npm install",
        "pnpm": "pnpm install",
        "yarn": "yarn install",
        "bun": "bun install",
    }[node.package_manager]
    if not node.has_node_modules:
        return f"node_modules is missing in {node.root}: run `{install}` there first."
    return (
        f"{tool} is not installed in node_modules: run `{install}` (or add it with "
        f"`{node.package_manager} {'install -D' if node.package_manager == 'npm' else 'add -D'} "
        f"{tool}`)."
    )


def _node_stages(
    name: StageName, node: NodeProject, root: Path, options: PlanOptions
) -> list[Stage]:
    """Usually one stage; the type check of a solution tsconfig (references to non-composite
    projects) is one stage per referenced project, each `tsc --noEmit -p <its config>`."""
    stage = _node_stage(name, node, root, options)
    if (
        name != "typecheck"
        or stage.tool != "tsc"
        or not node.tsconfig_projects
        or "-p" not in stage.argv
        or stage.argv[stage.argv.index("-p") + 1] != "tsconfig.json"
    ):
        return [stage]
    stages: list[Stage] = []
    for config in node.tsconfig_projects:
        copy = stage.model_copy(deep=True)
        copy.target = config
        index = copy.argv.index("-p")
        copy.argv[index + 1] = config
        build_info = f"{node.root / NODE_CACHE_DIR}/{_slug(config)}.tsbuildinfo"
        copy.argv[copy.argv.index("--tsBuildInfoFile") + 1] = build_info
        copy.notes = [f"tsconfig.json only references other projects: this checks {config}"]
        stages.append(copy)
    return stages


def _node_stage(name: StageName, node: NodeProject, root: Path, options: PlanOptions) -> Stage:
    package = _package(node.root, root)
    stage = Stage(id=name, name=name, package=package, language="node", tool="-", cwd=node.root)
    cache = node.root / NODE_CACHE_DIR
    targets = _changed_targets(package, options.changed_files, NODE_SUFFIXES)
    if name in ("lint", "format") and targets == []:
        return _skip(name, package, "node", node.root, "changed_only: no changed JS/TS file")
    paths = targets if targets else ["."]
    scripts = node.scripts

    def use_bin(tool: str, args: list[str], parser: ParserName) -> Stage:
        stage.tool, stage.parser = tool, parser
        if tool not in node.bins:
            package_name = {"biome": "@biomejs/biome", "tsc": "typescript"}.get(tool, tool)
            stage.error = _missing_node_modules(node, package_name)
            stage.argv = [tool, *args]
        else:
            stage.argv = [node.bins[tool], *args]
        return stage

    def use_script(script: str, parser: ParserName = "text") -> Stage:
        stage.tool, stage.parser = f"{node.package_manager} run {script}", parser
        stage.argv = _run_script(node, script)
        stage.notes.append(f"the project's own `{script}` script: {scripts[script]}")
        if not node.has_node_modules and "node" not in scripts[script].split()[:1]:
            stage.notes.append("node_modules is missing: the script may fail until installed.")
        return stage

    if name == "lint":
        if "eslint" in node.tools:
            cache_file = f"{cache}/eslintcache"
            # eslint's own defaults skip only node_modules and .git: build output, vendored
            # code and environments found in the package are ignored too.
            ignore_patterns = [f"**/{name}/" for name in node.excluded_dirs]
            ignore_args = [arg for p in ignore_patterns for arg in ("--ignore-pattern", p)]
            args = ["-f", "json", "--cache", "--cache-location", cache_file, *ignore_args]
            stage.modifies_files = options.fix
            stage.notes.append("eslint --cache: unchanged files are not re-linted")
            use_bin("eslint", [*args, *(["--fix"] if options.fix else []), *paths], "eslint")
            if stage.error is None:
                stage.worker = WorkerSpec(
                    tool="eslint",
                    bin=stage.argv[0],
                    patterns=paths,
                    cache_location=cache_file,
                    ignore_patterns=ignore_patterns,
                    fix=options.fix,
                )
            return stage
        if "biome" in node.tools:
            stage.modifies_files = options.fix
            return use_bin(
                "biome",
                ["lint", "--reporter=json", *(["--write"] if options.fix else []), *paths],
                "biome",
            )
        if "lint" in scripts:
            return use_script("lint")
        return _skip(name, package, "node", node.root, "no linter configured (eslint, biome)")
    if name == "format":
        if "biome" in node.tools:
            stage.modifies_files = options.fix
            args = (
                ["format", "--write", *paths]
                if options.fix
                else ["format", "--reporter=json", *paths]
            )
            return use_bin("biome", args, "text" if options.fix else "biome")
        if "prettier" in node.tools:
            stage.modifies_files = options.fix
            return use_bin("prettier", ["--write" if options.fix else "--check", *paths], "text")
        for format_script in ("format:check", "format-check", "check-format"):
            if format_script in scripts:
                return use_script(format_script)
        return _skip(name, package, "node", node.root, "no formatter configured (biome, prettier)")
    if name == "typecheck":
        if "tsc" in node.tools:
            script = next((s for s in TYPECHECK_SCRIPTS if s in scripts), None)
            words = _simple_script(scripts[script]) if script else None
            if script and (words is None or words[0] != "tsc" or {"-b", "--build"} & set(words)):
                return use_script(script, "tsc")  # tsc's text output parses either way
            extra = [w for w in (words or [])[1:] if w not in ("--noEmit", "--pretty")]
            custom_project = {"-p", "--project"} & set(extra)
            if not custom_project and node.tsconfig_selects_nothing:
                stage.tool = "tsc"
                stage.argv = ["tsc", "--noEmit"]
                stage.error = (
                    "tsconfig.json selects no file (`files: []`, no include, no references): "
                    "`tsc --noEmit` would check nothing. Add an include or references to the "
                    "projects that hold the code."
                )
                return stage
            if not custom_project and node.tsconfig_projects and node.tsconfig_composite:
                # Composite projects are checked together, in dependency order, by build mode;
                # one needs the declarations of those it references, so they are built (their
                # outDir), and --noEmit is refused there (TS6310).
                stage.notes.append(
                    "tsconfig.json references composite projects: `tsc -b` checks "
                    f"{', '.join(node.tsconfig_projects)} and writes their build output"
                )
                return use_bin("tsc", ["-b", "--pretty", "false"], "tsc")
            if not custom_project and node.tsconfig_projects:
                # Split into one stage per referenced config by _node_stages.
                extra = ["-p", "tsconfig.json", *extra]
            stage.notes.append(f"tsc --incremental: build info kept in {cache}")
            use_bin(
                "tsc",
                [
                    "--noEmit",
                    *extra,
                    "--pretty",
                    "false",
                    "--incremental",
                    "--tsBuildInfoFile",
                    f"{cache}/tsconfig.tsbuildinfo",
                ],
                "tsc",
            )
            if stage.error is None and not extra:
                # The default tsconfig.json and nothing else: a warm worker can match it (a
                # custom project or other flags keep the CLI).
                stage.worker = WorkerSpec(tool="tsc", bin=stage.argv[0], args=stage.argv[1:])
            return stage
        typecheck_script = next((s for s in TYPECHECK_SCRIPTS if s in scripts), None)
        if typecheck_script:
            return use_script(typecheck_script, "tsc")
        return _skip(name, package, "node", node.root, "no TypeScript (tsconfig.json) here")
    # test
    selected = _selected_tests(package, options.tests, "node")
    if options.tests and not selected:
        return _skip(name, package, "node", node.root, "none of the selected tests")
    test_script = scripts.get("test", "")
    if test_script.strip() == NPM_DEFAULT_TEST:
        test_script = ""
    words = _simple_script(test_script) if test_script else None
    if "vitest" in node.tools:
        report = options.report_dir / f"vitest-{_slug(package)}.json"
        stage.report_file = report
        return use_bin(
            "vitest", ["run", "--reporter=json", f"--outputFile={report}", *selected], "vitest"
        )
    if "jest" in node.tools:
        report = options.report_dir / f"jest-{_slug(package)}.json"
        stage.report_file = report
        return use_bin("jest", ["--ci", "--json", f"--outputFile={report}", *selected], "jest")
    if "node_test" in node.tools and words is not None and words[:2] == ["node", "--test"]:
        report = options.report_dir / f"node-test-{_slug(package)}.xml"
        stage.report_file = report
        stage.tool, stage.parser = "node --test", "node_junit"
        script_args = [w for w in words[2:] if not w.startswith("--test-reporter")]
        stage.argv = [
            "node",
            "--test",
            "--test-reporter=junit",
            f"--test-reporter-destination={report}",
            *(selected or script_args),
        ]
        return stage
    if test_script:
        return use_script("test")
    if node.has_tests:
        return _skip(name, package, "node", node.root, "test files found but no test script")
    return _skip(name, package, "node", node.root, "no tests configured (no test script)")


# ---------------------------------------------------------------- security


def _security_stage(project: Project, options: PlanOptions) -> Stage:
    stage = Stage(
        id="security",
        name="security",
        package=".",
        language="any",
        tool="mcp-backend review",
        argv=["mcp-backend", "review", str(project.root)],
        cwd=project.root,
        in_process=True,
    )
    if not options.security_available:
        stage.skip_reason = "the review engine (mcp_backend.review.engine) is not available"
    elif not project.python and not project.node:
        stage.skip_reason = "no Python or JavaScript project to review"
    return stage
