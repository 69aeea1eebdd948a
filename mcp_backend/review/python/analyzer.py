"""One Python file in, one FileResult out: parse once, run every detector, collect facts.

Detectors are the `python.py` modules of the rules (review/rules/<id>/), loaded once per process
by the rule registry. A detector that raises on a file is logged and noted, never fatal.
"""

from __future__ import annotations

import io
import logging
import re
import tokenize

from mcp_backend.review.model import FileResult
from mcp_backend.review.python.context import PythonDetector, PythonFileContext
from mcp_backend.review.python.parse import parse_python
from mcp_backend.review.rules import python_detectors
from mcp_backend.review.rules.cors_wildcard._app import ambient_credentials

logger = logging.getLogger(__name__)


def decode_python_source(data: bytes) -> str:
    """Bytes -> text the way Python reads a module: BOM, then a PEP 263 coding cookie, else
    UTF-8. Raises UnicodeDecodeError / SyntaxError / LookupError when it cannot."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


# An unparsed file that says any of these may mount routers or protect routes we then cannot
# see: the linker makes what depends on it `unknown` (never `absent`).
_WIRING = re.compile(
    r"\b(?:include_router|register_blueprint|add_url_rule|add_middleware|before_request|"
    r"urlpatterns|MIDDLEWARE|REST_FRAMEWORK|default_limits|add_namespace|add_routes|"
    r"(?:dependencies|middlewares?|decorators|permission_classes)\s*=)"
)


def _skipped(file: str, reason: str, is_test: bool, lines: int = 0, text: str = "") -> FileResult:
    result = FileResult(file=file, language="python", lines=lines, is_test=is_test, skipped=reason)
    if text and not is_test:
        result.facts = {"wiring": _WIRING.search(text) is not None}
    return result


def analyze_python_file(
    file: str,
    source: str | bytes,
    *,
    is_test: bool = False,
    detectors: tuple[PythonDetector, ...] | None = None,
) -> FileResult:
    """Analyse one Python file. Never raises for bad input: unparseable files come back with
    `skipped` set to the reason."""
    if isinstance(source, bytes):
        try:
            text = decode_python_source(source)
        except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
            return _skipped(file, f"not valid UTF-8 or declared encoding ({exc})", is_test)
    else:
        text = source
    line_count = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    try:
        tree = parse_python(text, filename=file)
    except SyntaxError as exc:
        where = f" at line {exc.lineno}" if exc.lineno else ""
        return _skipped(file, f"syntax error{where}: {exc.msg}", is_test, line_count, text)
    except (RecursionError, MemoryError):
        return _skipped(file, "nesting too deep to parse", is_test, line_count, text)
    except ValueError as exc:  # e.g. null bytes in source
        return _skipped(file, f"cannot parse: {exc}", is_test, line_count, text)

    ctx = PythonFileContext(file=file, source=text, tree=tree, is_test=is_test)
    result = FileResult(file=file, language="python", lines=line_count, is_test=is_test)
    too_deep = False
    for detector in python_detectors() if detectors is None else detectors:
        rule_id = getattr(getattr(detector, "rule", None), "id", type(detector).__name__)
        try:
            result.findings.extend(detector.check(ctx))
        except RecursionError:
            too_deep = True
        except Exception as exc:
            logger.exception("detector %s failed on %s", rule_id, file)
            result.notes.append(f"rule {rule_id} failed on {file}: {type(exc).__name__}: {exc}")

    try:
        from mcp_backend.review.python.frameworks import extract_file_facts

        result.facts = extract_file_facts(ctx)
        if not is_test:
            from mcp_backend.review.taint.python import summarize_module

            result.facts["taint"] = summarize_module(tree, file, ctx.lines)
            if ambient := ambient_credentials(text):
                result.facts["ambient_credentials"] = ambient
    except RecursionError:
        too_deep = True
    except Exception as exc:
        logger.exception("framework extraction failed on %s", file)
        result.notes.append(f"route extraction failed on {file}: {type(exc).__name__}: {exc}")

    if too_deep:
        return _skipped(file, "nesting too deep to analyse", is_test, line_count)
    result.signals = list(ctx.signals)
    return result
