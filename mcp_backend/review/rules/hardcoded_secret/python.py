"""hardcoded-secret: credentials written into the source."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from mcp_backend.review.model import Finding, Severity
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.hardcoded_secret import RULE

# Formats that are secrets wherever they appear.
_TOKEN_FORMATS: list[tuple[str, re.Pattern[str]]] = [
    ("AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})")),
    ("Slack token", re.compile(r"\bxox[abprs]-[0-9A-Za-z-]{10,}")),
    ("Slack webhook URL", re.compile(r"hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/\w{20,}")),
    ("Stripe live key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    ("SendGrid API key", re.compile(r"\bSG\.[\w-]{22}\.[\w-]{43}\b")),
    ("OpenAI API key", re.compile(r"\bsk-(proj-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}")),
    ("Anthropic API key", re.compile(r"\bsk-ant-[a-z0-9]+-[A-Za-z0-9_-]{40,}")),
    # The header alone is how key-handling code names the format: a key has material after it.
    (
        "private key",
        re.compile(
            r"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY-----\s*"
            r"(?:[\w-]+:[^\n]*\n\s*)*[A-Za-z0-9+/=]{32}"
        ),
    ),
    (
        "JSON Web Token",
        re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}"),
    ),
]

# One pass over each string instead of one per format.
_ANY_TOKEN_FORMAT = re.compile("|".join(f"(?:{p.pattern})" for _, p in _TOKEN_FORMATS))

_PLACEHOLDER_WORDS = (
    "change",
    "example",
    "your",
    "placeholder",
    "replace",
    "dummy",
    "fake",
    "sample",
    "xxx",
    "todo",
    "fixme",
    "redacted",
    "secret-key-here",
    "insert",
    "not-a-secret",
    "notasecret",
    "mock",
    "test",
    "demo",
    "default",
    "here",
    "foobar",
    "****",
    "...",
    "<",
    "{{",
    "${",
    "%(",
)
_ENV_CALLS = {"getenv", "get", "env", "config", "str"}
_MIN_LENGTH = 8
# Host names of local/dev services (not an address to bind).
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "db", "postgres", "mysql", "redis", "host"}
_LOCAL_HOSTS.add("0.0.0.0")  # noqa: S104


# Keys their vendors publish to browsers and apps: identifying, write-only, not credentials.
_PUBLISHABLE_PREFIXES = ("phc_", "pk_live_", "pk_test_")


def is_placeholder(value: str, name: str = "", *, phrases_allowed: bool = False) -> bool:
    """Values that are obviously not real credentials. A value with spaces is a message,
    except where a phrase is assigned to a secret's own variable ("super secret key")."""
    stripped = value.strip()
    lowered = stripped.lower()
    if len(stripped) < _MIN_LENGTH:
        return True
    if " " in stripped and not (phrases_allowed and len(stripped) <= 40 and stripped[-1].isalnum()):
        return True
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    if len(set(lowered)) <= 3:  # "aaaaaaaa", "12121212"
        return True
    if (
        stripped.startswith("^")
        or stripped.endswith("$")
        or "(?" in stripped
        or re.search(r"\[[^\]]+\][*+?{]|\\[dwsDWS]", stripped)
    ):
        return True  # a regular expression (validation pattern), not a credential
    # Words and identifiers ("required", "password_too_short", "invalid-token") are
    # messages, codes or field names; generated and chosen secrets mix in digits or symbols.
    if re.fullmatch(r"[a-z][a-z_.\-]*", stripped) and (
        len(stripped) < 32 or (len(stripped) < 64 and len(re.split(r"[_.\-]", stripped)) >= 3)
    ):
        return True  # longer names of words ("passed_collection_view_restrictions") too
    if re.fullmatch(r"[a-z][a-z_.\-]*([=:&][a-z][a-z_.\-]*)+", stripped) and len(stripped) < 64:
        return True  # "target=calibreweb-watch_files": a label or query of words, no secret
    if stripped.startswith(_PUBLISHABLE_PREFIXES):
        return True  # keys made to ship in clients (PostHog phc_, Stripe pk_live_/pk_test_)
    if name and re.sub(r"[^a-z0-9]", "", lowered) == re.sub(r"[^a-z0-9]", "", name.lower()):
        # SECRET_KEY = "secret key", _USER_API_KEY = "UserApiKey": the name written out (a
        # label or a type name), however it is spelled
        return True
    # An environment variable *name* ("DB_PASSWORD") or a dotted setting path.
    if re.fullmatch(r"[A-Z][A-Z0-9_]+", stripped) or re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", stripped):
        return True
    # Paths, URLs without credentials, format strings.
    return bool(re.match(r"^(/|\./|https?://[^@]*$|[a-z]+:[a-z])", stripped))


def _looks_generated(value: str) -> bool:
    """Long, or mixing letter cases with digits or symbols: how keys and tokens look."""
    classes = sum(
        [
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        ]
    )
    return len(value) >= 20 or classes >= 3


def _looks_fake(token: str) -> bool:
    lowered = token.lower()
    return any(w in lowered for w in ("example", "xxxx", "your", "dummy", "fake", "sample"))


def _target_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return au.const_str(node.slice)
    return None


def _credential_in_url(value: str) -> bool:
    """postgresql://app:S3cret@db.example.com/app: a real password for a non-local host."""
    if "://" not in value or "@" not in value:
        return False
    try:
        parts = urlsplit(value)
        password, host = parts.password, parts.hostname
    except ValueError:
        return False
    if not password or not host or host in _LOCAL_HOSTS or host.endswith(".local"):
        return False
    return not is_placeholder(password) and password != parts.username


_EXAMPLE_KEYS = {"example", "examples", "openapi_examples", "json_schema_extra", "schema_extra"}


def _example_node_ids(tree: ast.Module) -> set[int]:
    """Nodes inside API documentation examples (`Field(examples=[...])`,
    `json_schema_extra={"example": {...}}`, `class Config: schema_extra = ...`): sample values
    written for readers, not credentials."""
    roots: list[ast.AST] = []
    for node in au.nodes_of(tree, ast.keyword, ast.Dict, ast.Assign, ast.AnnAssign):
        if isinstance(node, ast.keyword) and node.arg in _EXAMPLE_KEYS:
            roots.append(node.value)
        elif isinstance(node, ast.Dict):
            roots.extend(
                v
                for k, v in zip(node.keys, node.values, strict=True)
                if au.const_str(k) in _EXAMPLE_KEYS
            )
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None and any(_target_name(t) in _EXAMPLE_KEYS for t in targets):
                roots.append(node.value)
    return {id(n) for root in roots for n in ast.walk(root)}


_INSPECTED = (
    ast.Constant,
    ast.Assign,
    ast.AnnAssign,
    ast.Call,
    ast.Dict,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Compare,
)


class HardcodedSecret:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        if ctx.is_test:
            return
        by_name = not au.is_dev_settings_file(ctx.file)
        reported: set[int] = set()
        in_examples = _example_node_ids(ctx.tree)
        for node in au.nodes_of(ctx.tree, *_INSPECTED):
            if id(node) in in_examples:
                continue
            for finding in self._check_node(ctx, node, by_name=by_name):
                if finding.line not in reported:
                    reported.add(finding.line)
                    yield finding
        self._env_signal(ctx)

    def _check_node(
        self, ctx: PythonFileContext, node: ast.AST, *, by_name: bool
    ) -> Iterator[Finding]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield from self._known_formats(ctx, node)
            return
        if not by_name:
            return
        pairs: list[tuple[str | None, ast.expr]] = []
        if isinstance(node, ast.Assign):
            pairs = [(_target_name(t), node.value) for t in node.targets]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            pairs = [(_target_name(node.target), node.value)]
        elif isinstance(node, ast.Call):
            pairs = [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
        elif isinstance(node, ast.Dict):
            pairs = [(au.const_str(k), v) for k, v in zip(node.keys, node.values, strict=True)]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            positional = node.args.posonlyargs + node.args.args
            with_defaults = positional[len(positional) - len(node.args.defaults) :]
            pairs = [(a.arg, d) for a, d in zip(with_defaults, node.args.defaults, strict=True)]
            pairs += [
                (a.arg, d)
                for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)
                if d is not None
            ]
        elif isinstance(node, ast.Compare) and len(node.comparators) == 1:
            # if password == "hunter2-admin": a credential baked into a check
            left, right = node.left, node.comparators[0]
            if isinstance(node.ops[0], ast.Eq | ast.NotEq):
                pairs = [(au.terminal_name(left), right), (au.terminal_name(right), left)]
        weak_context = isinstance(node, ast.Call | ast.Dict)
        for name, value in pairs:
            if name and au.is_secret_name(name):
                literal = au.const_str(value)
                if (
                    weak_context
                    and literal is not None
                    and not au.is_password_name(name)
                    and not _looks_generated(literal)
                ):
                    continue  # e.g. {"secret": "6zzjnumtsx136ddy"}: an order code in a URL
                finding = self._named_value(
                    ctx, name, value, phrases_allowed=isinstance(node, ast.Assign | ast.AnnAssign)
                )
                if finding is not None:
                    yield finding

    def _named_value(
        self, ctx: PythonFileContext, name: str, value: ast.expr, *, phrases_allowed: bool = False
    ) -> Finding | None:
        literal = au.const_str(value)
        fallback = False
        if literal is None and isinstance(value, ast.Call):
            # os.getenv("SECRET_KEY", "<real key>") / config("KEY", default="...")
            if au.call_method(value) not in _ENV_CALLS:
                return None
            default = au.argument(value, 1, "default")
            literal, fallback = au.const_str(default), True
            if literal is None:
                return None
            value = default if default is not None else value
        if literal is None or is_placeholder(literal, name, phrases_allowed=phrases_allowed):
            return None
        entropy = au.shannon_entropy(literal)
        django_generated = literal.startswith("django-insecure-")
        if fallback and (entropy < 3.5 or len(literal) < 16) and not django_generated:
            return None  # a readable dev default such as "devkey123" is not worth a finding
        severity: Severity = "high" if entropy >= 3.0 and len(literal) >= 12 else "medium"
        if fallback:
            severity = "medium"
        elif django_generated or " " in literal:
            severity = "high"  # a real key, or a guessable phrase that signs sessions
        how = "as the fallback of an environment lookup" if fallback else "as a literal"
        message = (
            f"{name} is set {how} ({au.mask_secret(literal)}): the secret ships with the code "
            "and stays in the git history"
        )
        return ctx.finding(
            RULE,
            value,
            message,
            severity=severity,
            snippet=f"{name} = {au.mask_secret(literal)}",
            fix="Read it from the environment or a secret manager (os.environ['NAME'], "
            "pydantic-settings), fail at start-up when it is missing, and rotate the "
            "exposed value.",
        )

    def _known_formats(self, ctx: PythonFileContext, node: ast.Constant) -> Iterator[Finding]:
        value = str(node.value)
        if len(value) < 16:
            return
        if not _ANY_TOKEN_FORMAT.search(value) and "://" not in value:
            return
        for label, pattern in _TOKEN_FORMATS:
            match = pattern.search(value)
            if match and not _looks_fake(match.group(0)):
                yield ctx.finding(
                    RULE,
                    node,
                    f"String contains a {label} ({au.mask_secret(match.group(0))})",
                    severity="critical" if label != "JSON Web Token" else "high",
                    snippet=f"{au.mask_secret(match.group(0))} ({label})",
                    fix="Remove it from the code, revoke/rotate it, and load it from the "
                    "environment or a secret manager.",
                )
                return
        if _credential_in_url(value):
            parts = urlsplit(value)
            yield ctx.finding(
                RULE,
                node,
                f"Connection URL embeds a password for {parts.hostname}",
                severity="high",
                snippet=f"{parts.scheme}://{parts.username}:****@{parts.hostname}/…",
                fix="Build the URL from environment variables (DATABASE_URL) instead.",
            )

    def _env_signal(self, ctx: PythonFileContext) -> None:
        for node in au.nodes_of(ctx.tree, ast.Call, ast.Subscript):
            if not isinstance(node, ast.Call | ast.Subscript):
                continue
            target = node.func if isinstance(node, ast.Call) else node.value
            dotted = au.dotted_name(target) or ""
            if dotted in {"os.getenv", "os.environ.get", "os.environ", "environ.get", "env"}:
                key = au.argument(node, 0) if isinstance(node, ast.Call) else node.slice
                name = au.const_str(key)
                if name and au.is_secret_name(name):
                    ctx.signal("secrets", f"{name} read from the environment", node)
                    return
            if dotted.endswith("SecretStr") or dotted.endswith("BaseSettings"):
                ctx.signal("secrets", "settings loaded with pydantic-settings", node)
                return


DETECTOR = HardcodedSecret()
