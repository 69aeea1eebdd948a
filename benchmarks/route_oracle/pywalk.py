"""The framework's own route list, for benchmarks/route_oracle.py (runs inside the app's venv).

Each walker returns [{"method", "path", "where", "regex"?}]; `write` puts them in the JSON file
the benchmark reads. Routes a framework adds by itself, declared nowhere in the app's code
(Flask's /static, FastAPI's /docs, /redoc and /openapi.json), are left out. The frameworks
are not installed in the benchmark's own environment, so everything here is duck-typed.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import sys
from pathlib import Path
from typing import Any

Route = dict[str, Any]
# The shim's first argument, read now: a shim may rewrite sys.argv for the app's own CLI.
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("routes.json")
_HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def where_of(obj: Any, _again: bool = True) -> str:
    """file:line of the function or class that handles a route, through decorators."""
    target = obj
    for attr in ("view_class", "cls"):  # Django / DRF class-based views
        inner = getattr(target, attr, None)
        if inner is not None:
            target = inner
            break
    with contextlib.suppress(ValueError):
        target = inspect.unwrap(target)
    try:
        file = inspect.getsourcefile(target)
        _, line = inspect.getsourcelines(target)
    except (TypeError, OSError):
        module = sys.modules.get(getattr(target, "__module__", "") or "")
        original = getattr(module, getattr(target, "__name__", ""), None)
        if _again and original is not None and original is not target and callable(original):
            return where_of(
                original, _again=False
            )  # DRF @api_view renames its class after the function
        code = getattr(target, "__code__", None)
        if code is None:
            return getattr(target, "__qualname__", repr(target))[:80]
        return f"{code.co_filename}:{code.co_firstlineno}"
    return f"{file}:{line}"


def flask_routes(app: Any) -> list[Route]:
    out: list[Route] = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue  # the static-files route Flask adds itself, declared nowhere in the app
        methods = set(rule.methods or ())
        if getattr(rule, "provide_automatic_options", True):
            methods.discard("OPTIONS")
        if "GET" in methods:
            methods.discard("HEAD")
        view = app.view_functions.get(rule.endpoint)
        where = where_of(view) if view is not None else rule.endpoint
        for method in sorted(methods) or ["ANY"]:
            out.append({"method": method, "path": rule.rule, "where": where})
    return out


def starlette_routes(routes: Any, prefix: str = "") -> list[Route]:
    """FastAPI/Starlette: Route/APIRoute with .methods, WebSocketRoute, Mount (recursively)."""
    out: list[Route] = []
    for route in routes:
        path = getattr(route, "path", "")
        kind = type(route).__name__
        if kind in ("Mount", "Host"):
            inner = getattr(route, "routes", None)
            if inner:
                out.extend(starlette_routes(inner, prefix + path))
            else:  # a mounted app we cannot list (static files, WSGI)
                where = where_of(type(route.app))
                out.append({"method": "ANY", "path": prefix + path + "/{path}", "where": where})
            continue
        if kind == "_IncludedRouter":  # FastAPI >= 0.13x keeps include_router() lazy
            for context in route.effective_route_contexts():
                effective = context.starlette_route or context.original_route
                out.extend(starlette_routes([effective], prefix))
            continue
        methods = getattr(route, "methods", None)
        endpoint = getattr(route, "endpoint", None)
        where = where_of(endpoint) if endpoint is not None else kind
        if "WebSocket" in kind:
            out.append({"method": "WEBSOCKET", "path": prefix + path, "where": where})
            continue
        if where.rpartition(":")[0].endswith("fastapi/applications.py"):
            continue  # the docs and OpenAPI routes FastAPI adds itself
        for method in sorted(
            set(methods or ["ANY"]) - ({"HEAD"} if methods and "GET" in methods else set())
        ):
            out.append({"method": method, "path": prefix + path, "where": where})
    return out


def _django_methods(callback: Any) -> list[str]:
    """DRF viewsets name their actions; class-based views name their handlers; else ANY."""
    actions = getattr(callback, "actions", None)
    if isinstance(actions, dict) and actions:
        return sorted(m.upper() for m in actions)
    cls = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if cls is not None:
        names = getattr(cls, "http_method_names", _HTTP_METHODS)
        found = [m.upper() for m in names if m in _HTTP_METHODS and hasattr(cls, m)]
        return found or ["ANY"]
    return ["ANY"]


def django_routes(patterns: Any = None, prefix: str = "", regex: bool = False) -> list[Route]:
    """Walk get_resolver().url_patterns, joining the patterns of URLResolvers."""
    if patterns is None:
        from django.urls import get_resolver  # type: ignore[import-not-found,unused-ignore]

        patterns = get_resolver().url_patterns
    out: list[Route] = []
    for entry in patterns:
        pattern = entry.pattern
        text = str(pattern)
        is_regex = regex or type(pattern).__name__ == "RegexPattern"
        if hasattr(entry, "url_patterns"):
            out.extend(django_routes(entry.url_patterns, prefix + text, is_regex))
            continue
        if "(?P<format>" in text or "<drf_format_suffix:format>" in text:
            continue  # DRF's format-suffix copy of the route before it (.json, .api)
        callback = entry.callback
        for method in _django_methods(callback):
            out.append(
                {
                    "method": method,
                    "path": prefix + text,
                    "where": where_of(callback),
                    "regex": is_regex,
                }
            )
    return out


def aiohttp_routes(app: Any) -> list[Route]:
    out: list[Route] = []
    for route in app.router.routes():
        resource = route.resource
        info = resource.get_info() if resource is not None else {}
        path = info.get("path") or info.get("formatter") or info.get("prefix", "")
        if "prefix" in info and "path" not in info and "formatter" not in info:
            path = path.rstrip("/") + "/{filename}"
        method = "ANY" if route.method == "*" else route.method
        if method == "HEAD":
            continue
        out.append({"method": method, "path": path, "where": where_of(route.handler)})
    return out


def write(routes: list[Route], notes: list[str] | None = None) -> None:
    OUT.write_text(json.dumps({"routes": routes, "notes": notes or []}, indent=1))
