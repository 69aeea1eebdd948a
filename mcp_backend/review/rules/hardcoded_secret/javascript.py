"""hardcoded-secret: secrets and JWT keys written in the source (not in test files)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.hardcoded_secret import RULE

# Header names (`x-api-key`, `Authorization`) hold credentials as often as variables do.
SECRET_KEY = re.compile(
    r"(secret|passw(or)?d|passwd|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|"
    r"auth[_-]?token|access[_-]?token|client[_-]?secret|jwt_?key|signing_?key|encryption_?key|"
    r"secret_?key|token_?secret|session_?secret|cookie_?secret|db_?pass|secretOrKey|"
    r"secretOrPrivateKey|authorization)$",
    re.IGNORECASE,
)
# `Authorization: 'Bearer <token>'`: the credential follows the scheme.
_AUTH_SCHEME = re.compile(r"(?i)(bearer|basic|token)\s+(\S+)")
NOT_SECRET_KEY = re.compile(
    r"(field|name|header|param|type|label|placeholder|message|msg|path|url|uri|id|length|policy|"
    r"regex|pattern|hint|column|prefix|env|var|key_?name|error|text|title|route|endpoint|template|"
    r"format|input|selector|confirm\w*|reset\w*|min\w*|max\w*|rule\w*|hash|salt_?rounds)$",
    re.IGNORECASE,
)
KNOWN_TOKEN = re.compile(
    r"AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|sk_live_[0-9A-Za-z]{20,}"
    r"|xox[baprs]-[0-9A-Za-z-]{10,}|AIza[0-9A-Za-z_\-]{35}"
    # A key has material after its header (code that handles keys names the header alone);
    # in the source a newline may be an escape.
    r"|-----BEGIN (RSA |EC |OPENSSH |)PRIVATE KEY-----(?:\s|\\[nr])*"
    r"(?:[\w-]+:[^\n\\]*(?:\s|\\[nr])+)*[A-Za-z0-9+/=]{32}"
    r"|SG\.[\w-]{22}\.[\w-]{43}"
)
PLACEHOLDER = re.compile(
    r"^(\s*|\*+|[xX]+|\.\.\.|<[^>]+>|\$\{[^}]*\}|%\w|\{\{.*\}\}|[A-Z][A-Z0-9_]+|"
    r"(?i:(string|number|text|varchar|required|boolean|password|secret|token|hidden|undefined|null|"
    r"none|true|false|bearer|basic|your[-_ ]\w*|change[-_ ]?me|placeholder|"
    r"not[-_ ]?(available|set|used|configured|applicable)|n/?a|unused|unset|redacted)\b.*))$"
)
_LITERAL = "[(string) (template_string)]"
ASSIGNMENT_QUERY = f"""
[(variable_declarator name: (identifier) @key value: {_LITERAL} @value)
 (pair key: [(property_identifier) (string)] @key value: {_LITERAL} @value)
 (assignment_expression left: [(identifier) (member_expression)] @key right: {_LITERAL} @value)
 (binary_expression left: (member_expression) @key right: (string) @value)]
"""
# Class fields: `private apiKey = '...'` (TypeScript) and `apiKey = '...'` (JavaScript).
FIELD_QUERY = {
    "javascript": f"(field_definition property: (property_identifier) @key value: {_LITERAL} "
    "@value)",
    "typescript": f"(public_field_definition name: (property_identifier) @key value: {_LITERAL} "
    "@value)",
}
# Cheap pre-check on the raw bytes before any tree query: a secret-like name given a literal.
# After a secret-like word: the rest of the name (group 1), a closing quote, TypeScript's `?`/`!`
# and type annotation, then `=`, `:`, `||` or `??` and a literal.
_ASSIGNED_LITERAL = re.compile(
    rb"""(\w*)['"]?\s*[?!]?\s*(?:(?::[^=;\n]{0,80}?)?=|:|\|\||\?\?)\s*['"`]"""
)
# SECRET_KEY on the lowered bytes: a match on a key is a match on its last run of word characters
# and hyphens, because every alternative is made of those.
_SECRET_KEY_BYTES = re.compile(SECRET_KEY.pattern.encode(), re.IGNORECASE)
_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_-")


def secret_assignment_in(source: bytes) -> bool:
    """Whether a secret-like name (one SECRET_KEY accepts) is given a literal somewhere: the
    pre-check before any tree query (bytes.find runs in C)."""
    lowered = source.lower()
    for word in SECRET_WORDS:
        position = lowered.find(word)
        while position != -1:
            match = _ASSIGNED_LITERAL.match(lowered, position + len(word))
            if match:
                start = position
                while start and lowered[start - 1] in _NAME_BYTES:
                    start -= 1
                if _SECRET_KEY_BYTES.search(lowered, start, match.end(1)):
                    return True
            position = lowered.find(word, position + len(word))
    return False


# Each KNOWN_TOKEN alternative contains one of these; one search of the raw bytes for them
# is cheaper than decoding the file and searching it with KNOWN_TOKEN.
TOKEN_MARKER = re.compile(rb"AKIA|gh[pousr]_|sk_live_|xox|AIza|PRIVATE KEY|SG\.")
SECRET_WORDS = (b"secret", b"passw", b"pwd", b"key", b"token", b"authorization")
# Sample data, not the application's configuration.
NOT_SHIPPED = re.compile(
    r"(^|/)(benchmarks?|examples?|fixtures?|__fixtures__|mocks?|demo|seeds?|seeders|stories)/"
    r"|\.(stories|example|sample)\.[cm]?[jt]sx?$|(^|/)seed\w*\.[cm]?[jt]s$"
    # development launchers beside the real entry point: server-dev.js, dev-server.ts
    r"|(^|/)(server|app|index|main|start)[-_.]dev\.[cm]?[jt]s$|(^|/)dev[-_](server|app|start)\.[cm]?[jt]s$"
)
JWT_CALLS = frozenset({"sign", "verify"})


def _literal(text: str) -> str | None:
    if len(text) < 2 or text[0] not in "'\"`" or "${" in text:
        return None
    return text[1:-1]


def plausible_secret(value: str, minimum: int, spaces_allowed: bool = False) -> bool:
    # Session secrets are often short phrases ('keyboard cat'); passwords with spaces are
    # usually validation messages ('Password is required').
    words = len(value.split())
    if len(value) < minimum or PLACEHOLDER.match(value):
        return False
    if words > 1 and not (spaces_allowed and words <= 3):
        return False
    if value.startswith(("http://", "https://", "/", "./", "../")) and "@" not in value:
        return False
    return not re.fullmatch(r"[a-z]+([._-][a-z]+)*", value) or len(value) >= 12


class HardcodedSecret:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if ctx.is_test or ctx.file.endswith(".d.ts") or NOT_SHIPPED.search(ctx.file):
            return
        seen: set[int] = set()
        if secret_assignment_in(ctx.source):
            fields = FIELD_QUERY["javascript" if ctx.grammar == "javascript" else "typescript"]
            captures = ctx.descendants(ctx.root, ASSIGNMENT_QUERY + fields, "value")
            for value_node in captures:
                parent = value_node.parent
                if parent is None:
                    continue
                key_node = (
                    parent.child_by_field_name("name")
                    or parent.child_by_field_name("key")
                    or parent.child_by_field_name("left")
                    or parent.child_by_field_name("property")
                )
                key = ctx.text(key_node).split(".")[-1].strip("'\"")
                if not SECRET_KEY.search(key) or NOT_SECRET_KEY.search(key):
                    continue
                value = _literal(ctx.text(value_node))
                if value is not None and key.lower() == "authorization":
                    scheme = _AUTH_SCHEME.fullmatch(value)
                    value = scheme.group(2) if scheme else None
                is_password = bool(re.search(r"pass|pwd", key, re.IGNORECASE))
                if value is None or _names_itself(key, value) or _names_a_setting(value):
                    continue
                if parent.type == "binary_expression":
                    if len(value) < 6 or value.isupper() or " " in value:
                        continue
                elif not plausible_secret(
                    value, 6 if is_password else 8, spaces_allowed=not is_password
                ):
                    continue
                if parent.type == "binary_expression" and (
                    "process.env" not in ctx.text(key_node)
                    or ctx.text(parent.child_by_field_name("operator")) not in {"||", "??"}
                    # DB_PASSWORD || 'postgres': the stock password of a local database
                    # server, which decides the credential, not a secret of this app
                    or (is_password and value.lower() in _STOCK_PASSWORDS)
                ):
                    continue
                if _in_an_example(ctx, parent):
                    continue
                seen.add(value_node.start_byte)
                fallback = parent.type == "binary_expression"
                yield ctx.finding(
                    RULE,
                    value_node,
                    f"hard-coded {'fallback for ' if fallback else ''}secret in `{key}`",
                    fix="Read it from the environment or a secret manager and fail at start-up "
                    "when it is missing; rotate the exposed value.",
                    snippet=_masked(ctx.snippet(value_node), value),
                )
        if ctx.has_call(JWT_CALLS) and ctx.has(b"sign(", b"verify(", b"jwt"):
            for call in ctx.calls_named(JWT_CALLS):
                if (
                    (
                        (call.name in JWT_CALLS and "jwt" in call.callee.lower())
                        or (call.callee in {"sign", "verify"} and ctx.has(b"jsonwebtoken"))
                    )
                    and len(call.args) >= 2
                    and call.args[1].type == "string"
                ):
                    value = _literal(ctx.text(call.args[1])) or ""
                    if (
                        value
                        and call.args[1].start_byte not in seen
                        and not value.startswith("-----BEGIN PUBLIC")
                    ):
                        seen.add(call.args[1].start_byte)
                        yield ctx.finding(
                            RULE,
                            call.args[1],
                            f"JWT signing key written in the source ({call.callee})",
                            fix=(
                                "Load the key from the environment "
                                "(process.env.JWT_SECRET) and rotate it."
                            ),
                            snippet=_masked(ctx.snippet(call.args[1]), value),
                        )
        if TOKEN_MARKER.search(ctx.source) and KNOWN_TOKEN.search(
            ctx.source.decode("utf-8", "replace")
        ):
            for node in ctx.descendants(ctx.root, "[(string) (template_string)] @s", "s"):
                if node.start_byte in seen:
                    continue
                match = KNOWN_TOKEN.search(ctx.text(node))
                if match:
                    yield ctx.finding(
                        RULE,
                        node,
                        "credential in a known token format written in the source",
                        fix="Revoke it, then load it from the environment or a secret manager.",
                        snippet=_masked(ctx.snippet(node), match.group(0)),
                    )


# The passwords database and broker images ship with, used as local-development fallbacks.
_STOCK_PASSWORDS = frozenset(
    {"postgres", "password", "root", "mysql", "mariadb", "guest", "admin", "redis", "mongo"}
)
# Keys whose values document an API (OpenAPI `example`/`examples`), not configure it.
_EXAMPLE_KEYS = frozenset({"example", "examples", "x-example"})


def _in_an_example(ctx: JsFileContext, node: Node) -> bool:
    """`@ApiProperty({ examples: { login: { value: { password: 'SecurePass123!' } } } })`:
    a value inside an `example(s)` entry shows a request in the docs."""
    current = node.parent
    for _ in range(8):
        if current is None:
            return False
        if current.type == "pair":
            key = ctx.text(current.child_by_field_name("key")).strip("'\"")
            if key in _EXAMPLE_KEYS:
                return True
        current = current.parent
    return False


# `'hostSettings:mailEventsPayloadSigningKey'`, `'auth.jwt.secret'`: the path of a setting that
# holds a secret: words without digits between separators, the last one naming the secret.
_SETTING_PATH = re.compile(r"^[A-Za-z][A-Za-z_-]*(?:[.:/][A-Za-z][A-Za-z_-]*)+$")
_SECRET_WORD = re.compile(r"key|secret|token|passw", re.IGNORECASE)


def _names_a_setting(value: str) -> bool:
    last = re.split(r"[.:/]", value)[-1]
    return bool(_SETTING_PATH.match(value)) and bool(_SECRET_WORD.search(last))


def _names_itself(key: str, value: str) -> bool:
    """`{ apiKey: 'apiKey' }`, `SECRET_NAME = 'app_secret_name'`, `apikey = 'apikeys:import'`:
    a name, not a secret."""
    simple_key = re.sub(r"[^a-z0-9]", "", key.lower())
    simple_value = re.sub(r"[^a-z0-9]", "", value.lower())
    if len(simple_key) < 4:
        return False
    if simple_value.endswith(simple_key):
        return True
    # `apikey = 'apikeys:import'`: a permission or setting path, one of whose words names the
    # key (`resource:action`, `auth.apiKey.header`), is an identifier too
    return bool(_SETTING_PATH.match(value)) and any(
        simple_key in re.sub(r"[^a-z0-9]", "", part.lower()) for part in re.split(r"[.:/]", value)
    )


def _masked(snippet: str, secret: str) -> str:
    if len(secret) < 4:
        return snippet
    return snippet.replace(secret, secret[:2] + "*" * min(8, len(secret) - 2))


DETECTOR = HardcodedSecret()
