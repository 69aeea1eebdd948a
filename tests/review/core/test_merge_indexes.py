"""A mixed repository's indexes merge without one language's facts replacing the other's."""

from __future__ import annotations

from mcp_backend.review.model import ProjectIndex
from mcp_backend.review.scan import merge_indexes


def test_facts_of_both_languages_survive_the_merge() -> None:
    python = ProjectIndex(
        root="/p",
        frameworks=["fastapi"],
        source_files=["api/main.py"],
        facts={"error_handlers": [{"file": "api/main.py"}], "apps": {"api.main:app": {}}},
    )
    typescript = ProjectIndex(
        root="/p",
        frameworks=["express", "fastapi"],
        source_files=["web/src/app.ts", "api/main.py"],
        facts={"error_handlers": [{"file": "web/src/app.ts"}], "apps": {"web/src/app.ts:app": {}}},
    )
    merged = merge_indexes("/p", [python, typescript])
    assert merged.frameworks == ["fastapi", "express"]
    assert merged.source_files == ["api/main.py", "web/src/app.ts"]
    assert [h["file"] for h in merged.facts["error_handlers"]] == ["api/main.py", "web/src/app.ts"]
    assert set(merged.facts["apps"]) == {"api.main:app", "web/src/app.ts:app"}
