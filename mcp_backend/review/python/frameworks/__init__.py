"""Framework extractors: per-file facts about routes, routers, dependencies and middleware.

Contract (used by python/analyzer.py): `extract_file_facts(ctx) -> dict` returns JSON-serializable
facts for one file; they must not depend on any other file (results are cached per file).
"""

from __future__ import annotations

from typing import Any

from mcp_backend.review.python.context import PythonFileContext


def extract_file_facts(ctx: PythonFileContext) -> dict[str, Any]:
    # Scaffold: the framework extractors replace this.
    return {}
