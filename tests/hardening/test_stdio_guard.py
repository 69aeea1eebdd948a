"""The answers stdio_guard gives to lines the SDK's transport cannot decode (fast, in process)."""

from __future__ import annotations

import pytest
from mcp_types import jsonrpc_message_adapter
from pydantic import ValidationError

from mcp_backend.stdio_guard import INVALID_REQUEST, PARSE_ERROR, error_for_undecodable


def decode_error(line: str) -> Exception:
    try:
        jsonrpc_message_adapter.validate_json(line, by_name=False)
    except ValidationError as error:
        return error
    raise AssertionError(f"{line!r} decoded")


@pytest.mark.parametrize("line", ["{not json", '{"id": 1', "\ufffd\ufffd", "}{", "[1,"])
def test_invalid_json_is_a_parse_error_with_null_id(line: str) -> None:
    answer = error_for_undecodable(decode_error(line))
    assert answer is not None
    assert answer.id is None
    assert answer.error.code == PARSE_ERROR
    assert "not valid JSON" in answer.error.message


@pytest.mark.parametrize("line", ["", "   ", "\r\n", "\t"])
def test_blank_lines_are_ignored(line: str) -> None:
    assert error_for_undecodable(decode_error(line)) is None


@pytest.mark.parametrize(
    ("line", "expected_id"),
    [
        ('{"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": "x"}', 9),
        ('{"jsonrpc": "2.0", "id": "abc", "method": "ping", "params": [1]}', "abc"),
        ('{"jsonrpc": "1.0", "id": 5, "method": "ping"}', 5),
        ('{"id": 8, "method": "ping"}', 8),
        ('{"jsonrpc": "2.0", "id": 6}', None),  # no method: not a request, id not echoed
        ('{"jsonrpc": "2.0", "method": 7}', None),
        ('{"jsonrpc": "2.0", "id": true, "method": "ping", "params": "x"}', None),
        ("{}", None),
        ("42", None),
        ("null", None),
        ('"text"', None),
    ],
)
def test_invalid_requests_echo_a_readable_id(line: str, expected_id: object) -> None:
    answer = error_for_undecodable(decode_error(line))
    assert answer is not None
    assert answer.error.code == INVALID_REQUEST
    assert answer.id == expected_id
    assert answer.error.message.startswith("Invalid Request: ")


def test_batches_are_refused_by_name() -> None:
    answer = error_for_undecodable(decode_error('[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]'))
    assert answer is not None
    assert answer.id is None
    assert "batch" in answer.error.message


def test_other_exceptions_become_parse_errors() -> None:
    answer = error_for_undecodable(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"))
    assert answer is not None
    assert answer.error.code == PARSE_ERROR
    assert answer.id is None


def test_answers_serialise_as_json_rpc() -> None:
    answer = error_for_undecodable(decode_error("{oops"))
    assert answer is not None
    wire = answer.model_dump(by_alias=True, exclude_unset=True)
    assert wire == {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": -32700, "message": answer.error.message},
    }
