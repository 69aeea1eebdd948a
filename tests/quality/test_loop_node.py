"""The loop on Node fixture projects: TypeScript with eslint/tsc/vitest, node --test, a
project script that floods its output."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mcp_backend.quality.models import LoopReport, StageResult

from .conftest import CopyFixture, run_loop

DIRECT_TIMEOUT_S = 300
needs_node = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="Node.js and npm are not installed",
)


def stage(report: LoopReport, stage_id: str) -> StageResult:
    return next(s for s in report.stages if s.id == stage_id)


@needs_node
@pytest.mark.npm
@pytest.mark.slow
@pytest.mark.anyio
async def test_typescript_project_counts_equal_the_tools_run_directly(
    ts_catalog: Path, tmp_path: Path
) -> None:
    report = await run_loop(ts_catalog, stages=["lint", "format", "typecheck", "test"])
    bins = ts_catalog / "node_modules" / ".bin"

    def direct(argv: list[str]) -> str:
        completed = subprocess.run(
            argv, cwd=ts_catalog, capture_output=True, text=True,
            timeout=DIRECT_TIMEOUT_S, check=False,
        )  # fmt: skip
        return completed.stdout

    eslint = json.loads(direct([str(bins / "eslint"), "-f", "json", "."]))
    eslint_errors = sum(f["errorCount"] for f in eslint)
    tsc_errors = [line for line in direct([str(bins / "tsc"), "--noEmit", "--pretty", "false"])
                  .splitlines() if ": error TS" in line]  # fmt: skip
    vitest_report = tmp_path / "vitest.json"
    direct([str(bins / "vitest"), "run", "--reporter=json", f"--outputFile={vitest_report}"])
    vitest = json.loads(vitest_report.read_text())

    lint, fmt, types, tests = (stage(report, n) for n in ("lint", "format", "typecheck", "test"))
    assert lint.status == "failed" and lint.counts.errors == eslint_errors == 3
    assert lint.command[:3] == [str(bins / "eslint"), "-f", "json"] and "--cache" in lint.command
    assert types.status == "failed" and types.counts.errors == len(tsc_errors) == 2
    assert "--incremental" in types.command
    assert {d.file for d in types.diagnostics} == {"src/catalog.ts", "src/search.ts"}
    assert tests.status == "failed"
    assert tests.counts.tests_total == vitest["numTotalTests"] == 3
    assert tests.counts.tests_failed == vitest["numFailedTests"] == 1
    assert tests.diagnostics[0].file == "test/catalog.test.ts"
    assert fmt.status == "skipped"  # no formatter configured in this project
    # No worker pool (the one-shot CLI): every stage is its command, run as a process.
    assert not any(n.startswith("warm worker") for s in report.stages for n in s.notes)
    assert report.status == "failed"
    # A warm re-run uses the caches (eslint --cache, tsc --incremental) and agrees.
    again = await run_loop(ts_catalog, stages=["lint", "typecheck"])
    assert stage(again, "lint").counts.errors == 3
    assert stage(again, "typecheck").counts.errors == 2
    cache = ts_catalog / "node_modules" / ".cache" / "mcp-backend"
    assert (cache / "eslintcache").exists() and (cache / "tsconfig.tsbuildinfo").exists()


@needs_node
@pytest.mark.anyio
async def test_node_test_runner_junit(copy_fixture: CopyFixture) -> None:
    report = await run_loop(copy_fixture("node_scripts"), stages=["lint", "test"])
    test = stage(report, "test")
    assert test.tool == "node --test"
    assert test.status == "failed"
    counts = test.counts
    assert (counts.tests_total, counts.tests_failed, counts.tests_skipped) == (3, 1, 1)
    [failure] = test.diagnostics
    assert failure.code == "drops leading and trailing separators"
    assert (failure.file, failure.line) == ("test/slug.test.js", 10)
    assert stage(report, "lint").status == "skipped"  # no linter and no lint script


@needs_node
@pytest.mark.anyio
async def test_a_flooding_script_is_capped(
    copy_fixture: CopyFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALITY_FIXTURE_FLOOD_MB", "40")
    report = await run_loop(
        copy_fixture("log_flood"), stages=["lint"], output_cap_bytes=256 * 1024, tail_chars=800
    )
    [lint] = report.stages
    assert lint.command == ["npm", "run", "lint"]
    assert lint.status == "failed" and lint.exit_code == 1
    assert len(lint.output_tail) <= 800
    assert "lint: 1 problem found" in lint.output_tail  # stderr's tail is kept
    assert any("only the first 262144" in note for note in lint.notes)
    assert len(report.model_dump_json()) < 20_000


@needs_node
@pytest.mark.npm
@pytest.mark.slow
@pytest.mark.anyio
async def test_eslint_fix_rewrites_files(ts_catalog: Path, tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(ts_catalog, root, ignore=shutil.ignore_patterns("node_modules"))
    (root / "node_modules").symlink_to(ts_catalog / "node_modules")
    report = await run_loop(root, stages=["lint"], fix=True)
    [lint] = report.stages
    assert lint.modifies_files and "--fix" in lint.command
    # prefer-const was fixed in place; eqeqeq and no-explicit-any need a person.
    assert sorted(d.code for d in lint.diagnostics) == [
        "@typescript-eslint/no-explicit-any",
        "eqeqeq",
    ]
    assert "const euros" in (root / "src" / "catalog.ts").read_text()
    assert "let euros" in (ts_catalog / "src" / "catalog.ts").read_text()  # fixture untouched


@pytest.mark.anyio
async def test_monorepo_runs_each_package(copy_fixture: CopyFixture, tmp_path: Path) -> None:
    root = tmp_path / "platform"
    (root / "services").mkdir(parents=True)
    copy_fixture("orders_service").rename(root / "services" / "orders")
    copy_fixture("inventory_clean").rename(root / "services" / "inventory")
    report = await run_loop(root, stages=["lint", "test"])
    statuses = {s.id: s.status for s in report.stages}
    assert statuses == {
        "lint (services/inventory)": "passed",
        "lint (services/orders)": "failed",
        "test (services/inventory)": "passed",
        "test (services/orders)": "failed",
    }
    orders_lint = stage(report, "lint (services/orders)")
    assert orders_lint.cwd == str(root / "services" / "orders")
    assert orders_lint.counts.errors == 5
