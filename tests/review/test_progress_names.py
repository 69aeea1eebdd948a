"""Progress names files by their path relative to the root (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mcp_backend.review.engine import run_review
from mcp_backend.review.model import ReviewRequest

SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_names_files_relative_to_the_root(tmp_path: Path, jobs: int) -> None:
    for index in range(6):
        (tmp_path / "app" / f"module_{index}.py").parent.mkdir(exist_ok=True)
        (tmp_path / "app" / f"module_{index}.py").write_text(f"value_{index} = {index}\n")
    messages: list[str] = []
    run_review(
        ReviewRequest(root=tmp_path, use_cache=False, jobs=jobs),
        on_progress=lambda done, total, message: messages.append(message),
    )
    files = [m for m in messages if m.startswith("app/")]
    assert files, messages
    assert not [m for m in messages if SHA256.search(m)], messages
