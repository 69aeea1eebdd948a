"""Baselines: record today's findings, then report only the ones a change introduces.

A baseline file lists one entry per finding: rule, file, fingerprint, and for people reading
the diff the line and message at recording time. A later review hides every finding whose
(rule, file, fingerprint) is in the baseline, at most as many times as the baseline has it.

The fingerprint (version 1) is the first 16 hex digits of SHA-256 over, separated by NUL:
rule id, file (POSIX, relative to the project root), the finding's normalised code, and the
route ('METHOD /path') when the finding has one. The finding's code is its source lines, from
`line` to `end_line` and at most `MAX_CODE_LINES` of them, read from the file (the snippet when
the file cannot be read), normalised by `normalise_code`:

- comments are dropped (`#` in Python; `//` and `/* */` in JavaScript/TypeScript);
- whitespace, line breaks included, is dropped: tokens are joined by one space;
- string and number literals are kept verbatim (the SQL text or the secret is the finding);
- keywords, attribute names (after `.`) and called names (before `(`) are kept: they name the
  API involved (`execute`, `system`, `md5`);
- every other identifier (a variable, a parameter) becomes `_1`, `_2`, … in order of first
  appearance, so renaming a variable keeps the fingerprint but `a + b` is not `a + a`.

So the line number is not part of it: a finding survives lines inserted above it and edits
elsewhere in the file; a finding whose own code changed (another call, another string) is new.
Moving a finding to another file, or changing its route, makes it new too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import keyword
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mcp_backend.review.model import Finding

__all__ = [
    "BASELINE_VERSION",
    "DEFAULT_BASELINE_NAME",
    "Baseline",
    "BaselineEntry",
    "BaselineError",
    "BaselineMatch",
    "SourceReader",
    "default_baseline",
    "fingerprint",
    "load_baseline",
    "match_baseline",
    "normalise_code",
    "write_baseline",
]

BASELINE_VERSION = 1
BASELINE_TOOL = "mcp-backend"
DEFAULT_BASELINE_NAME = ".mcp-backend-baseline.json"
MAX_CODE_LINES = 3
MAX_BASELINE_BYTES = 64 * 1024 * 1024

SourceReader = Callable[[str], list[str] | None]


class BaselineError(ValueError):
    """A baseline file that cannot be used; the one-line message says why and what to do."""


class BaselineEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str = Field(min_length=1)
    file: str = Field(min_length=1)
    fingerprint: str = Field(pattern=r"^[0-9a-f]{16}$")
    line: int = Field(ge=1, description="At recording time, for people; not matched.")
    message: str = Field(default="", description="At recording time, for people; not matched.")


class Baseline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tool: str = BASELINE_TOOL
    version: int = BASELINE_VERSION
    findings: list[BaselineEntry] = Field(default_factory=list)


@dataclass
class BaselineMatch:
    """What a baseline did to one review's findings."""

    new: list[Finding] = field(default_factory=list)
    hidden: list[Finding] = field(default_factory=list)
    unmatched: int = 0  # baseline entries no current finding matched


# --------------------------------------------------------------------------- fingerprint

_PY_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>[rRbBuUfF]{0,2}(?:'''(?:\\.|[^\\])*?(?:'''|\Z)|\"\"\"(?:\\.|[^\\])*?(?:\"\"\"|\Z)
                                  |'(?:\\.|[^'\\\n])*(?:'|$)|"(?:\\.|[^"\\\n])*(?:"|$)))
      | (?P<number>\d[\w.]*)
      | (?P<name>[^\W\d]\w*)
      | (?P<space>\s+)
      | (?P<punct>.)""",
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)
_JS_TOKEN = re.compile(
    r"""(?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
      | (?P<string>'(?:\\.|[^'\\\n])*(?:'|$)|"(?:\\.|[^"\\\n])*(?:"|$)|`(?:\\.|[^`\\])*(?:`|\Z))
      | (?P<number>\d[\w.]*)
      | (?P<name>[^\W\d][\w$]*|\$[\w$]*)
      | (?P<space>\s+)
      | (?P<punct>.)""",
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)
_JS_KEYWORDS = frozenset(
    re.findall(
        r"\w+",
        "async await break case catch class const continue debugger default delete do else "
        "export extends false finally for function if import in instanceof let new null of "
        "return static super switch this throw true try typeof undefined var void while with "
        "yield",
    )
)
_PY_KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)


def _is_python(file: str) -> bool:
    return file.endswith((".py", ".pyi"))


def normalise_code(code: str, file: str) -> str:
    """The finding's code without comments and whitespace, local names numbered (see module
    docstring). The language comes from the file name: Python for .py, else JavaScript."""
    python = _is_python(file)
    pattern = _PY_TOKEN if python else _JS_TOKEN
    keywords = _PY_KEYWORDS if python else _JS_KEYWORDS
    tokens: list[tuple[str, str]] = [
        (match.lastgroup or "punct", match.group())
        for match in pattern.finditer(code)
        if match.lastgroup not in ("comment", "space")
    ]
    numbered: dict[str, str] = {}
    out: list[str] = []
    for index, (kind, text) in enumerate(tokens):
        word = text
        if kind == "name" and text not in keywords:
            after_dot = index > 0 and tokens[index - 1][1] == "."
            called = index + 1 < len(tokens) and tokens[index + 1][1] == "("
            if not (after_dot or called):
                word = numbered.setdefault(text, f"_{len(numbered) + 1}")
        out.append(word)
    return " ".join(out)


def finding_code(finding: Finding, read_lines: SourceReader | None) -> str:
    """The finding's source lines (at most MAX_CODE_LINES), or its snippet when unreadable."""
    lines = read_lines(finding.file) if read_lines is not None else None
    if lines and finding.line <= len(lines):
        end = finding.end_line if finding.end_line and finding.end_line >= finding.line else 0
        last = min(max(end, finding.line), finding.line + MAX_CODE_LINES - 1, len(lines))
        return "\n".join(lines[finding.line - 1 : last])
    return finding.snippet


def fingerprint(finding: Finding, read_lines: SourceReader | None = None) -> str:
    code = normalise_code(finding_code(finding, read_lines), finding.file)
    material = "\x00".join((finding.rule_id, finding.file, code, finding.route or ""))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def source_reader(root: Path) -> SourceReader:
    """Reads each project file once; None for a file that cannot be read."""
    cache: dict[str, list[str] | None] = {}

    def read(relative: str) -> list[str] | None:
        if relative not in cache:
            try:
                text = (root / relative).read_text(encoding="utf-8", errors="replace")
            except (OSError, ValueError):
                cache[relative] = None
            else:
                cache[relative] = text.splitlines()
        return cache[relative]

    return read


# --------------------------------------------------------------------------- matching


def match_baseline(
    findings: Sequence[Finding], fingerprints: Sequence[str], baseline: Baseline
) -> BaselineMatch:
    """Split findings into new and hidden. A baseline entry hides one finding: two identical
    findings with one recorded leave one new (the later one in the file)."""
    remaining = Counter((e.rule, e.file, e.fingerprint) for e in baseline.findings)
    result = BaselineMatch()
    order = sorted(
        range(len(findings)),
        key=lambda i: (findings[i].file, findings[i].line, findings[i].column, i),
    )
    hidden_at: set[int] = set()
    for i in order:
        key = (findings[i].rule_id, findings[i].file, fingerprints[i])
        if remaining[key] > 0:
            remaining[key] -= 1
            hidden_at.add(i)
    for i, finding in enumerate(findings):
        (result.hidden if i in hidden_at else result.new).append(finding)
    result.unmatched = sum(remaining.values())
    return result


# --------------------------------------------------------------------------- file


def default_baseline(root: Path) -> Path | None:
    """The project's `.mcp-backend-baseline.json`, when present; it must lie inside the
    project (a symlink leading out of it is refused)."""
    candidate = root / DEFAULT_BASELINE_NAME
    if not candidate.exists() and not candidate.is_symlink():
        return None
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise BaselineError(
            f"{candidate} leads outside the project (to {resolved}); replace the link with the "
            "baseline file itself"
        )
    return resolved


def _rerecord_hint(path: Path) -> str:
    return f"record one with `mcp-backend review DIR --write-baseline {path.name}`"


def load_baseline(path: Path) -> Baseline:
    """Read and check a baseline file. Raises BaselineError (one line) for a missing, corrupt,
    foreign or future-version file: a baseline that cannot be read never means 'no findings'."""
    try:
        if path.stat().st_size > MAX_BASELINE_BYTES:
            raise BaselineError(
                f"baseline {path} is larger than {MAX_BASELINE_BYTES // (1024 * 1024)} MB"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BaselineError(
            f"baseline {path} does not exist; {_rerecord_hint(path)} or pass another file"
        ) from None
    except IsADirectoryError:
        raise BaselineError(f"baseline {path} is a directory, not a baseline file") from None
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {error.strerror or error}") from None
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BaselineError(
            f"baseline {path} is not UTF-8 text, so not a baseline; {_rerecord_hint(path)}"
        ) from None
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"baseline {path} is corrupt: not valid JSON ({error.msg}: line {error.lineno}, "
            f"column {error.colno}); fix it or {_rerecord_hint(path)}"
        ) from None
    if not isinstance(data, dict) or data.get("tool") != BASELINE_TOOL or "version" not in data:
        raise BaselineError(
            f"{path} is not an mcp-backend baseline (expected a JSON object with "
            f'"tool": "{BASELINE_TOOL}", "version" and "findings"); {_rerecord_hint(path)}'
        )
    version = data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BaselineError(
            f"baseline {path} is corrupt: version {json.dumps(version)[:20]} is not a positive "
            f"integer; {_rerecord_hint(path)}"
        )
    if version > BASELINE_VERSION:
        raise BaselineError(
            f"baseline {path} has version {version}, newer than this mcp-backend reads "
            f"(version {BASELINE_VERSION}): upgrade mcp-backend, or {_rerecord_hint(path)}"
        )
    try:
        return Baseline.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        more = f" (and {error.error_count() - 1} more problems)" if error.error_count() > 1 else ""
        raise BaselineError(
            f"baseline {path} is corrupt: {where}: {first['msg']}{more}; {_rerecord_hint(path)}"
        ) from None


def build_baseline(findings: Iterable[Finding], fingerprints: Iterable[str]) -> Baseline:
    entries = [
        BaselineEntry(
            rule=f.rule_id, file=f.file, fingerprint=fp, line=f.line, message=f.message[:300]
        )
        for f, fp in zip(findings, fingerprints, strict=True)
    ]
    entries.sort(key=lambda e: (e.file, e.line, e.rule, e.fingerprint, e.message))
    return Baseline(findings=entries)


def render_baseline(baseline: Baseline) -> str:
    """Stable JSON: fixed key order, one entry per finding, sorted by file, line and rule."""
    data = {
        "tool": baseline.tool,
        "version": baseline.version,
        "findings": [
            {
                "rule": e.rule,
                "file": e.file,
                "line": e.line,
                "fingerprint": e.fingerprint,
                "message": e.message,
            }
            for e in baseline.findings
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: Path, baseline: Baseline) -> None:
    """Write atomically (a temporary file beside it, then a rename). Raises BaselineError."""
    text = render_baseline(baseline)
    directory = path.parent if str(path.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=directory or None
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            os.chmod(temporary, 0o644)  # mkstemp makes it 0600; a baseline is shared
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        raise BaselineError(f"cannot write baseline {path}: {error.strerror or error}") from None
