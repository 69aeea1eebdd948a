"""Markdown rendering and the CLI helpers."""

from __future__ import annotations

import argparse

import pytest
from pydantic import ValidationError

from mcp_backend.cli.recommend import add_cli_arguments, requirements_from_args
from mcp_backend.recommend import Requirements, recommend, render_markdown


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mcp-backend recommend")
    add_cli_arguments(parser)
    return parser


def test_markdown_puts_status_first_then_the_sections() -> None:
    rec = recommend(
        Requirements(runtime="python", deployment="edge", scenarios=["rapid-prototyping"])
    )
    text = render_markdown(rec)
    status = text.index("**Status: needs clarification.**")
    assert status < text.index("## Stack") < text.index("## Conflicts")
    assert text.index("## Conflicts") < text.index("## Project layout")
    assert text.index("## Project layout") < text.index("## Open questions")
    assert "Python on an edge runtime" in text
    assert "| Framework | **FastAPI**" in text
    assert "```text\napp/" in text
    assert "`framework-selection/rapid-prototyping`" in text


def test_markdown_for_a_firm_recommendation_has_no_open_questions() -> None:
    rec = recommend(
        Requirements(
            runtime="node",
            deployment="container",
            scenarios=["enterprise-cms"],
            data_needs=["complex-relationships"],
            clients=["complex-queries"],
            auth=["session", "roles"],
        )
    )
    text = render_markdown(rec)
    assert text.splitlines()[2] == "**Status: recommended.**"
    assert "## Open questions" not in text
    assert "NestJS" in text and "GraphQL" in text


def test_cli_arguments_build_requirements() -> None:
    ns = _parser().parse_args(
        [
            "--runtime", "python",
            "--scenario", "high-performance,rapid-prototyping",
            "--data-need", "vector-search",
            "--client", "public-api", "--client", "realtime",
            "--auth", "jwt,roles",
            "--oauth-provider", "Google",
            "--rps", "1500",
            "--data-size-gb", "12.5",
            "--team-language", "python",
            "--existing", "redis",
            "--deployment", "container",
        ]
    )  # fmt: skip
    req = requirements_from_args(ns)
    assert req == Requirements(
        runtime="python",
        scenarios=["high-performance", "rapid-prototyping"],
        data_needs=["vector-search"],
        clients=["public-api", "realtime"],
        auth=["jwt", "roles"],
        oauth_providers=["google"],
        requests_per_second=1500,
        data_size_gb=12.5,
        team_languages=["python"],
        existing_stack=["redis"],
        deployment="container",
    )
    assert recommend(req).choice("framework") == "fastapi"


def test_cli_without_arguments_gives_empty_requirements() -> None:
    assert requirements_from_args(_parser().parse_args([])) == Requirements()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--runtime", "rust"], "allowed: node, bun, deno, python, any"),
        (["--scenario", "high-performance,blockchain"], "'blockchain'; allowed: edge-serverless"),
        (["--rps", "-5"], "must be 0 or more"),
        (["--rps", "many"], "must be a number"),
        (["--existing", "cobol"], "allowed:"),
    ],
)
def test_cli_rejects_invalid_values_naming_the_allowed_ones(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _parser().parse_args(argv)
    assert exit_info.value.code == 2
    assert expected in capsys.readouterr().err


def test_hand_built_namespace_is_still_validated() -> None:
    with pytest.raises(ValidationError, match="'python'"):
        requirements_from_args(argparse.Namespace(runtime="cobol"))
