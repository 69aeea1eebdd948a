"""Build a route inventory from in-memory sources or a fixture directory, without the engine."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mcp_backend.review.model import FileResult, Finding, ProjectIndex, Route
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.python.frameworks import extract_file_facts
from mcp_backend.review.python.linker import link_python
from mcp_backend.review.python.parse import parse_python
from mcp_backend.review.rules.admin_route_missing_role import project as admin_route_missing_role
from mcp_backend.review.rules.auth_route_missing_rate_limit import (
    project as auth_route_missing_rate_limit,
)
from mcp_backend.review.rules.critical_route_untested import project as critical_route_untested
from mcp_backend.review.rules.inconsistent_response_shape import (
    project as inconsistent_response_shape,
)
from mcp_backend.review.rules.no_central_error_handler import project as no_central_error_handler
from mcp_backend.review.rules.object_access_without_ownership import (
    project as object_access_without_ownership,
)
from mcp_backend.review.rules.route_missing_auth import project as route_missing_auth
from mcp_backend.review.rules.unvalidated_request_data import project as unvalidated_request_data

PROJECT_DETECTORS = (
    route_missing_auth.DETECTOR,
    admin_route_missing_role.DETECTOR,
    object_access_without_ownership.DETECTOR,
    auth_route_missing_rate_limit.DETECTOR,
    unvalidated_request_data.DETECTOR,
    no_central_error_handler.DETECTOR,
    critical_route_untested.DETECTOR,
    inconsistent_response_shape.DETECTOR,
)


def is_test_path(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return (
        path.startswith("tests/")
        or "/tests/" in path
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def file_result(path: str, source: str) -> FileResult:
    """Facts for one file, as the analyzer gives them; a file that does not parse is skipped."""
    is_test = is_test_path(path)
    try:
        tree = parse_python(source, filename=path)
    except SyntaxError as error:
        reason = f"syntax error at line {error.lineno}: {error.msg}"
        return FileResult(file=path, language="python", is_test=is_test, skipped=reason)
    ctx = PythonFileContext(file=path, source=source, tree=tree, is_test=is_test)
    return FileResult(
        file=path,
        language="python",
        lines=source.count("\n"),
        is_test=is_test,
        facts=extract_file_facts(ctx),
    )


def build_index(files: dict[str, str]) -> ProjectIndex:
    results = [file_result(path, textwrap.dedent(source)) for path, source in files.items()]
    return link_python(results, "project")


def index_for_dir(root: Path) -> ProjectIndex:
    results = [
        file_result(path.relative_to(root).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(root.rglob("*.py"))
    ]
    return link_python(results, str(root))


def project_findings(index: ProjectIndex) -> list[Finding]:
    return [finding for detector in PROJECT_DETECTORS for finding in detector.check(index)]


def route(index: ProjectIndex, method: str, path: str) -> Route:
    found = [r for r in index.routes if r.method == method and r.path == path]
    if not found:
        inventory = ", ".join(f"{r.method} {r.path}" for r in index.routes)
        raise AssertionError(f"no route {method} {path}; have: {inventory}")
    return found[0]
