"""The `mcp-backend` command: the MCP server, and the same engines for terminals and CI.

Subcommands import their engine only when chosen, so `mcp-backend serve` starts fast.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import shlex
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mcp_backend import __version__

if TYPE_CHECKING:
    from mcp_backend.workspace import Workspace

CLIENTS = ("claude-desktop", "cursor", "vscode", "claude-code", "windsurf", "zed")
TOKEN_ENV = "MCP_BACKEND_TOKEN"  # noqa: S105 - the name of an environment variable
TOKEN_FILE_ENV = "MCP_BACKEND_TOKEN_FILE"  # noqa: S105 - the name of an environment variable
# The same defaults as mcp_backend.http_app (not imported here: `serve` over stdio starts fast).
RATE_PER_MINUTE = 120
LOCAL_RATE_PER_MINUTE = 1200

DESCRIPTION = """\
A senior backend engineer for your IDE assistant, as an MCP server.

With no command, or with `serve`, it speaks MCP over stdio: configure your client to launch it
(see `mcp-backend config CLIENT`). The other commands run the same engines in a terminal or CI.
"""

EPILOG = """\
examples:
  mcp-backend config claude-desktop         print a config block to paste into the client
  mcp-backend review . --format markdown    review the project in the current directory
  mcp-backend review . --format sarif -o review.sarif --fail-on high
  mcp-backend review . --write-baseline .mcp-backend-baseline.json   adopt: record today's findings
  mcp-backend check .                       lint, format, types, security, tests
  mcp-backend recommend --runtime python --scenario high-performance
  mcp-backend guidance checklist            read a knowledge-base topic
"""


class HelpFormatter(argparse.HelpFormatter):
    """Every option's default after its help."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if (
            "%(default)" not in text
            and "default:" not in text.lower()
            and action.option_strings
            and default not in (None, False, [], argparse.SUPPRESS)
        ):
            text += " (default: %(default)s)"
        return text


class TopHelpFormatter(argparse.RawDescriptionHelpFormatter, HelpFormatter):
    """The top-level description and examples as written."""


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the `selected` engine command imports its engine to declare its options
    (the others are listed with their help), so every command starts fast."""
    parser = argparse.ArgumentParser(
        prog="mcp-backend",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=TopHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mcp-backend {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)

    serve = commands.add_parser(
        "serve", help="run the MCP server (default)", description="Run the MCP server."
    )
    add_serve_arguments(serve)

    config = commands.add_parser(
        "config",
        help="print a ready-to-paste client configuration",
        description="Print the configuration that makes CLIENT launch this server, with "
        "absolute paths (clients start servers without your shell's PATH or virtualenv).",
    )
    config.add_argument("client", choices=CLIENTS, help="the MCP client to configure")
    config.add_argument(
        "--root",
        action="append",
        default=[],
        metavar="PATH",
        help="directory the server may read (repeatable; must exist). Without one the "
        "server uses the client's roots, else its working directory unless that is / or "
        "your home directory",
    )

    guidance = commands.add_parser(
        "guidance",
        help="print a knowledge-base topic",
        description="Print a topic of the knowledge base; with no topic, list the topics.",
    )
    guidance.add_argument(
        "topic",
        nargs="?",
        help="e.g. checklist, frameworks/framework-selection, rules/sql-string-query (the "
        "pages findings link to)",
    )
    guidance.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format"
    )

    for name, (module, help_text, description, add_arguments) in ENGINE_COMMANDS.items():
        if not engine_available(module):
            continue
        sub = commands.add_parser(name, help=help_text, description=description)
        if name == selected:
            add_arguments(sub)
    return parser


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        action="append",
        default=[],
        metavar="PATH",
        help="directory tools may read (repeatable; also MCP_BACKEND_ROOTS). "
        "Default: the client's roots if it offers them, else the current directory unless "
        "that is / or your home directory (then tools refuse until a root is given)",
    )
    parser.add_argument(
        "--transport",
        choices=("stdio", "streamable-http"),
        default="stdio",
        help="stdio for a client that launches the server; streamable-http to serve a team",
    )
    parser.add_argument(
        "--log-level",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        default="WARNING",
        help="logging on stderr",
    )
    http = parser.add_argument_group("streamable HTTP (teams)")
    http.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback)")
    http.add_argument("--port", type=int, default=8765, help="port")
    http.add_argument(
        "--token-file",
        metavar="FILE",
        help="the bearer token, required off loopback: --token-file FILE (or "
        f"{TOKEN_FILE_ENV}=FILE), a file only you can read, or the token itself in {TOKEN_ENV}",
    )
    http.add_argument(
        "--allowed-host",
        action="append",
        metavar="HOST[:PORT]",
        help="Host header to accept, e.g. the name behind your load balancer (repeatable)",
    )
    http.add_argument(
        "--allowed-origin",
        action="append",
        metavar="ORIGIN",
        help="browser Origin to accept, e.g. https://tools.example.com (repeatable)",
    )
    http.add_argument(
        "--rate-limit",
        type=positive_int,
        default=RATE_PER_MINUTE,
        metavar="N",
        help="requests a minute (and burst) per bearer token, and per address for requests "
        "without a valid token or through a proxy; over it: HTTP 429 with Retry-After",
    )
    http.add_argument(
        "--local-rate-limit",
        type=positive_int,
        default=LOCAL_RATE_PER_MINUTE,
        metavar="N",
        help="requests a minute for a loopback client when no token is configured: your own "
        "assistant, not an anonymous crowd, so a busy session or a test suite run back to back "
        "is not throttled",
    )


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def engine_available(module: str) -> bool:
    """An engine's command exists only when the engine is installed."""
    return importlib.util.find_spec(module) is not None


def add_recommend_arguments(sub: argparse.ArgumentParser) -> None:
    from mcp_backend.cli.recommend import add_cli_arguments

    add_cli_arguments(sub)
    sub.add_argument("--json", action="store_true", help="print the structured result as JSON")
    sub.set_defaults(engine_run=run_recommend)


def run_recommend(args: argparse.Namespace) -> int:
    from mcp_backend.cli.recommend import requirements_from_args
    from mcp_backend.recommend import recommend, render_markdown

    recommendation = recommend(requirements_from_args(args))
    print(
        recommendation.model_dump_json(indent=2) if args.json else render_markdown(recommendation)
    )
    return 0


def add_review_arguments(sub: argparse.ArgumentParser) -> None:
    from mcp_backend.cli.review import FAIL_ON_CHOICES, FORMATS
    from mcp_backend.review.model import CHECKLIST_ITEM_IDS

    sub.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    sub.add_argument("--format", choices=FORMATS, default="text", help="output format")
    sub.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    sub.add_argument(
        "--fail-on",
        choices=FAIL_ON_CHOICES,
        default="high",
        help="exit 1 when a finding reaches this severity ('none': always 0)",
    )
    sub.add_argument(
        "--item",
        action="append",
        choices=CHECKLIST_ITEM_IDS,
        metavar="ITEM",
        help="only this checklist item (repeatable)",
    )
    sub.add_argument(
        "--min-severity",
        choices=FAIL_ON_CHOICES[:-1],
        default="info",
        help="hide findings below this severity",
    )
    sub.add_argument("--changed-only", action="store_true", help="only files changed vs git HEAD")
    sub.add_argument("--no-cache", action="store_true", help="ignore the per-file cache")
    sub.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: auto)")
    baseline = sub.add_argument_group("baseline (report only the findings a change introduces)")
    choice = baseline.add_mutually_exclusive_group()
    choice.add_argument(
        "--baseline",
        metavar="FILE",
        help="hide the findings FILE records (default: the project's "
        ".mcp-backend-baseline.json when present)",
    )
    choice.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record every current finding in FILE and exit 0 (the project's default name is "
        ".mcp-backend-baseline.json)",
    )
    choice.add_argument(
        "--no-baseline", action="store_true", help="apply no baseline: report every finding"
    )
    sub.set_defaults(engine_run=run_review)


def run_review(args: argparse.Namespace) -> int:
    from mcp_backend.cli.review import run_review_cli

    return run_review_cli(
        args.path,
        args.format,
        args.output,
        args.fail_on,
        items=args.item,
        min_severity=args.min_severity,
        changed_only=args.changed_only,
        use_cache=not args.no_cache,
        jobs=args.jobs,
        baseline=args.baseline,
        use_baseline=not args.no_baseline,
        write_baseline=args.write_baseline,
    )


def add_check_arguments(sub: argparse.ArgumentParser) -> None:
    from mcp_backend.quality.models import STAGE_ORDER

    sub.add_argument("path", nargs="?", default=".", help="project directory (default: .)")
    sub.add_argument(
        "--stage", action="append", choices=STAGE_ORDER, help="run only this stage (repeatable)"
    )
    sub.add_argument("--fix", action="store_true", help="let ruff/eslint fix and format files")
    sub.add_argument("--changed-only", action="store_true", help="lint/format changed files only")
    sub.add_argument(
        "--timeout", type=float, default=300.0, metavar="S", help="time limit per stage, seconds"
    )
    sub.add_argument("--test", action="append", metavar="ID", help="test path or node id")
    sub.add_argument("--fail-fast", action="store_true", help="stop at the first failing stage")
    sub.add_argument("--json", action="store_true", help="print the structured report as JSON")
    sub.add_argument(
        "--baseline",
        metavar="FILE",
        help="security stage: hide the findings this review baseline records (default: the "
        "project's .mcp-backend-baseline.json when present)",
    )
    sub.set_defaults(engine_run=run_check)


def run_check(args: argparse.Namespace) -> int:
    from mcp_backend.cli.check import run_check_cli

    return run_check_cli(
        args.path,
        stages=args.stage,
        fix=args.fix,
        changed_only=args.changed_only,
        timeout_s=args.timeout,
        tests=args.test,
        as_json=args.json,
        fail_fast=args.fail_fast,
        baseline=args.baseline,
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run_command(argv)
    except BrokenPipeError:  # `mcp-backend review . | head`: the reader left, not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


ENGINE_COMMANDS: dict[str, tuple[str, str, str, Callable[[argparse.ArgumentParser], None]]] = {
    "recommend": (
        "mcp_backend.recommend",
        "recommend a stack from requirements",
        "Recommend a backend stack (runtime, framework, database, ORM, validation, auth, API "
        "style...) from requirements; unspecified aspects come back as questions.",
        add_recommend_arguments,
    ),
    "review": (
        "mcp_backend.review.engine",
        "review a project against the backend checklist",
        "Review a Python or JavaScript/TypeScript backend: a verdict per checklist item, "
        "findings with file:line and a fix, and the route inventory. Exit code: 0 when no "
        "finding reaches --fail-on, 1 when one does, 2 on a usage or runtime error.",
        add_review_arguments,
    ),
    "check": (
        "mcp_backend.quality.engine",
        "run lint, format, types, security and tests",
        "Run the quality loop with the project's own tools: lint, format check, type check, "
        "security review and tests, independent stages in parallel. Exit code 0 only when "
        "every stage passed.",
        add_check_arguments,
    ),
}


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: it reports an option it does not know with its own usage (the
    top-level parser would show the usage of `mcp-backend` instead)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.set_defaults(command_parser=self)


def parse_arguments(parser: argparse.ArgumentParser, words: list[str]) -> argparse.Namespace:
    args, unknown = parser.parse_known_args(words)
    if unknown:
        owner: argparse.ArgumentParser = getattr(args, "command_parser", None) or parser
        owner.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def run_command(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(selected=next((w for w in words if not w.startswith("-")), None))
    if not any(not word.startswith("-") for word in words) and not (
        {"-h", "--help", "--version"} & set(words)
    ):
        words = ["serve", *words]  # bare `mcp-backend [--root …]`: serve
    args = parse_arguments(parser, words)
    command = args.command or "serve"
    if command == "serve":
        return serve(args)
    if command == "config":
        return print_config(args.client, args.root)
    if command == "guidance":
        return guidance(args.topic, args.format)
    run = getattr(args, "engine_run", None)
    if run is None:  # pragma: no cover - argparse already rejected unknown commands
        parser.error(f"unknown command {command}")
    result: int = run(args)
    return result


def serve(args: argparse.Namespace) -> int:
    logging.basicConfig(
        stream=sys.stderr,
        level=args.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from mcp_backend.workspace import Workspace, WorkspaceError

    try:
        workspace = Workspace.configure(args.root)
    except WorkspaceError as error:
        print(f"mcp-backend: {error}", file=sys.stderr)
        return 2
    if args.transport == "streamable-http":
        return serve_http(args, workspace)
    if sys.stdin.isatty():
        print(
            "mcp-backend: waiting for an MCP client on stdin/stdout (JSON-RPC). This command is "
            "meant to be launched by Claude Desktop, Cursor, VS Code...: see "
            "`mcp-backend config --help`. Press Ctrl-D to quit.",
            file=sys.stderr,
        )
    from mcp_backend.server import build_server
    from mcp_backend.stdio_guard import run_stdio

    run_stdio(build_server(workspace, log_level=args.log_level))
    return 0


def serve_http(args: argparse.Namespace, workspace: Workspace) -> int:
    from mcp_backend.http_app import serve_http_command
    from mcp_backend.server import build_server

    return serve_http_command(
        build_server(workspace, log_level=args.log_level),
        args.host,
        args.port,
        token_file=args.token_file,
        allowed_hosts=args.allowed_host or None,
        allowed_origins=args.allowed_origin or None,
        rate_per_minute=args.rate_limit,
        local_rate_per_minute=args.local_rate_limit,
        log_level=args.log_level.lower(),
    )


def server_command() -> tuple[str, list[str]]:
    """The absolute command that launches this server, as a client must spell it.

    The console script beside the running interpreter comes first: it is this installation,
    whatever PATH says. Paths are made absolute but symlinks are kept, because a virtualenv's
    python is a symlink whose target would lose the virtualenv.
    """
    interpreter = Path(sys.executable).absolute()
    beside = interpreter.with_name("mcp-backend")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside), ["serve"]
    on_path = shutil.which("mcp-backend")
    if on_path:
        return str(Path(on_path).absolute()), ["serve"]
    return str(interpreter), ["-m", "mcp_backend", "serve"]


def print_config(client: str, roots: Sequence[str]) -> int:
    """The configuration on stdout, strict JSON a program can read (`| python -m json.tool`);
    where to paste it on stderr. Every --root must be an existing directory."""
    from mcp_backend.workspace import WorkspaceError, resolve_root

    try:
        resolved = [str(resolve_root(root)) for root in roots]
    except WorkspaceError as error:
        print(f"mcp-backend config: {error}", file=sys.stderr)
        return 2
    hint, text = client_config(client, resolved)
    print(hint, file=sys.stderr)
    print(text)
    return 0


def client_config(client: str, roots: Sequence[str]) -> tuple[str, str]:
    """(where to paste it, the configuration: JSON, or a command line for claude-code)."""
    command, args = server_command()
    args = [*args, *(arg for root in roots for arg in ("--root", str(Path(root).resolve())))]
    entry: dict[str, object] = {"command": command, "args": args}
    if client == "claude-code":
        return "Run this command:", "claude mcp add mcp-backend -- " + shlex.join([command, *args])
    if client == "vscode":
        body: dict[str, object] = {"servers": {"mcp-backend": {"type": "stdio", **entry}}}
        where = ".vscode/mcp.json in your workspace (or the user-level MCP configuration)"
    elif client == "zed":
        body = {"context_servers": {"mcp-backend": {"command": command, "args": args}}}
        where = "Zed's settings.json"
    else:
        body = {"mcpServers": {"mcp-backend": entry}}
        where = {
            "claude-desktop": "claude_desktop_config.json (Settings → Developer → Edit Config)",
            "cursor": "~/.cursor/mcp.json (or .cursor/mcp.json in a project)",
            "windsurf": "~/.codeium/windsurf/mcp_config.json",
        }[client]
    return f"Add to {where}", json.dumps(body, indent=2)


def guidance(topic: str | None, fmt: Literal["markdown", "json"]) -> int:
    from mcp_backend.knowledge.guidance import UnknownTopicError, guidance_topics
    from mcp_backend.knowledge.guidance import get_guidance as get_guidance_text

    if not topic:
        print("Topics:\n  " + "\n  ".join(guidance_topics()))
        return 0
    try:
        print(get_guidance_text(topic, fmt))
    except UnknownTopicError as error:
        print(f"mcp-backend: {error}", file=sys.stderr)
        return 2
    return 0
