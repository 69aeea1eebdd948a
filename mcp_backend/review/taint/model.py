"""Language-neutral pieces of the taint engine: sink kinds, labels and flows.

A value's taint is a small set of *labels* (strings, so per-file summaries are JSON):

- ``R@<line>``   request data read at that line (a handler's client parameter or an accessor);
- ``P<name>``    the enclosing function's parameter ``name`` (what a caller passes);
- ``H``          constant HTML markup is part of the value (for reflected XSS);
- ``C<callee>#<arg>:<label>``  the result of calling a function we resolve only when the whole
                 project is linked, with ``<label>`` passed as argument ``<arg>`` (a position or a
                 keyword name); it is live when the callee's summary returns that argument (or,
                 for a callee outside the project, by default);
- ``{k1,k2}<label>``  the label sanitised for those sink kinds (``{path}`` after
                 ``secure_filename``, ``{cmd}`` after ``shlex.quote``...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SQL = "sql"
CMD = "cmd"
CODE = "code"
SSTI = "ssti"
PATH = "path"
REDIRECT = "redirect"
SSRF = "ssrf"
DESER = "deser"
XSS = "xss"
ALL_KINDS = frozenset({SQL, CMD, CODE, SSTI, PATH, REDIRECT, SSRF, DESER, XSS})

RULE_FOR_KIND = {
    SQL: "sql-string-query",
    CMD: "command-injection",
    CODE: "code-eval",
    SSTI: "code-eval",  # the code-eval rule documents template source as code
    PATH: "path-traversal",
    REDIRECT: "open-redirect",
    SSRF: "ssrf",
    DESER: "unsafe-deserialization",
    XSS: "reflected-xss",
}
KIND_WORDS = {
    SQL: "SQL text",
    CMD: "a shell command",
    CODE: "code that is evaluated",
    SSTI: "a template's source",
    PATH: "a file path",
    REDIRECT: "a redirect target",
    SSRF: "the URL of an outbound request",
    DESER: "data that is deserialised",
    XSS: "an HTML response",
}
SEVERITY_FOR_KIND = {
    SQL: "critical",
    CMD: "critical",
    CODE: "critical",
    SSTI: "critical",
    PATH: "high",
    REDIRECT: "medium",
    SSRF: "high",
    DESER: "critical",
    XSS: "high",
}

# Sinks that are the feature when the route checks a role: an admin choosing what the server
# fetches or which of its files it handles. Such flows are not reported (nor do they replace
# the file rules' findings there).
PRIVILEGED_FEATURE = frozenset({SSRF, PATH})

MAX_LABELS = 16
MAX_NEST = 3


def cap(labels: set[str] | frozenset[str]) -> frozenset[str]:
    """At most MAX_LABELS labels, request data and parameters kept before call results."""
    if len(labels) <= MAX_LABELS:
        return frozenset(labels)
    # the label itself breaks ties: the same file gives the same summary in every process
    # (set order follows string hashing, which changes per run)
    ordered = sorted(labels, key=lambda s: (s.startswith("C"), len(s), s))
    return frozenset(ordered[:MAX_LABELS])


def join_envs(
    envs: list[dict[str, frozenset[str]] | None], expr_key: str
) -> dict[str, frozenset[str]] | None:
    """Where branches meet: a name holds what it held on any live path (None: no path is
    live). An expression checked on one path only (keys starting with `expr_key`) is dropped,
    to be judged afresh."""
    live = [e for e in envs if e is not None]
    if not live:
        return None
    if len(live) == 1:
        return live[0]
    out: dict[str, frozenset[str]] = {}
    for env in live:
        for name, labels in env.items():
            current = out.get(name)
            out[name] = labels if current is None else cap(current | labels)
    for key in [k for k in out if k.startswith(expr_key)]:
        if not all(key in env for env in live):
            del out[key]
    return out


def marks_of(label: str) -> tuple[frozenset[str], str]:
    """`{path,cmd}R@3` -> ({'path','cmd'}, 'R@3')."""
    if label.startswith("{"):
        end = label.index("}")
        return frozenset(label[1:end].split(",")), label[end + 1 :]
    return frozenset(), label


def mark(label: str, kinds: frozenset[str]) -> str:
    current, core = marks_of(label)
    merged = current | kinds
    if not merged:
        return core
    return "{" + ",".join(sorted(merged)) + "}" + core


def call_label(callee: str, arg: str, inner: str) -> str | None:
    if inner.count(":") >= MAX_NEST:
        return None  # too deep: dropping it is the imprecise-but-safe side (no finding)
    return f"C{callee}#{arg}:{inner}"


def split_call(core: str) -> tuple[str, str, str]:
    """`Cmod.f#0:R@3` -> ('mod.f', '0', 'R@3')."""
    head, _, inner = core[1:].partition(":")
    callee, _, arg = head.rpartition("#")
    return callee, arg, inner


@dataclass(frozen=True)
class Atom:
    """A resolved label: where the data comes from and the kinds it is sanitised for."""

    origin: str  # 'R@12', 'Pname' or 'H'
    sanitized: frozenset[str] = frozenset()
    file: str = ""  # where a request read happened (for R atoms)


@dataclass
class Step:
    file: str
    line: int
    text: str


@dataclass
class Flow:
    """Request data reaching a sink: the finding's substance."""

    kind: str
    file: str
    line: int
    column: int
    end_line: int | None
    sink: str
    steps: list[Step] = field(default_factory=list)
    snippet: str = ""
    handler: str = ""  # the function the request data was read in, and its file
    handler_file: str = ""
    # the request data is a parameter of this function, taken for a view only because it
    # takes `request` first (Django style); the route inventory says whether it is one
    view_by_shape: str = ""

    @property
    def rule_id(self) -> str:
        return RULE_FOR_KIND[self.kind]
