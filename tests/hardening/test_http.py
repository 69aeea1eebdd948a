"""The team deployment over real HTTP on loopback: token, Host/Origin, body size, rate limit."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from mcp_backend.http_app import (
    HttpConfigError,
    RateLimit,
    build_http_app,
    check_bind,
    is_loopback,
    load_token,
    serve_http_command,
)
from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace
from tests.conftest import SCRIPT

TOKEN = "team-token-0123456789abcdef"
PROTOCOL = "2025-06-18"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": PROTOCOL,
        "capabilities": {},
        "clientInfo": {"name": "hardening-tests", "version": "0"},
    },
}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LiveServer:
    port: int

    def post(
        self,
        message: object,
        *,
        token: str | None = TOKEN,
        headers: dict[str, str] | None = None,
        raw_body: bytes | None = None,
        chunked: bool = False,
    ) -> Reply:
        all_headers = {
            "content-type": "application/json",
            "accept": "application/json, text/event-stream",
            "mcp-protocol-version": PROTOCOL,
        }
        if token is not None:
            all_headers["authorization"] = f"Bearer {token}"
        all_headers.update(headers or {})
        body = raw_body if raw_body is not None else json.dumps(message).encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            if chunked:
                pieces = [body[i : i + 4096] for i in range(0, len(body), 4096)]
                connection.request(
                    "POST", "/mcp", body=iter(pieces), headers=all_headers, encode_chunked=True
                )
            else:
                connection.request("POST", "/mcp", body=body, headers=all_headers)
            response = connection.getresponse()
            return Reply(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def serve_in_thread(project: Path, **options: Any) -> Iterator[LiveServer]:
    sock = free_socket()
    port = sock.getsockname()[1]
    server = build_server(Workspace.configure([str(project)]))
    app = build_http_app(server, host="127.0.0.1", port=port, **options)
    config = uvicorn.Config(app, lifespan="on", log_config=None, log_level="warning")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(600):  # bounded: up to ~30 s on a loaded machine
        if uvicorn_server.started or not thread.is_alive():
            break
        time.sleep(0.05)
    assert uvicorn_server.started, "uvicorn did not start"
    try:
        yield LiveServer(port)
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture
def live(project: Path) -> Iterator[LiveServer]:
    yield from serve_in_thread(project, token=TOKEN, max_body_bytes=20_000, rate_per_minute=600)


@pytest.fixture
def strict_rate(project: Path) -> Iterator[LiveServer]:
    yield from serve_in_thread(project, token=TOKEN, rate_per_minute=3)


# --- access control over HTTP ------------------------------------------------------------------


def test_missing_token_is_401_with_challenge(live: LiveServer) -> None:
    reply = live.post(INITIALIZE, token=None)
    assert reply.status == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert "bearer token" in reply.json()["error"]


def test_wrong_token_is_401(live: LiveServer) -> None:
    for wrong in (TOKEN[:-1] + "X", TOKEN + "extra", "short", TOKEN.upper()):
        reply = live.post(INITIALIZE, token=wrong)
        assert reply.status == 401, wrong
        assert 'error="invalid_token"' in reply.headers["www-authenticate"]


def test_other_auth_schemes_are_401(live: LiveServer) -> None:
    reply = live.post(INITIALIZE, token=None, headers={"authorization": f"Basic {TOKEN}"})
    assert reply.status == 401


def test_foreign_origin_is_refused(live: LiveServer) -> None:
    reply = live.post(INITIALIZE, headers={"origin": "http://evil.example"})
    assert reply.status == 403


def test_foreign_host_is_refused(live: LiveServer) -> None:
    # DNS rebinding: a browser resolving attacker.example to 127.0.0.1 sends that Host.
    reply = live.post(INITIALIZE, headers={"host": f"attacker.example:{live.port}"})
    assert reply.status == 421


def test_local_origin_is_accepted(live: LiveServer) -> None:
    reply = live.post(INITIALIZE, headers={"origin": f"http://localhost:{live.port}"})
    assert reply.status == 200


def test_authorized_initialize_list_and_call(live: LiveServer) -> None:
    init = live.post(INITIALIZE)
    assert init.status == 200
    assert init.json()["result"]["serverInfo"]["name"] == "mcp-backend"

    listed = live.post({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    assert listed.status == 200
    names = {tool["name"] for tool in listed.json()["result"]["tools"]}
    assert "get_guidance" in names

    call = live.post(
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "tools/call",
            "params": {"name": "get_guidance", "arguments": {"topic": "checklist"}},
        }
    )
    assert call.status == 200
    result = call.json()["result"]
    assert result["isError"] is False
    assert "checklist" in json.dumps(result).lower()


def test_body_over_limit_is_413(live: LiveServer) -> None:
    huge = {"jsonrpc": "2.0", "id": 4, "method": "ping", "params": {"pad": "x" * 50_000}}
    assert live.post(huge).status == 413


def test_chunked_body_over_limit_is_413(live: LiveServer) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 5, "method": "ping", "params": {"p": "y" * 50_000}})
    reply = live.post(None, raw_body=body.encode(), chunked=True)
    assert reply.status == 413


def test_body_under_limit_passes(live: LiveServer) -> None:
    small = {"jsonrpc": "2.0", "id": 6, "method": "ping", "params": {"pad": "x" * 1_000}}
    assert live.post(small).status == 200


def test_rate_limit_answers_429_with_retry_after(strict_rate: LiveServer) -> None:
    statuses = [strict_rate.post(INITIALIZE) for _ in range(8)]
    assert statuses[0].status == 200
    limited = [reply for reply in statuses if reply.status == 429]
    assert limited, [reply.status for reply in statuses]
    assert int(limited[0].headers["retry-after"]) >= 1
    assert "rate limit" in limited[0].json()["error"]


def test_failed_logins_are_throttled_by_address_not_by_token(strict_rate: LiveServer) -> None:
    # Guessing tokens uses the address's bucket, so each guess cannot buy a fresh bucket...
    guesses = [strict_rate.post(INITIALIZE, token=f"guess-{n:020d}") for n in range(8)]
    assert {reply.status for reply in guesses} == {401, 429}
    # ...and the holder of the real token keeps its own bucket.
    assert strict_rate.post(INITIALIZE).status == 200


@pytest.fixture
def local_only(project: Path) -> Iterator[LiveServer]:
    """`serve --transport streamable-http` as a user runs it for their own assistant."""
    yield from serve_in_thread(project, token=None)


def test_local_client_of_a_tokenless_server_is_not_held_to_the_team_rate(
    local_only: LiveServer,
) -> None:
    # Past the 120 a minute a token or a remote address gets, every request is still served.
    statuses = [
        local_only.post({"jsonrpc": "2.0", "id": n, "method": "ping"}, token=None).status
        for n in range(135)
    ]
    assert set(statuses) == {200}


def test_malformed_bodies_get_json_rpc_errors_and_the_server_goes_on(live: LiveServer) -> None:
    # Over HTTP the SDK answers undecodable bodies itself: -32700 for invalid JSON; other
    # shapes get -32602 (JSON-RPC would say -32600), always with id null and status 400.
    for body in (b"{not json", b"\xff\xfe", b"[]", b"42", b'{"jsonrpc": "2.0", "id": 1}'):
        reply = live.post(None, raw_body=body)
        assert reply.status == 400, body
        answer = reply.json()
        assert answer["id"] is None
        assert answer["error"]["code"] in (-32700, -32600, -32602)
        assert "Traceback" not in reply.body.decode()
    assert live.post({"jsonrpc": "2.0", "id": 7, "method": "ping"}).json()["result"] == {}


def test_wrong_content_type_is_refused(live: LiveServer) -> None:
    reply = live.post(
        {"jsonrpc": "2.0", "id": 8, "method": "ping"}, headers={"content-type": "text/plain"}
    )
    assert reply.status == 400


# --- the token bucket, with explicit times -----------------------------------------------------


def make_limiter(rate: int) -> RateLimit:
    async def unreachable(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("not called")

    return RateLimit(unreachable, rate_per_minute=rate, token=None)


def test_bucket_allows_a_burst_then_waits() -> None:
    limiter = make_limiter(60)  # one a second
    assert all(limiter.take("a", 100.0) == 0 for _ in range(60))
    wait = limiter.take("a", 100.0)
    assert 0.9 < wait <= 1.0
    assert limiter.take("a", 101.01) == 0  # refilled one
    assert limiter.take("b", 101.01) == 0  # another client is independent


def test_bucket_table_stays_bounded() -> None:
    limiter = make_limiter(60)
    for n in range(12_000):
        limiter.take(f"addr:{n}", float(n) * 100)  # every earlier bucket is idle and full
    assert len(limiter.buckets) <= 10_000


def test_rate_must_be_positive() -> None:
    with pytest.raises(HttpConfigError):
        make_limiter(0)
    with pytest.raises(HttpConfigError):
        RateLimit(answer_200, token=None, local_rate_per_minute=0)


# --- who counts as the local client ------------------------------------------------------------


async def answer_200(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def statuses_of(
    limiter: RateLimit,
    client: tuple[str, int],
    count: int,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> list[int]:
    """Send `count` requests from `client` through the limiter, as quickly as it can."""
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {"type": "http", "method": "POST", "path": "/mcp", "client": client}
    for _ in range(count):
        await limiter({**scope, "headers": headers or []}, receive, send)
    return statuses


@pytest.mark.anyio
async def test_loopback_default_lets_a_busy_local_assistant_through() -> None:
    # The team rate as deployed (120 a minute); the local allowance left at its default. Two
    # conformance-suite runs back to back are ~230 requests in seconds: none may meet a 429.
    limiter = RateLimit(answer_200, rate_per_minute=120, token=None)
    assert set(await statuses_of(limiter, ("127.0.0.1", 50123), 300)) == {200}
    assert set(await statuses_of(limiter, ("::1", 50124), 300)) == {200}
    # A remote address keeps the team rate.
    remote = await statuses_of(limiter, ("192.0.2.7", 40000), 130)
    assert set(remote[:120]) == {200}
    assert 429 in remote[120:]


@pytest.mark.anyio
async def test_local_allowance_is_still_a_limit() -> None:
    limiter = RateLimit(answer_200, rate_per_minute=120, local_rate_per_minute=5, token=None)
    statuses = await statuses_of(limiter, ("127.0.0.1", 50123), 8)
    assert statuses[:5] == [200] * 5
    assert 429 in statuses[5:]


@pytest.mark.anyio
async def test_with_a_token_loopback_is_just_an_address() -> None:
    # A team deployment: guesses from loopback (or a proxy on this host) get the address rate.
    limiter = RateLimit(answer_200, rate_per_minute=10, token=TOKEN)
    statuses = await statuses_of(limiter, ("127.0.0.1", 50123), 15)
    assert 429 in statuses[10:]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "forwarding",
    [b"x-forwarded-for", b"forwarded", b"x-real-ip"],
)
async def test_requests_through_a_proxy_are_not_local(forwarding: bytes) -> None:
    limiter = RateLimit(answer_200, rate_per_minute=10, token=None)
    statuses = await statuses_of(
        limiter, ("127.0.0.1", 50123), 15, headers=[(forwarding, b"203.0.113.5")]
    )
    assert 429 in statuses[10:]


# --- configuration: tokens and bind addresses -----------------------------------------------


def test_token_from_environment() -> None:
    assert load_token({"MCP_BACKEND_TOKEN": f"  {TOKEN}\n"}) == TOKEN
    assert load_token({}) is None


def test_token_file_private_is_read(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    path.chmod(0o600)
    assert load_token({}, path) == TOKEN
    assert load_token({"MCP_BACKEND_TOKEN_FILE": str(path)}) == TOKEN


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_world_readable_token_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN)
    path.chmod(0o644)
    with pytest.raises(HttpConfigError, match="chmod 600"):
        load_token({"MCP_BACKEND_TOKEN_FILE": str(path)})


def test_missing_token_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(HttpConfigError, match="cannot read token file"):
        load_token({}, tmp_path / "absent")


@pytest.mark.parametrize("bad", ["   ", "short", "has spaces in the middle of it", "é" * 20])
def test_weak_or_malformed_tokens_are_refused(bad: str) -> None:
    with pytest.raises(HttpConfigError, match="MCP_BACKEND_TOKEN"):
        load_token({"MCP_BACKEND_TOKEN": bad})


def test_empty_token_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("\n")
    path.chmod(0o600)
    with pytest.raises(HttpConfigError, match="empty"):
        load_token({}, path)


def test_token_twice_is_ambiguous(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN)
    path.chmod(0o600)
    with pytest.raises(HttpConfigError, match="only one"):
        load_token({"MCP_BACKEND_TOKEN": TOKEN, "MCP_BACKEND_TOKEN_FILE": str(path)})


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_binds_need_no_token(host: str) -> None:
    assert is_loopback(host)
    check_bind(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.com"])
def test_other_binds_need_a_token(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(HttpConfigError, match="MCP_BACKEND_TOKEN"):
        check_bind(host, None)
    check_bind(host, TOKEN)


def test_app_refuses_an_open_public_bind(project: Path) -> None:
    with pytest.raises(HttpConfigError):
        build_http_app(
            build_server(Workspace.configure([str(project)])), host="0.0.0.0", port=1, token=None
        )


def test_cli_refuses_public_bind_without_token(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_BACKEND_TOKEN")}
    try:
        done = subprocess.run(
            [
                str(SCRIPT),
                "serve",
                "--root",
                str(project),
                "--transport",
                "streamable-http",
                "--host",
                "0.0.0.0",
                "--port",
                "0",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the server started listening on 0.0.0.0 without a token")
    assert done.returncode == 2
    assert "0.0.0.0" in done.stderr
    assert "MCP_BACKEND_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_serve_command_refuses_with_a_message_not_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = build_server(Workspace.configure([str(project)]))
    assert serve_http_command(server, "0.0.0.0", 1, environ={}) == 2
    err = capsys.readouterr().err
    assert err.startswith("mcp-backend: refusing to listen on 0.0.0.0")
    assert "Traceback" not in err


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_serve_command_refuses_a_world_readable_token_file(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN)
    path.chmod(0o604)
    server = build_server(Workspace.configure([str(project)]))
    assert serve_http_command(server, "0.0.0.0", 1, token_file=str(path), environ={}) == 2
    assert "chmod 600" in capsys.readouterr().err


RUN_HTTP = (
    "import sys\n"
    "from mcp_backend.http_app import serve_http_command\n"
    "from mcp_backend.server import build_server\n"
    "from mcp_backend.workspace import Workspace\n"
    "server = build_server(Workspace.configure([sys.argv[1]]))\n"
    "raise SystemExit(serve_http_command(server, '127.0.0.1', int(sys.argv[2])))\n"
)


def test_run_http_serves_in_a_process_and_stops_on_signal(project: Path) -> None:
    """What `serve --transport streamable-http` does once wired: uvicorn, lifespan, the token."""
    with free_socket() as probe:
        port = probe.getsockname()[1]
    env = {**os.environ, "MCP_BACKEND_TOKEN": TOKEN}
    env.pop("MCP_BACKEND_TOKEN_FILE", None)
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_HTTP, str(project), str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        live = LiveServer(port)
        for _ in range(600):  # bounded wait for the port to accept connections
            if process.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        assert live.post(INITIALIZE, token=None).status == 401
        assert live.post(INITIALIZE).status == 200
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err[-2000:]
    assert out == b""  # logs go to stderr
    assert b"serving MCP" in err
