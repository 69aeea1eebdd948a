"""Links per-file Python facts into the project's route inventory.

Contract (used by scan.py): `link_python(results, root) -> ProjectIndex`.
"""

from __future__ import annotations

from mcp_backend.review.model import FileResult, ProjectIndex


def link_python(results: list[FileResult], root: str) -> ProjectIndex:
    # Scaffold: the route linker replaces this.
    return ProjectIndex(root=root)
