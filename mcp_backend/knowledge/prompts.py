"""Prompt texts: the seed's workflows as messages an assistant can follow step by step.

Each function returns the text of one user message. The facts come from the knowledge base
(clarify aspects, playbooks, checklist, practices), so editing the data changes the prompts.
Arguments are validated; a bad one raises ValueError with a message meant for the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from mcp_backend.knowledge.loader import load_knowledge
from mcp_backend.knowledge.models import ChecklistItem, Phase

MAX_TEXT = 4000
TOKEN_STYLES = ("jwt", "session")
# Checklist items an authentication change must pass before it is reported done.
AUTH_ITEMS = (
    "password-hashing",
    "jwt",
    "rate-limiting",
    "cors",
    "input-validation",
    "authentication",
    "authorization",
    "secrets",
)
_LIST_ITEM = re.compile(r"^[A-Za-z][A-Za-z0-9 _.-]{0,39}$")
_PROVIDER_NAMES = {
    "github": "GitHub",
    "gitlab": "GitLab",
    "linkedin": "LinkedIn",
    "microsoft": "Microsoft",
    "google": "Google",
    "apple": "Apple",
}
_REVIEW_TOOL = "review_backend"
_LOOP_TOOL = "run_quality_loop"
_RECOMMEND_TOOL = "recommend_stack"


def _text(value: str, name: str) -> str:
    cleaned = value.strip()
    if len(cleaned) > MAX_TEXT:
        raise ValueError(
            f"{name} is {len(cleaned)} characters long; keep it under {MAX_TEXT} "
            "(summarise it, the assistant can ask for detail)"
        )
    return cleaned


def _comma_list(value: str, name: str, limit: int) -> list[str]:
    """'Google, GitHub' -> ['Google', 'GitHub']; duplicates dropped (case-insensitive)."""
    items: list[str] = []
    seen: set[str] = set()
    for raw in value.split(","):
        item = raw.strip()
        if not item:
            continue
        if not _LIST_ITEM.match(item):
            raise ValueError(
                f"{name}: {item!r} is not a valid name; use a comma-separated list of short "
                "names made of letters, digits, '-', '_' or spaces, e.g. 'admin, user'"
            )
        if item.lower() not in seen:
            seen.add(item.lower())
            items.append(item)
    if len(items) > limit:
        raise ValueError(f"{name}: at most {limit} entries, got {len(items)}")
    return items


def _numbered(lines: Iterable[str]) -> str:
    return "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))


def _bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _phase_questions(phase: Phase) -> str:
    return _bullets(f"**{item.label}**: {item.question} {item.detail}" for item in phase.items)


def _item_line(item: ChecklistItem) -> str:
    return f"**{item.title}** (`{item.id}`): {item.criterion} Fix: {item.fix}"


# --------------------------------------------------------------------------- prompts


def clarify_requirements(request: str = "") -> str:
    """Phase 1: ask about every unspecified aspect (with options) before any code is written."""
    kb = load_knowledge()
    request = _text(request, "request")
    requirements = kb.process.phase("requirements")
    aspects = _numbered(
        f"**{aspect.name}**: {aspect.question} Options: "
        f"{', '.join(kb.display_name(option) for option in aspect.options)}. Why it matters: "
        f"{aspect.why}"
        for aspect in kb.clarify.aspects
    )
    defaults = _bullets(
        f"**{entry.avoid}** when {entry.when}. Instead: {entry.prefer}. {entry.why}"
        for entry in kb.clarify.do_not_default
    )
    stated = (
        f"The request:\n\n> {request}"
        if request
        else "The user has not described the request yet: start by asking what they want to build."
    )
    return f"""You are a senior backend engineer in phase {requirements.number} of the development \
process: {requirements.name.lower()}. {requirements.goal}

Do not write, generate or change any code in this step.

{stated}

First, work out what the request already answers about these questions:

{_phase_questions(requirements)}

Then ask the user about each of these aspects that the request does not settle explicitly, \
with the options, in one message:

{aspects}

Do not default to:

{defaults}

{requirements.gate} When every aspect has an answer, call the `{_RECOMMEND_TOOL}` tool with \
the answers (runtime, scenario, data needs, clients, auth, deployment, scale) and present its \
recommendation for the user to confirm before any code is written.
"""


def build_auth_api(
    token_style: str = "jwt",  # noqa: S107 (names a mechanism; it is not a secret)
    oauth_providers: str = "",
    roles: str = "",
) -> str:
    """The authentication playbook adapted to the token style, OAuth providers and roles."""
    kb = load_knowledge()
    style = token_style.strip().lower()
    if style not in TOKEN_STYLES:
        raise ValueError(
            f"token_style must be one of {', '.join(TOKEN_STYLES)}, got {token_style!r}"
        )
    providers = [
        _PROVIDER_NAMES.get(name.lower(), name)
        for name in _comma_list(oauth_providers, "oauth_providers", 10)
    ]
    role_names = _comma_list(roles, "roles", 20)
    playbook = kb.playbook("auth-api")
    checklist = kb.checklist
    layers = playbook.step("implement-layers")
    security = playbook.step("security-checklist")

    if style == "jwt":
        style_decision = (
            "JWT: a short-lived access token (about 15 minutes) and a refresh token that is "
            "stored hashed, rotated on every use and revocable."
        )
        endpoints = ["POST /register", "POST /login", "POST /refresh", "POST /logout"]
        token_rules = [
            f"Verify every access token: {checklist.item('jwt').pass_when}",
            next(a.detail for a in security.actions if a.id == "refresh-rotation"),
            "Sign with a key read from the environment, never a literal in code.",
        ]
        tables = (
            "users, refresh_tokens(id, user_id, token_hash, expires_at, revoked_at, replaced_by)"
        )
    else:
        style_decision = (
            "Server-side sessions: an opaque session id in an HttpOnly, Secure, SameSite cookie; "
            "session data in the database or Redis so every instance sees it."
        )
        endpoints = ["POST /register", "POST /login", "POST /logout", "GET /me"]
        token_rules = [
            "Regenerate the session id on login and on privilege change (session fixation).",
            "Expire idle sessions and delete the session server-side on logout.",
            "State-changing requests from browsers need CSRF protection (SameSite=Lax or "
            "stricter plus a CSRF token for cross-site forms).",
        ]
        tables = "users, sessions(id, user_id, expires_at, created_at, last_seen_at)"

    if providers:
        oauth_decision = f"OAuth providers: {', '.join(providers)}."
        oauth_steps = [
            f"For each provider ({', '.join(providers)}): GET /auth/{{provider}}/start and GET "
            "/auth/{provider}/callback using the authorization-code flow with state and PKCE.",
            "Store provider accounts in oauth_accounts(provider, provider_user_id unique, "
            "user_id); link to an existing user only through a verified email.",
            "Never trust tokens or profile data from the browser: exchange the code server-side.",
        ]
        tables += ", oauth_accounts(provider, provider_user_id, user_id)"
    else:
        oauth_decision = (
            "OAuth providers: none given, so email and password only. Ask the user before "
            "adding any provider."
        )
        oauth_steps = []

    if role_names:
        least = role_names[-1]
        role_decision = f"Roles: {', '.join(role_names)} (role-based access control)."
        role_steps = [
            f"Add a role column limited to {', '.join(repr(r) for r in role_names)}; new "
            f"accounts get the least privileged role ({least!r}) and no request can choose "
            "its own role.",
            f"A role guard on every privileged route, e.g. requireRole({role_names[0]!r}) / "
            f"Depends(require_role({role_names[0]!r})); deny by default.",
            "Check ownership on every record loaded by a client-supplied id, whatever the role.",
            "Tests: every role against every protected route; a role that is not allowed gets "
            "403, and another user's record gets 403 or 404.",
        ]
    else:
        role_decision = (
            "Roles: none given. Ask the user whether role-based access control is needed "
            "before adding admin routes; until then, check ownership of every record."
        )
        role_steps = []

    actions = {action.id: action for action in layers.actions}
    oauth_callback = ", OAuth callback (link or create the user)" if providers else ""
    if style == "jwt":
        service = f"**{actions['service'].text}**: {actions['service'].detail}"
        controller = f"**{actions['controller'].text}**: {actions['controller'].detail}"
        middleware = "JWT verification"
    else:
        service = (
            "**Service: auth logic with argon2id (or bcrypt)**: register (hash, unique email), "
            "login (constant-time verify, same error for unknown email and wrong password, "
            f"new session id), logout (delete the session){oauth_callback}."
        )
        controller = (
            "**Controller: /register, /login, /logout, /me endpoints**: thin handlers that "
            "validate with a schema, call the service and set or clear the session cookie."
        )
        middleware = "Session lookup"
    layer_lines = [
        f"**Schema**: tables {tables}; email unique; password_hash nullable only for "
        "OAuth-only users; migrations, not hand-made tables.",
        service,
        controller,
        f"**Middleware: {middleware}** on every protected route, putting the user id and role "
        "on the request context; one place, applied at router level, deny by default.",
    ]
    rate_limited = ["/login", "/register", *(["/refresh"] if style == "jwt" else [])]
    checks = [
        f"**Password hashing**: {checklist.item('password-hashing').fix}",
        f"**Rate limiting on {', '.join(rate_limited)}** (and password reset): "
        f"{checklist.item('rate-limiting').fix}",
        f"**CORS**: {checklist.item('cors').fix}",
        f"**Input validation**: {checklist.item('input-validation').fix}",
        "**Login errors**: the same message and similar timing for an unknown email and a wrong "
        "password, so accounts cannot be enumerated.",
        f"**Secrets**: {checklist.item('secrets').fix}",
    ]
    auth_items = ", ".join(f"`{item}`" for item in AUTH_ITEMS if style == "jwt" or item != "jwt")
    sections = [
        f"""Build an authentication API following the playbook \
`backend://playbooks/{playbook.id}`. {playbook.approach}

Decisions already made:

{_bullets([style_decision, oauth_decision, role_decision])}

If the project already has a framework and database, build inside them. If it has none, \
do not pick a favourite: call `{_RECOMMEND_TOOL}` (the playbook's own choice for an edge-ready \
API is Hono, Neon PostgreSQL and Drizzle ORM).""",
        f"## 1. Layers, from the data up\n\n{_numbered(layer_lines)}\n\n"
        f"Endpoints: {', '.join(endpoints)}. Controllers stay thin: validate, call the auth "
        "service, return one response shape.",
        f"## 2. Security requirements\n\n{_bullets(checks)}",
        f"## 3. {'Tokens' if style == 'jwt' else 'Sessions'}\n\n{_bullets(token_rules)}",
    ]
    if oauth_steps:
        sections.append(f"## {len(sections)}. OAuth\n\n{_bullets(oauth_steps)}")
    if role_steps:
        sections.append(f"## {len(sections)}. Roles and authorization\n\n{_bullets(role_steps)}")
    sections.append(
        f"""## {len(sections)}. Verify

Call the `{_REVIEW_TOOL}` tool on the project and fix every finding for the checklist items \
{auth_items} before anything else; then call `{_LOOP_TOOL}` and fix what it reports. \
Repeat until both are clean.

Done when:

{_bullets(playbook.done_when)}"""
    )
    return "\n\n".join(sections) + "\n"


def optimize_slow_api(symptom: str = "") -> str:
    """The performance playbook: measure, find the bottleneck, fix, verify with numbers."""
    kb = load_knowledge()
    symptom = _text(symptom, "symptom")
    playbook = kb.playbook("api-performance")
    stated = (
        f"The symptom reported:\n\n> {symptom}"
        if symptom
        else "No symptom was described: ask which endpoints are slow, since when, and how slow "
        "(p50/p95 latency, load), unless the project makes it obvious."
    )
    steps = []
    for number, step in enumerate(playbook.steps, start=1):
        actions = _bullets(f"**{a.text}**: {a.detail}" for a in step.actions)
        steps.append(f"## {number}. {step.title}\n\n{step.goal}\n\n{actions}")
    causes = _bullets(
        f"**{entry.name}**: spot it by {'; '.join(entry.signs)}. Fix: {entry.how}"
        for entry in kb.anti_patterns.anti_patterns
        if entry.id in {"n-plus-one", "blocking-event-loop"}
    )
    example = ", ".join(f"{m.name.lower()} {m.before} → {m.after}" for m in playbook.metrics)
    return f"""Make a slow API fast. {playbook.approach}

{stated}

Do not change code before you have a measurement that shows where the time goes.

{chr(10).join(f"{step}{chr(10)}" for step in steps)}
The usual causes, in the order to check them:

{causes}
- **Missing indexes**: EXPLAIN ANALYZE shows a sequential scan on a filtered, joined or sorted \
column (usually a foreign key). Fix: create the index (CONCURRENTLY on a live PostgreSQL).

Cache in Redis only what stays slow after the queries are fixed, with a TTL and invalidation \
on writes.

Report a before/after table for the same endpoint and load (for example: {example}), name the \
cause each fix addressed, and add a test that fails if the query count grows again. Then call \
`{_REVIEW_TOOL}` with the project path to catch remaining `n-plus-one` and `blocking-io` findings.
"""


def _check_path(path: str) -> str:
    cleaned = path.strip()
    if not cleaned:
        raise ValueError("path is empty; give the project directory to review, e.g. '.'")
    if len(cleaned) > 1024 or any(char in cleaned for char in "\0\n\r"):
        raise ValueError(
            "path must be a single directory path (no line breaks), at most 1024 characters"
        )
    return cleaned


def review_and_fix(path: str = ".") -> str:
    """Review a project, fix findings most severe first, run the quality loop, repeat."""
    kb = load_knowledge()
    path = _check_path(path)
    quoted = path.replace('"', '\\"')
    fixes = _bullets(f"`{item.id}`: {item.fix}" for item in kb.checklist.items)
    return f"""Review the backend project at `{path}` and fix what the review finds.

1. Call the `{_REVIEW_TOOL}` tool with path="{quoted}". Read the one-line summary and the \
failing checklist items first.
2. Fix the findings most severe first: critical, then high, then medium, then low. For each, \
open the file at the reported line, fix the root cause (not only that line: the same pattern \
is often repeated), and keep behaviour the tests rely on. The findings are paginated: fetch the \
next page with the offset the report gives.
3. Never silence a finding, weaken a check or delete a test to make the report clean. If a \
finding is a false positive, leave the code and say why in your report.
4. Call the `{_LOOP_TOOL}` tool with path="{quoted}" and fix every lint, format, type, \
security and test failure it reports.
5. Repeat steps 1 to 4 until `{_REVIEW_TOOL}` has no failing checklist item and \
`{_LOOP_TOOL}` passes, or three rounds have run; then stop and report.

How to fix each checklist item:

{fixes}

Report at the end: a table of what you fixed (rule, file:line, change), what is left and why, \
and the final checklist verdicts and quality loop result. Report the work complete only when \
both tools are clean.
"""


def design_architecture(description: str = "") -> str:
    """Phases 1-3: requirements, stack (via recommend_stack), layered architecture; no code."""
    kb = load_knowledge()
    description = _text(description, "description")
    process = kb.process
    requirements = process.phase("requirements")
    stack = process.phase("tech-stack")
    architecture = process.phase("architecture")
    practices = {
        practice.id: practice for area in kb.practices.areas for practice in [*area.do, *area.dont]
    }
    stated = (
        f"The system to design:\n\n> {description}"
        if description
        else "No description was given: ask the user what the system must do before designing."
    )
    aspects = ", ".join(aspect.name.lower() for aspect in kb.clarify.aspects)
    design_rules = _bullets(
        f"**{practices[pid].rule}**: {practices[pid].how}"
        for pid in (
            "layered-architecture",
            "dependency-injection",
            "central-error-handling",
            "proper-authentication",
            "authorize-every-route",
            "log-appropriately",
            "horizontal-scaling",
        )
    )
    avoid = _bullets(
        f"**Don't {_lower_first(practices[pid].rule)}**: {practices[pid].why}"
        for pid in ("logic-in-controllers", "skip-service-layer", "mix-concerns")
    )
    return f"""Design the architecture of a backend before any code is written, following phases \
1 to 3 of the development process (`backend://process`).

{stated}

## Phase {requirements.number}: {requirements.name}

{requirements.goal}

{_phase_questions(requirements)}

{requirements.gate} Unspecified aspects to check: {aspects} (`backend://clarify`).

## Phase {stack.number}: {stack.name}

{_phase_questions(stack)}

Call the `{_RECOMMEND_TOOL}` tool with the requirements; use its choices and reasons, and put \
its open questions to the user. {stack.gate}

## Phase {architecture.number}: {architecture.name}

{architecture.goal}

{_phase_questions(architecture)}

Apply:

{design_rules}

Avoid:

{avoid}

## Deliver

A design document, not code: the requirements and the assumptions confirmed by the user; the \
stack with the reason for each choice; the module layout per layer (controllers → services → \
repositories) for the main resources; the error model (domain errors, status codes, one error \
body); the authentication and authorization design (who can call which route, where roles and \
ownership are checked); a sketch of the data model with its indexes; and the open questions.
"""


# Prompt name (as a client lists it) -> function; arguments are the function's parameters.
PROMPTS: dict[str, Callable[..., str]] = {
    "clarify-requirements": clarify_requirements,
    "build-auth-api": build_auth_api,
    "optimize-slow-api": optimize_slow_api,
    "review-and-fix": review_and_fix,
    "design-architecture": design_architecture,
}
