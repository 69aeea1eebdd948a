"""Express: `express()` apps, `express.Router()` routers, `router.route(path).get(...)` chains."""

from __future__ import annotations

FRAMEWORK = "express"
PACKAGES = frozenset({"express", "express-promise-router", "router"})
# Methods that register a route on an app or router (`del` is Express 3).
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "del", "head", "options", "all"}
)


def app_kind(callee: str, source: str | None, is_new: bool) -> str | None:
    """'express' for `express()`, 'router' for `express.Router()` / `Router()`, else None."""
    if source in PACKAGES:
        if callee.endswith("Router") or source in {"express-promise-router", "router"}:
            return "router"
        return "express"
    if callee == "express.Router" or (callee == "Router" and source in PACKAGES | {None}):
        return "router"  # also through a project module that wraps express
    if callee == "express" and (source is None or source.startswith(".")):
        return "express"
    return None


def route_chain_path(callee_obj_method: str, args_texts: list[str]) -> str | None:
    """`router.route('/users/:id')` returns the path the chained methods register on."""
    if callee_obj_method == "route" and len(args_texts) == 1:
        return args_texts[0]
    return None
