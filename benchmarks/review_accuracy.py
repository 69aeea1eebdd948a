"""Review accuracy on the fixture apps under tests/fixtures/review/*/labels.toml.

    .venv/bin/python benchmarks/review_accuracy.py [FIXTURE_DIR ...]

labels.toml: `[[expected]]` rule, file, optional line and route (a finding matches when rule
and file agree, the line is within +-2 when given and the route is equal when given);
`[[route]]` method, path and any of auth/authz/validation/rate_limit ("present", "absent",
"unknown") and public_by_design (bool). A fixture with no expected findings is a clean one.
Prints recall per checklist item on the vulnerable apps, every finding on the clean ones, the
route-fact agreement, and false positives per 5,000 lines of non-test code.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "review"
LINE_TOLERANCE = 2
PROTECTIONS = ("auth", "authz", "validation", "rate_limit")

sys.path.insert(0, str(REPO))

from mcp_backend.review.engine import run_review  # noqa: E402
from mcp_backend.review.model import Finding, ReviewRequest, Route  # noqa: E402
from mcp_backend.review.rules import all_rules  # noqa: E402


def load_labels(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        print(f"  ! {path}: cannot read labels ({exc})")
        return None


def matches(expected: dict[str, Any], finding: Finding) -> bool:
    if finding.rule_id != expected.get("rule"):
        return False
    if "file" in expected and finding.file != expected["file"]:
        return False
    line = expected.get("line")
    if isinstance(line, int) and abs(finding.line - line) > LINE_TOLERANCE:
        return False
    route = expected.get("route")
    return not (route and finding.route and finding.route != route)


def route_key(method: str, path: str) -> tuple[str, str]:
    return method.upper(), path.rstrip("/") or "/"


def check_routes(labels: list[dict[str, Any]], routes: list[Route]) -> tuple[int, int, list[str]]:
    by_key: dict[tuple[str, str], list[Route]] = defaultdict(list)
    for route in routes:
        by_key[route_key(route.method, route.path)].append(route)
    agreed = total = 0
    problems: list[str] = []
    for label in labels:
        key = route_key(str(label.get("method", "ANY")), str(label.get("path", "")))
        found = by_key.get(key)
        total += 1
        if not found:
            problems.append(f"route {key[0]} {key[1]} not in the inventory")
            continue
        route = found[0]
        ok = True
        for field in PROTECTIONS:
            if field in label and getattr(route, field).status != label[field]:
                ok = False
                problems.append(
                    f"{key[0]} {key[1]}: {field} is {getattr(route, field).status}, "
                    f"expected {label[field]}"
                )
        if "public_by_design" in label and bool(route.public_by_design) != bool(
            label["public_by_design"]
        ):
            ok = False
            problems.append(
                f"{key[0]} {key[1]}: public_by_design is {route.public_by_design!r}, "
                f"expected {label['public_by_design']}"
            )
        agreed += ok
    return agreed, total, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fixtures", nargs="*", type=Path)
    args = parser.parse_args()
    dirs = args.fixtures or sorted(p.parent for p in FIXTURES.glob("*/labels.toml"))
    if not dirs:
        print(f"no fixtures with labels.toml under {FIXTURES}")
        return 1
    catalog = all_rules()

    hits_by_item: dict[str, int] = defaultdict(int)
    expected_by_item: dict[str, int] = defaultdict(int)
    clean_findings = 0
    clean_lines = 0
    vulnerable_extra = 0
    route_agreed = route_total = 0

    for fixture in dirs:
        labels = load_labels(fixture / "labels.toml")
        if labels is None:
            continue
        expected = [e for e in labels.get("expected", []) if isinstance(e, dict)]
        outcome = run_review(ReviewRequest(root=fixture.resolve(), use_cache=False, jobs=1))
        findings = outcome.findings
        kind = "vulnerable" if expected else "clean"
        non_test_lines = outcome.summary.lines_scanned  # refined below when the index knows
        index = outcome.index
        if index is not None and index.test_files:
            # lines of test files are not "code a false positive can land on" for the target
            non_test_lines = max(0, non_test_lines - _lines_of(fixture, index.test_files))
        print(
            f"\n== {fixture.name} ({kind}): {outcome.summary.files_scanned} files, "
            f"{non_test_lines} non-test lines, {len(outcome.routes)} routes, "
            f"{len(findings)} findings"
        )
        matched: set[int] = set()
        missed: list[str] = []
        for entry in expected:
            rule_id = str(entry.get("rule", "?"))
            item = catalog[rule_id].checklist_item if rule_id in catalog else f"?{rule_id}"
            expected_by_item[item] += 1
            hit = next(
                (i for i, f in enumerate(findings) if i not in matched and matches(entry, f)),
                None,
            )
            if hit is None:
                where = str(entry.get("file", "any file"))
                if "line" in entry:
                    where += f":{entry['line']}"
                missed.append(f"{rule_id} at {where} {entry.get('route', '')}".rstrip())
            else:
                matched.add(hit)
                hits_by_item[item] += 1
        extras = [f for i, f in enumerate(findings) if i not in matched]
        if expected:
            print(f"  found {len(matched)} of {len(expected)} expected")
            for line in missed:
                print(f"  missed: {line}")
            vulnerable_extra += len(extras)
            for finding in extras:
                print(f"  unlabelled: {_describe(finding)}")
        else:
            clean_findings += len(findings)
            clean_lines += non_test_lines
            for finding in findings:
                print(f"  false positive? {_describe(finding)}")
        route_labels = [r for r in labels.get("route", []) if isinstance(r, dict)]
        if route_labels:
            agreed, total, problems = check_routes(route_labels, outcome.routes)
            route_agreed += agreed
            route_total += total
            print(f"  route facts: {agreed} of {total} routes agree with the labels")
            for problem in problems:
                print(f"    {problem}")

    print("\nRecall per checklist item (vulnerable fixtures)")
    total_hits = total_expected = 0
    for item in sorted(expected_by_item):
        hits, count = hits_by_item[item], expected_by_item[item]
        total_hits += hits
        total_expected += count
        print(f"  {item:<20} {hits:>3}/{count:<3} {hits / count:>6.0%}")
    if total_expected:
        share = total_hits / total_expected
        print(f"  {'overall':<20} {total_hits:>3}/{total_expected:<3} {share:>6.0%}")
    print(f"\nUnlabelled findings on vulnerable fixtures: {vulnerable_extra}")
    rate = clean_findings / clean_lines * 5000 if clean_lines else 0.0
    print(
        f"Findings on clean fixtures: {clean_findings} in {clean_lines} non-test lines "
        f"({rate:.2f} per 5,000 lines; target <= 1)"
    )
    if route_total:
        print(f"Route facts: {route_agreed}/{route_total} labelled routes agree")
    return 0


def _lines_of(root: Path, files: list[str]) -> int:
    total = 0
    for rel in files:
        try:
            total += len((root / rel).read_bytes().splitlines())
        except OSError:
            continue
    return total


def _describe(finding: Finding) -> str:
    route = f" [{finding.route}]" if finding.route else ""
    return (
        f"{finding.severity:<8} {finding.rule_id} {finding.file}:{finding.line}{route} "
        f"{finding.message}"
    )


if __name__ == "__main__":
    sys.exit(main())
