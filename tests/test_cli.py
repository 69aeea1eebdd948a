"""The command line: config snippets, version/help, and serve's guard rails."""

from __future__ import annotations

import argparse
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from mcp_backend import __version__
from mcp_backend.cli import CLIENTS, client_config, main

SCRIPT = Path(sys.executable).with_name("mcp-backend")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_help_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("serve", "config", "guidance", "MCP", "examples"):
        assert word in out


@pytest.mark.parametrize("client", [c for c in CLIENTS if c != "claude-code"])
def test_config_is_json_with_absolute_command(client: str, tmp_path: Path) -> None:
    hint, body = client_config(client, [str(tmp_path)])
    assert hint.startswith("Add to ")
    data = json.loads(body)
    key = {"vscode": "servers", "zed": "context_servers"}.get(client, "mcpServers")
    entry = data[key]["mcp-backend"]
    assert Path(entry["command"]).is_absolute()
    assert entry["args"][-2:] == ["--root", str(tmp_path.resolve())]
    if client == "vscode":
        assert entry["type"] == "stdio"


def test_claude_code_config_is_a_command_line() -> None:
    _hint, line = client_config("claude-code", [])
    assert line.startswith("claude mcp add mcp-backend -- /")
    assert line.endswith("serve")


def test_config_command_prints_strict_json_and_the_hint_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["config", "claude-desktop", "--root", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)  # the whole of stdout: `| python -m json.tool` works
    assert data["mcpServers"]["mcp-backend"]["args"][-1] == str(tmp_path.resolve())
    assert "claude_desktop_config.json" in captured.err


def test_config_piped_into_json_tool(tmp_path: Path) -> None:
    config = subprocess.run(
        [sys.executable, "-m", "mcp_backend", "config", "claude-desktop"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    tool = subprocess.run(
        [sys.executable, "-m", "json.tool"], input=config.stdout,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert tool.returncode == 0, tool.stderr


def test_config_root_must_exist(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["config", "cursor", "--root", str(tmp_path / "nope")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "does not exist" in captured.err


def test_unknown_client_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["config", "notepad"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_http_on_public_address_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MCP_BACKEND_TOKEN", raising=False)
    assert main(["serve", "--transport", "streamable-http", "--host", "0.0.0.0"]) == 2


def test_http_rate_limits_reach_the_server_and_match_its_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import inspect

    from mcp_backend import http_app

    seen: list[dict[str, object]] = []

    def fake_serve(*args: object, **options: object) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr(http_app, "serve_http_command", fake_serve)
    serve = ["serve", "--transport", "streamable-http", "--root", str(tmp_path)]
    assert main(serve) == 0
    assert main([*serve, "--rate-limit", "30", "--local-rate-limit", "600"]) == 0
    defaults, chosen = seen
    parameters = inspect.signature(http_app.run_http).parameters
    assert defaults["rate_per_minute"] == parameters["rate_per_minute"].default == 120
    assert defaults["local_rate_per_minute"] == parameters["local_rate_per_minute"].default
    assert (chosen["rate_per_minute"], chosen["local_rate_per_minute"]) == (30, 600)
    with pytest.raises(SystemExit) as exit_info:
        main([*serve, "--local-rate-limit", "0"])
    assert exit_info.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_serve_with_missing_root_fails_clearly(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(SCRIPT), "serve", "--root", str(tmp_path / "missing")],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert result.stdout == ""


def test_serve_on_a_terminal_prints_a_hint_to_stderr_only() -> None:
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [str(SCRIPT), "serve"],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.close(terminal)
        os.write(controller, b"\x04")  # Ctrl-D: end of input
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
    finally:
        os.close(controller)
    assert "waiting for an MCP client" in err
    assert out == ""


def test_config_points_at_this_installation_not_the_base_interpreter() -> None:
    data = json.loads(client_config("cursor", [])[1])
    command = data["mcpServers"]["mcp-backend"]["command"]
    # A virtualenv's python is a symlink; resolving it would launch Python without our packages.
    assert command == str(Path(sys.executable).absolute().with_name("mcp-backend"))


def help_of(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("review", ["--fail-on", "(default: high)", "--min-severity", "(default: info)"]),
        ("check", ["--timeout", "(default: 300.0)"]),
        ("serve", ["--transport", "(default: stdio)", "--log-level", "(default: WARNING)"]),
        ("guidance", ["--format", "(default: markdown)"]),
    ],
)
def test_help_shows_defaults(
    command: str, shown: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    text = " ".join(help_of(command, capsys).split())  # argparse wraps lines
    for words in shown:
        assert words in text


@pytest.mark.parametrize("command", ["serve", "config", "guidance", "review", "check", "recommend"])
def test_every_option_has_a_help_line(command: str) -> None:
    from mcp_backend.cli import build_parser

    parser = build_parser(selected=command)
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    sub = commands.choices[command]
    silent = [
        "/".join(action.option_strings) or action.dest
        for action in sub._actions
        if not (action.help or "").strip()
    ]
    assert silent == []


def test_unknown_option_is_reported_with_the_subcommands_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", ".", "--bogus"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: mcp-backend check ")
    assert "mcp-backend check: error: unrecognized arguments: --bogus" in err


def test_token_is_named_the_same_in_the_error_and_in_help(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MCP_BACKEND_TOKEN", raising=False)
    monkeypatch.delenv("MCP_BACKEND_TOKEN_FILE", raising=False)
    assert main(["serve", "--transport", "streamable-http", "--host", "0.0.0.0"]) == 2
    error = " ".join(capsys.readouterr().err.split())
    help_text = " ".join(help_of("serve", capsys).split())
    for name in ("--token-file FILE", "MCP_BACKEND_TOKEN_FILE=FILE", "MCP_BACKEND_TOKEN"):
        assert name in error and name in help_text, name


def test_guidance_serves_the_rule_pages_findings_link_to(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["guidance", "rules/sql-string-query"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("# SQL built from strings") and "CWE-89" in page
    assert main(["guidance", "backend://rules/sql-string-query", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "sql-string-query"
    assert main(["guidance", "rules"]) == 0
    assert "(backend://rules/route-missing-auth)" in capsys.readouterr().out
    assert main(["guidance", "rules/no-such-rule"]) == 2
    assert "Valid rules:" in capsys.readouterr().err
