"""JS/TS review speed: lines per second per core, cold, on a real node_modules tree.

Usage: .venv/bin/python benchmarks/review_speed_js.py [--tree DIR]
Without --tree, installs a few packages with npm under benchmarks/.cache/js-tree (once).
Runs analyze_file on every .js/.mjs/.cjs/.ts file in one process (one core) and prints
lines/s of CPU time, the number of files/lines, and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import time
from pathlib import Path

from mcp_backend.review.javascript import analyze_file
from mcp_backend.review.javascript import parser as ts_parser

CACHE = Path(__file__).parent / ".cache" / "js-tree"
PACKAGES = ["express", "fastify", "hono", "lodash", "axios", "moment", "typeorm", "zod"]


def ensure_tree() -> Path:
    if not (CACHE / "node_modules").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / "package.json").write_text('{"name": "bench", "private": true}')
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", *PACKAGES],
            cwd=CACHE,
            check=True,
            timeout=600,
            capture_output=True,
        )
    return CACHE / "node_modules"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", type=Path)
    args = parser.parse_args()
    tree = args.tree or ensure_tree()
    files = [
        p
        for p in tree.rglob("*")
        if p.suffix in {".js", ".mjs", ".cjs", ".ts"}
        and p.is_file()
        and not p.name.endswith(".d.ts")
    ]
    lines = 0
    skipped = 0
    cpu = 0.0
    wall = time.perf_counter()
    for path in files:
        source = path.read_text("utf-8", "replace")
        start = time.process_time()
        result = analyze_file(
            path.relative_to(tree).as_posix(),
            source,
            "typescript" if path.suffix == ".ts" else "javascript",
        )
        cpu += time.process_time() - start
        if result.skipped is None:
            lines += result.lines
        else:
            skipped += 1
    wall = time.perf_counter() - wall
    # The floor: tree-sitter parsing alone, measured under the same machine load.
    parse_cpu = 0.0
    for path in files:
        data = path.read_bytes()
        grammar = ts_parser.grammar_for(
            path.name, "typescript" if path.suffix == ".ts" else "javascript"
        )
        start = time.process_time()
        ts_parser.parse(data, grammar)
        parse_cpu += time.process_time() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files={len(files)} skipped={skipped} lines={lines}")
    print(f"cpu={cpu:.1f}s wall={wall:.1f}s lines/s/core={lines / cpu:,.0f}")
    print(f"parse only: cpu={parse_cpu:.1f}s ({parse_cpu / cpu:.0%} of the review)")
    print(f"peak_rss={peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
