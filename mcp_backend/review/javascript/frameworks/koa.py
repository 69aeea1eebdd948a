"""Koa: `new Koa()` apps and @koa/router / koa-router routers (`new Router({ prefix })`),
mounted with `app.use(router.routes())`. Middleware runs in `use` order, as in Express; errors a
route does not handle reach Koa's own handler, which answers without internal details."""

from __future__ import annotations

FRAMEWORK = "koa"
APP_PACKAGES = frozenset({"koa"})
ROUTER_PACKAGES = frozenset({"@koa/router", "koa-router", "koa-tree-router"})
# `router.routes()` / `router.middleware()` hand the router itself to `app.use`.
MOUNT_METHODS = frozenset({"routes", "middleware"})


def app_kind(callee: str, source: str | None, is_new: bool) -> str | None:
    """'koa' for `new Koa()`, 'koa_router' for `new Router()` from a Koa router package."""
    del callee, is_new  # Koa and its routers are named anything; the package decides
    if source in APP_PACKAGES:
        return "koa"
    if source in ROUTER_PACKAGES:
        return "koa_router"
    return None
