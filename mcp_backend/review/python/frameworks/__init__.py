"""Framework extractors: per-file facts about routes, routers, dependencies and middleware.

Contract (used by python/analyzer.py): `extract_file_facts(ctx) -> dict` returns JSON-serializable
facts for one file; they must not depend on any other file (results are cached per file).
Names are recorded fully qualified so `python/linker.py` can resolve them across modules.
"""

from __future__ import annotations

import ast
from typing import Any

from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.python.frameworks import (
    _installers,
    aiohttp,
    django,
    fastapi,
    flask,
    graphql,
    starlette,
)
from mcp_backend.review.python.frameworks._ast import module_name_for
from mcp_backend.review.python.frameworks._common import (
    ModuleScope,
    collect_assignments,
    collect_functions_and_classes,
    collect_test_refs,
)
from mcp_backend.review.python.frameworks._decorated import (
    GENERIC_DECORATORS,
    VERB_DECORATORS,
    extract_decorated_routes,
)

FACTS_VERSION = 1
# Packages whose presence makes a module worth a full look (function bodies summarised).
WEB_PACKAGES = frozenset(
    {
        "fastapi",
        "flask",
        "quart",
        "django",
        "rest_framework",
        "starlette",
        "aiohttp",
        "flask_login",
        "flask_jwt_extended",
        "flask_httpauth",
        "flask_limiter",
        "slowapi",
        "fastapi_limiter",
        "jwt",
        "jose",
        "ninja",
        "sanic",
        "flask_restx",
        "flask_restful",
        "flask_smorest",
        *graphql.PACKAGES,
    }
)
LIST_KEYS = (
    "routes",
    "class_routes",
    "includes",
    "hooks",
    "middleware",
    "middleware_functions",
    "error_handlers",
    "init_app",
    "urlpatterns",
    "drf_registrations",
)


def extract_file_facts(ctx: PythonFileContext) -> dict[str, Any]:
    is_package = ctx.file.endswith("__init__.py")
    scope = ModuleScope(ctx.tree, module_name_for(ctx.file), is_package)
    packages = sorted({q.split(".", 1)[0] for q in scope.imports.aliases.values()} & WEB_PACKAGES)
    objects, aliases, constants = collect_assignments(scope)
    facts: dict[str, Any] = {
        "version": FACTS_VERSION,
        "module": scope.module,
        "packages": packages,
        "imports": scope.imports.aliases,
        "objects": objects,
        "aliases": aliases,
        "constants": constants,
        **{key: [] for key in LIST_KEYS},
    }
    relevant = (
        bool(packages)
        or ctx.is_test
        or _looks_like_django_module(ctx.file)
        or _declares_routes(scope)
    )
    if relevant:
        functions, classes = collect_functions_and_classes(scope)
        facts["functions"] = functions
        facts["classes"] = classes
        facts["routes"].extend(extract_decorated_routes(scope))
        fastapi.extract(scope, facts)
        flask.extract(scope, facts)
        starlette.extract(scope, facts)
        aiohttp.extract(scope, facts)
        django.extract(scope, facts)
        graphql.extract(scope, facts)
        _installers.extract(scope, facts)
    else:
        # Schema modules (pydantic, marshmallow) matter only for their class bases.
        _, classes = collect_functions_and_classes(scope) if "class " in ctx.source else ({}, {})
        facts["functions"] = {}
        facts["classes"] = {
            name: {**fact, "methods": [], "actions": []} for name, fact in classes.items()
        }
    if ctx.is_test:
        facts["test_refs"] = collect_test_refs(scope)
    return facts


def _declares_routes(scope: ModuleScope) -> bool:
    """`@router.get(...)` / `@ns.route(...)` on a router imported from the project: a module
    that never imports a web framework itself can still declare routes."""
    return any(
        isinstance(deco, ast.Call)
        and isinstance(deco.func, ast.Attribute)
        and (deco.func.attr in VERB_DECORATORS or deco.func.attr in GENERIC_DECORATORS)
        for node in (*scope.functions, *scope.classes)
        for deco in node.decorator_list
    )


def _looks_like_django_module(file: str) -> bool:
    name = file.rsplit("/", 1)[-1]
    return name in {"urls.py", "settings.py", "views.py"} or "/settings/" in file
