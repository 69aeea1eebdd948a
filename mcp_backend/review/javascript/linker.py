"""Links per-file JS/TS facts into the project's route inventory."""

from __future__ import annotations

from mcp_backend.review.model import FileResult, ProjectIndex


def link_javascript(results: list[FileResult], root: str) -> ProjectIndex:
    return ProjectIndex(root=root)
