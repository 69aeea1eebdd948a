"""Argument parsing for `mcp-backend recommend`: `mcp_backend.cli` declares the options with
`add_cli_arguments(subparser)` and turns the parsed namespace into `Requirements` with
`requirements_from_args(namespace)`.

List options accept repeats and commas: `--scenario edge-serverless,high-performance`.
Invalid values fail in argparse with a message naming the allowed values.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from mcp_backend.recommend.models import (
    API_STYLES,
    AUTH_NEEDS,
    CLIENTS,
    DATA_NEEDS,
    DATABASES,
    DEPLOYMENTS,
    FRAMEWORKS,
    RUNTIMES,
    SCENARIOS,
    Requirements,
    existing_stack_ids,
)


def _one_of(allowed: Sequence[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in allowed:
            raise argparse.ArgumentTypeError(
                f"unknown {what} {text!r}; allowed: {', '.join(allowed)}"
            )
        return value

    return parse


def _list_of(
    allowed: Sequence[str] | Callable[[], Sequence[str]] | None, what: str
) -> Callable[[str], list[str]]:
    """Comma-separated values, each checked against `allowed` (None: any word)."""

    def parse(text: str) -> list[str]:
        values = [part.strip().lower() for part in text.split(",") if part.strip()]
        if allowed is not None:
            known = allowed() if callable(allowed) else allowed
            unknown = [value for value in values if value not in known]
            if unknown:
                raise argparse.ArgumentTypeError(
                    f"unknown {what} {', '.join(map(repr, unknown))}; allowed: {', '.join(known)}"
                )
        return values

    return parse


def _non_negative(kind: Callable[[str], int | float], what: str) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, got {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{what} must be 0 or more, got {text!r}")
        return value

    return parse


def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the Requirements options to a parser (or a subcommand's parser)."""
    group = parser.add_argument_group("requirements (all optional; unset aspects become questions)")
    group.add_argument(
        "--runtime",
        type=_one_of(RUNTIMES, "runtime"),
        metavar="RUNTIME",
        help=f"runtime preference: {', '.join(RUNTIMES)}",
    )
    group.add_argument(
        "--scenario",
        dest="scenarios",
        action="extend",
        type=_list_of(SCENARIOS, "scenario"),
        metavar="SCENARIO[,...]",
        help=f"what the service is for: {', '.join(SCENARIOS)}",
    )
    group.add_argument(
        "--deployment",
        type=_one_of(DEPLOYMENTS, "deployment"),
        metavar="TARGET",
        help=f"deployment target: {', '.join(DEPLOYMENTS)}",
    )
    group.add_argument(
        "--data-need",
        dest="data_needs",
        action="extend",
        type=_list_of(DATA_NEEDS, "data need"),
        metavar="NEED[,...]",
        help=f"data needs: {', '.join(DATA_NEEDS)}",
    )
    group.add_argument(
        "--client",
        dest="clients",
        action="extend",
        type=_list_of(CLIENTS, "client"),
        metavar="CLIENT[,...]",
        help=f"who calls the API: {', '.join(CLIENTS)}",
    )
    group.add_argument(
        "--auth",
        action="extend",
        type=_list_of(AUTH_NEEDS, "auth need"),
        metavar="AUTH[,...]",
        help=f"authentication needs: {', '.join(AUTH_NEEDS)}",
    )
    group.add_argument(
        "--oauth-provider",
        dest="oauth_providers",
        action="extend",
        type=_list_of(None, "OAuth provider"),
        metavar="NAME[,...]",
        help="OAuth providers, e.g. google,github",
    )
    group.add_argument(
        "--rps",
        "--requests-per-second",
        dest="requests_per_second",
        type=_non_negative(int, "--rps"),
        metavar="N",
        help="expected peak requests per second",
    )
    group.add_argument(
        "--data-size-gb",
        type=_non_negative(float, "--data-size-gb"),
        metavar="GB",
        help="expected data size in gigabytes",
    )
    group.add_argument(
        "--team-language",
        dest="team_languages",
        action="extend",
        type=_list_of(None, "language"),
        metavar="LANG[,...]",
        help="languages the team writes, e.g. python,typescript",
    )
    group.add_argument(
        "--existing",
        dest="existing_stack",
        action="extend",
        type=_list_of(existing_stack_ids, "technology"),
        metavar="TECH[,...]",
        help="technologies already in use to stay compatible with, e.g. express,prisma,redis",
    )
    group.add_argument(
        "--framework",
        type=_one_of(FRAMEWORKS, "framework"),
        metavar="NAME",
        help=f"a framework already chosen: {', '.join(FRAMEWORKS)}",
    )
    group.add_argument(
        "--database",
        type=_one_of(DATABASES, "database"),
        metavar="NAME",
        help=f"a database already chosen: {', '.join(DATABASES)}",
    )
    group.add_argument(
        "--api-style",
        type=_one_of(API_STYLES, "API style"),
        metavar="STYLE",
        help=f"an API style already chosen: {', '.join(API_STYLES)}",
    )


_FIELDS: tuple[str, ...] = tuple(Requirements.model_fields)


def requirements_from_args(ns: argparse.Namespace) -> Requirements:
    """Requirements from parsed arguments; unset options stay unset.

    Raises pydantic.ValidationError (naming the allowed values) if a value slipped past
    argparse, e.g. when the namespace was built by hand.
    """
    given = {name: getattr(ns, name) for name in _FIELDS if getattr(ns, name, None) is not None}
    return Requirements.model_validate(given)
