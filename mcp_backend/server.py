"""The MCP adapter: tools, resources and prompts over the engines. No decisions live here.

Import cost matters (clients time out on slow starts), so engines, parsers and the knowledge
base are imported inside the functions that need them, never at module level.
"""

# No `from __future__ import annotations`: the SDK reads tool signatures at registration, and
# annotations must be evaluated where they are written (they refer to local values).
import contextlib
import functools
import importlib.util
import inspect
import logging
import time
import typing
import warnings
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import anyio
import anyio.from_thread
import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field, ValidationError

from mcp_backend import __version__
from mcp_backend.workspace import Workspace, WorkspaceError

if TYPE_CHECKING:
    from mcp.server.elicitation import ElicitationResult
    from mcp.server.mcpserver.resolve import Elicit

    from mcp_backend.quality.models import LoopReport, StageName
    from mcp_backend.quality.workers import WorkerPool
    from mcp_backend.recommend.models import Requirements
    from mcp_backend.review.model import ChecklistItemId, ReviewReport, Severity

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

# One page of review_backend stays below the 25,000-token limit some clients enforce: measured
# about 310 tokens per finding and 180 per route (text + structured), so 30 of each is ~16,000.
MAX_REVIEW_PAGE = 30

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
QUALITY_LOOP_ANNOTATIONS = ToolAnnotations(
    # Runs the project's own tools and, with fix=true, rewrites files.
    read_only_hint=False,
    destructive_hint=False,
    idempotent_hint=True,
    open_world_hint=False,
)

Registration = Callable[[MCPServer, Workspace], None]


def user_error(error: Exception) -> ToolError:
    """Errors the user can fix reach the model as a clear message, not a traceback."""
    return ToolError(str(error))


def os_error(error: OSError) -> ToolError:
    """A file-system error met inside a tool, as a message naming the path (the SDK would
    only say "Error executing tool")."""
    logger.info("tool stopped by an OS error", exc_info=error)
    where = f" {error.filename}" if error.filename else ""
    why = error.strerror or error.__class__.__name__
    return ToolError(
        f"cannot read{where}: {why}. Pass a path inside the project you mean (allowed roots: "
        "see --root / MCP_BACKEND_ROOTS) that this server's user can read."
    )


async def workspace_for(ctx: Context | None, workspace: Workspace) -> Workspace:
    """Adopt the client's roots once, when the user configured none and the client offers them.

    Roots are deprecated in the 2026-07-28 protocol and many clients never answer, so this is
    best effort with a short time limit, and the current directory stays the fallback.
    """
    if workspace.explicit or workspace.client_roots_asked or ctx is None:
        return workspace
    workspace.client_roots_asked = True
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


# Static examples: listing the topics would load the knowledge base at start-up.
GUIDANCE_EXAMPLES = ["clarify", "frameworks/framework-selection", "checklist", "checklist/jwt"]


def get_guidance(
    topic: Annotated[
        str,
        Field(
            description="A knowledge-base topic: a document id such as 'clarify', "
            "'frameworks/framework-selection', 'checklist', 'checklist/sql-injection', "
            "'anti-patterns', or just its last part ('jwt'); 'rules' or "
            "'rules/<rule_id>' for the review rules findings link to. An empty topic "
            "gives the overview; an unknown one returns the list of valid topics.",
            json_schema_extra={"examples": GUIDANCE_EXAMPLES},
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


def register_guidance(mcp: MCPServer, workspace: Workspace) -> None:
    mcp.tool(title="Backend guidance", annotations=READ_ONLY)(get_guidance)


def register_knowledge_resources(mcp: MCPServer, workspace: Workspace) -> None:
    if isinstance(mcp, BackendServer):
        mcp.defer(lambda: add_knowledge_resources(mcp))
    else:
        add_knowledge_resources(mcp)


def add_knowledge_resources(mcp: MCPServer) -> None:
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

    _set_signature(
        read, [inspect.Parameter(parameter, inspect.Parameter.KEYWORD_ONLY, annotation=str)], str
    )
    mcp.resource(uri_template, **options)(read)


def register_completions(mcp: MCPServer, workspace: Workspace) -> None:
    from mcp.types import Completion, PromptReference, ResourceTemplateReference

    @mcp.completion()  # type: ignore[no-untyped-call, untyped-decorator]
    async def complete(ref: Any, argument: Any, context: Any) -> Completion | None:
        from mcp_backend.knowledge.render import list_families

        typed = argument.value or ""
        values: list[str] = []
        if isinstance(ref, ResourceTemplateReference) and str(ref.uri).startswith(
            "backend://rules/"
        ):
            from mcp_backend.review.rules import all_rules

            values = list(all_rules())
        elif isinstance(ref, ResourceTemplateReference):
            for family in list_families():
                if str(ref.uri).startswith(f"backend://{family.id}/"):
                    values = family.member_ids
        elif isinstance(ref, PromptReference) and argument.name == "token_style":
            values = ["jwt", "session"]
        matches = [value for value in values if value.startswith(typed)]
        return Completion(values=matches[:100], total=len(matches), has_more=len(matches) > 100)


def register_prompts(mcp: MCPServer, workspace: Workspace) -> None:
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
        return guarded(lambda: knowledge_prompts().clarify_requirements(request))

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
        return guarded(
            lambda: knowledge_prompts().build_auth_api(token_style, oauth_providers, roles)
        )

    @mcp.prompt(
        name="optimize-slow-api",
        title="Optimize a slow API",
        description="Measure first, find the bottleneck (N+1, missing indexes, blocking I/O), "
        "fix it, and verify with numbers.",
    )
    def optimize_slow_api(symptom: str = "") -> str:
        return guarded(lambda: knowledge_prompts().optimize_slow_api(symptom))

    @mcp.prompt(
        name="review-and-fix",
        title="Review and fix a backend",
        description="Run review_backend on a path, fix findings most severe first, then "
        "run_quality_loop until everything passes.",
    )
    def review_and_fix(path: str = ".") -> str:
        return guarded(lambda: knowledge_prompts().review_and_fix(path))

    @mcp.prompt(
        name="design-architecture",
        title="Design a backend architecture",
        description="Requirements, stack and a layered controller → service → repository "
        "design with central error handling and an auth/authz approach.",
    )
    def design_architecture(description: str = "") -> str:
        return guarded(lambda: knowledge_prompts().design_architecture(description))


# --- engines: review, quality loop, recommend ------------------------------------------------


def tool_result(model: BaseModel, markdown: str) -> CallToolResult:
    """Markdown for the model to read, the same data structured for programs."""
    return CallToolResult(
        content=[TextContent(type="text", text=markdown)],
        structured_content=model.model_dump(mode="json"),
    )


class ProgressRelay:
    """Forwards engine progress from a worker thread to the client, at most every 0.25 s."""

    def __init__(self, ctx: Context | None) -> None:
        self.ctx = ctx
        self.last = 0.0

    def __call__(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if self.ctx is None or (now - self.last < 0.25 and done < total):
            return
        self.last = now
        with contextlib.suppress(Exception):  # progress is best effort; never fail the call
            anyio.from_thread.run(self.ctx.report_progress, done, total, message)


def raise_if_cancelled() -> bool:
    """For engines running in a worker thread: raises when the MCP request was cancelled."""
    anyio.from_thread.check_cancelled()
    return False


BASELINE_DESCRIPTION = (
    "Baseline file recorded with `mcp-backend review DIR --write-baseline FILE`: findings it "
    "records are hidden, the rest reported as new. Relative to the project; inside the allowed "
    "roots. Default: the project's .mcp-backend-baseline.json when present."
)


def confined_baseline(workspace: Workspace, root: Path, baseline: str | None) -> Path | None:
    """A client-named baseline file, relative to the project, confined like every client path."""
    if baseline is None or not baseline.strip():
        return None
    text = baseline.strip()
    candidate = Path(text).expanduser()
    if not candidate.is_absolute() and not text.startswith("file://"):
        text = str(root / candidate)
    return resolve_path(workspace, text, want_dir=False)


async def review_backend(
    workspace: Workspace,
    path: Annotated[
        str,
        Field(
            description="Project directory (or one file) to review, inside the allowed "
            "roots; relative paths start at the first root.",
            max_length=4096,
        ),
    ] = ".",
    items: Annotated[
        "list[ChecklistItemId] | None",
        Field(description="Only these checklist items (default: all).", max_length=20),
    ] = None,
    min_severity: Annotated[
        "Severity", Field(description="Hide findings below this severity.")
    ] = "low",
    changed_only: Annotated[
        bool, Field(description="Only files changed against git HEAD, plus untracked ones.")
    ] = False,
    limit: Annotated[
        int,
        Field(
            ge=1,
            le=MAX_REVIEW_PAGE,
            description="Findings and routes per page (at most 30, so a page stays well "
            "under 25,000 tokens; use offset for the rest).",
        ),
    ] = 25,
    offset: Annotated[
        int, Field(ge=0, description="Start of the page: pass next_offset from a result.")
    ] = 0,
    baseline: Annotated[
        str | None,
        Field(description=BASELINE_DESCRIPTION, max_length=4096),
    ] = None,
    use_baseline: Annotated[
        bool,
        Field(description="False: apply no baseline (not even the project's default file)."),
    ] = True,
    ctx: Context | None = None,
) -> "Annotated[CallToolResult, ReviewReport]":
    """Review a Python or JavaScript/TypeScript backend against the senior-engineer checklist:
    input validation, error handling, authentication and authorization on every route, SQL
    and command injection, secrets, password hashing, JWT, CORS, rate limiting, logging,
    N+1 queries, blocking I/O in async code, architecture and tests. Returns a summary, a
    verdict per checklist item, findings (file:line, rule, severity, CWE, evidence, fix;
    most severe first, paginated) and the route inventory with each route's protections.
    With a baseline (the project's .mcp-backend-baseline.json by default) only findings it
    does not record are reported, and the summary says how many it hid.
    Rule docs: backend://rules/{rule_id}."""
    from mcp_backend.review.engine import ReviewError, review
    from mcp_backend.review.model import ReviewRequest
    from mcp_backend.review.report import render_markdown

    ws = await workspace_for(ctx, workspace)
    target = resolve_path(ws, path)
    # One file is reviewed as part of its project: paths stay relative to the root.
    root = target if target.is_dir() else ws.root_of(target)
    request = ReviewRequest(
        root=root,
        paths=[] if target.is_dir() else [target],
        items=items,
        min_severity=min_severity,
        changed_only=changed_only,
        limit=limit,
        offset=offset,
        baseline=confined_baseline(ws, root, baseline),
        use_baseline=use_baseline,
    )
    try:
        report = await anyio.to_thread.run_sync(
            functools.partial(review, request, ProgressRelay(ctx), raise_if_cancelled)
        )
    except ReviewError as error:
        raise user_error(error) from None
    except OSError as error:
        raise os_error(error) from None
    return tool_result(report, render_markdown(report))


def register_review(mcp: MCPServer, workspace: Workspace) -> None:
    from mcp_backend.review.model import ChecklistItemId, ReviewReport, Severity

    tool = bind_tool(
        review_backend,
        workspace,
        types={
            "ChecklistItemId": ChecklistItemId,
            "ReviewReport": ReviewReport,
            "Severity": Severity,
        },
    )
    mcp.tool(title="Review a backend project", annotations=READ_ONLY)(tool)


# Each server's warm tsc/eslint workers for run_quality_loop (quality/workers.py): the pool is
# created by the first call (importing it costs start-up time) and closed with the server.
class QualityWorkers:
    """A server's warm-worker pool for run_quality_loop, created by the first call."""

    def __init__(self) -> None:
        self.pool: WorkerPool | None = None

    def get(self) -> "WorkerPool":
        if self.pool is None:
            from mcp_backend.quality.workers import WorkerPool

            self.pool = WorkerPool()
        return self.pool


QUALITY_WORKER_POOLS: "weakref.WeakKeyDictionary[MCPServer, QualityWorkers]" = (
    weakref.WeakKeyDictionary()
)


def quality_worker_pool(mcp: MCPServer) -> "WorkerPool | None":
    """The server's pool of warm quality-loop workers, once a call has created it."""
    workers = QUALITY_WORKER_POOLS.get(mcp)
    return workers.pool if workers is not None else None


# Servers with a client connected, counted: stdio runs once, an HTTP app and in-process clients
# may overlap, and the workers end only with the last of them.
ACTIVE_SERVERS: "weakref.WeakKeyDictionary[MCPServer, int]" = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def server_lifespan(mcp: MCPServer) -> AsyncIterator[dict[str, Any]]:
    """The server's lifespan (MCPServer's public `lifespan=`): end the quality loop's warm
    workers when the server stops: stdin EOF (stdio), HTTP shutdown, or an in-process client
    leaving. Workers also exit when their stdin closes, and at interpreter exit, should this
    hook be missing. Yields the empty state the SDK's default lifespan yields."""
    ACTIVE_SERVERS[mcp] = ACTIVE_SERVERS.get(mcp, 0) + 1
    try:
        yield {}
    finally:
        ACTIVE_SERVERS[mcp] -= 1
        pool = quality_worker_pool(mcp)
        if not ACTIVE_SERVERS[mcp] and pool is not None:  # the last user of the server is gone
            await pool.aclose()


async def run_quality_loop(
    workspace: Workspace,
    workers: QualityWorkers,
    path: Annotated[
        str,
        Field(description="Project directory inside the allowed roots.", max_length=4096),
    ] = ".",
    stages: Annotated[
        "list[StageName] | None",
        Field(
            description="Stages to run (default: lint, format, typecheck, security, test).",
            max_length=5,
        ),
    ] = None,
    fix: Annotated[
        bool,
        Field(description="MODIFIES FILES: let ruff/eslint fix issues and format code."),
    ] = False,
    changed_only: Annotated[
        bool, Field(description="Lint and format only files changed against git HEAD.")
    ] = False,
    timeout_s: Annotated[
        float, Field(gt=0, le=3600, description="Time limit per stage, in seconds.")
    ] = 300.0,
    tests: Annotated[
        list[Annotated[str, Field(max_length=1000)]] | None,
        Field(
            description="Test paths or node ids to run instead of the whole suite.",
            max_length=100,
        ),
    ] = None,
    fail_fast: Annotated[bool, Field(description="Stop at the first failing stage.")] = False,
    baseline: Annotated[
        str | None,
        Field(description="Security stage: " + BASELINE_DESCRIPTION, max_length=4096),
    ] = None,
    ctx: Context | None = None,
) -> "Annotated[CallToolResult, LoopReport]":
    """Validate a project after editing it, as the quality loop requires before reporting
    work complete: lint, format check, type check, security review and tests, with the
    project's OWN tools in its own environment (its venv / uv / poetry, its node_modules),
    independent stages in parallel. Returns a status per stage with the exact command,
    structured diagnostics (file, line, code, message, fix available), a tail of raw output
    and a short 'fix first' list. Report work complete only when every stage passed."""
    from mcp_backend.quality.engine import run_quality_loop as run_loop
    from mcp_backend.quality.models import LoopRequest
    from mcp_backend.quality.render import render_markdown

    ws = await workspace_for(ctx, workspace)
    root = resolve_path(ws, path, want_dir=True)
    request = LoopRequest(
        root=root,
        stages=stages,
        fix=fix,
        changed_only=changed_only,
        timeout_s=timeout_s,
        tests=confined_test_ids(ws, root, tests or []),
        fail_fast=fail_fast,
        baseline=confined_baseline(ws, root, baseline),
    )

    async def progress(done: int, total: int, message: str) -> None:
        if ctx is not None:
            with contextlib.suppress(Exception):
                await ctx.report_progress(done, total, message)

    try:
        report = await run_loop(request, progress, workers=workers.get())
    except OSError as error:
        raise os_error(error) from None
    return tool_result(report, render_markdown(report))


def register_quality_loop(mcp: MCPServer, workspace: Workspace) -> None:
    from mcp_backend.quality.models import LoopReport, StageName

    workers = QUALITY_WORKER_POOLS.setdefault(mcp, QualityWorkers())
    tool = bind_tool(
        run_quality_loop,
        workspace,
        workers,
        types={"LoopReport": LoopReport, "StageName": StageName},
    )
    mcp.tool(title="Run the quality loop", annotations=QUALITY_LOOP_ANNOTATIONS)(tool)


def confined_test_ids(workspace: Workspace, root: Path, entries: list[str]) -> list[str]:
    """Test paths or node ids, each inside the project; options are refused.

    They become arguments of the project's test runner, where `--basetemp=DIR` would delete DIR
    and a path outside the project would run code from there.
    """
    checked: list[str] = []
    for entry in entries:
        if not entry.strip() or entry.lstrip().startswith("-"):
            raise ToolError(
                f"tests: {entry!r} is not a test path or node id (options are not accepted); "
                f"give e.g. 'tests/test_api.py::test_login', relative to {root}"
            )
        file_part, separator, node = entry.partition("::")
        candidate = Path(file_part)
        target = resolve_path(
            workspace, str(candidate if candidate.is_absolute() else root / candidate)
        )
        if target != root and root not in target.parents:
            raise ToolError(f"tests: {entry!r} is outside the project {root}")
        relative = target.relative_to(root).as_posix() if target != root else "."
        checked.append(relative + separator + node)
    return checked


def register_rule_resources(mcp: MCPServer, workspace: Workspace) -> None:
    from mcp_backend.review.docs import render_rule_index, render_rule_markdown
    from mcp_backend.review.rules import all_rules

    def rule_index() -> str:
        return render_rule_index(all_rules().values())

    def rule_doc(rule_id: str) -> str:
        meta = all_rules().get(rule_id.removesuffix(".json"))
        if meta is None:
            raise ResourceNotFoundError(
                f"Unknown rule {rule_id!r}. Valid rules: {', '.join(all_rules())}"
            )
        if rule_id.endswith(".json"):
            return meta.model_dump_json(indent=2)
        return render_rule_markdown(meta)

    mcp.resource(
        "backend://rules",
        name="rules",
        title="Review rules",
        description="Every rule of review_backend: id, checklist item, severity and CWE.",
        mime_type="text/markdown",
    )(rule_index)
    mcp.resource(
        "backend://rules/{rule_id}",
        name="rule",
        title="Review rule documentation",
        description="What a review rule detects, why it matters, an example and the fix "
        "(append .json for the metadata).",
        mime_type="text/markdown",
    )(rule_doc)


def requirements_of(arguments: dict[str, Any]) -> "Requirements":
    """recommend_stack's flat arguments as the engine's model (None: not given)."""
    from mcp_backend.recommend.models import Requirements

    given = {key: value for key, value in arguments.items() if value is not None}
    return Requirements.model_validate(given)


def ask_missing(ctx: Context, **arguments: Any) -> "Elicit[BaseModel] | None":
    """One form with only the open aspects, when the client can show forms."""
    capabilities = ctx.client_capabilities
    if capabilities is None or capabilities.elicitation is None:
        return None
    from mcp.server.mcpserver.resolve import Elicit

    from mcp_backend.recommend.clarify import (
        elicitation_message,
        elicitation_model,
        missing_aspects,
    )

    try:
        questions = missing_aspects(requirements_of(arguments))
    except ValidationError:
        return None  # the tool call itself reports the invalid arguments
    if not questions:
        return None
    return Elicit(elicitation_message(questions), elicitation_model(questions))


async def recommend_stack(
    answers: "ElicitationResult[BaseModel] | None" = None, **arguments: Any
) -> CallToolResult:
    """Recommend a backend stack from the user's requirements, the way a senior engineer
    would: runtime, framework, database and its hosting, ORM, validation, auth approach
    and library, API style and docs format, cache and background jobs, each with the
    decision-table row or rule that chose it, alternatives and a confidence; conflicts
    between requirements with how to resolve them; the layered project layout. Call it
    BEFORE writing backend code for a vague request: every parameter is optional, and
    unspecified aspects that change the answer are asked (through a form when the client
    supports it) or returned as open questions with a provisional stack."""
    from mcp.server.elicitation import AcceptedElicitation

    from mcp_backend.recommend.clarify import apply_answers
    from mcp_backend.recommend.engine import recommend
    from mcp_backend.recommend.render import render_markdown

    try:
        requirements = requirements_of(arguments)
        if isinstance(answers, AcceptedElicitation) and answers.data is not None:
            requirements = apply_answers(requirements, answers.data)
    except ValidationError as error:
        raise ToolError(validation_message(error, "recommend_stack")) from None
    except ValueError as error:
        raise user_error(error) from None
    recommendation = recommend(requirements)
    return tool_result(recommendation, render_markdown(recommendation))


def register_recommend(mcp: MCPServer, workspace: Workspace) -> None:
    from mcp.server.elicitation import ElicitationResult
    from mcp.server.mcpserver.resolve import Elicit, Resolve

    from mcp_backend.recommend.models import Recommendation, Requirements

    # The tool's flat parameters are Requirements' fields, so the documentation and allowed
    # values live in one place (the engine's model) and cannot drift.
    parameters = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                field.annotation | None,  # type: ignore[operator]
                *field.metadata,
                Field(description=field.description),
            ],
        )
        for name, field in Requirements.model_fields.items()
    ]

    def ask(**arguments: Any) -> Elicit[BaseModel] | None:
        return ask_missing(**arguments)

    ask.__doc__ = ask_missing.__doc__
    _set_signature(
        ask,
        [inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context), *parameters],
        Elicit[BaseModel] | None,
    )

    async def tool(**arguments: Any) -> CallToolResult:
        return await recommend_stack(**arguments)

    tool.__name__ = recommend_stack.__name__
    tool.__doc__ = recommend_stack.__doc__
    _set_signature(
        tool,
        [
            inspect.Parameter(
                "answers",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[ElicitationResult[BaseModel], Resolve(ask)],
            ),
            *parameters,
        ],
        Annotated[CallToolResult, Recommendation],
    )
    mcp.tool(title="Recommend a backend stack", annotations=READ_ONLY)(tool)


def _set_signature(
    function: Callable[..., Any], parameters: list[inspect.Parameter], returns: Any
) -> None:
    """Give a **kwargs function an explicit signature the SDK can read (flat parameters)."""
    function.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    function.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": returns}


def bind_tool(
    handler: Callable[..., Awaitable[Any]], *leading: Any, types: dict[str, Any] | None = None
) -> Callable[..., Awaitable[Any]]:
    """The tool the SDK registers: `handler` with its first parameters supplied (`leading`: the
    workspace and whatever else the server holds) and its quoted annotations resolved with
    `types` (engine models, imported at registration rather than with this module)."""
    hints = typing.get_type_hints(handler, localns=types or {}, include_extras=True)
    parameters = list(inspect.signature(handler).parameters.values())[len(leading) :]
    resolved = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in parameters]

    async def tool(**arguments: Any) -> Any:
        return await handler(*leading, **arguments)

    tool.__name__ = handler.__name__
    tool.__qualname__ = handler.__qualname__
    tool.__doc__ = handler.__doc__
    _set_signature(tool, resolved, hints.get("return", inspect.Signature.empty))
    return tool


def knowledge_prompts() -> Any:
    """The prompt builders, imported when a prompt is first asked for (not at start-up)."""
    from mcp_backend.knowledge import prompts

    return prompts


# JSON Schema's own formats (2020-12); anything else (pydantic's "path") makes validating
# clients warn ("unknown format \"path\" ignored in schema").
JSON_SCHEMA_FORMATS = frozenset(
    {
        "date-time", "date", "time", "duration", "email", "idn-email", "hostname",
        "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference",
        "uuid", "uri-template", "json-pointer", "relative-json-pointer", "regex",
    }
)  # fmt: skip
MAX_SHOWN_INPUT_CHARS = 60


def standard_formats(schema: Any) -> Any:
    """A copy of the schema without `format` values JSON Schema does not define."""
    if isinstance(schema, dict):
        return {
            key: standard_formats(value)
            for key, value in schema.items()
            # A property may be named "format" too: only a string value is a format.
            if not (key == "format" and isinstance(value, str) and value not in JSON_SCHEMA_FORMATS)
        }
    if isinstance(schema, list):
        return [standard_formats(item) for item in schema]
    return schema


def _expected(message: str) -> str:
    """pydantic's "Input should be …" as "expected …"."""
    for prefix in ("Input should be ", "Value should be "):
        if message.startswith(prefix):
            return "expected " + message[len(prefix) :]
    return message[:1].lower() + message[1:]


def validation_message(error: ValidationError, tool: str) -> str:
    """One line per parameter: its name, what was expected, what came."""
    lines: list[str] = []
    for problem in error.errors(include_url=False):
        name = ".".join(str(part) for part in problem["loc"]) or "(arguments)"
        came = repr(problem.get("input"))
        if len(came) > MAX_SHOWN_INPUT_CHARS:
            came = came[: MAX_SHOWN_INPUT_CHARS - 1] + "…"
        got = "" if problem["type"] == "missing" else f", got {came}"
        lines.append(f"- {name}: {_expected(problem['msg'])}{got}")
    return f"invalid arguments for {tool}:\n" + "\n".join(dict.fromkeys(lines))


class BackendServer(MCPServer):
    """An MCPServer whose knowledge-base resources are registered on first use, whose tools
    refuse unknown arguments and explain invalid ones in one line per parameter, and whose
    published schemas use only JSON Schema's formats.

    Loading and validating the knowledge base is the largest part of our start-up cost, and
    clients ask for tools first: resources wait until a client asks for resources.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deferred: list[Callable[[], None]] = []

    def defer(self, register: Callable[[], None]) -> None:
        self._deferred.append(register)

    def _register_deferred(self) -> None:
        while self._deferred:  # single event loop thread: no lock needed
            self._deferred.pop(0)()

    async def list_tools(self) -> Any:
        return [
            tool.model_copy(
                update={
                    "input_schema": standard_formats(tool.input_schema),
                    "output_schema": standard_formats(tool.output_schema),
                }
            )
            for tool in await super().list_tools()
        ]

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        tool = next((t for t in await super().list_tools() if t.name == name), None)
        if tool is not None:
            valid = list((tool.input_schema or {}).get("properties", {}))
            unknown = [key for key in arguments if key not in valid]
            if unknown:
                raise ToolError(
                    f"{name} does not take {', '.join(repr(key) for key in unknown)}: "
                    f"its arguments are {', '.join(valid) or '(none)'}."
                )
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as error:
            if isinstance(error.__cause__, ValidationError):  # the arguments, not the body
                raise ToolError(validation_message(error.__cause__, name)) from None
            raise

    async def list_resources(self) -> Any:
        self._register_deferred()
        return await super().list_resources()

    async def list_resource_templates(self) -> Any:
        self._register_deferred()
        return await super().list_resource_templates()

    async def read_resource(self, uri: Any, context: Any = None) -> Any:
        self._register_deferred()
        return await super().read_resource(uri, context)


REGISTRATIONS: list[tuple[str, Registration]] = [
    ("mcp_backend.knowledge.guidance", register_guidance),
    ("mcp_backend.knowledge.render", register_knowledge_resources),
    ("mcp_backend.knowledge.render", register_completions),
    ("mcp_backend.knowledge.prompts", register_prompts),
    ("mcp_backend.recommend.engine", register_recommend),
    ("mcp_backend.review.engine", register_review),
    ("mcp_backend.review.docs", register_rule_resources),
    ("mcp_backend.quality.engine", register_quality_loop),
]


def build_server(
    workspace: Workspace | None = None,
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING",
) -> MCPServer:
    """The server with every feature whose engine is installed."""
    workspace = workspace or Workspace.configure()
    mcp = BackendServer(
        "mcp-backend",
        title="Backend engineer",
        version=__version__,
        instructions=INSTRUCTIONS,
        log_level=log_level,
        lifespan=server_lifespan,
    )
    for module, register in REGISTRATIONS:
        # A feature is offered only when its engine exists in this installation.
        if importlib.util.find_spec(module) is not None:
            register(mcp, workspace)
    return mcp
