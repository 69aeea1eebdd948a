"""A raw JSON-RPC peer over a server's stdio, for sending what no well-behaved client would.

A reader thread turns every stdout line into a queue item, so each wait has a time limit and a
hung server fails the test instead of hanging it. Every line the server writes is checked: it
must be one JSON-RPC 2.0 message; anything else is recorded in `not_protocol`.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PROTOCOL = "2025-06-18"
WAIT_SECONDS = 120.0
Message = dict[str, Any]


def is_jsonrpc(value: object) -> bool:
    """One JSON-RPC 2.0 message: a request, a notification, a result or an error."""
    if not isinstance(value, dict) or value.get("jsonrpc") != "2.0":
        return False
    if "method" in value:
        return isinstance(value["method"], str)
    if "id" not in value or ("result" in value) == ("error" in value):
        return False
    if "error" in value:
        error = value["error"]
        return (
            isinstance(error, dict)
            and isinstance(error.get("code"), int)
            and isinstance(error.get("message"), str)
        )
    return True


class StdioPeer:
    def __init__(self, argv: Sequence[str], cwd: Path | None = None) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
        )
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.not_protocol: list[bytes] = []
        self.stderr_tail: deque[bytes] = deque(maxlen=200)
        self.pending: dict[object, Message] = {}  # answers read while waiting for others
        self.notifications: list[Message] = []
        self.null_id_errors: list[Message] = []  # answers to lines whose id could not be read
        self.write_lock = threading.Lock()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr_tail.append(line)

    # --- sending -------------------------------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        assert self.process.stdin is not None
        with self.write_lock:
            self.process.stdin.write(data if data.endswith(b"\n") else data + b"\n")
            self.process.stdin.flush()

    def send(self, message: object) -> None:
        self.send_raw(json.dumps(message).encode())

    def request(self, request_id: object, method: str, params: object = None) -> None:
        message: Message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def notify(self, method: str, params: object = None) -> None:
        message: Message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    # --- receiving -----------------------------------------------------------------------------

    def _next_message(self, deadline: float) -> Message | None:
        """The next protocol message, or None at end of output. Raises TimeoutError."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(self.describe("no answer in time"))
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError(self.describe("no answer in time")) from None
            if line is None:
                return None
            try:
                value = json.loads(line)
            except ValueError:
                self.not_protocol.append(line)
                continue
            if not is_jsonrpc(value):
                self.not_protocol.append(line)
                continue
            return dict(value)

    def wait_for(
        self, ids: Sequence[object], timeout: float = WAIT_SECONDS
    ) -> dict[object, Message]:
        """The answers to `ids`, keyed by id (null ids are collected under None, in order)."""
        wanted = set(ids)
        deadline = time.monotonic() + timeout
        while not wanted.issubset(self.pending):
            message = self._next_message(deadline)
            if message is None:
                raise AssertionError(self.describe("server closed stdout before answering"))
            if "method" in message:
                self.notifications.append(message)
                continue
            key = message.get("id")
            if key is None:
                self.null_id_errors.append(message)
                continue
            self.pending[key] = message
        return {i: self.pending.pop(i) for i in ids}

    def call(
        self, request_id: object, method: str, params: object = None, timeout: float = WAIT_SECONDS
    ) -> Message:
        self.request(request_id, method, params)
        return self.wait_for([request_id], timeout)[request_id]

    def wait_for_null_id_errors(self, count: int, timeout: float = WAIT_SECONDS) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.null_id_errors) < count:
            message = self._next_message(deadline)
            if message is None:
                break
            if "method" in message:
                self.notifications.append(message)
            elif message.get("id") is None:
                self.null_id_errors.append(message)
            else:
                self.pending[message["id"]] = message
        found, self.null_id_errors = self.null_id_errors[:count], self.null_id_errors[count:]
        return found

    def initialize(self) -> Message:
        answer = self.call(
            "init",
            "initialize",
            {
                "protocolVersion": PROTOCOL,
                "capabilities": {},
                "clientInfo": {"name": "hardening-driver", "version": "0"},
            },
        )
        self.notify("notifications/initialized")
        return answer

    # --- lifecycle -----------------------------------------------------------------------------

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self, timeout: float = 30) -> int:
        """Close stdin (the client going away) and wait; kill if it does not exit."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=timeout)
            raise AssertionError(self.describe("server did not exit after stdin closed")) from None

    def describe(self, what: str) -> str:
        tail = b"".join(self.stderr_tail)[-3000:].decode("utf-8", "replace")
        return f"{what}; server alive={self.alive()}; stderr tail:\n{tail}"
