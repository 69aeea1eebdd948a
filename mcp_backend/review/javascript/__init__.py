"""JavaScript / TypeScript review (tree-sitter). Import lazily: tree-sitter is not free.

Contract (used by scan.py):
- `analyze_file(file, source, language) -> FileResult` for one .js/.mjs/.cjs/.ts/.tsx file;
- `link_javascript(results, root) -> ProjectIndex` for the project's JS/TS route inventory.
"""

from __future__ import annotations

from mcp_backend.review.model import FileResult, Language, ProjectIndex


def analyze_file(file: str, source: str, language: Language) -> FileResult:
    # Scaffold: the JavaScript analyzer replaces this.
    return FileResult(file=file, language=language, skipped="JavaScript review not built yet")


def link_javascript(results: list[FileResult], root: str) -> ProjectIndex:
    return ProjectIndex(root=root)
