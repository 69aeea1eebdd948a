"""Running one stage: a child process in its own process group, a time limit, capped output.

Whatever ends a stage (its own exit, the time limit, fail_fast or a cancelled caller), the
whole process group is ended and reaped before the stage returns: no tool, and no child a
tool started, is left running.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import DEVNULL, PIPE

import anyio
from anyio.abc import ByteReceiveStream, Process

from mcp_backend.quality.models import (
    ParsedOutput,
    Stage,
    StageCounts,
    StageResult,
    StageStatus,
)
from mcp_backend.quality.parsers import parse_output
from mcp_backend.quality.parsers.common import strip_ansi

logger = logging.getLogger(__name__)

STDERR_CAP_BYTES = 256 * 1024
TAIL_KEEP_BYTES = 64 * 1024
# After SIGTERM, how long the group gets to exit before SIGKILL.
TERMINATE_GRACE_S = 2.0
GROUP_POLL_S = 0.05
# Exit codes that mean the tool itself failed (bad config, crash, usage), not the code.
TOOL_ERROR_EXIT_CODES: dict[str, frozenset[int]] = {
    "ruff": frozenset({2}),
    "mypy": frozenset({2}),
    "eslint": frozenset({2}),
    "pytest": frozenset({3, 4}),
    "black": frozenset({123}),
    "jest": frozenset(),
}
PYTEST_NO_TESTS = 5
INSTALL_HINTS = {
    "node": "install Node.js (https://nodejs.org) so that `node` is on PATH",
    "npm": "install Node.js, which ships npm",
    "pnpm": "install pnpm (`npm install -g pnpm` or `corepack enable`)",
    "yarn": "install yarn (`npm install -g yarn` or `corepack enable`)",
    "bun": "install Bun (https://bun.sh)",
    "uv": "install uv (`python -m pip install uv`)",
    "poetry": "install Poetry (`python -m pip install poetry`)",
}


class CappedBuffer:
    """Keeps the first `head_cap` bytes and the last TAIL_KEEP_BYTES of a stream.

    Memory stays bounded however much a tool prints; `total` counts every byte seen.
    """

    def __init__(self, head_cap: int) -> None:
        self.head_cap = head_cap
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.head_cap - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail += chunk
            if len(self.tail) > 2 * TAIL_KEEP_BYTES:
                del self.tail[: len(self.tail) - TAIL_KEEP_BYTES]

    @property
    def truncated(self) -> bool:
        return self.total > len(self.head) + len(self.tail)

    def text(self) -> str:
        """Everything kept, without terminal escape sequences; a marker where bytes were
        dropped."""
        head = self.head.decode("utf-8", errors="replace")
        if not self.tail:
            return strip_ansi(head)
        tail = self.tail[-TAIL_KEEP_BYTES:].decode("utf-8", errors="replace")
        cut = self.total - len(self.head) - min(len(self.tail), TAIL_KEEP_BYTES)
        if cut <= 0:
            return strip_ansi(head + tail)
        return strip_ansi(f"{head}\n[… {cut} bytes of output cut …]\n{tail}")

    def last(self, chars: int) -> str:
        if chars <= 0:
            return ""
        text = self.text()
        return text if len(text) <= chars else "…" + text[-(chars - 1) :]


@dataclass
class ProcessOutcome:
    exit_code: int | None
    stdout: CappedBuffer
    stderr: CappedBuffer
    timed_out: bool = False
    duration_s: float = 0.0
    pid: int | None = None
    notes: list[str] = field(default_factory=list)


def child_environment(extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    # Plain output: no colour codes in what we parse and show.
    env.update({"NO_COLOR": "1", "FORCE_COLOR": "0", "PY_COLORS": "0", "TERM": "dumb"})
    env.pop("CLICOLOR_FORCE", None)
    env.update(extra)
    return env


async def _drain(stream: ByteReceiveStream | None, buffer: CappedBuffer) -> None:
    if stream is None:
        return
    try:
        async for chunk in stream:
            buffer.add(chunk)
    except (anyio.BrokenResourceError, anyio.ClosedResourceError):
        return


def _signal_group(pgid: int, signum: int) -> bool:
    """Send a signal to the group; False when no process of it is left."""
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        return False
    except PermissionError:
        logger.warning("cannot signal process group %s", pgid)
        return False
    return True


def _group_running(pgid: int) -> bool:
    """Whether a process of the group still runs. Signal 0 also reaches zombies: members that
    died but wait for their parent to reap them, which, when the tool itself has exited, is
    init, and a container's init may take seconds or never do it. Where /proc lists processes,
    zombies do not count."""
    if not _signal_group(pgid, 0):
        return False
    try:
        pids = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return True  # no /proc (macOS): whatever exists counts
    group = str(pgid).encode()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[-1].split()
        except OSError:
            continue  # gone meanwhile
        # After the command's closing parenthesis: state, ppid, pgrp, …
        if len(fields) > 2 and fields[2] == group and fields[0] not in (b"Z", b"X"):
            return True
    return False


async def end_process_group(process: Process, pgid: int) -> None:
    """SIGTERM the group, give it a moment, SIGKILL whatever is left, reap the leader."""
    if _signal_group(pgid, signal.SIGTERM):
        with anyio.move_on_after(TERMINATE_GRACE_S):
            await process.wait()
            # The leader is gone; its children may still be shutting down (no event tells
            # when a process group empties, so poll it briefly).
            for _ in range(int(TERMINATE_GRACE_S / GROUP_POLL_S)):
                if not _group_running(pgid):
                    break
                await anyio.sleep(GROUP_POLL_S)
        _signal_group(pgid, signal.SIGKILL)
    await process.wait()


async def wait_for_exit(process: Process) -> None:
    """Until the process itself has exited. Process.wait() in anyio before 4.16 also waits for
    its pipes to close, which a child left behind can hold open until the time limit."""
    while process.returncode is None:  # noqa: ASYNC110 - the exit status is all we wait for
        await anyio.sleep(0.05)


async def run_process(
    argv: list[str],
    cwd: Path,
    env: Mapping[str, str],
    timeout_s: float,
    stdout_cap: int,
) -> ProcessOutcome:
    """Run argv (never through a shell) with a time limit; raises OSError if it cannot start."""
    started = time.monotonic()
    stdout = CappedBuffer(stdout_cap)
    stderr = CappedBuffer(STDERR_CAP_BYTES)
    process = await anyio.open_process(
        argv,
        cwd=cwd,
        env=env,
        stdin=DEVNULL,
        stdout=PIPE,
        stderr=PIPE,
        start_new_session=True,  # its own session and process group: we can end all of it
    )
    pgid = process.pid
    outcome = ProcessOutcome(exit_code=None, stdout=stdout, stderr=stderr, pid=process.pid)
    try:
        with anyio.move_on_after(timeout_s) as deadline:
            async with anyio.create_task_group() as readers:
                readers.start_soon(_drain, process.stdout, stdout)
                readers.start_soon(_drain, process.stderr, stderr)
                await wait_for_exit(process)
                # The tool has exited; a child it left behind would hold the pipes open.
                _signal_group(pgid, signal.SIGKILL)
        outcome.timed_out = deadline.cancelled_caught
    finally:
        with anyio.CancelScope(shield=True):
            await end_process_group(process, pgid)
            await process.aclose()
    outcome.exit_code = None if outcome.timed_out else process.returncode
    outcome.duration_s = time.monotonic() - started
    return outcome


# ---------------------------------------------------------------- stage results


def _sort_diagnostics(parsed: ParsedOutput) -> None:
    rank = {"error": 0, "warning": 1, "info": 2}
    parsed.diagnostics.sort(
        key=lambda d: (rank[d.severity], d.file == "", d.file, d.line or 0, d.column or 0)
    )


def stage_status(stage: Stage, exit_code: int | None, parsed: ParsedOutput | None) -> StageStatus:
    tool_errors = TOOL_ERROR_EXIT_CODES.get(stage.tool, frozenset())
    if exit_code == 0:
        if parsed is not None and parsed.counts.errors and stage.parser != "text":
            return "failed"
        return "passed"
    if exit_code in tool_errors:
        return "error"
    if parsed is None:
        return "failed"  # an unparsed tool: the exit code is all we know
    # A structured report with problems is the code's failure (pytest's collection errors, a
    # linter's warnings under --max-warnings); a non-zero exit without one means the tool did
    # not do its job.
    if not parsed.parsed or not (parsed.counts.errors or parsed.diagnostics):
        return "error"
    return "failed"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def base_result(stage: Stage) -> StageResult:
    return StageResult(
        id=stage.id,
        name=stage.name,
        package=stage.package,
        tool=stage.tool,
        command=stage.argv,
        cwd=str(stage.cwd),
        status="skipped",
        modifies_files=stage.modifies_files,
        notes=list(stage.notes),
    )


def _missing_executable(argv0: str) -> str:
    name = Path(argv0).name
    hint = INSTALL_HINTS.get(name, f"install {name} or check the project's environment")
    return f"`{argv0}` was not found: {hint}."


async def run_stage(
    stage: Stage, timeout_s: float, stdout_cap: int, tail_chars: int
) -> StageResult:
    """Run one planned external stage and turn its outcome into a StageResult."""
    result = base_result(stage)
    prepare_stage(stage)
    try:
        outcome = await run_process(
            stage.argv, stage.cwd, child_environment(stage.env), timeout_s, stdout_cap
        )
    except FileNotFoundError:
        result.status, result.reason = "error", _missing_executable(stage.argv[0])
        return result
    except OSError as exc:
        result.status, result.reason = "error", f"could not start `{stage.argv[0]}`: {exc}"
        return result
    return outcome_result(stage, result, outcome, timeout_s, stdout_cap, tail_chars)


def prepare_stage(stage: Stage) -> None:
    """Before a stage runs: no previous report to misread, cache directories in place."""
    if stage.report_file is not None:
        stage.report_file.unlink(missing_ok=True)  # never read a previous run's report
    for directory in _cache_dirs(stage):
        directory.mkdir(parents=True, exist_ok=True)


def outcome_result(
    stage: Stage,
    result: StageResult,
    outcome: ProcessOutcome,
    timeout_s: float,
    stdout_cap: int,
    tail_chars: int,
) -> StageResult:
    """Fill `result` from what the tool did (its exit code and output, or the time limit)."""
    result.duration_s = round(outcome.duration_s, 3)
    result.exit_code = outcome.exit_code
    if outcome.timed_out:
        result.status = "timed_out"
        result.reason = (
            f"time limit of {timeout_s:g}s reached: the tool and every process it started "
            "were ended"
        )
        result.output_tail = _tail(outcome, tail_chars, include_stdout=True)
        return result
    report_text = _read_report(stage.report_file, stdout_cap)
    try:
        parsed = parse_output(
            stage.parser, outcome.stdout.text(), outcome.stderr.text(), report_text, stage.cwd
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.warning("parser %s failed on %s output", stage.parser, stage.tool, exc_info=True)
        parsed = ParsedOutput(parsed=False, problem=f"unexpected {stage.tool} output: {exc}")
    if outcome.stdout.truncated:
        result.notes.append(
            f"{stage.tool} printed {outcome.stdout.total} bytes: only the first "
            f"{stdout_cap} and the last {TAIL_KEEP_BYTES} were kept."
        )
    if parsed is not None:
        _sort_diagnostics(parsed)
        result.counts = parsed.counts
        result.diagnostics = parsed.diagnostics
        result.diagnostics_total = len(parsed.diagnostics)
        if not parsed.parsed and parsed.problem:
            result.notes.append(f"output not understood: {parsed.problem}")
    if stage.tool == "pytest" and outcome.exit_code == PYTEST_NO_TESTS:
        result.status, result.reason = "skipped", "pytest collected no tests"
        result.counts = StageCounts(tests_total=0)
        return result
    if parsed is not None and parsed.nothing_examined is not None:
        # A check that examined nothing proves nothing: never "passed". No tests is a state of
        # the project (skipped); a linter or type checker that saw no file is misconfigured.
        result.status = "skipped" if stage.name == "test" else "error"
        result.reason = f"{stage.tool} examined nothing: {parsed.nothing_examined}"
        result.output_tail = _tail(outcome, tail_chars, include_stdout=True)
        return result
    result.status = stage_status(stage, outcome.exit_code, parsed)
    if result.status == "error":
        code = outcome.exit_code
        if code is not None and code < 0:  # ended by a signal: it crashed or was killed
            result.reason = (
                f"{stage.tool} crashed (killed by {_signal_name(-code)}) without a usable "
                "report (see output_tail)"
            )
        else:
            result.reason = (
                f"{stage.tool} exited with code {code} without a usable report: "
                "it may be misconfigured or have crashed (see output_tail)"
            )
    if result.status != "passed":
        # A failure the diagnostics explain needs only stderr; an error shows everything.
        structured = parsed is not None and parsed.parsed and result.status == "failed"
        result.output_tail = _tail(outcome, tail_chars, include_stdout=not structured)
        if result.status == "error" and not result.output_tail.strip():
            result.output_tail = f"({stage.tool} printed nothing on stdout or stderr)"
    if result.status == "error" and result.reason is not None:
        last = _last_line(outcome)
        if last:
            result.reason += f"; last line of output: {last}"
    return result


def _last_line(outcome: ProcessOutcome) -> str:
    """The last non-empty line the tool printed (stderr first), for an error's reason."""
    for buffer in (outcome.stderr, outcome.stdout):
        for line in reversed(buffer.last(4000).splitlines()):
            if line.strip():
                return line.strip()[:200]
    return ""


def _cache_dirs(stage: Stage) -> list[Path]:
    """Directories that caching flags point into (eslint's and tsc's files)."""
    directories: list[Path] = []
    for index, word in enumerate(stage.argv):
        if word in ("--cache-location", "--tsBuildInfoFile") and index + 1 < len(stage.argv):
            directories.append(Path(stage.argv[index + 1]).parent)
    return directories


def _read_report(path: Path | None, cap: int) -> str | None:
    if path is None or not path.is_file():
        return None
    with path.open("rb") as handle:
        return strip_ansi(handle.read(cap).decode("utf-8", errors="replace"))


def _tail(outcome: ProcessOutcome, chars: int, include_stdout: bool) -> str:
    """At most `chars` characters: the end of stderr and, when asked, of stdout."""
    separator = "\n--- stderr ---\n"
    show_stdout = include_stdout and outcome.stdout.total > 0
    stderr_budget = chars // 3 if show_stdout else chars
    stderr_part = outcome.stderr.last(stderr_budget) if outcome.stderr.total else ""
    if not show_stdout:
        return stderr_part
    if not stderr_part:
        return outcome.stdout.last(chars)
    stdout_part = outcome.stdout.last(max(0, chars - len(stderr_part) - len(separator)))
    return stdout_part + separator + stderr_part
