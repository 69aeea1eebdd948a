"""Warm Node workers for the type check (tsc) and lint (eslint) stages of long-lived processes.

A `WorkerPool` belongs to a process that runs the loop again and again (the MCP server). It
keeps one Node process per (package directory, tool) that has loaded the project's own
TypeScript or ESLint once and answers each request as the CLI would (node_workers/*.cjs): a
re-run after an edit pays neither Node's start-up and the tool's loading nor the re-parsing of
unchanged files. The one-shot CLI (`mcp-backend check`) passes no pool: there a worker would
cost as much as the tool itself.

The stage's result has the CLI stage's shape: the same command (the equivalent CLI argv), the
same parser on the same output, the tool's exit code, and a note "warm worker: …".

Safety, as for every child (see run.py):
- started from an argv list (node and the shipped script), in its own session and process
  group; stdout carries nothing but JSON lines, each capped (from the stage's output cap);
- one request at a time per worker; a request's time limit is its stage's: on time-out or
  cancellation the worker's process group is ended and the worker dropped (the next request
  starts a new one);
- a worker that exits or answers anything but its JSON is ended and the stage runs with the
  CLI instead (noted); one that declines (it could not reproduce the CLI exactly, e.g. project
  references) stays, and the CLI runs;
- at most MAX_WORKERS (the least recently used goes first); idle workers exit after
  IDLE_EXIT_S (the worker also times itself out); `aclose()` ends them all (the server's
  lifespan), an atexit hook kills what is left, and a worker exits by itself when its stdin
  closes or its parent changes: no node process outlives us.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import shutil
import signal
import time
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from subprocess import PIPE
from typing import Any

import anyio
import anyio.lowlevel
from anyio.abc import ByteReceiveStream, ByteSendStream, Process
from anyio.streams.buffered import BufferedByteReceiveStream

from mcp_backend.quality.models import Stage, StageResult, WorkerSpec, WorkerTool
from mcp_backend.quality.run import (
    STDERR_CAP_BYTES,
    CappedBuffer,
    ProcessOutcome,
    base_result,
    child_environment,
    end_process_group,
    outcome_result,
    prepare_stage,
    run_stage,
)

SCRIPTS_DIR = Path(__file__).resolve().parent / "node_workers"
SCRIPTS: dict[WorkerTool, str] = {"tsc": "tsc_worker.cjs", "eslint": "eslint_worker.cjs"}
MAX_WORKERS = 4
IDLE_EXIT_S = 600.0
NOTE = "warm worker"
# An answer is the tool's output as a JSON string plus a few fields: escaping can double it.
ANSWER_SLACK_BYTES = 64 * 1024
READY_LINE_CAP = 4096

WorkerKey = tuple[str, WorkerTool]
FileState = tuple[int, int, int] | None


class WorkerFailed(Exception):
    """The worker exited or broke the protocol: it is ended, and the CLI runs instead."""


class WorkerDeclined(Exception):
    """The worker cannot give exactly the CLI's result for this request: the CLI runs."""


class WorkerUnavailable(Exception):
    """No worker can take this request (node missing, every worker busy): the CLI runs."""


def _event_loop() -> object:
    """Identifies the running event loop: a worker's pipes belong to the loop that opened them."""
    current_token = getattr(anyio.lowlevel, "current_token", None)
    if current_token is not None:  # anyio >= 4.11
        return current_token()
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # pragma: no cover - trio with an older anyio: one loop assumed
        return None


def _file_state(path: Path) -> FileState:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def dependency_fingerprint(cwd: Path, spec: WorkerSpec) -> tuple[FileState, ...]:
    """What installing, removing or upgrading packages changes. A worker keeps modules loaded
    and module resolutions cached, so a different fingerprint means a new worker."""
    bin_path = Path(spec.bin)
    node_modules = bin_path.parent.parent  # node_modules/.bin/<tool>
    tool_file = Path(os.path.realpath(bin_path))
    watched = [
        cwd / "package.json",
        node_modules,
        node_modules / ".package-lock.json",  # npm
        node_modules / ".modules.yaml",  # pnpm
        node_modules / ".yarn-state.yml",  # yarn
        node_modules / "@types",
        tool_file,
        tool_file.parent.parent / "package.json",
    ]
    return tuple(_file_state(path) for path in watched)


async def _drain(stream: ByteReceiveStream | None, buffer: CappedBuffer) -> None:
    if stream is None:
        return
    with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
        async for chunk in stream:
            buffer.add(chunk)


def _capped(text: str, cap: int) -> CappedBuffer:
    buffer = CappedBuffer(cap)
    buffer.add(text.encode("utf-8", errors="replace"))
    return buffer


class Worker:
    """One Node process serving one tool in one package directory, one request at a time."""

    def __init__(
        self,
        key: WorkerKey,
        process: Process,
        stdin: ByteSendStream,
        stdout: ByteReceiveStream,
        fingerprint: tuple[FileState, ...],
    ) -> None:
        self.key = key
        self.process = process
        self.pid = process.pid
        self.fingerprint = fingerprint
        self.loop = _event_loop()
        self.lock = anyio.Lock()
        self.last_used = time.monotonic()
        self.requests = 0
        self._stdin = stdin
        self._stdout = BufferedByteReceiveStream(stdout)

    @classmethod
    async def start(
        cls,
        key: WorkerKey,
        node: str,
        env: Mapping[str, str],
        fingerprint: tuple[FileState, ...],
        idle_exit_s: float,
    ) -> Worker:
        cwd, tool = key
        process = await anyio.open_process(
            [node, str(SCRIPTS_DIR / SCRIPTS[tool]), "--idle-exit-s", f"{idle_exit_s:g}"],
            cwd=cwd,
            env=env,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            start_new_session=True,  # its own process group: we can end all of it
        )
        if process.stdin is None or process.stdout is None:  # pragma: no cover - PIPE given
            await _end(process)
            raise WorkerFailed("no pipes to the worker")
        worker = cls(key, process, process.stdin, process.stdout, fingerprint)
        try:
            ready, _ = await worker._exchange(None, READY_LINE_CAP)
            if ready.get("ready") is not True:
                raise WorkerFailed("it did not say it was ready")
        except BaseException:
            await worker.close()
            raise
        return worker

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def request(self, spec: WorkerSpec, cwd: Path, cap: int) -> tuple[dict[str, Any], str]:
        """The worker's answer to one stage, and what it wrote to stderr meanwhile."""
        self.requests += 1
        message = {"id": self.requests, "cwd": str(cwd), **spec.model_dump(mode="json")}
        answer, stderr = await self._exchange((json.dumps(message) + "\n").encode(), cap)
        self.last_used = time.monotonic()
        if answer.get("id") != self.requests:
            raise WorkerFailed("it answered another request")
        status = answer.get("status")
        if status == "decline":
            raise WorkerDeclined(str(answer.get("reason", ""))[:500])
        valid = (
            status == "ok"
            and isinstance(answer.get("exit_code"), int)
            and isinstance(answer.get("stdout"), str)
            and isinstance(answer.get("stderr"), str)
        )
        if not valid:
            raise WorkerFailed(f"unexpected answer (status {status!r})")
        return answer, stderr

    async def _exchange(self, message: bytes | None, cap: int) -> tuple[dict[str, Any], str]:
        """Send a line (if any) and read one line back, draining stderr meanwhile."""
        stderr = CappedBuffer(STDERR_CAP_BYTES)
        line = b""
        problem: str | None = None
        async with anyio.create_task_group() as group:
            group.start_soon(_drain, self.process.stderr, stderr)
            try:
                if message is not None:
                    await self._stdin.send(message)
                line = await self._stdout.receive_until(b"\n", cap)
            except anyio.DelimiterNotFound:
                problem = f"its answer is longer than {cap} bytes"
            except (anyio.IncompleteRead, anyio.EndOfStream):
                problem = "it exited"
            except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
                problem = f"its pipe broke ({exc.__class__.__name__})"
            finally:
                group.cancel_scope.cancel()
        if problem is None:
            try:
                answer = json.loads(line)
            except ValueError:
                problem = "it printed a line that is not JSON"
            else:
                if isinstance(answer, dict):
                    return answer, stderr.text()
                problem = "it printed JSON that is not an object"
        tail = stderr.last(300).strip()
        raise WorkerFailed(problem + (f"; stderr: {tail}" if tail else ""))

    async def close(self) -> None:
        """End the worker's process group and reap it (never interrupted by a cancellation)."""
        with anyio.CancelScope(shield=True):
            if self.loop != _event_loop():
                self.kill_now()  # its pipes belong to another event loop
                return
            await _end(self.process)

    def kill_now(self) -> None:
        """SIGKILL the group without waiting (at exit, or from another event loop)."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)


async def _end(process: Process) -> None:
    with anyio.CancelScope(shield=True):
        await end_process_group(process, process.pid)
        await process.aclose()


class WorkerPool:
    """Warm workers of one long-lived process; see the module docstring."""

    def __init__(self, max_workers: int = MAX_WORKERS, idle_exit_s: float = IDLE_EXIT_S) -> None:
        self.max_workers = max(1, max_workers)
        self.idle_exit_s = idle_exit_s
        self._workers: OrderedDict[WorkerKey, Worker] = OrderedDict()
        self._lock: anyio.Lock | None = None
        self._lock_loop: object = None
        _POOLS.add(self)

    @property
    def pids(self) -> dict[WorkerKey, int]:
        """The workers' process ids (each is also its process group's id)."""
        return {key: worker.pid for key, worker in self._workers.items()}

    def worker(self, cwd: Path, tool: WorkerTool) -> Worker | None:
        return self._workers.get((str(cwd), tool))

    def _pool_lock(self) -> anyio.Lock:
        loop = _event_loop()
        if self._lock is None or self._lock_loop != loop:
            self._lock, self._lock_loop = anyio.Lock(), loop
        return self._lock

    async def acquire(
        self, cwd: Path, spec: WorkerSpec, env: Mapping[str, str]
    ) -> tuple[Worker, str]:
        """A worker for this stage, locked for the caller, and how it came to be."""
        key: WorkerKey = (str(cwd), spec.tool)
        fingerprint = dependency_fingerprint(cwd, spec)
        async with self._pool_lock():
            await self._close_idle()
            how = "started for this request"
            worker = self._workers.get(key)
            if worker is not None:
                stale = self._stale(worker, fingerprint)
                if stale is None:
                    if worker.lock.locked():
                        raise WorkerUnavailable("its worker is busy with another request")
                    await worker.lock.acquire()
                    self._workers.move_to_end(key)
                    return worker, f"warm, request {worker.requests + 1}"
                await self.discard(worker)
                how = f"started for this request: {stale}"
            while len(self._workers) >= self.max_workers:
                idle = [k for k, w in self._workers.items() if not w.lock.locked()]
                if not idle:
                    raise WorkerUnavailable(f"all {self.max_workers} workers are busy")
                await self.discard(self._workers[idle[0]])  # the least recently used
            node = shutil.which("node", path=env.get("PATH"))
            if node is None:
                raise WorkerUnavailable("`node` is not on PATH")
            try:
                worker = await Worker.start(key, node, env, fingerprint, self.idle_exit_s)
            except OSError as exc:
                raise WorkerUnavailable(f"node could not start: {exc}") from exc
            await worker.lock.acquire()
            self._workers[key] = worker
            return worker, how

    def _stale(self, worker: Worker, fingerprint: tuple[FileState, ...]) -> str | None:
        if worker.loop != _event_loop():
            return "the previous worker belonged to another event loop"
        if not worker.alive:
            return f"the previous worker had exited (code {worker.process.returncode})"
        if worker.fingerprint != fingerprint:
            return "package.json or node_modules changed since the previous worker started"
        return None

    async def _close_idle(self) -> None:
        now = time.monotonic()
        for worker in list(self._workers.values()):
            if not worker.lock.locked() and now - worker.last_used > self.idle_exit_s:
                await self.discard(worker)

    async def discard(self, worker: Worker) -> None:
        """Remove a worker and end its process group."""
        if self._workers.get(worker.key) is worker:
            del self._workers[worker.key]
        await worker.close()

    async def aclose(self) -> None:
        """End every worker (the pool stays usable: a later request starts new ones)."""
        with anyio.CancelScope(shield=True):
            workers = list(self._workers.values())
            self._workers.clear()
            async with anyio.create_task_group() as group:
                for worker in workers:
                    group.start_soon(worker.close)

    def kill_now(self) -> None:
        """SIGKILL every worker's group without waiting (at interpreter exit)."""
        for worker in self._workers.values():
            worker.kill_now()
        self._workers.clear()


_POOLS: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


@atexit.register
def _kill_every_worker() -> None:
    for pool in list(_POOLS):
        pool.kill_now()


# ---------------------------------------------------------------- running a stage


async def run_stage_warm(
    pool: WorkerPool, stage: Stage, timeout_s: float, stdout_cap: int, tail_chars: int
) -> StageResult:
    """The stage in a warm worker when one can give the CLI's result; otherwise the CLI."""
    spec = stage.worker
    if spec is None:
        return await run_stage(stage, timeout_s, stdout_cap, tail_chars)
    started = time.monotonic()
    prepare_stage(stage)
    env = child_environment(stage.env)
    cap = 2 * stdout_cap + 2 * STDERR_CAP_BYTES + ANSWER_SLACK_BYTES
    worker: Worker | None = None
    how = ""
    answer: dict[str, Any] = {}
    stderr = ""
    fallback: str | None = None
    answered = False
    try:
        with anyio.move_on_after(timeout_s) as deadline:
            try:
                worker, how = await pool.acquire(stage.cwd, spec, env)
                answer, stderr = await worker.request(spec, stage.cwd, cap)
                answered = True
            except WorkerUnavailable as exc:
                fallback = f"not used ({exc})"
            except WorkerDeclined as exc:
                answered = True  # the worker is fine; it only cannot match the CLI here
                fallback = f"declined ({exc})"
            except WorkerFailed as exc:
                if worker is None:
                    fallback = f"the worker did not start ({exc})"
                else:
                    fallback = f"worker pid {worker.pid} failed ({exc}) and was ended"
    finally:
        if worker is not None:
            if not answered:  # failed, timed out or cancelled: its state is unknown
                await pool.discard(worker)
            worker.lock.release()
    elapsed = time.monotonic() - started
    if deadline.cancelled_caught:
        outcome = ProcessOutcome(
            exit_code=None,
            stdout=CappedBuffer(stdout_cap),
            stderr=_capped(stderr, STDERR_CAP_BYTES),
            timed_out=True,
            duration_s=elapsed,
        )
        result = outcome_result(
            stage, base_result(stage), outcome, timeout_s, stdout_cap, tail_chars
        )
        pid = worker.pid if worker is not None else "not started"
        result.notes.append(
            f"{NOTE}: the time limit ended the worker (pid {pid}) and its process group; "
            "the next request starts a new one"
        )
        return result
    if fallback is not None:
        result = await run_stage(stage, max(timeout_s - elapsed, 0.001), stdout_cap, tail_chars)
        result.duration_s = round(result.duration_s + elapsed, 3)
        result.notes.append(f"{NOTE}: {fallback}; the command above ran instead")
        return result
    assert worker is not None  # answered
    outcome = ProcessOutcome(
        exit_code=int(answer["exit_code"]),
        stdout=_capped(str(answer["stdout"]), stdout_cap),
        stderr=_capped(str(answer["stderr"]) + stderr, STDERR_CAP_BYTES),
        duration_s=elapsed,
        pid=worker.pid,
    )
    result = outcome_result(stage, base_result(stage), outcome, timeout_s, stdout_cap, tail_chars)
    detail = str(answer.get("note") or "")[:300]
    result.notes.append(
        f"{NOTE}: ran in a persistent {spec.tool} worker (pid {worker.pid}, {how}) instead of "
        f"the command above, with the same result{'; ' + detail if detail else ''}"
    )
    return result
