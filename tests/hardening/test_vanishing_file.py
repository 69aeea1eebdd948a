"""A file deleted between discovery and analysis (an editor saving, a branch switch) is reported
as skipped with the reason; the review of everything else goes on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mcp_backend.review import engine
from mcp_backend.review.discover import discover as real_discover
from mcp_backend.review.model import ReviewRequest


def test_file_deleted_during_a_scan_is_skipped_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app.py").write_text(
        "import sqlite3\n\n\ndef find(conn: sqlite3.Connection, name: str) -> object:\n"
        "    return conn.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n"
    )
    (tmp_path / "gone.py").write_text("VALUE = 1\n")

    def discover_then_delete(*args: Any, **kwargs: Any) -> Any:
        found = real_discover(*args, **kwargs)
        (tmp_path / "gone.py").unlink()  # vanishes after it was listed
        return found

    monkeypatch.setattr(engine, "discover", discover_then_delete)
    report = engine.review(ReviewRequest(root=tmp_path, use_cache=False))
    skipped = {entry.file: entry.reason for entry in report.skipped}
    assert "gone.py" in skipped and "No such file" in skipped["gone.py"]
    assert any(f.rule_id == "sql-string-query" for f in report.findings)
