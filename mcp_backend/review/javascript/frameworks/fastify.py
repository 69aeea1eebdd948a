"""Fastify: instances, plugins (`async (fastify, opts) => {...}`), `register(plugin, {prefix})`,
hooks (`onRequest`/`preHandler`/`preValidation`), route options (schema, config.rateLimit)."""

from __future__ import annotations

FRAMEWORK = "fastify"
PACKAGES = frozenset({"fastify"})
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "all"})
# Hooks that run before the handler and can reject the request.
# In the order Fastify runs them (a tuple: the items of a route keep that order in every run).
GUARD_HOOKS = ("onRequest", "preParsing", "preValidation", "preHandler")
# Names a plugin function's first parameter usually has.
INSTANCE_PARAMS = frozenset({"fastify", "app", "server", "instance", "f", "api", "router", "root"})
PLUGIN_WRAPPERS = frozenset({"fp", "fastifyPlugin", "plugin"})


def app_kind(callee: str, source: str | None, is_new: bool) -> str | None:
    if source in PACKAGES or (source is None and callee in {"fastify", "Fastify"}):
        return "fastify"
    return None
