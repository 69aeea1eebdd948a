"""`mcp-backend review`: arguments, progress on stderr, output formats and exit codes."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO, get_args

from mcp_backend.review.model import SEVERITY_ORDER, ReviewRequest, Severity
from mcp_backend.review.report import render_json, render_markdown, render_text

logger = logging.getLogger(__name__)

FORMATS = ("text", "markdown", "json", "sarif")
FAIL_ON_CHOICES = (*get_args(Severity), "none")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _stderr_progress(stream: TextIO) -> Callable[[int, int, str], None]:
    def on_progress(done: int, total: int, message: str) -> None:
        if total:
            stream.write(f"\r\x1b[2K[{done}/{total}] {message[-60:]}")
            if done >= total:
                stream.write("\n")
        else:
            stream.write(f"\r\x1b[2K{message}")
        stream.flush()

    return on_progress


def run_review_cli(
    root: str | Path,
    fmt: str = "text",
    output: str | Path | None = None,
    fail_on: str = "high",
    *,
    items: Sequence[str] | None = None,
    min_severity: str = "info",
    changed_only: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
    baseline: str | Path | None = None,
    use_baseline: bool = True,
    write_baseline: str | Path | None = None,
    show_progress: bool | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """`mcp-backend review`: 0 clean, 1 findings at/above fail_on, 2 usage or runtime error.

    With `write_baseline` the findings are recorded there and the exit code is 0 (adopting a
    baseline is not a failure); with a baseline only the findings it does not record count."""
    from pydantic import ValidationError

    from mcp_backend.review.engine import ReviewCancelled, ReviewError, run_review
    from mcp_backend.review.sarif import to_sarif

    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if fmt not in FORMATS:
        err.write(f"error: unknown format {fmt!r}; use one of {', '.join(FORMATS)}\n")
        return EXIT_ERROR
    if fail_on not in FAIL_ON_CHOICES:
        err.write(f"error: --fail-on must be one of {', '.join(FAIL_ON_CHOICES)}\n")
        return EXIT_ERROR
    root_path = Path(root).expanduser()
    if not root_path.is_dir():
        err.write(f"error: {root} is not a directory; pass the project's directory\n")
        return EXIT_ERROR
    try:
        request = ReviewRequest(
            root=root_path.resolve(),
            items=list(items) if items else None,
            min_severity=min_severity,
            changed_only=changed_only,
            use_cache=use_cache,
            jobs=jobs,
            baseline=Path(baseline).expanduser().absolute() if baseline is not None else None,
            use_baseline=use_baseline,
            write_baseline=(
                Path(write_baseline).expanduser().absolute() if write_baseline is not None else None
            ),
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        err.write(f"error: {problems}\n")
        return EXIT_ERROR

    progress = err.isatty() if show_progress is None else show_progress
    try:
        outcome = run_review(
            request,
            on_progress=_stderr_progress(err) if progress else None,
        )
    except ReviewError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_ERROR
    except (ReviewCancelled, KeyboardInterrupt):
        err.write("review cancelled\n")
        return EXIT_ERROR
    except Exception as exc:
        logger.exception("review failed")
        err.write(f"error: the review failed unexpectedly ({type(exc).__name__}: {exc})\n")
        return EXIT_ERROR

    report = outcome.page(0, None)
    if fmt == "sarif":
        sarif = to_sarif(report, outcome.findings, baselined=outcome.baselined)
        text = json.dumps(sarif, indent=2) + "\n"
    elif fmt == "json":
        text = render_json(report)
    elif fmt == "markdown":
        text = render_markdown(report)
    else:
        text = render_text(report)

    if output is not None:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            err.write(f"error: cannot write {output}: {exc.strerror}\n")
            return EXIT_ERROR
        err.write(f"{report.summary.headline}\nreport written to {output}\n")
    else:
        out.write(text)

    if write_baseline is not None:
        err.write(
            f"baseline: {len(outcome.findings)} findings recorded in {write_baseline}; "
            f"later reviews of {root} report only new ones\n"
        )
        return EXIT_CLEAN
    if fail_on == "none":
        return EXIT_CLEAN
    threshold = SEVERITY_ORDER[fail_on]
    failing = any(SEVERITY_ORDER[f.severity] >= threshold for f in outcome.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN
