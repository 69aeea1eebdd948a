"""Helpers shared by the output parsers."""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

MAX_MESSAGE_CHARS = 400
# ANSI/VT escape sequences: CSI (colours, cursor moves), OSC (titles, hyperlinks) and the
# two-byte ones. Tools that colour whatever the environment says (ts-jest prints TypeScript's
# coloured diagnostics under NO_COLOR) leave them in their output.
_ANSI_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]"
)


def strip_ansi(text: str) -> str:
    """The text without terminal escape sequences (colours, cursor movement, hyperlinks)."""
    return _ANSI_ESCAPE.sub("", text) if ("\x1b" in text or "\x9b" in text) else text


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
    message = strip_ansi(message).strip()
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
