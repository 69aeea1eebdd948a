"""`mcp-backend check PATH`: the quality loop in a terminal, with a live progress display.

The report goes to stdout (text or --json); progress goes to stderr, redrawn in place on a
terminal and as plain lines elsewhere (CI logs).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

import anyio
from pydantic import ValidationError

from mcp_backend.quality.engine import run_quality_loop
from mcp_backend.quality.models import STAGE_ORDER, LoopReport, LoopRequest
from mcp_backend.quality.render import STATUS_MARK, render_text

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
REDRAW_S = 0.1


class ProgressDisplay:
    """Stage lines as they finish, plus one status line redrawn while tools run."""

    def __init__(self, stream: TextIO, live: bool) -> None:
        self.stream = stream
        self.live = live
        self.running: dict[str, float] = {}
        self.done = 0
        self.total = 0
        self.frame = 0
        self.started = time.monotonic()

    async def __call__(self, done: int, total: int, message: str) -> None:
        self.done, self.total = done, total
        stage_id, _, rest = message.partition(": ")
        if rest.startswith("running "):
            self.running[stage_id] = time.monotonic()
            if not self.live:
                self._write(f"[{done}/{total}] {message}\n")
            else:
                self.redraw()
            return
        self.running.pop(stage_id, None)
        status = rest.split(" ", 1)[0]
        mark = STATUS_MARK.get(status, "·")
        self._clear()
        self._write(f"{mark} [{done}/{total}] {message}\n")
        self.redraw()

    def redraw(self) -> None:
        if not self.live or not self.running:
            self._clear()
            return
        self.frame = (self.frame + 1) % len(SPINNER)
        now = time.monotonic()
        running = ", ".join(f"{sid} {now - t:.0f}s" for sid, t in self.running.items())
        line = f"{SPINNER[self.frame]} [{self.done}/{self.total}] running: {running}"
        self._write("\r\x1b[K" + line[:160])

    def finish(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self.live:
            self._write("\r\x1b[K")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def exit_code(report: LoopReport) -> int:
    """0 only when no stage failed, errored or timed out (skipped stages do not count)."""
    if report.status == "passed":
        return EXIT_PASSED
    return EXIT_FAILED if report.status == "failed" else EXIT_ERROR


def run_check_cli(
    path: str | Path,
    stages: list[str] | None = None,
    fix: bool = False,
    changed_only: bool = False,
    timeout_s: float = 300.0,
    tests: list[str] | None = None,
    as_json: bool = False,
    live: bool = True,
    fail_fast: bool = False,
    baseline: str | Path | None = None,
) -> int:
    """Run the loop on `path`, print the report to stdout, return the process exit code."""
    root = Path(path).expanduser()
    if not root.is_dir():
        sys.stderr.write(f"error: {root} is not a directory: pass a project folder.\n")
        return EXIT_ERROR
    unknown = [s for s in stages or [] if s not in STAGE_ORDER]
    if unknown:
        sys.stderr.write(
            f"error: unknown stage(s) {', '.join(unknown)}: choose from {', '.join(STAGE_ORDER)}.\n"
        )
        return EXIT_ERROR
    try:
        request = LoopRequest(
            root=root.resolve(),
            stages=[s for s in STAGE_ORDER if s in (stages or [])] or None,
            fix=fix,
            changed_only=changed_only,
            timeout_s=timeout_s,
            tests=tests or [],
            fail_fast=fail_fast,
            baseline=Path(baseline).expanduser().absolute() if baseline is not None else None,
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        sys.stderr.write(f"error: {problems}\n")
        return EXIT_ERROR
    display = ProgressDisplay(sys.stderr, live=live and sys.stderr.isatty())
    try:
        report = anyio.run(_run_with_display, request, display)
    except KeyboardInterrupt:
        display.finish()
        sys.stderr.write("interrupted: every tool started was stopped.\n")
        return EXIT_INTERRUPTED
    display.finish()
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(render_text(report))
    return exit_code(report)


async def _run_with_display(request: LoopRequest, display: ProgressDisplay) -> LoopReport:
    result: list[LoopReport] = []

    async def loop(cancel: anyio.CancelScope) -> None:
        result.append(await run_quality_loop(request, display))
        cancel.cancel()

    async with anyio.create_task_group() as group:
        group.start_soon(loop, group.cancel_scope)
        if display.live:
            while True:  # the spinner ticks until the loop cancels this group
                await anyio.sleep(REDRAW_S)
                display.redraw()
        else:
            await anyio.sleep_forever()
    return result[0]
