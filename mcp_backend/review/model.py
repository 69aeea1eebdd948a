"""The review's data model: the contract shared by discovery, analyzers, linkers, rules and reports.

Everything here is a pydantic model so that per-file results can be cached as JSON and
reports can be rendered in any format from one structure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
# Findings at these levels make a checklist item fail; lower ones make it a warning.
ERROR_SEVERITIES: frozenset[str] = frozenset({"critical", "high"})

Confidence = Literal["high", "medium", "low"]
Language = Literal["python", "javascript", "typescript"]

# One id per item of the review checklist (resources/checklist.toml holds their prose).
ChecklistItemId = Literal[
    "input-validation",
    "error-handling",
    "authentication",
    "authorization",
    "sql-injection",
    "injection",
    "response-format",
    "logging",
    "rate-limiting",
    "secrets",
    "password-hashing",
    "jwt",
    "cors",
    "transport-security",
    "n-plus-one",
    "blocking-io",
    "architecture",
    "tests",
]
CHECKLIST_ITEM_IDS: tuple[str, ...] = get_args(ChecklistItemId)

Verdict = Literal["pass", "fail", "warning", "not_applicable", "unknown"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleDoc(_Model):
    """Ruff-style documentation, also served as backend://rules/{id}."""

    what: str = Field(description="What it does: the pattern the rule detects.")
    why: str = Field(description="Why it matters: the concrete risk.")
    example: str = Field(description="Code that triggers the rule (fenced Markdown).")
    instead: str = Field(description="What to write instead (fenced Markdown).")
    references: list[str] = Field(default_factory=list)


class RuleMeta(_Model):
    """A rule is a language-neutral concept; each language has its own detector for it."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    checklist_item: ChecklistItemId
    severity: Severity
    confidence: Confidence
    cwe: int | None = None
    owasp: str | None = None
    languages: list[Literal["python", "javascript"]]
    doc: RuleDoc

    def finding(
        self,
        message: str,
        *,
        file: str,
        line: int,
        column: int = 1,
        end_line: int | None = None,
        snippet: str = "",
        fix: str = "",
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        route: str | None = None,
    ) -> Finding:
        """The one way to build a finding of this rule: its id, checklist item and CWE, and its
        severity and confidence unless the detector knows better. The contexts turn a syntax
        node into the position (PythonFileContext.finding, JsFileContext.finding)."""
        return Finding(
            rule_id=self.id,
            checklist_item=self.checklist_item,
            severity=severity or self.severity,
            confidence=confidence or self.confidence,
            message=message,
            file=file,
            line=line,
            column=column,
            end_line=end_line,
            snippet=snippet,
            fix=fix,
            cwe=self.cwe,
            route=route,
        )


class Finding(_Model):
    rule_id: str
    checklist_item: ChecklistItemId
    severity: Severity
    confidence: Confidence
    message: str
    file: str = Field(description="POSIX path relative to the reviewed root.")
    line: int = Field(ge=1)
    column: int = Field(default=1, ge=1)
    end_line: int | None = None
    snippet: str = Field(default="", description="The offending source line(s); secrets masked.")
    fix: str = ""
    cwe: int | None = None
    route: str | None = Field(default=None, description="'METHOD /path' for route-level findings.")


class Signal(_Model):
    """Positive evidence that a checklist item is handled (e.g. a parameterised query, bcrypt).

    Checklist verdicts need it to tell `pass` (seen and done right) from `not_applicable`.
    """

    item: ChecklistItemId
    detail: str
    file: str
    line: int = 1


class Evidence(_Model):
    kind: str = Field(
        description="dependency, decorator, middleware, guard, permission_class, "
        "handler_check, settings_default, schema, limiter, …"
    )
    detail: str = Field(description="What was seen, e.g. 'Depends(get_current_user)'.")
    file: str
    line: int = 1
    level: Literal["app", "router", "route", "handler", "settings"] = "route"


class Protection(_Model):
    """`unknown` means the mechanism is outside what we can see; never guess `absent` then."""

    status: Literal["present", "absent", "unknown"] = "absent"
    evidence: list[Evidence] = Field(default_factory=list)
    note: str = ""


RouteKind = Literal["http", "graphql", "trpc", "server_action"]


class Route(_Model):
    """One way a client can call the backend. `kind` says which: an HTTP route (file-based ones
    included), a GraphQL field of Query/Mutation/Subscription, a tRPC procedure, or a server
    action (a public POST endpoint in all but name)."""

    kind: RouteKind = "http"
    method: str = Field(
        description="GET, POST, …, or ANY for HTTP and server actions (POST); QUERY, MUTATION "
        "or SUBSCRIPTION for GraphQL fields and tRPC procedures."
    )
    path: str = Field(
        description="Full path, mounted prefixes included; for GraphQL the field "
        "(`Mutation.deleteUser`), for tRPC the procedure path (`user.delete`)."
    )
    handler: str
    file: str
    line: int = 1
    framework: str
    language: Language = "python"
    mounted_prefix: str = ""
    auth: Protection = Field(default_factory=Protection)
    authz: Protection = Field(default_factory=Protection)
    validation: Protection = Field(default_factory=Protection)
    rate_limit: Protection = Field(default_factory=Protection)
    public_by_design: str | None = Field(
        default=None, description="Why the route is public (login, health, webhook…), if it is."
    )
    reads_request_data: bool = Field(
        default=False, description="Handler reads raw request data (body, form, query) itself."
    )
    loads_by_id: bool = Field(default=False, description="Handler loads a record by a client id.")
    changes_by_id: bool = Field(
        default=False,
        description="Handler updates or deletes a record selected by an id the client sent; "
        "read for routes whose method does not say what they do (tRPC/GraphQL mutations, "
        "server actions).",
    )
    tested: bool | None = Field(default=None, description="A test refers to it; None: not checked.")


class FileResult(_Model):
    """Everything one file contributes; cached by content hash, so it must not depend on
    other files. Cross-file facts go in `facts` for the language's project linker."""

    file: str
    language: Language
    lines: int = 0
    findings: list[Finding] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list)
    facts: dict[str, Any] = Field(default_factory=dict)
    is_test: bool = False
    skipped: str | None = Field(default=None, description="Why the file was not analysed.")
    notes: list[str] = Field(
        default_factory=list, description="Problems met while analysing (a detector that failed)."
    )


class ProjectIndex(_Model):
    """What the linkers build from all FileResults; project rules run on it."""

    root: str
    routes: list[Route] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list)
    frameworks: list[str] = Field(default_factory=list)
    test_files: list[str] = Field(default_factory=list)
    source_files: list[str] = Field(default_factory=list)
    unread_wiring: list[str] = Field(
        default_factory=list,
        description="Files that could not be parsed but may declare, mount or protect routes.",
    )
    facts: dict[str, Any] = Field(default_factory=dict)


class ChecklistVerdict(_Model):
    item: ChecklistItemId
    title: str
    verdict: Verdict
    reason: str = Field(description="One line: why this verdict.")
    findings: int = 0
    rule_ids: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list, description="file:line of what was seen.")


class SkippedFile(_Model):
    file: str
    reason: str


class ReviewSummary(_Model):
    headline: str = Field(description="One line a person reads at a glance.")
    files_scanned: int
    files_skipped: int
    lines_scanned: int
    languages: dict[str, int] = Field(default_factory=dict)
    frameworks: list[str] = Field(default_factory=list)
    routes: int
    findings: int
    by_severity: dict[str, int] = Field(default_factory=dict)
    failing_items: list[str] = Field(default_factory=list)
    warning_items: list[str] = Field(default_factory=list)
    suppressed: int = 0
    baseline: str | None = Field(
        default=None, description="The baseline file applied (relative to the root when inside)."
    )
    baseline_hidden: int = Field(
        default=0, description="Findings hidden because the baseline records them."
    )
    baseline_unmatched: int = Field(
        default=0, description="Baseline entries no current finding matched (fixed or changed)."
    )
    cache_hits: int = 0
    duration_s: float = 0.0


class ReviewReport(_Model):
    root: str
    summary: ReviewSummary
    checklist: list[ChecklistVerdict]
    findings: list[Finding] = Field(description="One page, most severe first.")
    findings_total: int
    routes: list[Route] = Field(description="One page of the route inventory.")
    routes_total: int
    skipped: list[SkippedFile] = Field(default_factory=list)
    offset: int = 0
    limit: int = 50
    next_offset: int | None = Field(default=None, description="Pass as offset for the next page.")
    notes: list[str] = Field(default_factory=list, description="What was cut, what was assumed.")


class ReviewRequest(_Model):
    root: Path = Field(description="Resolved project root (already confined by the caller).")
    paths: list[Path] = Field(default_factory=list, description="Subset to review; empty = all.")
    items: list[ChecklistItemId] | None = None
    min_severity: Severity = "info"
    changed_only: bool = False
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)
    use_cache: bool = True
    cache_dir: Path | None = None
    jobs: int | None = Field(default=None, ge=1, description="Worker processes; None = auto.")
    baseline: Path | None = Field(
        default=None,
        description="Baseline file (resolved, confined by the caller): hide the findings it "
        "records. None: the project's .mcp-backend-baseline.json when present.",
    )
    use_baseline: bool = Field(
        default=True, description="False: apply no baseline, not even the project's default."
    )
    write_baseline: Path | None = Field(
        default=None,
        description="Record every current finding in this baseline file (no baseline applied).",
    )
