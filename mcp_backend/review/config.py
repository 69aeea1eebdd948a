"""The project's own review settings.

Read from the first of: `mcp-backend.toml` (top-level keys), `[tool.mcp-backend]` in
pyproject.toml, or the "mcp-backend" key of package.json. Keys: `disable` (rule ids),
`min_severity`, `exclude` (gitignore-style globs), `max_file_kb`. Anything wrong becomes a
note in the report; the review goes on with defaults.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field

from mcp_backend.review.discover import DEFAULT_MAX_FILE_KB
from mcp_backend.review.model import Severity

CONFIG_KEYS = ("disable", "min_severity", "exclude", "max_file_kb")
_SEVERITIES: tuple[str, ...] = get_args(Severity)


class ReviewConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disable: list[str] = Field(default_factory=list)
    min_severity: Severity | None = None
    exclude: list[str] = Field(default_factory=list)
    max_file_kb: int = DEFAULT_MAX_FILE_KB
    source: str | None = Field(default=None, description="Where the settings were read from.")
    notes: list[str] = Field(default_factory=list)


def _read_section(root: Path) -> tuple[str | None, dict[str, Any] | None, list[str]]:
    """(where, the settings table, notes) from the first config file that has one."""
    notes: list[str] = []
    found: list[tuple[str, dict[str, Any]]] = []

    dedicated = root / "mcp-backend.toml"
    if dedicated.is_file():
        try:
            found.append(("mcp-backend.toml", tomllib.loads(dedicated.read_text("utf-8"))))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            notes.append(f"mcp-backend.toml could not be read ({exc}); using defaults")

    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            notes.append(f"pyproject.toml could not be read ({exc}); its settings are ignored")
        else:
            section = data.get("tool", {}).get("mcp-backend")
            if isinstance(section, dict):
                found.append(("pyproject.toml [tool.mcp-backend]", section))
            elif section is not None:
                notes.append("[tool.mcp-backend] in pyproject.toml is not a table; ignored")

    package_json = root / "package.json"
    if package_json.is_file():
        try:
            data = json.loads(package_json.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            notes.append(f"package.json could not be read ({exc}); its settings are ignored")
        else:
            section = data.get("mcp-backend") if isinstance(data, dict) else None
            if isinstance(section, dict):
                found.append(('package.json "mcp-backend"', section))
            elif section is not None:
                notes.append('"mcp-backend" in package.json is not an object; ignored')

    if not found:
        return None, None, notes
    if len(found) > 1:
        others = ", ".join(where for where, _ in found[1:])
        notes.append(f"review settings read from {found[0][0]}; also found in {others} (ignored)")
    return found[0][0], found[0][1], notes


def _string_list(value: Any, key: str, where: str, notes: list[str]) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    notes.append(f"{where}: `{key}` must be a list of strings; ignored")
    return []


def load_config(root: Path, known_rule_ids: Collection[str] | None = None) -> ReviewConfig:
    where, section, notes = _read_section(root)
    config = ReviewConfig(source=where, notes=notes)
    if section is None or where is None:
        return config

    for key in section:
        if key not in CONFIG_KEYS:
            notes.append(
                f"{where}: unknown setting `{key}` ignored (known: {', '.join(CONFIG_KEYS)})"
            )

    if "disable" in section:
        disabled = _string_list(section["disable"], "disable", where, notes)
        if known_rule_ids is not None:
            unknown = [rule_id for rule_id in disabled if rule_id not in known_rule_ids]
            if unknown:
                notes.append(f"{where}: `disable` names unknown rule id(s): {', '.join(unknown)}")
        config.disable = disabled

    if "min_severity" in section:
        value = section["min_severity"]
        if isinstance(value, str) and value.lower() in _SEVERITIES:
            config.min_severity = value.lower()  # type: ignore[assignment]
        else:
            notes.append(
                f"{where}: `min_severity` must be one of {', '.join(_SEVERITIES)}; ignored"
            )

    if "exclude" in section:
        config.exclude = _string_list(section["exclude"], "exclude", where, notes)

    if "max_file_kb" in section:
        value = section["max_file_kb"]
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            config.max_file_kb = value
        else:
            notes.append(f"{where}: `max_file_kb` must be a positive integer; ignored")

    config.notes = notes
    return config
