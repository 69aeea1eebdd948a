"""MCP over stdio that answers malformed input, as JSON-RPC 2.0 requires.

The SDK's stdio transport (mcp 2.3.0) turns a line it cannot decode into an exception on the read
stream, and the server loop drops it with a debug log: a client that sent broken JSON, a batch,
or a request with a malformed body waits forever for an answer. JSON-RPC 2.0 §5.1 says the server
must answer: -32700 "Parse error" for invalid JSON and -32600 "Invalid Request" for a value that
is not a request, both with `"id": null` unless the request's id can be read. This module sits
between the SDK's stdio streams and the server loop and sends those answers; everything else
passes through unchanged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import anyio

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp.shared._stream_protocols import ReadStream, WriteStream
    from mcp.shared.message import SessionMessage
    from mcp_types import JSONRPCError

logger = logging.getLogger(__name__)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600


def run_stdio(server: MCPServer) -> None:
    """Serve `server` over stdin/stdout until the client closes stdin."""
    anyio.run(serve_stdio, server)


async def serve_stdio(server: MCPServer) -> None:
    from mcp.server.stdio import stdio_server
    from mcp.shared.message import SessionMessage

    # MCPServer has no public accessor for its protocol server; without it, serve as the SDK does.
    lowlevel = getattr(server, "_lowlevel_server", None)
    if lowlevel is None:  # pragma: no cover - a future SDK layout
        logger.warning("stdio guard unavailable with this SDK; malformed lines go unanswered")
        await server.run_stdio_async()
        return
    async with stdio_server() as (read_stream, write_stream):
        to_server, from_relay = anyio.create_memory_object_stream[SessionMessage | Exception](0)
        async with anyio.create_task_group() as group:
            group.start_soon(relay, read_stream, to_server, write_stream)
            await lowlevel.run(from_relay, write_stream, lowlevel.create_initialization_options())
            group.cancel_scope.cancel()


async def relay(
    incoming: ReadStream[SessionMessage | Exception],
    to_server: anyio.abc.ObjectSendStream[SessionMessage | Exception],
    outgoing: WriteStream[SessionMessage],
) -> None:
    """Pass messages on; answer the lines the transport could not decode."""
    from mcp.shared.message import SessionMessage

    async with to_server:
        async for item in incoming:
            if not isinstance(item, Exception):
                await to_server.send(item)
                continue
            answer = error_for_undecodable(item)
            if answer is None:
                continue
            try:
                await outgoing.send(SessionMessage(answer))
            except (anyio.ClosedResourceError, anyio.BrokenResourceError):
                return  # the server is shutting down; nobody to answer


def error_for_undecodable(error: Exception) -> JSONRPCError | None:
    """The JSON-RPC error answer for a line the transport could not decode (None: ignore it)."""
    from mcp_types import ErrorData, JSONRPCError
    from pydantic import ValidationError

    if not isinstance(error, ValidationError):
        logger.warning("unreadable message from the client: %s", error)
        return JSONRPCError(
            jsonrpc="2.0",
            id=None,
            error=ErrorData(code=PARSE_ERROR, message="Parse error: the message cannot be read"),
        )
    details = error.errors(include_url=False)
    if details and details[0]["type"] == "json_invalid":
        text = details[0].get("input")
        if isinstance(text, str) and not text.strip():
            return None  # a blank line between messages is harmless
        logger.info("client sent a line that is not JSON")
        return JSONRPCError(
            jsonrpc="2.0",
            id=None,
            error=ErrorData(
                code=PARSE_ERROR,
                message="Parse error: the line is not valid JSON; send one JSON-RPC message "
                "per line",
            ),
        )
    message = _decoded_value(details)
    request_id = _readable_id(message)
    logger.info("client sent JSON that is not a JSON-RPC message (id %r)", request_id)
    if isinstance(message, list):
        reason = "a JSON array: MCP does not accept JSON-RPC batches; send one message per line"
    elif isinstance(message, dict):
        problems = sorted({".".join(str(p) for p in d["loc"][1:]) or "message" for d in details})
        reason = "a malformed JSON-RPC 2.0 message (check: " + ", ".join(problems[:6]) + ")"
    else:
        kind = {bool: "boolean", int: "number", float: "number", str: "string"}.get(
            type(message), "null"
        )
        reason = f"a JSON {kind}, not a JSON-RPC 2.0 object"
    return JSONRPCError(
        jsonrpc="2.0",
        id=request_id,
        error=ErrorData(code=INVALID_REQUEST, message=f"Invalid Request: {reason}"),
    )


def _decoded_value(details: list[Any]) -> object:
    """The decoded message, recovered from the validation errors.

    A union member that rejects the whole value (loc of length 1) or misses a field (type
    "missing") reports the whole message as its input; other errors report a field's value.
    """
    for detail in details:
        loc = detail.get("loc", ())
        if len(loc) == 1 or (len(loc) == 2 and detail.get("type") == "missing"):
            return detail.get("input")
    return None


def _readable_id(message: object) -> int | str | None:
    """The id of something meant as a request, when it is a valid id; else None."""
    if not isinstance(message, dict) or "method" not in message:
        return None
    value = message.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return value
