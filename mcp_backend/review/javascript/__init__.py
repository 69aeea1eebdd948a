"""JavaScript / TypeScript review (tree-sitter). Import lazily: tree-sitter is not free.

Contract (used by scan.py):
- `analyze_file(file, source, language) -> FileResult` for one .js/.mjs/.cjs/.ts/.tsx file;
- `link_javascript(results, root) -> ProjectIndex` for the project's JS/TS route inventory.

The heavy modules (tree-sitter, detectors, linker) are imported on first use.
"""

from __future__ import annotations

from mcp_backend.review.model import FileResult, Language, ProjectIndex


def analyze_file(file: str, source: str, language: Language) -> FileResult:
    from mcp_backend.review.javascript.analyzer import analyze_file as analyze

    return analyze(file, source, language)


def link_javascript(results: list[FileResult], root: str) -> ProjectIndex:
    from mcp_backend.review.javascript.linker import link_javascript as link

    return link(results, root)
