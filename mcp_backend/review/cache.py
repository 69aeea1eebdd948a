"""Per-file result cache keyed by content hash, stored outside the reviewed project.

One JSON file per reviewed root holds every file's result. It is only a speed-up: a missing,
corrupted, stale or unwritable cache means the files are analysed again, never a failed review.
The whole cache is dropped when the analysis code changes (its fingerprint covers every
module that shapes a file's result), so a new rule never hides behind an old result.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from mcp_backend.review.model import FileResult
from mcp_backend.review.suppress import Suppression

logger = logging.getLogger(__name__)

ENGINE_VERSION = "1"
CACHE_FILE = "results.json"
_REVIEW_PACKAGE_DIR = Path(__file__).resolve().parent


class CacheEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sha256: str
    is_test: bool
    result: FileResult
    suppressions: list[Suppression] = []
    # The file's size, mtime and inode when it was read: a file found with all three unchanged
    # is not read again (as ruff and mypy do); any difference falls back to the content hash.
    size: int | None = None
    mtime_ns: int | None = None
    inode: int | None = None


# Modules that only act after the per-file analysis (reports, verdicts, project rules): a
# change there must not throw away every cached file result.
_NOT_PER_FILE = frozenset(
    {
        "engine.py",
        "report.py",
        "sarif.py",
        "docs.py",
        "checklist.py",
        "config.py",
        "secrets_mask.py",
    }
)
# discover.py is not among them: a file whose size, mtime and inode are unchanged skips
# discovery's content checks (binary, minified, generated) on the strength of its cache entry,
# so new checks there must reach files analysed before them.


_PROJECT_LEVEL_MODULES = frozenset(
    {("rules", "_graphql.py"), ("route_policy.py",), ("taint", "findings.py")}
)


def _project_level(relative: Path) -> bool:
    """The project rules' detectors and what only they and the linkers use (route policy, the
    taint engine's reporter): they run on the linked inventory, after the per-file results."""
    parts = relative.parts
    if len(parts) == 3 and parts[0] == "rules" and parts[2] == "project.py":
        return True
    return parts in _PROJECT_LEVEL_MODULES


@cache
def analysis_fingerprint() -> str:
    """Engine version + the content of every module that shapes a per-file result (the
    analyzers, detectors, framework extractors, rule catalog and data model)."""
    digest = hashlib.sha256(f"engine:{ENGINE_VERSION}".encode())
    for path in sorted(_REVIEW_PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(_REVIEW_PACKAGE_DIR)
        if "__pycache__" in path.parts or _project_level(relative):
            continue
        if len(relative.parts) == 1 and relative.name in _NOT_PER_FILE:
            continue
        digest.update(path.relative_to(_REVIEW_PACKAGE_DIR).as_posix().encode())
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def default_cache_root() -> Path:
    override = os.environ.get("MCP_BACKEND_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "mcp-backend" / "review"


def cache_dir_for(root: Path, cache_root: Path | None = None) -> Path:
    """A directory per reviewed root, named by a hash of its resolved path."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return (cache_root or default_cache_root()) / key


class ResultCache:
    """Load once, look up per file, save once. Never raises on I/O or bad data."""

    def __init__(self, directory: Path, fingerprint: str | None = None) -> None:
        self.directory = directory
        self.fingerprint = fingerprint or analysis_fingerprint()
        self.hits = 0
        self.misses = 0
        self.notes: list[str] = []
        self._raw: dict[str, Any] = {}
        self._fresh: dict[str, CacheEntry] = {}
        self._loaded = False

    @property
    def path(self) -> Path:
        return self.directory / CACHE_FILE

    def load(self) -> None:
        """Read the cache file (once: discovery and the scan both ask)."""
        if self._loaded:
            return
        self._loaded = True
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.notes.append(f"cache not read ({exc.strerror}); files analysed afresh")
            return
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            logger.warning("review cache %s is corrupted; ignoring it", self.path)
            self.notes.append("cache file was corrupted; ignored and rebuilt")
            return
        if not isinstance(data, dict) or data.get("fingerprint") != self.fingerprint:
            return  # another engine version or rule set: every result may differ
        entries = data.get("entries")
        if isinstance(entries, dict):
            self._raw = entries

    def __len__(self) -> int:
        return len(self._raw) + len(self._fresh)

    def get(self, rel: str, sha256: str, is_test: bool) -> CacheEntry | None:
        if not self._loaded:
            self.load()
        entry = self._fresh.get(rel)
        if entry is None:
            raw = self._raw.get(rel)
            if isinstance(raw, dict) and raw.get("sha256") == sha256:
                try:
                    entry = CacheEntry.model_validate(raw)
                except ValidationError:
                    entry = None
        if entry is None or entry.sha256 != sha256 or entry.is_test != is_test:
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def unchanged(self, rel: str, size: int, mtime_ns: int, inode: int) -> bool:
        """Whether `rel` was analysed with exactly this size, mtime and inode."""
        if not self._loaded:
            self.load()
        raw = self._raw.get(rel)
        return (
            isinstance(raw, dict)
            and mtime_ns > 0
            and raw.get("size") == size
            and raw.get("mtime_ns") == mtime_ns
            and raw.get("inode") == inode
        )

    def get_unchanged(
        self, rel: str, size: int, mtime_ns: int, inode: int, is_test: bool
    ) -> CacheEntry | None:
        """The cached result of a file whose size, mtime and inode have not changed."""
        if not self.unchanged(rel, size, mtime_ns, inode):
            return None
        try:
            entry = CacheEntry.model_validate(self._raw[rel])
        except ValidationError:
            return None
        if entry.is_test != is_test:
            return None
        self.hits += 1
        return entry

    def put(self, rel: str, entry: CacheEntry) -> None:
        self._fresh[rel] = entry

    def save(self, keep: set[str] | None = None) -> None:
        """Write atomically. `keep`: the files still in the project (others are dropped)."""
        if not self._fresh and keep is None:
            return
        entries: dict[str, Any] = {
            rel: raw for rel, raw in self._raw.items() if keep is None or rel in keep
        }
        for rel, entry in self._fresh.items():
            entries[rel] = entry.model_dump(mode="json")
        if not self._fresh and entries.keys() == self._raw.keys():
            return
        payload = json.dumps(
            {"fingerprint": self.fingerprint, "entries": entries}, separators=(",", ":")
        )
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temp_name = tempfile.mkstemp(prefix=".results-", dir=self.directory)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(payload)
                os.replace(temp_name, self.path)
            except BaseException:
                Path(temp_name).unlink(missing_ok=True)
                raise
        except OSError as exc:
            logger.info("review cache not written to %s: %s", self.directory, exc)
            self.notes.append(
                f"cache not written ({exc.strerror or exc}); the next run analyses every file again"
            )
            return
        self._raw = entries
        self._fresh = {}
