"""The team deployment: MCP over streamable HTTP behind a bearer token, body cap and rate limit.

The SDK's app does the protocol, Host/Origin validation (DNS rebinding) and runs stateless, so
several instances can sit behind an ordinary load balancer. Around it sit three small pure-ASGI
layers of our own, outermost first:

1. rate limit: a token bucket per client (by token when it is valid, else by client address),
   answered with 429 and Retry-After. It runs before the token check, so guessing tokens is
   throttled like any other request. Without a token (a loopback-only server) the local client
   gets a larger allowance: it is one user's assistant, not an anonymous crowd.
2. bearer token (only when one is configured): compared in constant time, 401 with
   WWW-Authenticate when missing or wrong.
3. body size: 413 before the body reaches the server.
4. cancel on disconnect: a client that hangs up mid-call ends the call (and any processes it
   started); stateless, nobody else could ever receive the answer.

Lifespan messages pass straight through, so the SDK's session manager starts and stops with the
server as it does without the wrappers.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import math
import os
import stat
import sys
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from starlette.applications import Starlette

logger = logging.getLogger(__name__)

TOKEN_ENV = "MCP_BACKEND_TOKEN"  # noqa: S105 - the variable's name, not a secret
TOKEN_FILE_ENV = "MCP_BACKEND_TOKEN_FILE"  # noqa: S105 - a name
MIN_TOKEN_LENGTH = 16
# The same words in `serve --help` and in the errors that ask for a token.
TOKEN_SOURCES = (
    f"--token-file FILE (or {TOKEN_FILE_ENV}=FILE), a file only you can read, or the token "
    f"itself in {TOKEN_ENV}"
)
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
MCP_PATH = "/mcp"
# Idle buckets are dropped once this many clients are tracked, so a flood of addresses
# cannot grow the table without bound.
MAX_TRACKED_CLIENTS = 10_000
# Requests a minute (and the burst) per token or remote address: a team member's assistant.
DEFAULT_RATE_PER_MINUTE = 120
# Requests a minute for the local client of a server without a token (loopback only). One busy
# assistant fanning out tool calls, or the MCP conformance suite run twice back to back (about
# 115 requests a run), must not meet a 429; a runaway local loop still does.
DEFAULT_LOCAL_RATE_PER_MINUTE = 1200
# A request carrying one of these came through a proxy: its loopback address is the proxy's,
# not a local client's, so it gets the ordinary limit.
FORWARDING_HEADERS = (b"forwarded", b"x-forwarded-for", b"x-real-ip")
TOKEN_HINT = 'create one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'  # noqa: S105


class HttpConfigError(ValueError):
    """The HTTP deployment is unsafe or inconsistent; the message says how to fix it."""


# --- configuration --------------------------------------------------------------------------


def load_token(
    env: Mapping[str, str], token_file: str | os.PathLike[str] | None = None
) -> str | None:
    """The bearer token from `token_file`, MCP_BACKEND_TOKEN_FILE or MCP_BACKEND_TOKEN, or None.

    A token file must not be readable by other users: a token anyone on the machine can read
    protects nothing. Setting the token both inline and as a file is refused as ambiguous.
    """
    file_value = os.fspath(token_file) if token_file is not None else env.get(TOKEN_FILE_ENV, "")
    inline = env.get(TOKEN_ENV, "")
    if file_value and inline:
        raise HttpConfigError(
            f"both {TOKEN_ENV} and a token file ({file_value}) are set: use only one of them"
        )
    if file_value:
        return _validated(_read_token_file(Path(file_value)), f"token file {file_value}")
    if inline:
        return _validated(inline, TOKEN_ENV)
    return None


def _read_token_file(path: Path) -> str:
    try:
        info = path.stat()
    except OSError as error:
        raise HttpConfigError(f"cannot read token file {path}: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise HttpConfigError(f"token file {path} is not a regular file")
    if os.name == "posix" and info.st_mode & (stat.S_IROTH | stat.S_IWOTH):
        raise HttpConfigError(
            f"token file {path} is readable or writable by every user on this machine "
            f"(mode {stat.filemode(info.st_mode)}): run `chmod 600 {path}` and start again"
        )
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise HttpConfigError(f"cannot read token file {path}: {error}") from None


def _validated(raw: str, source: str) -> str:
    token = raw.strip()
    if not token:
        raise HttpConfigError(f"{source} is empty; {TOKEN_HINT}")
    if len(token) < MIN_TOKEN_LENGTH or any(ch.isspace() for ch in token) or not token.isascii():
        raise HttpConfigError(
            f"{source} must be at least {MIN_TOKEN_LENGTH} printable ASCII characters without "
            f"spaces; {TOKEN_HINT}"
        )
    return token


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a bearer token."""
    if token is None and not is_loopback(host):
        raise HttpConfigError(
            f"refusing to listen on {host}: anyone who can reach it could read your code through "
            f"this server. Set a bearer token: {TOKEN_SOURCES}; or use --host 127.0.0.1 for "
            f"local use. {TOKEN_HINT}"
        )


def default_allowed_hosts(host: str, port: int) -> list[str]:
    """Host headers accepted: the loopback names, and the bind address when it is specific."""
    names = ["127.0.0.1", "localhost", "[::1]"]
    bound = f"[{host}]" if ":" in host and not host.startswith("[") else host
    wildcard = host in ("0.0.0.0", "::", "")  # noqa: S104 - compared, not bound
    if not wildcard and bound not in names:
        names.append(bound)
    return [f"{name}:{port}" for name in names]


def default_allowed_origins(port: int) -> list[str]:
    return [f"http://{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")]


# --- the app --------------------------------------------------------------------------------


def build_http_app(
    server: MCPServer,
    *,
    host: str,
    port: int,
    token: str | None,
    max_body_bytes: int = 1_000_000,
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE,
    local_rate_per_minute: int = DEFAULT_LOCAL_RATE_PER_MINUTE,
    allowed_origins: list[str] | None = None,
    allowed_hosts: list[str] | None = None,
) -> ASGIApp:
    """The SDK's stateless streamable-HTTP app at /mcp, wrapped in our access controls.

    `allowed_hosts` are extra Host header values (e.g. the name a load balancer forwards,
    `mcp.example.internal:443`); the loopback names at `port` are always accepted.
    `rate_per_minute` limits each token or remote address; `local_rate_per_minute` the local
    client when no token is configured (see RateLimit).
    """
    from mcp.server.transport_security import TransportSecuritySettings

    check_bind(host, token)
    hosts = default_allowed_hosts(host, port) + list(allowed_hosts or [])
    origins = default_allowed_origins(port) + list(allowed_origins or [])
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )
    inner: Starlette = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        json_response=True,
        transport_security=security,
        max_request_body_size=max_body_bytes,
        host=host,
    )
    app: ASGIApp = BodySizeLimit(CancelOnDisconnect(inner), max_body_bytes)
    if token is not None:
        app = BearerTokenAuth(app, token)
    return RateLimit(
        app,
        rate_per_minute=rate_per_minute,
        local_rate_per_minute=local_rate_per_minute,
        token=token,
    )


def run_http(
    server: MCPServer,
    host: str,
    port: int,
    token: str | None,
    *,
    max_body_bytes: int = 1_000_000,
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE,
    local_rate_per_minute: int = DEFAULT_LOCAL_RATE_PER_MINUTE,
    allowed_origins: list[str] | None = None,
    allowed_hosts: list[str] | None = None,
    log_level: str = "warning",
) -> None:
    """Serve until interrupted. Raises HttpConfigError for an unsafe configuration."""
    import uvicorn

    app = build_http_app(
        server,
        host=host,
        port=port,
        token=token,
        max_body_bytes=max_body_bytes,
        rate_per_minute=rate_per_minute,
        local_rate_per_minute=local_rate_per_minute,
        allowed_origins=allowed_origins,
        allowed_hosts=allowed_hosts,
    )
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="on",
        # None: uvicorn's loggers propagate to ours (stderr) instead of its own stdout handlers.
        log_config=None,
        log_level=log_level.lower(),
        server_header=False,
        limit_concurrency=200,
    )
    logger.warning(
        "serving MCP on http://%s:%s%s (%s)",
        host if ":" not in host else f"[{host}]",
        port,
        MCP_PATH,
        "bearer token required" if token else "no token: loopback only",
    )
    uvicorn.Server(config).run()


def serve_http_command(
    server: MCPServer,
    host: str,
    port: int,
    *,
    token_file: str | None = None,
    allowed_hosts: list[str] | None = None,
    allowed_origins: list[str] | None = None,
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE,
    local_rate_per_minute: int = DEFAULT_LOCAL_RATE_PER_MINUTE,
    environ: Mapping[str, str] | None = None,
    log_level: str = "warning",
) -> int:
    """`mcp-backend serve --transport streamable-http`: an exit code, and a clear message on
    stderr when the configuration is refused (never a traceback)."""
    try:
        token = load_token(os.environ if environ is None else environ, token_file)
        check_bind(host, token)
        run_http(
            server,
            host,
            port,
            token,
            allowed_hosts=allowed_hosts,
            allowed_origins=allowed_origins,
            rate_per_minute=rate_per_minute,
            local_rate_per_minute=local_rate_per_minute,
            log_level=log_level,
        )
    except HttpConfigError as error:
        sys.stderr.write(f"mcp-backend: {error}\n")
        return 2
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after its graceful shutdown
        return 0
    return 0


# --- middleware -----------------------------------------------------------------------------


async def send_error(
    send: Send, status: int, message: str, headers: Mapping[str, str] | None = None
) -> None:
    """A small JSON error body; the message says what was wrong and what to do."""
    body = json.dumps({"error": message}).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((name.lower().encode(), value.encode()) for name, value in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def bearer_token(scope: Scope) -> str | None:
    value = header(scope, b"authorization")
    if value is None:
        return None
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def token_matches(presented: str | None, expected: str) -> bool:
    if presented is None:
        return False
    # Constant time over the bytes; different lengths still take time independent of content.
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))


class BearerTokenAuth:
    """401 unless the request carries `Authorization: Bearer <the configured token>`."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        presented = bearer_token(scope)
        if token_matches(presented, self.token):
            await self.app(scope, receive, send)
            return
        if presented is None:
            challenge = 'Bearer realm="mcp-backend"'
            message = "missing bearer token: send 'Authorization: Bearer <token>'"
        else:
            challenge = 'Bearer realm="mcp-backend", error="invalid_token"'
            message = "invalid bearer token"
        await send_error(send, 401, message, {"WWW-Authenticate": challenge})


class BodySizeLimit:
    """413 for a body over the limit, by Content-Length or by counting a streamed body."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"request body over {self.max_body_bytes} bytes"
        declared = header(scope, b"content-length")
        if (
            declared is not None
            and declared.strip().isdigit()
            and int(declared) > self.max_body_bytes
        ):
            await send_error(send, 413, too_large)
            return
        # Buffer up to the limit (a chunked body declares no length), then replay it.
        messages: deque[Message] = deque()
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                await send_error(send, 413, too_large)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            if messages:
                return messages.popleft()
            return await receive()

        await self.app(scope, replay, send)


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimit:
    """A token bucket per client: `rate_per_minute` requests a minute, bursts up to that many.

    A client is its bearer token when the token is the configured one (so a team behind one
    NAT address is not throttled as one), otherwise its address. Hashing the token keeps it out
    of memory dumps of the table.

    Without a configured token the server only listens on loopback, and a loopback client is
    the user's own assistant: it gets `local_rate_per_minute`, so a busy session (or a test
    suite run back to back) is not throttled like an anonymous crowd. With a token, or when a
    forwarding header shows the request came through a proxy, a loopback address is just an
    address and gets `rate_per_minute`.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        rate_per_minute: int = DEFAULT_RATE_PER_MINUTE,
        local_rate_per_minute: int = DEFAULT_LOCAL_RATE_PER_MINUTE,
    ) -> None:
        if rate_per_minute < 1 or local_rate_per_minute < 1:
            raise HttpConfigError("rate limits must be at least 1 request a minute")
        self.app = app
        self.rate_per_minute = rate_per_minute
        self.local_rate_per_minute = local_rate_per_minute
        self.token = token
        self.buckets: dict[str, Bucket] = {}

    def client_key(self, scope: Scope) -> str:
        """`token:…`, `local:…` (the loopback allowance) or `addr:…`."""
        presented = bearer_token(scope)
        if self.token is not None and token_matches(presented, self.token):
            return "token:" + hashlib.sha256(self.token.encode()).hexdigest()[:16]
        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        if self.token is None and is_loopback(address) and not self._forwarded(scope):
            return "local:" + address
        return "addr:" + address

    @staticmethod
    def _forwarded(scope: Scope) -> bool:
        return any(header(scope, name) is not None for name in FORWARDING_HEADERS)

    def rate_for(self, key: str) -> int:
        return self.local_rate_per_minute if key.startswith("local:") else self.rate_per_minute

    def take(self, key: str, now: float) -> float:
        """Take one request from the bucket: 0 if allowed, else seconds until one is free."""
        capacity = float(self.rate_for(key))
        refill_per_second = capacity / 60.0
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) >= MAX_TRACKED_CLIENTS:
                self._forget_idle(now)
            bucket = self.buckets[key] = Bucket(tokens=capacity, updated=now)
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(capacity, bucket.tokens + elapsed * refill_per_second)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / refill_per_second

    def _forget_idle(self, now: float) -> None:
        full_after = 60.0  # an idle bucket refills its whole burst within a minute, at any rate
        for key, bucket in list(self.buckets.items()):
            if now - bucket.updated >= full_after:
                del self.buckets[key]
        if len(self.buckets) >= MAX_TRACKED_CLIENTS:  # all busy: forget the oldest half
            by_age = sorted(self.buckets, key=lambda k: self.buckets[k].updated)
            for key in by_age[: len(by_age) // 2]:
                del self.buckets[key]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key = self.client_key(scope)
        wait = self.take(key, time.monotonic())
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            await send_error(
                send,
                429,
                f"rate limit of {self.rate_for(key)} requests a minute reached: "
                f"retry after {retry_after} s",
                {"Retry-After": str(retry_after)},
            )
            return
        await self.app(scope, receive, send)


class CancelOnDisconnect:
    """Cancel the request's work when the client disconnects before the answer.

    The SDK's stateless handler does not watch for `http.disconnect` while a tool runs, so a
    client that hangs up mid-`run_quality_loop` would leave the tests running to their time
    limit. Here the body is read first, then a watcher waits for the disconnect and cancels the
    request; the SDK then terminates the per-request server, which cancels the tool.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        import anyio

        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body: deque[Message] = deque()
        while True:
            message = await receive()
            body.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        if body[-1]["type"] == "http.disconnect":
            return  # gone before the request was complete
        disconnected = anyio.Event()

        async def replay() -> Message:
            if body:
                return body.popleft()
            await disconnected.wait()
            return {"type": "http.disconnect"}

        async with anyio.create_task_group() as group:

            async def watch() -> None:
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        disconnected.set()
                        group.cancel_scope.cancel()
                        return

            group.start_soon(watch)
            await self.app(scope, replay, send)
            group.cancel_scope.cancel()
