from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from mcp_backend.review.config import load_config
from mcp_backend.review.engine import review
from mcp_backend.review.model import ReviewRequest
from mcp_backend.review.suppress import find_suppressions

from .conftest import TEST_CATALOG, write_tree


def test_suppression_on_the_line_and_the_line_above(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(
        tmp_path / "proj",
        {
            "app.py": (
                "danger(1)  # mcp-backend-ignore test-danger-call: input is a constant\n"
                "# mcp-backend-ignore test-danger-call: fixed list of commands\n"
                "danger(2)\n"
                "danger(3)\n"
                "notice(4)  # mcp-backend-ignore test-danger-call: wrong rule, still reported\n"
            ),
            "web.js": "// mcp-backend-ignore test-danger-call: js comment style parsed too\n",
        },
    )
    report = review(ReviewRequest(root=root, cache_dir=cache_dir, jobs=1))
    assert [(f.rule_id, f.line) for f in report.findings] == [
        ("test-danger-call", 4),
        ("test-notice-call", 5),
    ]
    assert report.summary.suppressed == 2


def test_trailing_comment_does_not_cover_the_next_line(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(
        tmp_path / "proj",
        {"app.py": "x = 1  # mcp-backend-ignore test-danger-call: only this line\ndanger(2)\n"},
    )
    report = review(ReviewRequest(root=root, cache_dir=cache_dir, jobs=1))
    assert [f.line for f in report.findings if f.rule_id == "test-danger-call"] == [2]


def test_suppression_without_reason_or_with_unknown_id_is_reported(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(
        tmp_path / "proj",
        {
            "app.py": (
                "danger(1)  # mcp-backend-ignore test-danger-call\n"
                "danger(2)  # mcp-backend-ignore no-such-rule: typo in the id\n"
                "danger(3)  # mcp-backend-ignore\n"
            )
        },
    )
    report = review(ReviewRequest(root=root, cache_dir=cache_dir, jobs=1))
    invalid = [(f.line, f.message) for f in report.findings if f.rule_id == "invalid-suppression"]
    assert invalid == [
        (1, "Suppression gives no reason; add `: why` after the id."),
        (2, "Suppression names unknown rule id(s): no-such-rule."),
        (3, "Suppression names no rule id."),
    ]
    # the reasonless one still silences its rule; the wrong ids silence nothing
    assert [f.line for f in report.findings if f.rule_id == "test-danger-call"] == [2, 3]
    assert all(f.severity == "low" for f in report.findings if f.rule_id == "invalid-suppression")
    # findings about suppressions do not change the project's checklist verdicts
    architecture = next(v for v in report.checklist if v.item == "architecture")
    assert architecture.findings == 0


def test_find_suppressions_parses_ids_and_reasons() -> None:
    found = find_suppressions(
        "a = 1  # mcp-backend-ignore rule-a, rule-b: both safe here\n"
        "    // mcp-backend-ignore rule-c: reason: with colon\n"
        "/* mcp-backend-ignore rule-d: block comment */\n"
        "text = 'mcp-backend-ignore is mentioned in prose'\n"
    )
    assert [(s.line, s.rule_ids, s.reason, s.standalone) for s in found] == [
        (1, ["rule-a", "rule-b"], "both safe here", False),
        (2, ["rule-c"], "reason: with colon", True),
        (3, ["rule-d"], "block comment", True),
    ]


def test_pyproject_config_disables_filters_and_excludes(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(
        tmp_path / "proj",
        {
            "pyproject.toml": (
                "[project]\nname = 'x'\n\n[tool.mcp-backend]\n"
                "disable = ['test-notice-call', 'not-a-rule']\n"
                "exclude = ['legacy/']\nmin_severity = 'medium'\nmax_file_kb = 64\ncolour = 'red'\n"
            ),
            "app.py": "danger(1)\nnotice(2)\n",
            "legacy/old.py": "danger(3)\n",
            "big.py": "x = 1\n" * 20_000,
        },
    )
    report = review(ReviewRequest(root=root, cache_dir=cache_dir, jobs=1))
    assert [(f.file, f.rule_id) for f in report.findings] == [("app.py", "test-danger-call")]
    assert {s.file for s in report.skipped} == {"big.py"}
    notes = " ".join(report.notes)
    assert "unknown setting `colour`" in notes
    assert "not-a-rule" in notes
    assert "rules disabled by configuration: not-a-rule, test-notice-call" in notes


def test_low_findings_hidden_by_min_severity_from_config(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(
        tmp_path / "proj",
        {"mcp-backend.toml": "min_severity = 'high'\n", "app.py": "notice(1)\ndanger(2)\n"},
    )
    report = review(ReviewRequest(root=root, cache_dir=cache_dir, jobs=1))
    assert [f.rule_id for f in report.findings] == ["test-danger-call"]
    # an explicit request threshold overrides the config
    report = review(ReviewRequest(root=root, cache_dir=cache_dir, jobs=1, min_severity="critical"))
    assert report.findings == []


def test_package_json_config_and_bad_values(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "package.json": json.dumps(
                {"name": "api", "mcp-backend": {"disable": "hardcoded-secret", "max_file_kb": -1}}
            )
        },
    )
    config = load_config(tmp_path, known_rule_ids=TEST_CATALOG.keys())
    assert config.source == 'package.json "mcp-backend"'
    assert config.disable == ["hardcoded-secret"]
    assert config.max_file_kb == 1024
    assert any("max_file_kb" in note for note in config.notes)


def test_broken_config_files_become_notes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.mcp-backend\n", "package.json": "{nope"})
    config = load_config(tmp_path)
    assert config.source is None
    assert len(config.notes) == 2
    assert all("could not be read" in note for note in config.notes)


def test_first_config_file_wins_and_the_others_are_named(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "mcp-backend.toml": "min_severity = 'low'\n",
            "pyproject.toml": "[tool.mcp-backend]\nmin_severity = 'high'\n",
        },
    )
    config = load_config(tmp_path)
    assert config.min_severity == "low"
    assert any("also found in pyproject.toml" in note for note in config.notes)


def test_the_marker_inside_a_string_is_not_a_suppression() -> None:
    python = (
        '"""Write `# mcp-backend-ignore RULE-ID: reason` after the line."""\n'
        'EXAMPLE = "cursor.execute(q)  # mcp-backend-ignore sql-string-query"\n'
        'HELP = """\n'
        "    # mcp-backend-ignore inside a triple-quoted string\n"
        '"""\n'
        'x = "# mcp-backend-ignore"  # mcp-backend-ignore code-eval: fixed input, see above\n'
    )
    found = find_suppressions(python, "python")
    assert [(s.line, s.rule_ids, s.column) for s in found] == [(6, ["code-eval"], 29)]
    javascript = (
        "const doc = '// mcp-backend-ignore sql-string-query';\n"
        'const tpl = `use "// mcp-backend-ignore" in a comment`;\n'
        "db.query(sql); // mcp-backend-ignore sql-string-query: built from constants\n"
        "const quoted = 'it\\'s'; // mcp-backend-ignore code-eval: escaped quote before\n"
    )
    found = find_suppressions(javascript, "javascript")
    assert [(s.line, s.rule_ids) for s in found] == [
        (3, ["sql-string-query"]),
        (4, ["code-eval"]),
    ]


def test_python_that_does_not_tokenize_falls_back_to_lines() -> None:
    broken = "def f(:\n    run()  # mcp-backend-ignore code-eval: trusted\n"
    found = find_suppressions(broken, "python")
    assert [(s.line, s.rule_ids) for s in found] == [(2, ["code-eval"])]
