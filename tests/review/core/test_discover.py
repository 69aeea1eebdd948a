from __future__ import annotations

import os
from pathlib import Path

import pytest

from mcp_backend.review.discover import compile_pattern, discover, is_test_path, language_of

from .conftest import write_tree


def rels(root: Path, **kwargs: object) -> list[str]:
    return [f.rel for f in discover(root, **kwargs).files]  # type: ignore[arg-type]


def skipped(root: Path) -> dict[str, str]:
    return {s.file: s.reason for s in discover(root).skipped}


def test_languages_by_extension_and_declarations_left_out(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app.py": "x = 1\n",
            "server.js": "1;\n",
            "esm.mjs": "1;\n",
            "common.cjs": "1;\n",
            "api.ts": "1;\n",
            "view.tsx": "1;\n",
            "types.d.ts": "declare const x: number;\n",
            "README.md": "# hi\n",
            "data.json": "{}\n",
        },
    )
    found = {f.rel: f.language for f in discover(tmp_path).files}
    assert found == {
        "api.ts": "typescript",
        "app.py": "python",
        "common.cjs": "javascript",
        "esm.mjs": "javascript",
        "server.js": "javascript",
        "view.tsx": "typescript",
    }
    assert language_of("types.d.ts") is None
    assert language_of("x.D.TS") is None


def test_skips_vcs_dependencies_build_output_vendored_and_virtualenvs(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "src/app.py": "x = 1\n",
            ".git/hooks/pre.py": "x = 1\n",
            "node_modules/pkg/index.js": "1;\n",
            "dist/bundle.js": "1;\n",
            "build/lib/app.py": "x = 1\n",
            ".next/server.js": "1;\n",
            "coverage/lcov.js": "1;\n",
            "src/__pycache__/app.py": "x = 1\n",
            ".tox/py311/x.py": "x = 1\n",
            "vendor/lib.py": "x = 1\n",
            "third_party/lib.js": "1;\n",
            ".venv/lib/site.py": "x = 1\n",
            "venv/lib/site.py": "x = 1\n",
            "myenv/pyvenv.cfg": "home = /usr\n",
            "myenv/lib/site.py": "x = 1\n",
            "env/bin/activate": "# activate\n",
            "env/lib/x.py": "x = 1\n",
            # a package that happens to be called "env" but is not a virtualenv is code
            "app/env/settings.py": "x = 1\n",
        },
    )
    assert rels(tmp_path) == ["app/env/settings.py", "src/app.py"]
    assert discover(tmp_path).notes == []  # sources were found: nothing to explain


def test_a_tree_of_build_output_only_says_what_was_left_out(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"dist/server.js": "module.exports = 1;\n", "vendor/lib.py": "x = 1\n", "README.md": "#\n"},
    )
    found = discover(tmp_path)
    assert found.files == []
    assert len(found.notes) == 1
    assert "dist/, vendor/" in found.notes[0]
    assert f"mcp-backend review {tmp_path / 'dist'}" in found.notes[0]
    # Given as the root, the directory is reviewed.
    assert [f.rel for f in discover(tmp_path / "dist").files] == ["server.js"]


def test_gitignore_root_nested_and_negation(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".gitignore": "*.gen.py\n/secret_dir/\nlogs\n!keep.gen.py\n# comment\n\n",
            "a.py": "x = 1\n",
            "b.gen.py": "x = 1\n",
            "keep.gen.py": "x = 1\n",
            "secret_dir/x.py": "x = 1\n",
            "sub/secret_dir/y.py": "x = 1\n",  # anchored pattern: only the top one is ignored
            "sub/logs/z.py": "x = 1\n",
            "sub/.gitignore": "local_*.py\n!local_ok.py\n",
            "sub/local_tmp.py": "x = 1\n",
            "sub/local_ok.py": "x = 1\n",
            "sub/deeper/local_x.py": "x = 1\n",
            "other/local_tmp.py": "x = 1\n",  # the nested .gitignore does not reach here
        },
    )
    assert rels(tmp_path) == [
        "a.py",
        "keep.gen.py",
        "other/local_tmp.py",
        "sub/local_ok.py",
        "sub/secret_dir/y.py",
    ]


def test_gitignore_cannot_reinclude_inside_an_ignored_directory(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {".gitignore": "generated/\n!generated/keep.py\n", "generated/keep.py": "x = 1\n"},
    )
    assert rels(tmp_path) == []


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "matches"),
    [
        ("*.py", "a/b/c.py", False, True),
        ("/top.py", "top.py", False, True),
        ("/top.py", "a/top.py", False, False),
        ("docs/**/*.py", "docs/x/y/z.py", False, True),
        ("docs/**/*.py", "src/docs/z.py", False, False),
        ("**/fixtures", "a/b/fixtures", True, True),
        ("build/", "build", False, False),
        ("build/", "build", True, True),
        ("a?c.py", "abc.py", False, True),
        ("a?c.py", "a/c.py", False, False),
        ("[ab].py", "b.py", False, True),
        ("[!ab].py", "b.py", False, False),
        ("out/**", "out/x/y.py", False, True),
    ],
)
def test_gitignore_pattern_semantics(pattern: str, path: str, is_dir: bool, matches: bool) -> None:
    compiled = compile_pattern(pattern)
    assert compiled is not None
    hit = bool(compiled.regex.match(path)) and (is_dir or not compiled.dir_only)
    assert hit is matches


def test_config_exclude_globs(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"app.py": "x = 1\n", "legacy/old.py": "x = 1\n", "scripts/gen_data.py": "x = 1\n"},
    )
    assert rels(tmp_path, exclude=["legacy/", "scripts/gen_*.py"]) == ["app.py"]


def test_symlink_out_of_root_and_loops_are_skipped_with_reasons(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"secret.py": "x = 1\n", "pkg/m.py": "x = 1\n"})
    root = write_tree(tmp_path / "proj", {"app.py": "x = 1\n", "pkg/inner.py": "x = 1\n"})
    os.symlink(outside / "secret.py", root / "linked.py")
    os.symlink(outside / "pkg", root / "linked_pkg")
    os.symlink(root / "pkg", root / "pkg" / "loop")  # directory loop
    os.symlink(root / "self_loop", root / "self_loop")  # symlink to itself
    os.symlink(root / "pkg" / "inner.py", root / "alias.py")  # same file twice
    found = discover(root)
    assert [f.rel for f in found.files] == ["app.py", "pkg/inner.py"]
    reasons = {s.file: s.reason for s in found.skipped}
    assert "outside the project root" in reasons["linked.py"]
    assert "outside the project root" in reasons["linked_pkg"]
    assert "loop" in reasons["pkg/loop"]
    assert "loop" in reasons["self_loop"]


def test_binary_huge_minified_and_generated_files(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app.py": "x = 1\n",
            "blob.py": b"\x00\x01\x02binary",
            "utf16.ts": "export const a = 1;\n".encode("utf-16-le"),
            "png.js": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "separator.ts": b'export const SEP = "a\x00b";\n' + b"export const x = 1;\n" * 50,
            "huge.py": "x = 1\n" * 40_000,  # ~240 KB
            "lib.min.js": "var a=1;\n",
            "long.js": "var a=" + "1+" * 5000 + "1;\n",
            "api_pb2.py": "# Generated by the protocol buffer compiler.  DO NOT EDIT!\nx = 1\n",
            "client.ts": "// Code generated by openapi-generator. DO NOT EDIT.\nexport {};\n",
            "app/migrations/0001_initial.py": "# Generated by Django 5.0 on 2024-01-01\nx = 1\n",
            "proj/settings.py": (
                '"""\nDjango settings for proj project.\n\n'
                "Generated by 'django-admin startproject' using Django 4.2.\n"
                '"""\nROOT_URLCONF = "proj.urls"\n'
            ),
            "notes.py": "y = 2\n" * 10 + "# a comment deeper down: do not edit this by hand\n",
            "built/admin/assets/settings/index-Bmm3Xeuw.mjs": "export const a = 1;\n",
            "src/routes/user-profile.js": "module.exports = {};\n",
        },
    )
    found = discover(tmp_path, max_file_kb=100)
    assert [f.rel for f in found.files] == [
        "app.py",
        "app/migrations/0001_initial.py",
        "notes.py",
        "proj/settings.py",
        "separator.ts",
        "src/routes/user-profile.js",
    ]
    reasons = {s.file: s.reason for s in found.skipped}
    assert reasons["blob.py"] == "binary content"
    assert reasons["utf16.ts"] == "binary content"
    assert reasons["png.js"] == "binary content"
    assert reasons["huge.py"].startswith("larger than 100 KB")
    assert "minified" in reasons["lib.min.js"]
    assert "minified" in reasons["long.js"]
    assert "generated" in reasons["api_pb2.py"]
    assert "generated" in reasons["client.ts"]
    assert "hashed asset" in reasons["built/admin/assets/settings/index-Bmm3Xeuw.mjs"]


def test_test_file_classification() -> None:
    positives = [
        "tests/test_api.py",
        "app/tests/helpers.py",
        "test_login.py",
        "orders_test.py",
        "conftest.py",
        "src/api.test.ts",
        "src/api.spec.js",
        "src/__tests__/thing.tsx",
        "test/app.e2e-spec.ts",
        "cms/test_utils/project/urls.py",
        "misc/core/testproject/views.py",
        "lib/testutils/server.ts",
        "auth/testhelp.js",
        "src/test-utils.ts",
        "src/testHelpers.ts",
        "lib/test_support.mjs",
        "src/setupTests.ts",
        "jest.setup.js",
        "cypress/support/commands.ts",
        "src/app.e2e.ts",
    ]
    negatives = [
        "app/testing_utils.py",
        "contest.py",
        "src/latest.ts",
        "attestation.py",
        "app/test_utils_api/urls.py",
        "app/testprojects_api/urls.py",
        "src/contest-helpers.ts",
        "src/latest-utils.js",
        "routes/testimonials.js",
    ]
    assert all(is_test_path(p) for p in positives)
    assert not any(is_test_path(p) for p in negatives)


def test_requested_paths_limit_the_walk_but_keep_gitignore(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".gitignore": "*.tmp.py\n",
            "a/one.py": "x = 1\n",
            "a/skip.tmp.py": "x = 1\n",
            "b/two.py": "x = 1\n",
            "c.py": "x = 1\n",
        },
    )
    found = discover(tmp_path, [Path("a"), Path("c.py"), Path("../elsewhere")])
    assert [f.rel for f in found.files] == ["a/one.py", "c.py"]
    assert any("outside the project root" in note for note in found.notes)


def test_published_packages_are_told_from_repositories(tmp_path: Path) -> None:
    from mcp_backend.review.discover import published_package

    wheel = tmp_path / "wheel"
    (wheel / "fief").mkdir(parents=True)
    (wheel / "fief_server-0.30.0.dist-info").mkdir()
    assert published_package(wheel / "fief")
    npm = tmp_path / "npm" / "package"
    (npm / "dist").mkdir(parents=True)
    (npm / "package.json").write_text("{}")
    assert published_package(npm / "dist")
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    (repository / "package").mkdir()
    (repository / "package" / "package.json").write_text("{}")
    assert not published_package(repository / "package")
    assert not published_package(tmp_path / "plain")
