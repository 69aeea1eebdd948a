"""Parsers against outputs captured from the real tools (tests/quality/data, see README there)."""

from __future__ import annotations

from pathlib import Path

from mcp_backend.quality.parsers import parse_output
from mcp_backend.quality.parsers.biome import parse_biome
from mcp_backend.quality.parsers.eslint import parse_eslint
from mcp_backend.quality.parsers.flake8 import parse_flake8
from mcp_backend.quality.parsers.jest import parse_jest_json
from mcp_backend.quality.parsers.junit import parse_junit
from mcp_backend.quality.parsers.mypy import parse_mypy_json, parse_mypy_text
from mcp_backend.quality.parsers.pyright import parse_pyright
from mcp_backend.quality.parsers.ruff import parse_ruff_check, parse_ruff_format
from mcp_backend.quality.parsers.tsc import parse_tsc

from .conftest import read_data

# Where the outputs were captured (their absolute paths are made relative to these).
ORDERS = Path("/work/main/tests/fixtures/quality/orders_service")
CATALOG = Path("/work/main/tests/fixtures/quality/ts_catalog")


def test_ruff_check_orders() -> None:
    parsed = parse_ruff_check(read_data("ruff_orders.json"), ORDERS)
    assert parsed.parsed
    codes = sorted(d.code for d in parsed.diagnostics)
    assert codes == ["B006", "E711", "F401", "F401", "I001"]
    assert parsed.counts.errors == 5
    assert parsed.counts.fixable == 3  # I001 and both F401 have safe fixes; E711's is unsafe
    first = next(d for d in parsed.diagnostics if d.code == "E711")
    assert (first.file, first.line, first.column) == ("src/orders/pricing.py", 16, 20)
    assert not first.fix_available


def test_ruff_check_empty_and_syntax_error() -> None:
    empty = parse_ruff_check(read_data("ruff_empty.json"), ORDERS)
    assert empty.parsed and empty.diagnostics == [] and empty.counts.errors == 0
    syntax = parse_ruff_check(read_data("ruff_syntax_error.json"), Path("/tmp/pc"))
    # `def broken(:` gives two syntax errors on line 1; neither can be fixed automatically.
    assert {(d.code, d.file, d.line) for d in syntax.diagnostics} == {
        ("invalid-syntax", "bad.py", 1)
    }
    assert len(syntax.diagnostics) == 2 and syntax.counts.fixable == 0


def test_ruff_bad_config_is_not_understood() -> None:
    # ruff exits 2 and prints nothing on stdout when its configuration is invalid.
    parsed = parse_ruff_check(read_data("ruff_bad_config.stdout"), ORDERS)
    assert not parsed.parsed
    assert "unknown field" in read_data("ruff_bad_config.stderr")


def test_ruff_format_check() -> None:
    parsed = parse_ruff_format(read_data("ruff_format_orders.json"), ORDERS)
    assert [(d.file, d.code, d.fix_available) for d in parsed.diagnostics] == [
        ("src/orders/api.py", "unformatted", True)
    ]
    assert parsed.counts.files == 1
    syntax = parse_ruff_format(read_data("ruff_format_syntax_error.json"), Path("/tmp/pc"))
    assert syntax.diagnostics[0].code == "invalid-syntax"
    assert not syntax.diagnostics[0].fix_available


def test_mypy_json_columns_are_one_based() -> None:
    parsed = parse_mypy_json(read_data("mypy_orders.jsonl"), ORDERS)
    text = parse_mypy_text(read_data("mypy_orders_text.txt"), ORDERS)
    assert parsed.counts.errors == text.counts.errors == 2
    as_tuples = sorted((d.file, d.line, d.column, d.code) for d in parsed.diagnostics)
    assert as_tuples == sorted((d.file, d.line, d.column, d.code) for d in text.diagnostics)
    assert as_tuples[0] == ("src/orders/pricing.py", 26, 12, "return-value")


def test_mypy_blocking_error_without_line() -> None:
    parsed = parse_mypy_json(read_data("mypy_duplicate_module.jsonl"), ORDERS)
    [diagnostic] = parsed.diagnostics
    assert diagnostic.line is None and diagnostic.column is None
    assert "found twice" in diagnostic.message
    assert "mapping-file-paths-to-modules" in diagnostic.message  # the hint's first line


def test_mypy_bad_config_and_empty() -> None:
    assert parse_mypy_json(read_data("mypy_bad_config.stdout"), ORDERS).diagnostics == []
    assert parse_mypy_json("", ORDERS).counts.errors == 0
    garbage = parse_mypy_json("Traceback (most recent call last):\n  boom\n", ORDERS)
    assert not garbage.parsed


def test_pyright_zero_based_ranges() -> None:
    parsed = parse_pyright(read_data("pyright_orders.json"), Path("/tmp/capture/pyp"))
    assert parsed.counts.errors == 2
    pricing = next(d for d in parsed.diagnostics if d.file == "src/orders/pricing.py")
    assert (pricing.line, pricing.column, pricing.code) == (26, 12, "reportReturnType")
    assert not parse_pyright("", ORDERS).parsed


def test_pytest_junit_failures_and_skips() -> None:
    parsed = parse_junit(read_data("pytest_orders_junit.xml"), ORDERS)
    counts = parsed.counts
    assert (counts.tests_total, counts.tests_passed, counts.tests_failed, counts.tests_skipped) == (
        8,
        5,
        2,
        1,
    )
    failures = {d.code: (d.file, d.line) for d in parsed.diagnostics}
    assert failures == {
        "tests.test_pricing::test_order_total_with_discount": ("tests/test_pricing.py", 18),
        "tests.test_store::test_get_missing_order_raises": ("tests/test_store.py", 19),
    }
    assert all("\n" not in d.message for d in parsed.diagnostics)


def test_pytest_junit_collection_error_and_empty_run() -> None:
    collection = parse_junit(read_data("pytest_collection_error_junit.xml"), Path("/tmp/pc"))
    assert collection.counts.tests_errors == 1 and collection.counts.errors == 1
    assert collection.diagnostics[0].file == "tests/test_broken.py"
    assert "collection failure" in collection.diagnostics[0].message
    empty = parse_junit(read_data("pytest_no_tests_junit.xml"), ORDERS)
    assert empty.counts.tests_total == 0 and empty.diagnostics == []
    assert not parse_junit("", ORDERS).parsed
    assert not parse_junit("<testsuites><testsuite", ORDERS).parsed


def test_node_test_junit() -> None:
    parsed = parse_junit(read_data("node_test_junit.xml"), Path("/tmp/nt"))
    counts = parsed.counts
    assert (counts.tests_total, counts.tests_failed, counts.tests_skipped) == (4, 1, 1)
    [failure] = parsed.diagnostics
    assert failure.code == "subtracts"
    assert (failure.file, failure.line) == ("math.test.mjs", 5)


def test_eslint_json() -> None:
    parsed = parse_eslint(read_data("eslint_catalog.json"), CATALOG)
    found = sorted((d.file, d.line, d.code, d.fix_available) for d in parsed.diagnostics)
    assert found == [
        ("src/catalog.ts", 9, "eqeqeq", False),
        ("src/catalog.ts", 13, "prefer-const", True),
        ("src/search.ts", 4, "@typescript-eslint/no-explicit-any", False),
    ]
    assert parsed.counts.errors == 3 and parsed.counts.fixable == 1


def test_eslint_parse_error_and_crash() -> None:
    parse_error = parse_eslint(read_data("eslint_parse_error.json"), CATALOG)
    [diagnostic] = parse_error.diagnostics
    assert diagnostic.code == "parse-error" and diagnostic.severity == "error"
    crash = parse_eslint(read_data("eslint_crash.stdout"), CATALOG)
    assert not crash.parsed
    assert "Oops! Something went wrong" in read_data("eslint_crash.stderr")


def test_tsc_text() -> None:
    parsed = parse_tsc(read_data("tsc_catalog.txt"), CATALOG)
    found = [(d.file, d.line, d.column, d.code) for d in parsed.diagnostics]
    assert found == [("src/catalog.ts", 18, 3, "TS2322"), ("src/search.ts", 9, 51, "TS2322")]
    assert parsed.counts.errors == 2 and parsed.counts.files == 2


def test_tsc_global_and_syntax_errors() -> None:
    missing = parse_tsc(read_data("tsc_missing_project.txt"), CATALOG)
    assert [(d.file, d.code) for d in missing.diagnostics] == [("", "TS5058")]
    syntax = parse_tsc(read_data("tsc_syntax_error.txt"), CATALOG)
    assert syntax.diagnostics[0].code == "TS1110"
    assert parse_tsc("", CATALOG).counts.errors == 0


def test_vitest_json_report() -> None:
    parsed = parse_jest_json(read_data("vitest_catalog.json"), CATALOG)
    counts = parsed.counts
    assert (counts.tests_total, counts.tests_passed, counts.tests_failed) == (3, 2, 1)
    [failure] = parsed.diagnostics
    assert failure.code == "catalog matches tags case-insensitively"
    assert (failure.file, failure.line) == ("test/catalog.test.ts", 20)
    assert not parse_jest_json("", CATALOG).parsed
    assert not parse_jest_json('{"unexpected": true}', CATALOG).parsed


def test_biome_lint_and_format() -> None:
    lint = parse_biome(read_data("biome_lint.json"), Path("/tmp/capture/proj"))
    assert lint.counts.errors == 1 and lint.counts.warnings == 2
    double_equals = next(d for d in lint.diagnostics if d.severity == "error")
    assert (double_equals.file, double_equals.line) == ("catalog.ts", 9)
    assert double_equals.code == "lint/suspicious/noDoubleEquals"
    formatting = parse_biome(read_data("biome_format.json"), Path("/tmp/capture/proj"))
    assert formatting.counts.files == 2 and all(d.line is None for d in formatting.diagnostics)


def test_flake8_text() -> None:
    # flake8 7.3's default format on the orders fixture (run on src/ from a copy in /tmp/os).
    parsed = parse_flake8(read_data("flake8_orders.txt"), Path("/tmp/os"))
    assert parsed.counts.errors == 13 and parsed.counts.files == 2
    unused = [d for d in parsed.diagnostics if d.code == "F401"]
    assert [(d.file, d.line, d.column) for d in unused] == [
        ("src/orders/pricing.py", 3, 1),
        ("src/orders/pricing.py", 4, 1),
    ]


def test_dispatch_uses_report_file_and_text() -> None:
    report = read_data("pytest_orders_junit.xml")
    parsed = parse_output("pytest_junit", "", "", report, ORDERS)
    assert parsed is not None and parsed.counts.tests_failed == 2
    assert parse_output("text", "anything", "", None, ORDERS) is None
    missing_report = parse_output("vitest", "", "", None, CATALOG)
    assert missing_report is not None and not missing_report.parsed


def test_black_check_and_parse_error() -> None:
    parsed = parse_output("black", read_data("black_orders.stdout"),
                          read_data("black_orders.stderr"), None, Path("/tmp/os"))  # fmt: skip
    assert parsed is not None
    assert sorted(d.file for d in parsed.diagnostics) == [
        "src/orders/api.py",
        "src/orders/pricing.py",
    ]
    assert parsed.counts.fixable == 2
    broken = parse_output("black", "", read_data("black_cannot_format.stderr"), None,
                          Path("/tmp/os"))  # fmt: skip
    assert broken is not None
    parse_error = next(d for d in broken.diagnostics if d.code == "cannot-parse")
    assert (parse_error.file, parse_error.line) == ("src/orders/bad.py", 1)
    assert not parse_error.fix_available


def test_jest_suite_that_failed_to_run_under_ts_jest() -> None:
    # jest 30 + ts-jest 29 on the jest_ts fixture (copied to /tmp/pricing): a type error in
    # one test file, coloured by TypeScript whatever NO_COLOR says, and one failing test.
    parsed = parse_jest_json(read_data("jest_ts_suite_error.json"), Path("/tmp/pricing"))
    assert "\\u001b[96m" in read_data("jest_ts_suite_error.json")  # the report has colours
    assert all("\x1b" not in d.message and "[96m" not in d.message for d in parsed.diagnostics)
    by_file = {d.file: d for d in parsed.diagnostics}
    suite = by_file["test/currency.test.ts"]
    assert (suite.code, suite.line) == ("TS2322", 4)
    assert suite.message == (
        "test file could not run: Type 'number' is not assignable to type 'string'."
    )
    assert by_file["test/price.test.ts"].line == 12
    counts = parsed.counts
    assert (counts.tests_total, counts.tests_passed, counts.tests_failed) == (3, 2, 1)
    assert counts.tests_errors == 1 and counts.errors == 2


def test_strip_ansi_removes_colours_cursor_moves_and_links() -> None:
    from mcp_backend.quality.parsers.common import strip_ansi

    coloured = (
        "\x1b[96mtest/a.ts\x1b[0m:\x1b[93m4\x1b[0m \x1b[2K\x1b]8;;http://x\x07link\x1b]8;;\x07"
    )
    assert strip_ansi(coloured) == "test/a.ts:4 link"
    assert strip_ansi("plain [96m text") == "plain [96m text"


def test_flake8_benchmark_counts_the_files_it_read() -> None:
    # flake8 7.5 --benchmark: figures after the diagnostics.
    read_none = "0.0227     seconds elapsed\n0          total files processed\n"
    assert parse_flake8(read_none, Path("/p")).nothing_examined is not None
    read_one = "./a.py:1:1: F401 'os' imported but unused\n1          total files processed\n"
    parsed = parse_flake8(read_one, Path("/p"))
    assert parsed.nothing_examined is None and parsed.counts.errors == 1
