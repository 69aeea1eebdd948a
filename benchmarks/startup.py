"""Start-up cost: spawn → `tools/list` reply, and idle RSS, for our server vs a bare MCPServer.

Both servers are spawned alternately in the same run, over stdio with the legacy handshake
(what Claude Desktop does), and the medians are compared. Run: `.venv/bin/python
benchmarks/startup.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SERVER = """
from mcp.server.mcpserver import MCPServer

mcp = MCPServer("bare")


@mcp.tool()
def ping() -> str:
    \"\"\"Answer pong.\"\"\"
    return "pong"


mcp.run("stdio")
"""

HANDSHAKE = [
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "startup-bench", "version": "0"},
        },
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def measure(argv: list[str]) -> tuple[float, int, int]:
    """Seconds from spawn to the tools/list reply, RSS after it (KiB), and the tool count."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        for message in HANDSHAKE:
            process.stdin.write(json.dumps(message) + "\n")
        process.stdin.flush()
        while True:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"{argv} exited before answering tools/list")
            reply = json.loads(line)
            if reply.get("id") == 2:
                break
        elapsed = time.perf_counter() - started
        memory = rss_kib(process.pid)
        tools = len(reply["result"]["tools"])
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return elapsed, memory, tools


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        bare_script = Path(scratch) / "bare_server.py"
        bare_script.write_text(BARE_SERVER)
        ours = [sys.executable, "-m", "mcp_backend", "serve"]
        bare = [sys.executable, str(bare_script)]
        measure(ours), measure(bare)  # warm the OS file cache for both
        times: dict[str, list[float]] = {"ours": [], "bare": []}
        memory: dict[str, list[int]] = {"ours": [], "bare": []}
        tools = 0
        for _ in range(args.runs):
            for name, argv in (("ours", ours), ("bare", bare)):
                elapsed, rss, count = measure(argv)
                times[name].append(elapsed)
                memory[name].append(rss)
                if name == "ours":
                    tools = count
    ours_t, bare_t = statistics.median(times["ours"]), statistics.median(times["bare"])
    ours_m, bare_m = statistics.median(memory["ours"]), statistics.median(memory["bare"])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"runs: {args.runs} each, alternating; our server lists {tools} tools")
    print(
        f"spawn → tools/list  ours {ours_t * 1000:7.1f} ms   bare {bare_t * 1000:7.1f} ms   "
        f"ratio {ours_t / bare_t:.3f} (target ≤ 1.15)"
    )
    print(
        f"idle RSS            ours {ours_m / 1024:7.1f} MiB  bare {bare_m / 1024:7.1f} MiB  "
        f"ratio {ours_m / bare_m:.3f} (target ≤ 1.20)"
    )


if __name__ == "__main__":
    main()
