"""Load: concurrent calls on one session, then a sequential soak, against a stdio subprocess.

What it measures, against `mcp-backend serve` launched the way a client launches it:
- 50 concurrent tool calls on one session (the cheap tools, round robin): all succeed, and each
  answer equals the warm-up answer for the same call;
- 1,000 sequential calls (a soak): same checks, and the server's RSS before and after (target:
  growth ≤ 10 %);
- p50 / p95 latency per tool in each phase.

Run: `.venv/bin/python benchmarks/load.py [--concurrency 50] [--calls 1000]`. Exit code 1 when a
call fails or an answer differs; the RSS target is reported, not enforced (it depends on the
machine's allocator).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.types import CallToolResult

SCRIPT = Path(sys.executable).with_name("mcp-backend")
RSS_GROWTH_TARGET = 0.10
# Keys whose values change from call to call (timings, cache state): ignored when comparing.
VOLATILE_WORDS = ("time", "duration", "elapsed", "seconds", "_ms", "cache", "took")

TINY_SERVICE = {
    "pyproject.toml": '[project]\nname = "tiny-orders"\nversion = "0.1.0"\n',
    "orders/__init__.py": "",
    "orders/api.py": (
        "from fastapi import Depends, FastAPI, HTTPException\n"
        "from pydantic import BaseModel, Field\n\n"
        "from orders.auth import current_user\n\n"
        "app = FastAPI()\n\n\n"
        "class OrderIn(BaseModel):\n"
        "    sku: str = Field(min_length=1, max_length=64)\n"
        "    quantity: int = Field(ge=1, le=1000)\n\n\n"
        "ORDERS: dict[int, OrderIn] = {}\n\n\n"
        "@app.get('/health')\n"
        "def health() -> dict[str, str]:\n"
        "    return {'status': 'ok'}\n\n\n"
        "@app.post('/orders', status_code=201)\n"
        "def create_order(order: OrderIn, user: str = Depends(current_user)) -> dict[str, int]:\n"
        "    order_id = len(ORDERS) + 1\n"
        "    ORDERS[order_id] = order\n"
        "    return {'id': order_id}\n\n\n"
        "@app.get('/orders/{order_id}')\n"
        "def read_order(order_id: int, user: str = Depends(current_user)) -> OrderIn:\n"
        "    if order_id not in ORDERS:\n"
        "        raise HTTPException(status_code=404, detail='order not found')\n"
        "    return ORDERS[order_id]\n"
    ),
    "orders/auth.py": (
        "from fastapi import Header, HTTPException\n\n\n"
        "def current_user(authorization: str = Header(default='')) -> str:\n"
        "    if not authorization.startswith('Bearer '):\n"
        "        raise HTTPException(status_code=401, detail='missing token')\n"
        "    return authorization.removeprefix('Bearer ')\n"
    ),
}

# Cheap calls per tool, used when the tool is offered; others are not exercised here.
CALLS: dict[str, dict[str, Any]] = {
    "get_guidance": {"topic": "checklist"},
    "review_backend": {"path": ".", "limit": 25},
    "recommend_stack": {
        "runtime": "python",
        "scenarios": ["high-performance"],
        "deployment": "container",
        "data_needs": ["complex-relationships"],
    },
}


def write_project(base: Path) -> Path:
    root = base / "tiny-orders"
    for relative, text in TINY_SERVICE.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def stable(value: Any) -> Any:
    """The answer without the parts that legitimately change between calls."""
    if isinstance(value, dict):
        return {
            k: stable(v)
            for k, v in value.items()
            if not any(word in k.lower() for word in VOLATILE_WORDS)
        }
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def fingerprint(result: CallToolResult) -> str:
    if result.structured_content is not None:
        return json.dumps(stable(result.structured_content), sort_keys=True)
    return "\n".join(getattr(block, "text", "") for block in result.content)


def server_pid(parent: int) -> int | None:
    """Our child process running the server (stdio_client does not expose it)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b"mcp-backend" in cmdline:
            return int(entry.name)
    return None


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("VmRSS not found")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def report(phase: str, latencies: dict[str, list[float]]) -> None:
    print(f"\n{phase}")
    print(f"  {'tool':<18} {'calls':>6} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for tool, values in sorted(latencies.items()):
        ms = [v * 1000 for v in values]
        print(
            f"  {tool:<18} {len(ms):>6} {statistics.median(ms):>9.1f} "
            f"{percentile(ms, 0.95):>9.1f} {max(ms):>9.1f}"
        )


async def run(concurrency: int, calls: int) -> int:
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mcp-backend-load-") as temp:
        root = write_project(Path(temp))
        params = StdioServerParameters(command=str(SCRIPT), args=["serve", "--root", str(root)])
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            pid = server_pid(os.getpid())
            offered = {tool.name for tool in (await session.list_tools()).tools}
            plan = [(name, args) for name, args in CALLS.items() if name in offered]
            if not plan:
                print("none of the cheap tools is offered; nothing to measure")
                return 1
            print(f"server pid {pid}; tools measured: {', '.join(name for name, _ in plan)}")

            expected: dict[str, str] = {}
            for name, args in plan:  # warm-up: imports, caches, and the reference answers
                result = await session.call_tool(name, args)
                if result.is_error:
                    failures.append(f"warm-up {name}: {fingerprint(result)[:200]}")
                expected[name] = fingerprint(result)

            async def one(name: str, args: dict[str, Any], sink: dict[str, list[float]]) -> None:
                started = time.perf_counter()
                result = await session.call_tool(name, args)
                sink[name].append(time.perf_counter() - started)
                if result.is_error:
                    failures.append(f"{name}: error {fingerprint(result)[:200]}")
                elif fingerprint(result) != expected[name]:
                    failures.append(f"{name}: answer differs from the warm-up answer")

            concurrent: dict[str, list[float]] = defaultdict(list)
            started = time.perf_counter()
            async with anyio.create_task_group() as group:
                for n in range(concurrency):
                    name, args = plan[n % len(plan)]
                    group.start_soon(one, name, args, concurrent)
            wall = time.perf_counter() - started
            report(f"{concurrency} concurrent calls on one session: {wall:.2f} s wall", concurrent)

            rss_before = rss_kib(pid) if pid else None
            soak: dict[str, list[float]] = defaultdict(list)
            started = time.perf_counter()
            for n in range(calls):
                name, args = plan[n % len(plan)]
                await one(name, args, soak)
            wall = time.perf_counter() - started
            report(
                f"soak: {calls} sequential calls, {wall:.1f} s, {calls / wall:.0f} calls/s", soak
            )
            rss_after = rss_kib(pid) if pid else None

    print()
    if rss_before and rss_after:
        growth = (rss_after - rss_before) / rss_before
        verdict = "within" if growth <= RSS_GROWTH_TARGET else "OVER"
        print(
            f"server RSS: {rss_before / 1024:.1f} MiB before the soak, {rss_after / 1024:.1f} MiB "
            f"after ({growth:+.1%}; {verdict} the {RSS_GROWTH_TARGET:.0%} target)"
        )
    else:
        print("server RSS: not measured (no /proc or the server process was not found)")
    total = concurrency + calls
    print(f"calls: {total - len(failures)}/{total} succeeded with the expected answer")
    for failure in failures[:10]:
        print(f"  FAILED {failure}")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    return anyio.run(run, args.concurrency, args.calls)


if __name__ == "__main__":
    raise SystemExit(main())
