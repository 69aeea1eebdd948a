"""Confinement: every client path resolves inside an allowed root or is refused clearly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mcp_backend.workspace import ROOTS_ENV, Workspace, WorkspaceError


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("print('hi')\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("s3cret\n")
    return root


def workspace(root: Path) -> Workspace:
    return Workspace.configure([str(root)])


def test_relative_path_resolves_inside_first_root(tree: Path) -> None:
    assert workspace(tree).resolve("src/app.py") == (tree / "src" / "app.py").resolve()
    assert workspace(tree).resolve(".") == tree.resolve()


def test_dotdot_escape_is_refused(tree: Path) -> None:
    with pytest.raises(WorkspaceError, match="outside the allowed roots"):
        workspace(tree).resolve("../outside/secret.txt")


def test_dotdot_that_stays_inside_is_fine(tree: Path) -> None:
    assert workspace(tree).resolve("src/../src/app.py") == (tree / "src" / "app.py").resolve()


def test_absolute_path_outside_is_refused(tree: Path) -> None:
    with pytest.raises(WorkspaceError, match="outside the allowed roots"):
        workspace(tree).resolve("/etc/passwd")


def test_absolute_path_inside_is_accepted(tree: Path) -> None:
    target = str((tree / "src").resolve())
    assert workspace(tree).resolve(target) == Path(target)


def test_symlink_pointing_out_is_refused(tree: Path) -> None:
    (tree / "link").symlink_to(tree.parent / "outside")
    with pytest.raises(WorkspaceError, match="outside the allowed roots"):
        workspace(tree).resolve("link/secret.txt")


def test_path_through_symlinked_parent_is_refused(tree: Path) -> None:
    (tree / "src" / "escape").symlink_to(tree.parent / "outside", target_is_directory=True)
    with pytest.raises(WorkspaceError):
        workspace(tree).resolve("src/escape")


def test_root_that_is_itself_a_symlink_is_resolved(tree: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(tree, target_is_directory=True)
    ws = Workspace.configure([str(alias)])
    assert ws.roots == [tree.resolve()]
    assert ws.resolve(str(alias / "src" / "app.py")) == (tree / "src" / "app.py").resolve()


def test_sibling_with_common_prefix_is_not_inside(tree: Path) -> None:
    sibling = tree.parent / (tree.name + "-evil")
    sibling.mkdir()
    with pytest.raises(WorkspaceError, match="outside"):
        workspace(tree).resolve(str(sibling))


def test_case_variant_is_not_a_way_out(tree: Path) -> None:
    # On a case-sensitive filesystem the variant does not exist; it must not resolve elsewhere.
    with pytest.raises(WorkspaceError):
        workspace(tree).resolve(str(tree).upper() + "/SRC")


def test_missing_path_is_a_clear_error(tree: Path) -> None:
    with pytest.raises(WorkspaceError, match="does not exist"):
        workspace(tree).resolve("nope/missing.py")


def test_empty_and_nul_paths_are_refused(tree: Path) -> None:
    with pytest.raises(WorkspaceError, match="empty"):
        workspace(tree).resolve("  ")
    with pytest.raises(WorkspaceError, match="NUL"):
        workspace(tree).resolve("src/\x00app.py")


def test_symlink_loop_is_an_error_not_a_crash(tree: Path) -> None:
    (tree / "a").symlink_to(tree / "b")
    (tree / "b").symlink_to(tree / "a")
    with pytest.raises(WorkspaceError):
        workspace(tree).resolve("a")


def test_want_dir_and_file(tree: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a directory"):
        workspace(tree).resolve("src/app.py", want_dir=True)
    with pytest.raises(WorkspaceError, match="not a file"):
        workspace(tree).resolve("src", want_dir=False)


def test_file_uri_is_accepted(tree: Path) -> None:
    assert workspace(tree).resolve((tree / "src").resolve().as_uri()) == (tree / "src").resolve()


def test_roots_from_environment(tree: Path, tmp_path: Path) -> None:
    other = tmp_path / "outside"
    ws = Workspace.configure([], environ={ROOTS_ENV: f"{tree}{os.pathsep}{other}"})
    assert ws.explicit
    assert ws.resolve(str(other / "secret.txt")) == (other / "secret.txt").resolve()


def test_missing_root_is_reported(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="does not exist"):
        Workspace.configure([str(tmp_path / "missing")])


def test_default_is_current_directory(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    ws = Workspace.configure([], environ={})
    assert ws.roots == [tree.resolve()]
    assert not ws.explicit


def test_client_roots_replace_default_but_not_explicit(tree: Path, tmp_path: Path) -> None:
    other = tmp_path / "outside"
    default = Workspace(roots=[tree.resolve()])
    default.adopt_client_roots([other.resolve().as_uri(), "https://example.com/x"])
    assert default.roots == [other.resolve()]
    explicit = Workspace.configure([str(tree)])
    explicit.adopt_client_roots([other.resolve().as_uri()])
    assert explicit.roots == [tree.resolve()]


def test_filesystem_root_and_home_are_never_implicit_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ROOTS_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for start in (Path("/"), tmp_path):
        monkeypatch.chdir(start)
        workspace = Workspace.configure()
        assert workspace.roots == []
        with pytest.raises(WorkspaceError, match="--root") as error:
            workspace.resolve(".")
        assert ROOTS_ENV in str(error.value) and str(start) in str(error.value)
    # A project folder under home is still the default root; an explicit `/` is allowed.
    (tmp_path / "project").mkdir()
    monkeypatch.chdir(tmp_path / "project")
    assert Workspace.configure().roots == [(tmp_path / "project").resolve()]
    assert Workspace.configure(["/"]).roots == [Path("/")]
