from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from mcp_backend.review.cache import CACHE_FILE, ResultCache, cache_dir_for
from mcp_backend.review.discover import discover
from mcp_backend.review.engine import review
from mcp_backend.review.model import ReviewReport, ReviewRequest
from mcp_backend.review.scan import ReviewCancelled, scan_files

from .conftest import write_tree

PROJECT = {
    "app/main.py": "def handler():\n    danger(1)\n",
    "app/util.py": "def f():\n    notice('x')\n",
    "app/clean.py": "def g():\n    return 1\n",
}


def comparable(report: ReviewReport) -> dict[str, object]:
    data = report.model_dump()
    data["summary"].pop("duration_s")
    data["summary"].pop("cache_hits")
    return data


def test_warm_run_is_identical_and_served_from_cache(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(tmp_path / "proj", PROJECT)
    request = ReviewRequest(root=root, cache_dir=cache_dir, jobs=1)
    cold = review(request)
    warm = review(request)
    assert cold.summary.cache_hits == 0
    assert warm.summary.cache_hits == 3
    assert comparable(cold) == comparable(warm)
    assert (cache_dir_for(root, cache_dir) / CACHE_FILE).is_file()
    assert not any(p.name == CACHE_FILE for p in root.rglob("*"))  # nothing in the project


def test_changed_file_is_analysed_again(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(tmp_path / "proj", PROJECT)
    request = ReviewRequest(root=root, cache_dir=cache_dir, jobs=1)
    review(request)
    (root / "app" / "clean.py").write_text("def g():\n    danger(2)\n")
    again = review(request)
    assert again.summary.cache_hits == 2
    assert sorted(f.file for f in again.findings if f.rule_id == "test-danger-call") == [
        "app/clean.py",
        "app/main.py",
    ]


def test_unchanged_files_are_not_read_and_a_same_size_edit_is_seen(
    tmp_path: Path,
    detectors: Callable[..., None],
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = write_tree(tmp_path / "proj", PROJECT)
    request = ReviewRequest(root=root, cache_dir=cache_dir, jobs=1)
    review(request)
    # Warm, nothing changed: size, mtime and inode match, so no file is opened for its content.
    reads: list[str] = []
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    assert review(request).summary.cache_hits == 3
    assert reads == []
    # The same number of bytes, written later: the mtime differs, so it is read and analysed.
    clean = root / "app" / "clean.py"
    before = clean.stat()
    clean.write_text("def g():\n    danger(9)\n"[: before.st_size].ljust(before.st_size))
    assert clean.stat().st_size == before.st_size
    os.utime(clean, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    again = review(request)
    assert again.summary.cache_hits == 2
    assert "app/clean.py" in {f.file for f in again.findings if f.rule_id == "test-danger-call"}


def test_a_touched_file_is_a_hit_by_content_and_then_by_its_new_mtime(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(tmp_path / "proj", PROJECT)
    request = ReviewRequest(root=root, cache_dir=cache_dir, jobs=1)
    review(request)
    main = root / "app" / "main.py"
    stat = main.stat()
    os.utime(main, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert review(request).summary.cache_hits == 3  # same content hash
    cache = ResultCache(cache_dir_for(root, cache_dir))
    new = main.stat()
    assert cache.unchanged("app/main.py", new.st_size, new.st_mtime_ns, new.st_ino)


def test_corrupted_cache_is_ignored_and_rebuilt(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(tmp_path / "proj", PROJECT)
    request = ReviewRequest(root=root, cache_dir=cache_dir, jobs=1)
    first = review(request)
    cache_file = cache_dir_for(root, cache_dir) / CACHE_FILE
    cache_file.write_text('{"fingerprint": "x", "entries": {trunc')
    second = review(request)
    assert second.summary.cache_hits == 0
    assert any("corrupted" in note for note in second.notes)
    assert comparable(first)["findings"] == comparable(second)["findings"]
    assert json.loads(cache_file.read_text())["entries"]  # rebuilt


def test_wrong_shaped_entries_are_misses_not_errors(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(tmp_path / "proj", PROJECT)
    request = ReviewRequest(root=root, cache_dir=cache_dir, jobs=1)
    review(request)
    cache_file = cache_dir_for(root, cache_dir) / CACHE_FILE
    data = json.loads(cache_file.read_text())
    for entry in data["entries"].values():
        entry["result"] = {"nonsense": True}
    cache_file.write_text(json.dumps(data))
    again = review(request)
    assert again.summary.cache_hits == 0
    assert again.summary.findings == 2


def test_unwritable_cache_location_still_reviews(
    tmp_path: Path, detectors: Callable[..., None]
) -> None:
    root = write_tree(tmp_path / "proj", PROJECT)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should go")
    report = review(ReviewRequest(root=root, cache_dir=blocker, jobs=1))
    assert report.summary.findings == 2
    assert any("cache not written" in note for note in report.notes)


def test_default_cache_lives_under_xdg_cache_home(
    tmp_path: Path, detectors: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MCP_BACKEND_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = write_tree(tmp_path / "proj", PROJECT)
    review(ReviewRequest(root=root, jobs=1))
    written = list((tmp_path / "xdg" / "mcp-backend" / "review").glob(f"*/{CACHE_FILE}"))
    assert len(written) == 1


def test_other_rule_set_fingerprint_invalidates(
    tmp_path: Path, detectors: Callable[..., None], cache_dir: Path
) -> None:
    root = write_tree(tmp_path / "proj", PROJECT)
    files = discover(root).files
    first = ResultCache(cache_dir_for(root, cache_dir), fingerprint="rules-v1")
    scan_files(files, cache=first, jobs=1)
    first.save()
    same = ResultCache(cache_dir_for(root, cache_dir), fingerprint="rules-v1")
    assert scan_files(files, cache=same, jobs=1).cache_hits == 3
    other = ResultCache(cache_dir_for(root, cache_dir), fingerprint="rules-v2")
    assert scan_files(files, cache=other, jobs=1).cache_hits == 0


def test_progress_is_reported_and_cancellation_stops(
    tmp_path: Path, detectors: Callable[..., None]
) -> None:
    root = write_tree(tmp_path / "proj", {f"m{i}.py": "x = 1\n" for i in range(5)})
    files = discover(root).files
    calls: list[tuple[int, int, str]] = []
    scan_files(files, jobs=1, on_progress=lambda d, t, m: calls.append((d, t, m)))
    assert calls[-1][:2] == (5, 5)

    checks = iter([False, False, True])
    with pytest.raises(ReviewCancelled):
        scan_files(files, jobs=1, should_cancel=lambda: next(checks, True))


def test_worker_processes_give_the_same_results(tmp_path: Path) -> None:
    # Real detectors here: stand-ins patched into this process do not reach the workers.
    root = write_tree(
        tmp_path / "proj",
        {
            f"pkg/mod{i}.py": (
                "import subprocess\n\n"
                f"def run{i}(cmd):\n"
                "    return subprocess.run(cmd, shell=True)\n"
                f"\nquery = 'SELECT * FROM t WHERE id = %s' % {i}\n"
            )
            for i in range(12)
        },
    )
    files = discover(root).files
    serial = scan_files(files, jobs=1)
    pooled = scan_files(files, jobs=2)
    assert pooled.workers == 2 or any("parallel analysis unavailable" in n for n in pooled.notes)
    assert [r.model_dump() for r in serial.results] == [r.model_dump() for r in pooled.results]
