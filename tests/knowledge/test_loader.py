"""The shipped knowledge base loads, and broken files fail with the file and field named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mcp_backend.knowledge import KnowledgeError, load_knowledge, load_knowledge_from
from mcp_backend.knowledge.loader import resources_dir
from mcp_backend.review.model import CHECKLIST_ITEM_IDS


@pytest.fixture
def resources_copy(tmp_path: Path) -> Path:
    target = tmp_path / "resources"
    shutil.copytree(resources_dir(), target, ignore=shutil.ignore_patterns("recommend"))
    return target


def test_shipped_knowledge_loads_and_is_cached() -> None:
    assert load_knowledge() is load_knowledge()


def test_checklist_ids_are_the_review_engines_items_in_order() -> None:
    ids = tuple(item.id for item in load_knowledge().checklist.items)
    assert ids == CHECKLIST_ITEM_IDS


def test_copy_of_resources_loads_like_the_original(resources_copy: Path) -> None:
    assert load_knowledge_from(resources_copy) == load_knowledge()


def test_missing_field_names_file_and_field(resources_copy: Path) -> None:
    path = resources_copy / "checklist.toml"
    text = path.read_text()
    path.write_text(text.replace('title = "Rate limiting"\n', "", 1))
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge_from(resources_copy)
    message = str(raised.value)
    assert "checklist.toml" in message
    assert "items[8].title: Field required" in message


def test_unknown_key_is_rejected(resources_copy: Path) -> None:
    path = resources_copy / "practices.toml"
    path.write_text(path.read_text().replace("[[areas.do]]\n", "[[areas.do]]\ncolour = 1\n", 1))
    with pytest.raises(KnowledgeError, match=r"practices\.toml: areas\[0\]\.do\[0\]\.colour"):
        load_knowledge_from(resources_copy)


def test_missing_file_is_named(resources_copy: Path) -> None:
    (resources_copy / "quality-loop.toml").unlink()
    with pytest.raises(KnowledgeError, match=r"quality-loop\.toml: knowledge file is missing"):
        load_knowledge_from(resources_copy)


def test_invalid_toml_is_named(resources_copy: Path) -> None:
    (resources_copy / "expertise.toml").write_text("id = \n")
    with pytest.raises(KnowledgeError, match=r"expertise\.toml: not valid TOML"):
        load_knowledge_from(resources_copy)


def test_duplicate_id_is_rejected(resources_copy: Path) -> None:
    path = resources_copy / "anti-patterns.toml"
    path.write_text(path.read_text().replace('id = "n-plus-one"', 'id = "sql-injection"'))
    with pytest.raises(KnowledgeError, match=r"anti-patterns\.toml: .*duplicate anti-pattern id"):
        load_knowledge_from(resources_copy)


def test_dangling_checklist_reference_is_rejected(resources_copy: Path) -> None:
    path = resources_copy / "anti-patterns.toml"
    path.write_text(path.read_text().replace('checklist_item = "secrets"', 'checklist_item = "x"'))
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge_from(resources_copy)
    message = str(raised.value)
    assert "anti-patterns.toml: anti_patterns[5].checklist_item: unknown item 'x'" in message
    assert "input-validation" in message  # the valid ids are listed


def test_table_choice_without_display_name_is_rejected(resources_copy: Path) -> None:
    path = resources_copy / "decisions" / "database-selection.toml"
    path.write_text(path.read_text().replace('choice = "sqlite"', 'choice = "duckdb"'))
    expected = r"database-selection\.toml: rows\[3\]\.choice: 'duckdb' has no display name"
    with pytest.raises(KnowledgeError, match=expected):
        load_knowledge_from(resources_copy)


def test_playbook_id_must_match_file_name(resources_copy: Path) -> None:
    folder = resources_copy / "playbooks"
    (folder / "auth-api.toml").rename(folder / "login.toml")
    with pytest.raises(KnowledgeError, match=r"login\.toml: id: 'auth-api' must equal"):
        load_knowledge_from(resources_copy)


def test_loading_is_lazy() -> None:
    import subprocess
    import sys

    # Importing the package (as server start-up does) must not read any file.
    code = "import mcp_backend.knowledge as k; print(k.load_knowledge.cache_info().currsize)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "0"
