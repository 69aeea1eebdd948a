"""Workspace confinement: the only place a client-given path becomes a filesystem path.

Every path is resolved (symlinks followed, `..` collapsed) and must then lie inside one of the
allowed roots. Roots come from `--root` (repeatable), `MCP_BACKEND_ROOTS` (os.pathsep-separated),
the client's roots when it offers them, else the current directory -- unless that is the
filesystem root or the home directory (desktop clients launch servers from `/`): those are never
an implicit root, and tools then refuse with how to configure one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOTS_ENV = "MCP_BACKEND_ROOTS"


class WorkspaceError(ValueError):
    """A path the client named is not acceptable; the message says why and what to do."""


def too_broad_for_implicit_root(directory: Path, home: Path | None = None) -> bool:
    """The filesystem root and the home directory are never taken as a root by default."""
    home = Path.home() if home is None else home
    with contextlib.suppress(OSError):
        home = home.resolve()
    return directory == Path(directory.anchor) or _canonical(directory) == _canonical(home)


def no_root_message(start_dir: Path) -> str:
    return (
        f"no project root is configured, and the server's working directory ({start_dir}) is "
        "too broad to be one. Start the server with --root /path/to/project (repeatable), or "
        f"set {ROOTS_ENV}=/path/to/project (several separated by '{os.pathsep}'); "
        "`mcp-backend config CLIENT --root DIR` prints a client configuration that does so."
    )


def _canonical(path: Path) -> str:
    # normcase folds case on case-insensitive platforms (Windows), so "C:\\Proj" and
    # "c:\\proj" compare equal there; on POSIX it is the identity.
    return os.path.normcase(str(path))


def _is_within(path: Path, root: Path) -> bool:
    path_text, root_text = _canonical(path), _canonical(root)
    return path_text == root_text or path_text.startswith(root_text.rstrip(os.sep) + os.sep)


def resolve_root(raw: str | os.PathLike[str]) -> Path:
    """Resolve a configured root; it must exist and be a directory."""
    text = os.fspath(raw)
    if "\x00" in text:
        raise WorkspaceError("a root path contains a NUL byte")
    candidate = Path(text).expanduser()
    try:
        resolved = candidate.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        raise WorkspaceError(f"root {text!r} does not exist") from None
    except (OSError, RuntimeError) as error:  # RuntimeError: symlink loop on older Pythons
        raise WorkspaceError(f"root {text!r} cannot be resolved: {error}") from None
    if not resolved.is_dir():
        raise WorkspaceError(f"root {text!r} is not a directory")
    return resolved


def roots_from_environment(environ: dict[str, str] | None = None) -> list[Path]:
    value = (os.environ if environ is None else environ).get(ROOTS_ENV, "")
    return [resolve_root(part) for part in value.split(os.pathsep) if part.strip()]


def roots_from_uris(uris: Iterable[str]) -> list[Path]:
    """Client roots arrive as file:// URIs; anything else is ignored."""
    roots: list[Path] = []
    for uri in uris:
        parsed = urlparse(uri)
        if parsed.scheme != "file":
            continue
        try:
            roots.append(resolve_root(unquote(parsed.path)))
        except WorkspaceError:
            continue  # a client root we cannot see is not an error for us
    return roots


@dataclass
class Workspace:
    """The allowed roots, and the resolution of client paths against them."""

    roots: list[Path] = field(default_factory=list)
    # True when roots came from the user (CLI/env): client roots then never replace them.
    explicit: bool = False
    # The client is asked for its roots at most once per server.
    client_roots_asked: bool = False
    # Where the server started when that was refused as an implicit root (/ or home).
    refused_start_dir: Path | None = None

    @classmethod
    def configure(
        cls, cli_roots: Sequence[str] = (), environ: dict[str, str] | None = None
    ) -> Workspace:
        roots = [resolve_root(root) for root in cli_roots]
        roots += roots_from_environment(environ)
        if roots:
            return cls(roots=_dedupe(roots), explicit=True)
        start_dir = Path.cwd().resolve()
        if too_broad_for_implicit_root(start_dir):
            return cls(roots=[], explicit=False, refused_start_dir=start_dir)
        return cls(roots=[start_dir], explicit=False)

    def adopt_client_roots(self, uris: Iterable[str]) -> None:
        """Use the client's roots, unless the user configured roots explicitly."""
        if self.explicit:
            return
        client_roots = roots_from_uris(uris)
        if client_roots:
            self.roots = _dedupe(client_roots)

    def describe(self) -> str:
        return ", ".join(str(root) for root in self.roots) or "(no root configured)"

    def require_roots(self) -> None:
        """Raise WorkspaceError saying how to configure a root when there is none."""
        if not self.roots:
            raise WorkspaceError(no_root_message(self.refused_start_dir or Path.cwd()))

    def resolve(self, raw: str, *, must_exist: bool = True, want_dir: bool | None = None) -> Path:
        """Turn a client path into a real path inside an allowed root, or raise WorkspaceError.

        Relative paths are taken relative to the first root. Symlinks are followed before the
        containment check, so a link pointing outside is refused like `..` or an absolute path.
        """
        self.require_roots()
        if not isinstance(raw, str) or not raw.strip():
            raise WorkspaceError(
                "path is empty: give a directory or file inside " + self.describe()
            )
        if "\x00" in raw:
            raise WorkspaceError("path contains a NUL byte")
        text = raw.strip()
        if text.startswith("file://"):
            text = unquote(urlparse(text).path)
        candidate = Path(text).expanduser()
        if not candidate.is_absolute():
            candidate = self.roots[0] / candidate
        try:
            resolved = candidate.resolve(strict=must_exist)
        except FileNotFoundError:
            raise WorkspaceError(f"{raw!r} does not exist (looked for {candidate})") from None
        except (OSError, RuntimeError) as error:
            raise WorkspaceError(f"{raw!r} cannot be resolved: {error}") from None
        if not any(_is_within(resolved, root) for root in self.roots):
            raise WorkspaceError(
                f"{raw!r} resolves to {resolved}, which is outside the allowed roots "
                f"({self.describe()}). Pass a path inside them, or start the server with "
                f"--root PATH (or {ROOTS_ENV}) to allow another directory."
            )
        if want_dir is True and must_exist and not resolved.is_dir():
            raise WorkspaceError(f"{raw!r} is not a directory")
        if want_dir is False and must_exist and not resolved.is_file():
            raise WorkspaceError(f"{raw!r} is not a file")
        return resolved

    def root_of(self, path: Path) -> Path:
        """The allowed root that holds `path` (already resolved through `resolve`)."""
        for root in self.roots:
            if _is_within(path, root):
                return root
        raise WorkspaceError(f"{path} is outside the allowed roots ({self.describe()})")

    def relative(self, path: Path) -> str:
        """A path for display: relative to its root when possible."""
        for root in self.roots:
            if _is_within(path, root):
                return path.relative_to(root).as_posix() or "."
        return str(path)


def _dedupe(roots: list[Path]) -> list[Path]:
    seen: dict[str, Path] = {}
    for root in roots:
        seen.setdefault(_canonical(root), root)
    return list(seen.values())
