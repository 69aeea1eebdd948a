"""Hono: `new Hono()` apps, `.basePath()`, `app.route(prefix, sub)`, `app.onError`, chains."""

from __future__ import annotations

import re

FRAMEWORK = "hono"
PACKAGES = frozenset({"hono", "@hono/zod-openapi", "hono/quick", "hono/tiny"})
APP_CLASSES = frozenset({"Hono", "OpenAPIHono"})
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "all", "options", "on"})


def app_kind(callee: str, source: str | None, is_new: bool) -> str | None:
    if is_new and callee in APP_CLASSES and (source is None or source in PACKAGES):
        return "hono"
    return None


def use_path_matches(use_path: str, route_path: str) -> bool:
    """Does middleware registered on `use_path` run for `route_path`?

    Express (`'/api'`) matches the path and everything below it. Hono patterns are written with
    a leading '=' by the linker: they match exactly, with `:param` segments and `*` wildcards
    (`'/api/*'` covers '/api/x'; `'/notes/:id'` covers '/notes/search' but not '/notes').
    """
    exact = use_path.startswith("=")
    pattern = use_path.lstrip("=")
    if pattern in {"", "/", "*", "/*"}:
        return True
    regex = ""
    for segment in pattern.strip("/").split("/"):
        if segment in {"*", "**"}:
            regex += "(/.*)?"
        elif segment.startswith(":") or segment.startswith("{"):
            regex += "/[^/]+"
        elif segment.endswith("*"):
            regex += "/" + re.escape(segment[:-1]) + "[^/]*"
        else:
            regex += "/" + re.escape(segment)
    regex += "/?$" if exact else "(/.*)?$"
    return re.match(regex, route_path) is not None
