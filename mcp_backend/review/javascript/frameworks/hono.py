"""Hono: `new Hono()` apps, `.basePath()`, `app.route(prefix, sub)`, `app.onError`, chains."""

from __future__ import annotations

FRAMEWORK = "hono"
PACKAGES = frozenset({"hono", "@hono/zod-openapi", "hono/quick", "hono/tiny"})
APP_CLASSES = frozenset({"Hono", "OpenAPIHono"})
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "all", "options", "on"})


def app_kind(callee: str, source: str | None, is_new: bool) -> str | None:
    if is_new and callee in APP_CLASSES and (source is None or source in PACKAGES):
        return "hono"
    return None


def use_path_matches(use_path: str, route_path: str) -> bool:
    """`app.use('/api/*', mw)` covers '/api/x'; `'/admin'` covers '/admin' and '/admin/...'."""
    pattern = use_path.rstrip("*").rstrip("/")
    if not pattern:
        return True
    return route_path == pattern or route_path.startswith(pattern + "/")
