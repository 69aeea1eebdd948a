"""Review speed on a large real Python tree, beside Bandit and ruff's S/ASYNC rules.

    .venv/bin/python benchmarks/review_speed.py [--tree DIR] [--max-lines N] [--skip-bandit]
    .venv/bin/python benchmarks/review_speed.py --crossover   # in-process vs worker pool
    .venv/bin/python benchmarks/review_speed.py --baseline-ref ca170b2   # this code vs that commit

The default tree is a copy (under ~/.cache/mcp-backend/bench/) of the venv's site-packages,
whole packages largest first until --max-lines. Every tool runs as a child process; wall time is
measured around it and peak memory is the largest total RSS of the child and all its
descendants (worker processes included), sampled from /proc.
Targets (issue 4): faster than Bandit, warm re-run <= 10% of cold, peak <= 500 MB.
Syntax (issue 12): the parse of 3.11-compatible code costs what `ast.parse` does; files that need
the lowering of 3.12-3.14 syntax are timed beside `ast.parse` of the same lines; with
--baseline-ref, cold reviews by this code and by that commit alternate (median of each).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Outside the checkout: mypy and ruff walk benchmarks/, and the copied tree is third-party code.
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mcp-backend" / "bench"
VENV_BIN = Path(sys.executable).parent
TIME_LIMIT_S = 1800


def python_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    except OSError:
        return 0


def build_tree(source: Path, max_lines: int) -> tuple[Path, int, int]:
    """Copy whole top-level packages (largest first) until max_lines; reuse a previous copy."""
    target = CACHE / f"speed-tree-v2-{max_lines}"
    marker = target / ".complete"
    if not marker.exists():
        if target.exists():
            shutil.rmtree(target)
        sizes: list[tuple[int, Path]] = []
        for entry in sorted(source.iterdir()):
            if entry.is_dir() and not entry.name.endswith((".dist-info", ".egg-info")):
                if entry.name in ("__pycache__", "mcp_backend", "tests"):
                    continue
                lines = sum(
                    python_lines(p) for p in entry.rglob("*.py") if "_vendor" not in p.parts
                )
                if lines:
                    sizes.append((lines, entry))
        total = 0
        for lines, entry in sorted(sizes, key=lambda item: -item[0]):
            if total >= max_lines:
                break
            if total + lines > max_lines * 1.25 and total > 0:
                continue
            shutil.copytree(
                entry,
                target / entry.name,
                ignore=lambda _d, names: [
                    # vendored copies are skipped by our discovery; keep the trees equal
                    n
                    for n in names
                    if n in ("__pycache__", "_vendor") or n.endswith((".so", ".pyc"))
                ],
            )
            total += lines
        marker.write_text("ok\n")
    files = list(target.rglob("*.py"))
    return target, len(files), sum(python_lines(p) for p in files)


def _proc_tree_rss_kb(root_pid: int) -> int:
    """Current RSS (kB) summed over root_pid and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        for line in status.splitlines():
            if line.startswith("PPid:"):
                parents[pid] = int(line.split()[1])
            elif line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
    total = 0
    for pid, kb in rss.items():
        current = pid
        for _ in range(64):  # walk up to see whether root_pid is an ancestor
            if current == root_pid:
                total += kb
                break
            current = parents.get(current, 0)
            if current <= 1:
                break
    return total


def run_measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB of the whole process tree, captured stdout tail).

    The tree's RSS is sampled from /proc every 0.25 s (worker processes included); the
    largest single process's peak from wait4 is a floor for it."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env)
        deadline = started + TIME_LIMIT_S
        peak_tree_kb = 0
        last_sample = 0.0
        while True:
            pid, _status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                _pid, _status, usage = os.wait4(process.pid, 0)
                break
            now = time.perf_counter()
            if sys.platform.startswith("linux") and now - last_sample >= 0.25:
                last_sample = now
                peak_tree_kb = max(peak_tree_kb, _proc_tree_rss_kb(process.pid))
            time.sleep(0.02)
        wall = time.perf_counter() - started
        process.returncode = 0  # reaped by wait4 above
        out.seek(0)
        tail = out.read()[-4000:].decode("utf-8", "replace")
    return wall, max(usage.ru_maxrss, peak_tree_kb) / 1024, tail


def snapshot_code() -> Path:
    """A frozen copy of the package for this run: the cache fingerprint covers the analysis
    code, and other work in the checkout must not change it between the cold and warm runs."""
    target = CACHE / "code-snapshot"
    if target.exists():
        shutil.rmtree(target)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "mcp_backend", target / "mcp_backend", ignore=skip)
    shutil.copytree(REPO / "resources", target / "resources", ignore=skip)
    return target


def review_argv(tree: Path, cache_dir: Path, jobs: int | None, code: Path) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--run-review",
        str(tree),
        "--cache-dir",
        str(cache_dir),
        "--code",
        str(code),
        *(["--jobs", str(jobs)] if jobs else []),
    ]


def run_review_child(tree: Path, cache_dir: Path, jobs: int | None, code: Path | None) -> None:
    """Child mode: one review, JSON figures on stdout."""
    sys.path.insert(0, str(code or REPO))
    from mcp_backend.review.engine import run_review
    from mcp_backend.review.model import ReviewRequest

    outcome = run_review(ReviewRequest(root=tree, cache_dir=cache_dir, jobs=jobs))
    summary = outcome.summary
    print(
        json.dumps(
            {
                "files": summary.files_scanned,
                "skipped": summary.files_skipped,
                "lines": summary.lines_scanned,
                "findings": summary.findings,
                "cache_hits": summary.cache_hits,
                "routes": summary.routes,
                "by_rule": _by_rule([f.rule_id for f in outcome.findings]),
            }
        )
    )


def _by_rule(rule_ids: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rule_id in rule_ids:
        counts[rule_id] = counts.get(rule_id, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def crossover(tree: Path) -> None:
    """In-process vs pooled analysis on growing subsets, cold cache each time."""
    sys.path.insert(0, str(REPO))
    from mcp_backend.review.discover import discover
    from mcp_backend.review.scan import scan_files

    files = discover(tree).files
    print(f"{'files':>6} {'KB':>7} {'1 process':>10} {'2 workers':>10}")
    for count in (8, 24, 48, 96):
        subset = files[:count]
        kb = sum(f.size for f in subset) // 1024
        started = time.perf_counter()
        scan_files(subset, jobs=1)
        serial = time.perf_counter() - started
        started = time.perf_counter()
        scan_files(subset, jobs=2)
        pooled = time.perf_counter() - started
        print(f"{len(subset):>6} {kb:>7} {serial:>9.2f}s {pooled:>9.2f}s")


MODERN_TAIL = "\ntype _BenchAlias[T] = list[T]\n"  # PEP 695: 3.11 rejects it, so the file lowers


def syntax_cost(tree: Path) -> None:
    """Parse cost per line: `ast.parse`, our parser on the same files, and our parser on the
    same files made modern (each with one PEP 695 alias appended, so the whole file, every
    f-string included, goes through the lowering)."""
    import ast
    import warnings

    sys.path.insert(0, str(REPO))
    from mcp_backend.review.python.parse import parse_python

    sources: list[str] = []
    for path in sorted(tree.rglob("*.py")):
        try:
            text = path.read_text(encoding="utf-8")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(text)
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
            continue
        sources.append(text)
    lines = sum(text.count("\n") + 1 for text in sources)

    def per_line(parse: Callable[[str], object], texts: list[str]) -> float:
        best = float("inf")
        for _ in range(5):  # CPU time of this process: steadier than wall time under load
            started = time.process_time()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for text in texts:
                    parse(text)
            best = min(best, time.process_time() - started)
        return best / lines * 1e6

    plain = per_line(ast.parse, sources)
    ours = per_line(parse_python, sources)
    modern = per_line(parse_python, [text + MODERN_TAIL for text in sources])
    print(f"\nparse cost per line ({len(sources)} files, {lines:,} lines, CPU time, best of 5):")
    print(f"  ast.parse, 3.11-compatible files            {plain:6.2f} us/line")
    print(
        f"  our parser, same files                      {ours:6.2f} us/line ({ours / plain:.2f}x)"
    )
    print(
        f"  our parser, same files in 3.12+ syntax      {modern:6.2f} us/line "
        f"({modern / plain:.2f}x)"
    )


def export_ref(ref: str) -> Path:
    """The package and knowledge base as they were at a git ref, for a same-run comparison."""
    target = CACHE / f"code-{ref}"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", ref, "mcp_backend", "resources"],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True, timeout=120)
    return target


def cpu_seconds(argv: list[str]) -> float:
    """User + system CPU time of one child process (run in-process: no workers to miss)."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = 0  # reaped by wait4
    return usage.ru_utime + usage.ru_stime


def compare_with_ref(tree: Path, ref: str, rounds: int = 3) -> None:
    """Cold reviews by this code and by `ref` in one process each (--jobs 1), alternating, and
    timed in CPU seconds: other load on the machine moves wall time far more than CPU time."""
    import statistics

    codes = {"this code": snapshot_code(), ref: export_ref(ref)}
    cpu: dict[str, list[float]] = {label: [] for label in codes}
    for _ in range(rounds):
        for label, code in codes.items():
            with tempfile.TemporaryDirectory(prefix="review-speed-cache-") as cache_dir:
                cpu[label].append(cpu_seconds(review_argv(tree, Path(cache_dir), 1, code)))
    now, before = statistics.median(cpu["this code"]), statistics.median(cpu[ref])
    print(f"\ncold review CPU time, median of {rounds}: this code {now:.2f}s, {ref} {before:.2f}s")
    print(f"this code / {ref}: {now / before:.3f}x (target <= 1.10)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, help="tree to review (default: site-packages copy)")
    parser.add_argument("--max-lines", type=int, default=400_000)
    parser.add_argument("--skip-bandit", action="store_true")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--crossover", action="store_true")
    parser.add_argument("--baseline-ref", help="also time cold reviews by this git ref's code")
    parser.add_argument("--run-review", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.run_review:
        run_review_child(args.run_review, args.cache_dir, args.jobs, args.code)
        return 0

    if args.tree:
        tree = args.tree.resolve()
        files = list(tree.rglob("*.py"))
        file_count, line_count = len(files), sum(python_lines(p) for p in files)
    else:
        site = Path(sysconfig.get_paths()["purelib"])
        tree, file_count, line_count = build_tree(site, args.max_lines)
    print(f"tree: {tree}\n  {file_count} .py files, {line_count:,} lines; cpus: {os.cpu_count()}")

    if args.crossover:
        crossover(tree)
        return 0
    if args.baseline_ref:
        compare_with_ref(tree, args.baseline_ref)

    rows: list[tuple[str, float, float, str]] = []
    code = snapshot_code()
    with tempfile.TemporaryDirectory(prefix="review-speed-cache-") as cache_dir:
        for label in ("mcp-backend review (cold)", "mcp-backend review (warm)"):
            wall, peak, out = run_measured(review_argv(tree, Path(cache_dir), args.jobs, code))
            try:
                figures = json.loads(out.strip().splitlines()[-1])
            except (ValueError, IndexError):
                figures = {"error": out[-500:]}
            detail = (
                f"{figures.get('files')} files, {figures.get('findings')} findings, "
                f"{figures.get('cache_hits')} cached"
                if "error" not in figures
                else str(figures["error"])
            )
            rows.append((label, wall, peak, detail))
            if label.endswith("(cold)") and "by_rule" in figures:
                print("  findings by rule (cold):", figures["by_rule"])

    ruff = VENV_BIN / "ruff"
    wall, peak, out = run_measured(
        [
            str(ruff),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "S,ASYNC",
            "--exit-zero",
            "--output-format",
            "json",
            str(tree),
        ]
    )
    rows.append(("ruff check --select S,ASYNC", wall, peak, ""))

    if not args.skip_bandit:
        bandit = VENV_BIN / "bandit"
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            wall, peak, _ = run_measured(
                [str(bandit), "-r", "-q", "-f", "json", "-o", report.name, str(tree)]
            )
            try:
                issues = len(json.loads(Path(report.name).read_text() or "{}").get("results", []))
                detail = f"{issues} issues"
            except ValueError:
                detail = "report unreadable"
        rows.append(("bandit -r -q", wall, peak, detail))

    print(f"\n{'tool':<30} {'wall':>9} {'peak RSS':>10}  detail")
    for label, wall, peak, detail in rows:
        print(f"{label:<30} {wall:>8.2f}s {peak:>8.0f}MB  {detail}")

    cold = rows[0][1]
    warm = rows[1][1]
    print(f"\nwarm / cold: {warm / cold:.1%} (target <= 10%)")
    bandit_rows = [r for r in rows if r[0].startswith("bandit")]
    if bandit_rows:
        print(f"bandit / our cold run: {bandit_rows[0][1] / cold:.2f}x (target > 1)")
    ruff_row = next(r for r in rows if r[0].startswith("ruff"))
    print(f"our cold run / ruff: {cold / ruff_row[1]:.1f}x")
    print(f"peak RSS of our review: {max(rows[0][2], rows[1][2]):.0f} MB (target <= 500 MB)")
    syntax_cost(tree)
    return 0


if __name__ == "__main__":
    sys.exit(main())
