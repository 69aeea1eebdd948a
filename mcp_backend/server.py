"""The MCP adapter: tools, resources and prompts over the engines. No decisions live here.

Import cost matters (clients time out on slow starts), so engines, parsers and the knowledge
base are imported inside the functions that need them, never at module level.
"""

# No `from __future__ import annotations`: the SDK reads tool signatures at registration, and
# annotations must be evaluated where they are written (they refer to local values).
import importlib.util
import inspect
import logging
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from mcp_backend import __version__
from mcp_backend.workspace import Workspace, WorkspaceError

logger = logging.getLogger(__name__)

INSTRUCTIONS = """\
mcp-backend gives you a senior backend engineer's judgement for the user's server-side code.

Use it like this:
1. Before writing backend code for a vague request, call `recommend_stack` (or read
   backend://clarify): it asks what is unspecified (runtime, framework, database, API style,
   auth, deployment) instead of defaulting to a favourite stack.
2. To review a real project, call `review_backend` with the project path: it returns a verdict
   per checklist item (validation, errors, auth and authorization on every route, SQL
   injection, secrets, password hashing, JWT, CORS, rate limiting, logging, N+1, blocking I/O,
   tests), findings with file:line and a fix, and the route inventory. Findings are paginated:
   pass `offset` = `next_offset` for more.
3. After editing files, call `run_quality_loop` on the project: lint, format check, type check,
   security review and tests with the project's own tools; report complete only when it passes.
4. Decision frameworks, the checklist, anti-patterns and rule docs are resources
   (backend://...), also available through `get_guidance` for clients without resources.
Paths must lie inside the allowed roots; relative paths are taken from the first root.
"""

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

Registration = Callable[[MCPServer, Workspace], None]


def user_error(error: Exception) -> ToolError:
    """Errors the user can fix reach the model as a clear message, not a traceback."""
    return ToolError(str(error))


async def workspace_for(ctx: Context | None, workspace: Workspace) -> Workspace:
    """Adopt the client's roots once, when the user configured none and the client offers them.

    Roots are deprecated in the 2026-07-28 protocol and many clients never answer, so this is
    best effort with a short time limit, and the current directory stays the fallback.
    """
    if workspace.explicit or getattr(workspace, "_client_roots_asked", False) or ctx is None:
        return workspace
    workspace._client_roots_asked = True  # type: ignore[attr-defined]
    capabilities = ctx.client_capabilities
    if capabilities is None or capabilities.roots is None:
        return workspace
    try:
        with anyio.fail_after(5), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = await ctx.session.list_roots()
        workspace.adopt_client_roots(str(root.uri) for root in result.roots)
    except Exception as error:  # a client that cannot list roots is not our failure
        logger.info("client roots unavailable (%s); using %s", error, workspace.describe())
    return workspace


def resolve_path(workspace: Workspace, path: str, *, want_dir: bool | None = None) -> Path:
    try:
        return workspace.resolve(path, want_dir=want_dir)
    except WorkspaceError as error:
        raise user_error(error) from None


# --- knowledge: get_guidance, resources, prompts -------------------------------------------


def register_guidance(mcp: MCPServer, workspace: Workspace) -> None:
    from mcp_backend.knowledge.guidance import guidance_topics

    examples = [t for t in guidance_topics() if "/" not in t][:12]

    @mcp.tool(title="Backend guidance", annotations=READ_ONLY)
    def get_guidance(
        topic: Annotated[
            str,
            Field(
                description="A knowledge-base topic: a document id such as 'clarify', "
                "'frameworks/framework-selection', 'checklist', 'checklist/sql-injection', "
                "'anti-patterns', or just its last part ('sql-injection'). An empty topic gives "
                "the overview; an unknown one returns the list of valid topics.",
                json_schema_extra={"examples": examples},
                max_length=200,
            ),
        ] = "",
        format: Annotated[
            Literal["markdown", "json"], Field(description="markdown to read, json for programs")
        ] = "markdown",
    ) -> str:
        """Read the backend knowledge base: decision frameworks (framework, database, API style),
        clarify questions, development process, practices, review checklist, anti-patterns,
        playbooks and the quality loop. Same content as the backend:// resources."""
        from mcp_backend.knowledge.guidance import UnknownTopicError
        from mcp_backend.knowledge.guidance import get_guidance as guidance_text

        try:
            return guidance_text(topic, format)
        except UnknownTopicError as error:
            raise user_error(error) from None


def register_knowledge_resources(mcp: MCPServer, workspace: Workspace) -> None:
    from mcp_backend.knowledge.render import list_documents, list_families

    for doc in list_documents(include_members=False):
        _add_document_resource(mcp, doc.id, doc.title, doc.description)
    for family in list_families():
        _add_family_template(mcp, family.id, family.parameter, family.title, family.description)


def _add_document_resource(mcp: MCPServer, doc_id: str, title: str, description: str) -> None:
    from mcp_backend.knowledge.render import render_document

    def read_markdown() -> str:
        return render_document(doc_id, "markdown")

    def read_json() -> str:
        return render_document(doc_id, "json")

    uri = f"backend://{doc_id}"
    mcp.resource(uri, name=doc_id, title=title, description=description, mime_type="text/markdown")(
        read_markdown
    )
    mcp.resource(
        f"{uri}.json",
        name=f"{doc_id}.json",
        title=f"{title} (JSON)",
        description=f"{description} Structured data for programs.",
        mime_type="application/json",
    )(read_json)


def _add_family_template(
    mcp: MCPServer, family: str, parameter: str, title: str, description: str
) -> None:
    from mcp_backend.knowledge.render import UnknownTopicError, render_member

    def read(member_id: str, fmt: Literal["markdown", "json"]) -> str:
        try:
            return render_member(family, member_id, fmt)
        except UnknownTopicError as error:
            raise ResourceNotFoundError(str(error)) from None

    # The .json template is registered first: templates are matched in order, and
    # `{member}` alone would also match "x.json".
    _add_template(
        mcp,
        f"backend://{family}/{{{parameter}}}.json",
        parameter,
        lambda member_id: read(member_id, "json"),
        name=f"{family}-json",
        title=f"{title} (JSON)",
        description=f"{description} Structured data.",
        mime_type="application/json",
    )
    _add_template(
        mcp,
        f"backend://{family}/{{{parameter}}}",
        parameter,
        lambda member_id: read(member_id, "markdown"),
        name=family,
        title=title,
        description=description,
        mime_type="text/markdown",
    )


def _add_template(
    mcp: MCPServer,
    uri_template: str,
    parameter: str,
    reader: Callable[[str], str],
    **options: Any,
) -> None:
    """Register `reader` under a template whose one parameter has a family-specific name."""

    def read(**params: str) -> str:
        return reader(params[parameter])

    read.__annotations__ = {parameter: str, "return": str}
    read.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(parameter, inspect.Parameter.KEYWORD_ONLY, annotation=str)],
        return_annotation=str,
    )
    mcp.resource(uri_template, **options)(read)


def register_completions(mcp: MCPServer, workspace: Workspace) -> None:
    from mcp.types import Completion, PromptReference, ResourceTemplateReference

    @mcp.completion()  # type: ignore[no-untyped-call, untyped-decorator]
    async def complete(ref: Any, argument: Any, context: Any) -> Completion | None:
        from mcp_backend.knowledge.render import list_families

        typed = argument.value or ""
        values: list[str] = []
        if isinstance(ref, ResourceTemplateReference):
            for family in list_families():
                if str(ref.uri).startswith(f"backend://{family.id}/"):
                    values = family.member_ids
        elif isinstance(ref, PromptReference) and argument.name == "token_style":
            values = ["jwt", "session"]
        matches = [value for value in values if value.startswith(typed)]
        return Completion(values=matches[:100], total=len(matches), has_more=len(matches) > 100)


def register_prompts(mcp: MCPServer, workspace: Workspace) -> None:
    from mcp_backend.knowledge import prompts

    def guarded(build: Callable[[], str]) -> str:
        try:
            return build()
        except ValueError as error:  # invalid prompt arguments: say which and why
            raise ToolError(str(error)) from None

    @mcp.prompt(
        name="clarify-requirements",
        title="Clarify backend requirements",
        description="Phase 1 before any code: ask about runtime, framework, database, API "
        "style, auth and deployment instead of assuming a stack.",
    )
    def clarify_requirements(request: str = "") -> str:
        return guarded(lambda: prompts.clarify_requirements(request))

    @mcp.prompt(
        name="build-auth-api",
        title="Build an authentication API",
        description="Layered auth API (register/login/refresh) with hashing, validation, rate "
        "limiting and role checks, then a review of the result.",
    )
    def build_auth_api(
        token_style: str = "jwt",  # noqa: S107 - a token style, not a secret
        oauth_providers: str = "",
        roles: str = "",
    ) -> str:
        return guarded(lambda: prompts.build_auth_api(token_style, oauth_providers, roles))

    @mcp.prompt(
        name="optimize-slow-api",
        title="Optimize a slow API",
        description="Measure first, find the bottleneck (N+1, missing indexes, blocking I/O), "
        "fix it, and verify with numbers.",
    )
    def optimize_slow_api(symptom: str = "") -> str:
        return guarded(lambda: prompts.optimize_slow_api(symptom))

    @mcp.prompt(
        name="review-and-fix",
        title="Review and fix a backend",
        description="Run review_backend on a path, fix findings most severe first, then "
        "run_quality_loop until everything passes.",
    )
    def review_and_fix(path: str = ".") -> str:
        return guarded(lambda: prompts.review_and_fix(path))

    @mcp.prompt(
        name="design-architecture",
        title="Design a backend architecture",
        description="Requirements, stack and a layered controller → service → repository "
        "design with central error handling and an auth/authz approach.",
    )
    def design_architecture(description: str = "") -> str:
        return guarded(lambda: prompts.design_architecture(description))


REGISTRATIONS: list[tuple[str, Registration]] = [
    ("mcp_backend.knowledge.guidance", register_guidance),
    ("mcp_backend.knowledge.render", register_knowledge_resources),
    ("mcp_backend.knowledge.render", register_completions),
    ("mcp_backend.knowledge.prompts", register_prompts),
]


def build_server(workspace: Workspace | None = None) -> MCPServer:
    """The server with every feature whose engine is installed."""
    workspace = workspace or Workspace.configure()
    mcp = MCPServer(
        "mcp-backend",
        title="Backend engineer",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://github.com/mcp-backend/mcp-backend",
    )
    for module, register in REGISTRATIONS:
        # A feature is offered only when its engine exists in this installation.
        if importlib.util.find_spec(module) is not None:
            register(mcp, workspace)
    return mcp
