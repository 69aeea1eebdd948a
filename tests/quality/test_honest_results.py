"""A stage never passes without having examined something, tools skip environments and build
output, failures carry their output, and each cause is stated once (issue 15, first part).

Every test runs the real tools on small projects written here; none would pass on the loop as
it was before these rules.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from mcp_backend.quality.engine import run_quality_loop
from mcp_backend.quality.models import LoopReport, LoopRequest, StageResult
from mcp_backend.quality.render import counts_phrase, render_markdown, render_text

from .conftest import FIXTURES, npm_installed, run_loop

BIN = Path(sys.executable).parent
needs_flake8 = pytest.mark.skipif(
    not (BIN / "flake8").exists(), reason="flake8 (a dev dependency) is not installed"
)
needs_node = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="Node.js and npm are not installed",
)


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def only(report: LoopReport) -> StageResult:
    [result] = report.stages
    return result


def everything_shown(report: LoopReport) -> str:
    return report.model_dump_json() + render_text(report, verbose=True) + render_markdown(report)


# ---------------------------------------------------------------- environments are skipped


def flake8_project(root: Path) -> Path:
    write(root / "setup.cfg", "[flake8]\nmax-line-length = 100\n")
    write(root / "app" / "orders.py", "import os\n\n\ndef total():\n    return 1\n")
    # An environment the usual way, one named otherwise (recognised by its pyvenv.cfg), and
    # build output: none is the project's code, all have lint errors.
    for folder in (".venv", "tools-env", "build"):
        write(root / folder / "lib" / "junk.py", "import sys\nx=1 ;y=2\n")
    write(root / "tools-env" / "pyvenv.cfg", "home = /usr/bin\n")
    return root


@needs_flake8
@pytest.mark.anyio
async def test_flake8_skips_environments_and_build_output(tmp_path: Path) -> None:
    root = flake8_project(tmp_path / "shop")
    lint = only(await run_loop(root, stages=["lint"]))
    assert lint.tool == "flake8"
    assert lint.status == "failed"
    assert {d.file for d in lint.diagnostics} == {"app/orders.py"}
    assert [d.code for d in lint.diagnostics] == ["F401"]
    exclude = lint.command[lint.command.index("--extend-exclude") + 1].split(",")
    assert {".venv", "tools-env", "build"} <= set(exclude)


@needs_flake8
@pytest.mark.anyio
async def test_flake8_warnings_alone_fail_with_the_output(tmp_path: Path) -> None:
    # Only a W-code (trailing whitespace): flake8 exits 1 with no E/F code. That is the code's
    # failure, shown with its diagnostic, not "exited with code 1 without a usable report".
    write(tmp_path / "setup.cfg", "[flake8]\n")
    write(tmp_path / "app.py", "x = 1 \n")
    lint = only(await run_loop(tmp_path, stages=["lint"]))
    assert lint.status == "failed", lint.reason
    assert [(d.code, d.severity) for d in lint.diagnostics] == [("W291", "warning")]


@needs_flake8
@pytest.mark.anyio
async def test_flake8_that_checked_no_file_does_not_pass(tmp_path: Path) -> None:
    # The project's own exclude leaves flake8 nothing: it exits 0 having read no file.
    write(tmp_path / "setup.cfg", "[flake8]\nexclude = app\n")
    write(tmp_path / "app" / "main.py", "import os\n")
    lint = only(await run_loop(tmp_path, stages=["lint"]))
    assert lint.status == "error"
    assert lint.reason is not None and "examined nothing" in lint.reason
    assert "0 files processed" in lint.reason


@pytest.mark.anyio
async def test_python_checks_of_a_package_without_python_files_do_not_pass(
    tmp_path: Path,
) -> None:
    # requirements.txt makes it a Python package; its only .py file is inside .venv. ruff says
    # nothing when it finds no file next to a ruff.toml: it would have "passed".
    write(tmp_path / "requirements.txt", "fastapi\n")
    write(tmp_path / "ruff.toml", "line-length = 100\n")
    write(tmp_path / ".venv" / "lib" / "site.py", "import os\n")
    report = await run_loop(tmp_path, stages=["lint", "format", "typecheck"])
    for result in report.stages:
        assert result.status == "skipped", result
        assert result.reason is not None and "no Python file" in result.reason
    assert not report.headline.startswith("passed")


@pytest.mark.anyio
async def test_an_error_always_carries_the_output_that_explains_it(tmp_path: Path) -> None:
    # ruff with an unknown setting: exit 2, the reason and the tail name the problem.
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.ruff]\nline-lenght = 90\n')
    write(tmp_path / "app.py", "x = 1\n")
    lint = only(await run_loop(tmp_path, stages=["lint"]))
    assert lint.status == "error"
    assert "line-lenght" in lint.output_tail
    assert lint.reason is not None and "last line of output" in lint.reason


# ---------------------------------------------------------------- no tests is not a pass


@pytest.mark.anyio
async def test_python_project_without_tests_has_no_passed_test_stage(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.pytest.ini_options]\n')
    write(tmp_path / "app.py", "x = 1\n")
    test = only(await run_loop(tmp_path, stages=["test"]))
    assert test.status == "skipped"
    assert test.reason is not None and "no tests" in test.reason


@needs_node
@pytest.mark.anyio
async def test_node_project_without_test_files_has_no_passed_test_stage(tmp_path: Path) -> None:
    # `node --test` with no test file exits 0 and writes an empty JUnit report.
    write(tmp_path / "package.json", '{"name": "x", "scripts": {"test": "node --test"}}\n')
    write(tmp_path / "src" / "slug.js", "module.exports = (s) => s.toLowerCase();\n")
    report = await run_loop(tmp_path, stages=["test"])
    test = only(report)
    assert test.tool == "node --test"
    assert test.status == "skipped"
    assert test.reason is not None and "examined nothing" in test.reason
    assert not report.headline.startswith("passed: 1 stage")


# ---------------------------------------------------------------- one hint per cause


@pytest.mark.anyio
async def test_a_missing_runner_is_explained_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # poetry.lock, no poetry on PATH and no .venv: every Python stage fails for that one cause.
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    write(tmp_path / "pyproject.toml", '[tool.poetry]\nname = "x"\n\n[tool.ruff]\n')
    write(tmp_path / "poetry.lock")
    write(tmp_path / "tests" / "test_x.py", "def test_x():\n    assert True\n")
    request = LoopRequest(root=tmp_path, stages=["lint", "format", "typecheck", "test"])
    messages: list[str] = []

    async def progress(done: int, total: int, message: str) -> None:
        messages.append(message)

    report = await run_quality_loop(request, progress)
    assert [r.status for r in report.stages] == ["error"] * 4
    hint = "python -m pip install poetry"
    assert render_text(report).count(hint) == 1
    assert render_markdown(report).count(hint) == 1
    assert "\n".join(messages).count(hint) == 1
    [item] = [i for i in report.fix_first if hint in i]
    assert item.startswith("lint, format, typecheck, test: ")


# ---------------------------------------------------------------- TypeScript solution files


@needs_node
@pytest.mark.npm
@pytest.mark.anyio
async def test_solution_tsconfig_checks_the_referenced_projects(
    ts_catalog: Path, tmp_path: Path
) -> None:
    # Nx/Vite layout: tsconfig.json has `files: []` and references; `tsc --noEmit` on it checks
    # nothing, while the app project has a TS2305.
    root = tmp_path / "nx"
    shutil.copytree(FIXTURES / "nx_workspace", root)
    (root / "node_modules").symlink_to(ts_catalog / "node_modules")
    report = await run_loop(root, stages=["typecheck"])
    by_id = {r.id: r for r in report.stages}
    assert set(by_id) == {"typecheck (tsconfig.app.json)", "typecheck (tsconfig.lib.json)"}
    app = by_id["typecheck (tsconfig.app.json)"]
    assert app.status == "failed"
    assert [(d.file, d.line, d.code) for d in app.diagnostics] == [
        ("apps/api/src/main.ts", 2, "TS2305")
    ]
    assert app.command[app.command.index("-p") + 1] == "tsconfig.app.json"
    assert by_id["typecheck (tsconfig.lib.json)"].status == "passed"
    assert report.status == "failed"
    # Nothing written into the project itself (build info stays in node_modules/.cache).
    assert not list(root.glob("*.tsbuildinfo"))


@needs_node
@pytest.mark.npm
@pytest.mark.anyio
async def test_composite_references_are_checked_by_build_mode(
    ts_catalog: Path, tmp_path: Path
) -> None:
    root = tmp_path / "nx"
    shutil.copytree(FIXTURES / "nx_workspace", root)
    (root / "node_modules").symlink_to(ts_catalog / "node_modules")
    # Nx's composite layout: each project builds to dist/out-tsc, the app references the lib.
    for name, references in (
        ("tsconfig.app.json", "./tsconfig.lib.json"),
        ("tsconfig.lib.json", None),
    ):
        config = json.loads((root / name).read_text())
        config["compilerOptions"] = {"composite": True, "outDir": f"dist/out-tsc/{name}"}
        if references:
            config["references"] = [{"path": references}]
        (root / name).write_text(json.dumps(config))
    [typecheck] = (await run_loop(root, stages=["typecheck"])).stages
    assert typecheck.command[1:2] == ["-b"]
    assert typecheck.status == "failed"
    assert [d.code for d in typecheck.diagnostics] == ["TS2305"]


@needs_node
@pytest.mark.anyio
async def test_tsconfig_that_selects_nothing_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "package.json", '{"name": "x", "devDependencies": {"typescript": "5"}}\n')
    write(tmp_path / "tsconfig.json", '{\n  // emptied by mistake\n  "files": [],\n}\n')
    write(tmp_path / "src" / "a.ts", "export const a: number = 'x';\n")
    typecheck = only(await run_loop(tmp_path, stages=["typecheck"]))
    assert typecheck.status == "error"
    assert typecheck.reason is not None and "selects no file" in typecheck.reason


# ---------------------------------------------------------------- jest: colours and counts


@pytest.fixture(scope="session")
def jest_ts() -> Path:
    return npm_installed("jest_ts", ("jest",))


@needs_node
@pytest.mark.npm
@pytest.mark.slow
@pytest.mark.anyio
async def test_jest_report_has_no_colour_codes_and_one_count(jest_ts: Path, tmp_path: Path) -> None:
    # ts-jest prints TypeScript's coloured diagnostics whatever NO_COLOR says.
    root = tmp_path / "pricing"
    shutil.copytree(jest_ts, root, ignore=shutil.ignore_patterns("node_modules"))
    (root / "node_modules").symlink_to(jest_ts / "node_modules")
    report = await run_loop(root, stages=["test"])
    test = only(report)
    assert test.status == "failed"
    assert "\x1b" not in everything_shown(report)
    assert "[96m" not in everything_shown(report)
    by_file = {d.file: d for d in test.diagnostics}
    type_error = by_file["test/currency.test.ts"]
    assert (type_error.code, type_error.line) == ("TS2322", 4)
    assert "Type 'number' is not assignable to type 'string'" in type_error.message
    assert by_file["test/price.test.ts"].code == "applies a discount"
    # The same counts in the stage line, the headline and the Markdown table.
    phrase = counts_phrase(test.counts, "test")
    assert phrase == "1 failed, 1 error, 2 passed of 3 tests"
    assert phrase in report.headline
    assert phrase in render_text(report).splitlines()[0]
    assert f"| {phrase} |" in render_markdown(report)
