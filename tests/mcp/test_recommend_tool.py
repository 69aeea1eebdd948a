"""recommend_stack through a real client: clarify by elicitation when the client can show a
form, open questions and a provisional stack when it cannot or the user declines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import ElicitRequestParams, ElicitResult

from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio
MODES = ["legacy", "auto"]


class FormClient:
    """An elicitation callback that records the form and answers it."""

    def __init__(self, action: str, content: dict[str, Any] | None = None) -> None:
        self.action = action
        self.content = content
        self.forms: list[dict[str, Any]] = []

    async def __call__(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.forms.append(params.requested_schema)  # type: ignore[union-attr]
        return ElicitResult(action=self.action, content=self.content)


def choice(result: Any, aspect: str) -> str | None:
    for item in result.structured_content["stack"]:
        if item["aspect"] == aspect:
            return str(item["choice"]["id"])
    return None


@pytest.mark.parametrize("mode", MODES)
async def test_without_elicitation_returns_questions_and_provisional_stack(
    mode: str, project: Path
) -> None:
    async with Client(build_server(Workspace.configure([str(project)])), mode=mode) as client:
        result = await client.call_tool("recommend_stack", {"scenarios": ["high-performance"]})
    assert not result.is_error
    data = result.structured_content
    assert data is not None
    assert data["status"] == "needs_clarification" and data["provisional"] is True
    asked = {question["aspect"] for question in data["open_questions"]}
    assert {"runtime", "deployment"} <= asked
    assert "needs clarification" in result.content[0].text.lower()  # type: ignore[union-attr]


@pytest.mark.parametrize("mode", MODES)
async def test_elicitation_asks_only_missing_aspects_and_uses_answers(
    mode: str, project: Path
) -> None:
    form = FormClient(
        "accept",
        {
            "runtime": "node",
            "deployment": "edge",
            "database": "turso",
            "api_style": "rest-openapi",
            "auth": "jwt",
        },
    )
    server = build_server(Workspace.configure([str(project)]))
    async with Client(server, mode=mode, elicitation_callback=form) as client:
        result = await client.call_tool(
            "recommend_stack", {"scenarios": ["high-performance"], "framework": "hono"}
        )
    assert not result.is_error
    (schema,) = form.forms  # one form, once
    # Specified (framework) or implied by it (runtime): not asked again.
    assert "framework" not in schema["properties"] and "runtime" not in schema["properties"]
    assert {"deployment", "database"} <= set(schema["properties"])
    assert choice(result, "runtime") == "node"
    assert choice(result, "framework") == "hono"
    assert choice(result, "database") == "turso"
    assert result.structured_content is not None
    assert result.structured_content["status"] == "recommended"


@pytest.mark.parametrize("mode", MODES)
async def test_declined_elicitation_falls_back_to_open_questions(mode: str, project: Path) -> None:
    form = FormClient("decline")
    server = build_server(Workspace.configure([str(project)]))
    async with Client(server, mode=mode, elicitation_callback=form) as client:
        result = await client.call_tool("recommend_stack", {})
    assert not result.is_error
    assert form.forms
    assert result.structured_content is not None
    assert result.structured_content["status"] == "needs_clarification"
    assert result.structured_content["open_questions"]


async def test_fully_specified_requirements_ask_nothing(project: Path) -> None:
    form = FormClient("accept", {})
    server = build_server(Workspace.configure([str(project)]))
    async with Client(server, mode="legacy", elicitation_callback=form) as client:
        result = await client.call_tool(
            "recommend_stack",
            {
                "runtime": "python",
                "scenarios": ["enterprise-cms"],
                "deployment": "container",
                "data_needs": ["complex-relationships"],
                "clients": ["public-api"],
                "auth": ["session", "roles"],
                "framework": "django",
                "database": "postgresql",
                "api_style": "rest-openapi",
            },
        )
    assert not result.is_error
    assert form.forms == []
    assert choice(result, "framework") == "django"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"runtime": "cobol"}, "'node', 'bun', 'deno', 'python' or 'any'"),
        ({"requests_per_second": -5}, "greater than or equal to 0"),
        ({"scenarios": ["blockchain"]}, "edge-serverless"),
    ],
)
async def test_invalid_values_name_the_allowed_ones(
    arguments: dict[str, Any], expected: str, project: Path
) -> None:
    async with Client(build_server(Workspace.configure([str(project)])), mode="legacy") as client:
        result = await client.call_tool("recommend_stack", arguments)
    assert result.is_error
    assert expected in result.content[0].text  # type: ignore[union-attr]


async def test_conflict_is_explained(project: Path) -> None:
    async with Client(build_server(Workspace.configure([str(project)])), mode="legacy") as client:
        result = await client.call_tool(
            "recommend_stack", {"framework": "django", "deployment": "edge"}
        )
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["conflicts"]
