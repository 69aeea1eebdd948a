"""The rule registry (review/rules/__init__.py): every real rule loads, and a broken rule package
fails one way, RuleLoadError naming the package and the reason. The broken rules are real
packages written to a temporary directory on sys.path, loaded by the real registry code."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

import pytest

from mcp_backend.review.rules import (
    DETECTOR_KINDS,
    RuleLoadError,
    all_rules,
    discover_rules,
    load_detectors,
    parse_rule_doc,
    render_doc_md,
)

RULES_DIR = Path(__file__).parents[3] / "mcp_backend" / "review" / "rules"

DOC = """\
## What it does

Finds calls to `danger()`.

## Why it matters

It is dangerous.

## Example

```python
danger(x)
```

## Use instead

```python
safe(x)
```

## References

- https://example.invalid/danger
"""


def rule_init(rule_id: str, languages: str = '["python"]') -> str:
    return textwrap.dedent(
        f"""\
        from mcp_backend.review.model import RuleMeta
        from mcp_backend.review.rules import rule_doc

        RULE = RuleMeta(
            id={rule_id!r},
            name="A test rule",
            checklist_item="injection",
            severity="high",
            confidence="high",
            languages={languages},
            doc=rule_doc(__name__),
        )
        """
    )


DETECTOR_OF_ITS_RULE = textwrap.dedent(
    """\
    from . import RULE


    class Detector:
        rule = RULE

        def check(self, ctx):
            return iter(())


    DETECTOR = Detector()
    """
)


def rules_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> str:
    """A rules package with these files (paths relative to it), importable under a fresh name."""
    name = f"test_rules_{uuid.uuid4().hex}"
    root = tmp_path / name
    root.mkdir()
    (root / "__init__.py").write_text("")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def load_everything(package: str) -> None:
    rules = discover_rules(package)
    for kind in DETECTOR_KINDS:
        load_detectors(rules, kind)


def test_every_real_rule_and_detector_loads() -> None:
    rules = discover_rules()
    assert set(rules) == set(all_rules())
    folders = {p.name for p in RULES_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")}
    folders.discard("__pycache__")
    assert {rule_id.replace("-", "_") for rule_id in rules} == folders
    for kind in DETECTOR_KINDS:
        detectors = load_detectors(rules, kind)
        on_disk = {p.parent.name for p in RULES_DIR.glob(f"*/{kind}.py")}
        assert {d.rule.id.replace("-", "_") for d in detectors} == on_disk  # type: ignore[attr-defined]


def test_every_real_doc_md_round_trips() -> None:
    for rule_id, meta in all_rules().items():
        doc_md = RULES_DIR / rule_id.replace("-", "_") / "doc.md"
        assert doc_md.read_text(encoding="utf-8") == render_doc_md(meta.doc), rule_id
        assert parse_rule_doc(render_doc_md(meta.doc), rule_id) == meta.doc


def test_a_well_formed_package_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = rules_package(
        tmp_path,
        monkeypatch,
        {
            "alpha/__init__.py": rule_init("alpha"),
            "alpha/doc.md": DOC,
            "alpha/python.py": DETECTOR_OF_ITS_RULE,
            "_shared.py": "HELPER = 1\n",
        },
    )
    rules = discover_rules(package)
    assert list(rules) == ["alpha"]
    assert rules["alpha"].rule.doc.references == ["https://example.invalid/danger"]
    (detector,) = load_detectors(rules, "python")
    assert detector.rule is rules["alpha"].rule  # type: ignore[attr-defined]
    assert load_detectors(rules, "javascript") == ()


BROKEN: dict[str, tuple[dict[str, str], str]] = {
    "missing RULE": (
        {"alpha/__init__.py": "NAME = 'alpha'\n", "alpha/python.py": DETECTOR_OF_ITS_RULE},
        "alpha: defines no RULE",
    ),
    "duplicate id": (
        {
            "alpha/__init__.py": rule_init("alpha"),
            "alpha/doc.md": DOC,
            "alpha_copy/__init__.py": rule_init("alpha"),
            "alpha_copy/doc.md": DOC,
        },
        "alpha_copy: duplicate rule id 'alpha', already defined by",
    ),
    "id that is not its folder": (
        {"alpha/__init__.py": rule_init("beta"), "alpha/doc.md": DOC},
        "alpha: RULE.id 'beta' does not match its folder",
    ),
    "detector whose rule is another rule's": (
        {
            "alpha/__init__.py": rule_init("alpha"),
            "alpha/doc.md": DOC,
            "beta/__init__.py": rule_init("beta"),
            "beta/doc.md": DOC,
            "beta/python.py": DETECTOR_OF_ITS_RULE.replace(
                "from . import RULE", "from ..alpha import RULE"
            ),
        },
        "beta: python.py: DETECTOR.rule is not the RULE of",
    ),
    "detector without a rule": (
        {
            "alpha/__init__.py": rule_init("alpha"),
            "alpha/doc.md": DOC,
            "alpha/python.py": DETECTOR_OF_ITS_RULE.replace("    rule = RULE\n", ""),
        },
        "alpha: python.py: DETECTOR.rule is not the RULE of",
    ),
    "detector module without DETECTOR": (
        {
            "alpha/__init__.py": rule_init("alpha"),
            "alpha/doc.md": DOC,
            "alpha/python.py": "X = 1\n",
        },
        "alpha: python.py defines no DETECTOR",
    ),
    "detector that fails to import": (
        {
            "alpha/__init__.py": rule_init("alpha"),
            "alpha/doc.md": DOC,
            "alpha/python.py": "import a_module_that_does_not_exist\n",
        },
        "alpha.python: failed to import: ModuleNotFoundError",
    ),
    "detector for a language the rule does not list": (
        {
            "alpha/__init__.py": rule_init("alpha"),
            "alpha/doc.md": DOC,
            "alpha/javascript.py": DETECTOR_OF_ITS_RULE,
        },
        "alpha: has a javascript detector but RULE.languages is ['python']",
    ),
    "unknown module in a rule": (
        {"alpha/__init__.py": rule_init("alpha"), "alpha/doc.md": DOC, "alpha/helpers.py": ""},
        "alpha: unknown module 'helpers'",
    ),
    "a module where a rule package belongs": (
        {"alpha.py": rule_init("alpha")},
        "alpha: is a module; a rule is a package",
    ),
    "no doc.md": (
        {"alpha/__init__.py": rule_init("alpha")},
        "alpha: cannot read doc.md",
    ),
    "doc.md without a section": (
        {"alpha/__init__.py": rule_init("alpha"), "alpha/doc.md": DOC.replace("## Example", "")},
        "alpha: doc.md lacks the section(s) Example",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_rule_fails_with_rule_load_error(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, expected = BROKEN[case]
    package = rules_package(tmp_path, monkeypatch, files)
    with pytest.raises(RuleLoadError) as raised:
        load_everything(package)
    message = str(raised.value)
    assert message.startswith(f"rule package {package}."), message
    assert expected in message, message
