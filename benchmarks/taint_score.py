"""Score the taint engine on our own small handlers, beside ruff `S` and Bandit, same run.

    .venv/bin/python benchmarks/taint_score.py [--cases DIR] [--bandit-target DIR] [-v]

Each file of benchmarks/taint_cases/ is labelled in labels.toml per category (true =
vulnerable, false = not). A tool *flags* a file for a category when it reports a finding of that
category in the file; for our review a flow through a helper in another module counts for the
handler's file when the finding's path names it (the sink itself is in the helper). Score per
category = TPR - FPR over the files labelled for it, in percent.

Python and JS/TS cases are scored in separate tables. The JS/TS cases (taint_cases/js/) are scored
for our review and for our review with the taint engine's JS front end off (the JS file rules
alone, same files, same run); ruff and Bandit read no JS.

Bandit: `.venv/bin/bandit`, else `python -m bandit` with --bandit-target on PYTHONPATH (install it
there with `pip install --target DIR bandit`), else skipped with a message.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mcp_backend.review.engine import run_review  # noqa: E402
from mcp_backend.review.model import ReviewRequest  # noqa: E402

CATEGORIES = ["sql", "cmd", "code", "path", "redirect", "ssrf", "deser", "xss", "weakhash"]
OURS = {
    "sql-string-query": "sql",
    "command-injection": "cmd",
    "code-eval": "code",
    "template-injection": "code",
    "path-traversal": "path",
    "open-redirect": "redirect",
    "ssrf": "ssrf",
    "unsafe-deserialization": "deser",
    "reflected-xss": "xss",
    "weak-hash": "weakhash",
    "weak-password-hash": "weakhash",
}
RUFF = {
    "S608": "sql",
    "S602": "cmd",
    "S604": "cmd",
    "S605": "cmd",
    "S609": "cmd",
    "S307": "code",
    "S102": "code",
    "S701": "code",
    "S702": "code",
    "S301": "deser",
    "S302": "deser",
    "S506": "deser",
    "S308": "xss",
    "S704": "xss",
    "S310": "ssrf",
    "S303": "weakhash",
    "S324": "weakhash",
}
BANDIT = {
    "B608": "sql",
    "B602": "cmd",
    "B604": "cmd",
    "B605": "cmd",
    "B609": "cmd",
    "B307": "code",
    "B102": "code",
    "B701": "code",
    "B702": "code",
    "B301": "deser",
    "B302": "deser",
    "B506": "deser",
    "B308": "xss",
    "B703": "xss",
    "B704": "xss",
    "B310": "ssrf",
    "B303": "weakhash",
    "B324": "weakhash",
}


JS_SUFFIXES = (".js", ".ts", ".mjs", ".cjs", ".tsx", ".jsx")


def ours(cases: Path, *, js_engine: bool = True) -> set[tuple[str, str]]:
    from mcp_backend.review.taint import javascript

    summarize = javascript.summarize_module
    if not js_engine:
        javascript.summarize_module = lambda ctx, facts: {}
    try:
        outcome = run_review(ReviewRequest(root=cases, use_cache=False, jobs=1, limit=500))
    finally:
        javascript.summarize_module = summarize
    flagged: set[tuple[str, str]] = set()
    for finding in outcome.findings:
        category = OURS.get(finding.rule_id)
        if category is None:
            continue
        flagged.add((finding.file, category))
        for part in finding.message.split("("):
            name = part.split(":", 1)[0]
            if name.endswith((".py", *JS_SUFFIXES)):
                flagged.add((name, category))
    return flagged


def ruff(cases: Path) -> set[tuple[str, str]] | str:
    exe = REPO / ".venv" / "bin" / "ruff"
    if not exe.exists():
        exe = Path(sys.executable).parent / "ruff"  # a worktree runs the main checkout's venv
    if not exe.exists():
        return "ruff not installed in .venv"
    proc = subprocess.run(
        [
            str(exe),
            "check",
            "--isolated",
            "--select",
            "S",
            "--output-format",
            "json",
            "--exit-zero",
            str(cases),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    flagged = set()
    for item in json.loads(proc.stdout or "[]"):
        category = RUFF.get(item.get("code") or "")
        if category:
            flagged.add((Path(item["filename"]).resolve().relative_to(cases).as_posix(), category))
    return flagged


def bandit(cases: Path, target: str | None) -> set[tuple[str, str]] | str:
    exe = REPO / ".venv" / "bin" / "bandit"
    env = dict(os.environ)
    if exe.exists():
        command = [str(exe)]
    elif target and (Path(target) / "bandit").is_dir():
        command = [sys.executable, "-m", "bandit"]
        env["PYTHONPATH"] = target
    else:
        return "bandit unavailable (pip install --target DIR bandit; pass --bandit-target DIR)"
    proc = subprocess.run(
        [*command, "-r", "-q", "-f", "json", str(cases)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return f"bandit failed: {proc.stderr.strip()[:200]}"
    flagged = set()
    for item in report.get("results", []):
        category = BANDIT.get(item.get("test_id", ""))
        if category:
            name = Path(item["filename"]).resolve().relative_to(cases).as_posix()
            flagged.add((name, category))
    return flagged


def score(
    labels: dict[str, dict[str, bool]],
    flagged: set[tuple[str, str]],
    categories: list[str] = CATEGORIES,
) -> dict[str, float]:
    out: dict[str, float] = {}
    for category in categories:
        counts: dict[str, int] = defaultdict(int)
        for name, marks in labels.items():
            if category not in marks:
                continue
            hit = (name, category) in flagged
            key = ("tp" if hit else "fn") if marks[category] else ("fp" if hit else "tn")
            counts[key] += 1
        positives = counts["tp"] + counts["fn"]
        negatives = counts["fp"] + counts["tn"]
        tpr = counts["tp"] / positives if positives else 0.0
        fpr = counts["fp"] / negatives if negatives else 0.0
        out[category] = round(100 * (tpr - fpr))
    out["average"] = round(sum(out[c] for c in categories) / len(categories), 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=REPO / "benchmarks" / "taint_cases")
    parser.add_argument("--bandit-target", default=os.environ.get("BANDIT_TARGET"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and FPs")
    args = parser.parse_args()
    cases = args.cases.resolve()
    every = tomllib.loads((cases / "labels.toml").read_text())["files"]
    flagged = ours(cases)
    python = {name: marks for name, marks in every.items() if name.endswith(".py")}
    js = {name: marks for name, marks in every.items() if name.endswith(JS_SUFFIXES)}
    if python:
        print("Python cases")
        table(
            cases,
            python,
            {
                "ours": flagged,
                "ruff S": ruff(cases),
                "bandit": bandit(cases, args.bandit_target),
            },
            args.verbose,
        )
    if js:
        print("\nJS/TS cases")
        table(
            cases,
            js,
            {"ours": flagged, "JS rules": ours(cases, js_engine=False)},
            args.verbose,
            categories=[c for c in CATEGORIES if any(c in m for m in js.values())],
        )
    return 0


def table(
    cases: Path,
    labels: dict[str, dict[str, bool]],
    tools: dict[str, set[tuple[str, str]] | str],
    verbose: bool,
    categories: list[str] = CATEGORIES,
) -> None:
    counts = {c: sum(1 for m in labels.values() if c in m) for c in categories}
    print(f"{len(labels)} labelled files in {cases.relative_to(REPO)}; score = TPR - FPR (%)\n")
    header = f"{'category':10} {'files':>5} " + " ".join(f"{t:>8}" for t in tools)
    print(header)
    print("-" * len(header))
    scores = {t: score(labels, f, categories) for t, f in tools.items() if isinstance(f, set)}
    for category in [*categories, "average"]:
        n = counts.get(category, sum(counts.values()))
        cells = " ".join(
            f"{scores[t][category]:>+8}" if t in scores else f"{'n/a':>8}" for t in tools
        )
        print(f"{category:10} {n:>5} {cells}")
    for tool, result in tools.items():
        if isinstance(result, str):
            print(f"\n{tool}: {result}")
    if verbose and isinstance(tools["ours"], set):
        print("\nours, wrong:")
        for name, marks in sorted(labels.items()):
            for category, vulnerable in marks.items():
                hit = (name, category) in tools["ours"]
                if hit != vulnerable:
                    print(f"  {'missed' if vulnerable else 'false positive'}: {name} {category}")


if __name__ == "__main__":
    raise SystemExit(main())
