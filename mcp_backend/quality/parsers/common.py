"""Helpers shared by the output parsers."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

MAX_MESSAGE_CHARS = 400


def relative_path(file: str, root: Path) -> str:
    """A tool's file name as a POSIX path relative to the project root when it lies inside."""
    if not file:
        return ""
    if file.startswith("file://"):
        file = file[len("file://") :]
    path = Path(file)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                return path.as_posix()
    return PurePosixPath(file.replace("\\", "/")).as_posix()


def short_message(message: str) -> str:
    message = message.strip()
    if len(message) > MAX_MESSAGE_CHARS:
        return message[: MAX_MESSAGE_CHARS - 1] + "…"
    return message


def load_json(text: str) -> Any:
    """Parse JSON that a tool may have surrounded with log lines (npm banners, warnings)."""
    text = text.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    for opener, closer in (("[", "]"), ("{", "}")):
        start, end = text.find(opener), text.rfind(closer)
        if 0 <= start < end:
            try:
                return json.loads(text[start : end + 1])
            except json.JSONDecodeError:
                continue
    raise ValueError("output is not JSON")
