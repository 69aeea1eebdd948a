"""The MCP surface through an in-process client, under both protocol generations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPError
from mcp.types import PromptReference, ResourceTemplateReference, TextResourceContents

from mcp_backend.knowledge.guidance import guidance_topics
from mcp_backend.knowledge.render import list_documents, list_families
from mcp_backend.server import build_server
from mcp_backend.workspace import Workspace

pytestmark = pytest.mark.anyio
MODES = ["legacy", "auto"]  # `initialize` handshake, and the 2026-07-28 stateless protocol


def server(project: Path) -> MCPServer:
    return build_server(Workspace.configure([str(project)]))


def text_of(contents: object) -> str:
    assert isinstance(contents, TextResourceContents)
    return contents.text


@pytest.mark.parametrize("mode", MODES)
async def test_lists_tools_with_annotations_and_instructions(mode: str, project: Path) -> None:
    async with Client(server(project), mode=mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert "get_guidance" in tools
        guidance = tools["get_guidance"]
        assert guidance.annotations is not None and guidance.annotations.read_only_hint
        assert "$ref" not in json.dumps(guidance.input_schema)  # flat parameters only
        for tool in tools.values():
            assert tool.description and len(tool.description) > 40


@pytest.mark.parametrize("mode", MODES)
async def test_every_resource_reads_in_its_format(mode: str, project: Path) -> None:
    async with Client(server(project), mode=mode) as client:
        resources = (await client.list_resources()).resources
        uris = {str(resource.uri) for resource in resources}
        documents = list_documents(include_members=False)
        assert {f"backend://{d.id}" for d in documents} <= uris
        assert {f"backend://{d.id}.json" for d in documents} <= uris
        for resource in resources:
            assert resource.title and resource.description
            (contents,) = (await client.read_resource(str(resource.uri))).contents
            text = text_of(contents)
            if str(resource.uri).endswith(".json"):
                assert contents.mime_type == "application/json"
                assert json.loads(text)
            else:
                assert contents.mime_type == "text/markdown"
                assert text.startswith("# ")


@pytest.mark.parametrize("mode", MODES)
async def test_every_family_member_reads_through_its_template(mode: str, project: Path) -> None:
    async with Client(server(project), mode=mode) as client:
        templates = {
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        }
        for family in list_families():
            template = f"backend://{family.id}/{{{family.parameter}}}"
            assert template in templates and template + ".json" in templates
            for member in family.member_ids:
                (markdown,) = (
                    await client.read_resource(f"backend://{family.id}/{member}")
                ).contents
                assert text_of(markdown).startswith("# ")
                (data,) = (
                    await client.read_resource(f"backend://{family.id}/{member}.json")
                ).contents
                assert json.loads(text_of(data))


async def test_unknown_member_is_a_clear_protocol_error(project: Path) -> None:
    async with Client(server(project), mode="legacy") as client:
        with pytest.raises(MCPError, match=r"Valid checklist ids: .*sql-injection"):
            await client.read_resource("backend://checklist/no-such-item")


@pytest.mark.parametrize("mode", MODES)
async def test_get_guidance_valid_and_invalid(mode: str, project: Path) -> None:
    async with Client(server(project), mode=mode) as client:
        result = await client.call_tool("get_guidance", {"topic": "frameworks/framework-selection"})
        assert not result.is_error
        text = result.content[0].text  # type: ignore[union-attr]
        assert "Hono" in text and "FastAPI" in text and "Fastify" in text
        as_json = await client.call_tool("get_guidance", {"topic": "checklist", "format": "json"})
        assert json.loads(as_json.content[0].text)  # type: ignore[union-attr]
        unknown = await client.call_tool("get_guidance", {"topic": "framewrks"})
        assert unknown.is_error
        message = unknown.content[0].text  # type: ignore[union-attr]
        assert "Valid topics" in message and "frameworks/framework-selection" in message
        bad_format = await client.call_tool("get_guidance", {"topic": "checklist", "format": "xml"})
        assert bad_format.is_error


async def test_every_guidance_topic_renders(project: Path) -> None:
    async with Client(server(project), mode="legacy") as client:
        for topic in guidance_topics():
            result = await client.call_tool("get_guidance", {"topic": topic})
            assert not result.is_error, topic


@pytest.mark.parametrize("mode", MODES)
async def test_prompts_list_and_render(mode: str, project: Path) -> None:
    async with Client(server(project), mode=mode) as client:
        names = {prompt.name for prompt in (await client.list_prompts()).prompts}
        assert {
            "clarify-requirements",
            "build-auth-api",
            "optimize-slow-api",
            "review-and-fix",
            "design-architecture",
        } <= names
        for name in names:
            result = await client.get_prompt(name, {})
            assert result.messages and len(result.messages[0].content.text) > 200  # type: ignore[union-attr]
        auth = await client.get_prompt(
            "build-auth-api",
            {"token_style": "jwt", "oauth_providers": "google,github", "roles": "admin,user"},
        )
        text = auth.messages[0].content.text  # type: ignore[union-attr]
        for needle in ("admin", "user", "Google", "GitHub", "rate limit"):
            assert needle.lower() in text.lower()
        review = await client.get_prompt("review-and-fix", {"path": "services/api"})
        review_text = review.messages[0].content.text  # type: ignore[union-attr]
        assert "review_backend" in review_text and "run_quality_loop" in review_text
        assert "services/api" in review_text


async def test_completion_of_template_and_prompt_arguments(project: Path) -> None:
    async with Client(server(project), mode="legacy") as client:
        members = await client.complete(
            ResourceTemplateReference(type="ref/resource", uri="backend://checklist/{item_id}"),
            {"name": "item_id", "value": "sql"},
        )
        assert members.completion.values == ["sql-injection"]
        rules = await client.complete(
            ResourceTemplateReference(type="ref/resource", uri="backend://rules/{rule_id}"),
            {"name": "rule_id", "value": "jwt"},
        )
        assert rules.completion.values == ["jwt-unverified"]
        styles = await client.complete(
            PromptReference(type="ref/prompt", name="build-auth-api"),
            {"name": "token_style", "value": ""},
        )
        assert styles.completion.values == ["jwt", "session"]
