"""Stage scheduling: at most one stage per core, the long poles first."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mcp_backend.quality import engine
from mcp_backend.quality.detect import detect_project
from mcp_backend.quality.models import LoopRequest, Stage, StageName

# Appends "<name> start|end <monotonic time>" around a short sleep.
LOGGED_SLEEP = """
import sys, time
log, name = sys.argv[1], sys.argv[2]
with open(log, "a") as out:
    out.write(f"{name} start {time.monotonic()}\\n")
time.sleep(0.6)
with open(log, "a") as out:
    out.write(f"{name} end {time.monotonic()}\\n")
"""


def logged_stage(name: StageName, log: Path, cwd: Path) -> Stage:
    return Stage(
        id=name, name=name, language="any", tool=f"{name} (sleep)", cwd=cwd,
        argv=[sys.executable, "-c", LOGGED_SLEEP, str(log), name],
    )  # fmt: skip


def intervals(log: Path) -> dict[str, tuple[float, float]]:
    times: dict[str, dict[str, float]] = {}
    for line in log.read_text().splitlines():
        name, event, moment = line.split()
        times.setdefault(name, {})[event] = float(moment)
    return {name: (t["start"], t["end"]) for name, t in times.items()}


@pytest.mark.anyio
@pytest.mark.parametrize("cores", [1, 2, 8])
async def test_at_most_one_stage_per_core_long_poles_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    monkeypatch.setattr(engine, "usable_cores", lambda: cores)
    log = tmp_path / "log.txt"
    # Planned in the seed's order; the schedule starts the type check and the tests first.
    names: list[StageName] = ["lint", "format", "typecheck", "test"]
    stages = [logged_stage(name, log, tmp_path) for name in names]
    results = await engine._execute(
        stages, LoopRequest(root=tmp_path), detect_project(tmp_path), None
    )
    assert [r.id for r in results] == names  # reported in plan order
    assert all(r.status == "passed" for r in results), [r.reason for r in results]
    spans = intervals(log)
    events = sorted([(s, 1) for s, _ in spans.values()] + [(e, -1) for _, e in spans.values()])
    running = peak = 0
    for _moment, step in events:
        running += step
        peak = max(peak, running)
    assert peak == min(cores, len(names))
    by_start = sorted(spans, key=lambda name: spans[name][0])
    first = set(by_start[: min(cores, len(names))])
    assert first == set(["typecheck", "test", "lint", "format"][: len(first)])
