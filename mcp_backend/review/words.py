"""Splitting identifiers into words, shared by the Python and JavaScript analyzers."""

from __future__ import annotations

import re

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def name_words(identifier: str) -> list[str]:
    """`accessToken` / `ACCESS_TOKEN` / `access-token` -> ['access', 'token']."""
    spaced = _CAMEL_BOUNDARY.sub("_", identifier)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]
