"""Odd but valid code must never break extraction or linking."""

from __future__ import annotations

import json

from tests.review.routes.helpers import build_index, file_result

ODD = """
from __future__ import annotations
from typing import Annotated, Generic, TypeVar
from fastapi import APIRouter, Depends, FastAPI
from flask import Blueprint
from django.urls import include, path, re_path
from ... import something_far_above
from .sibling import *

T = TypeVar("T")
PATH = "/dynamic"
app = FastAPI(**{"title": "x"})
router = APIRouter(prefix=PATH + "/v1", dependencies=[Depends()])
bp = Blueprint(*("odd", __name__))
Alias = Annotated[int, "metadata", Depends(lambda: 1)]
handlers = {"a": lambda request: None}


class Repo(Generic[T]):
    items: list[T] = []


@router.get(PATH)
@router.post("/lambda-handled", dependencies=None)
async def handler(x: Alias, *args, y: int = Depends(), **kwargs):
    match x:
        case 1:
            return {"data": [i async for i in agen()]}
        case _:
            if (n := len(args)) > 2:
                return {**kwargs}
    return {"data": None}


def outer():
    def handler():
        return None
    @bp.route(f"/{PATH}/x", methods=[m for m in ("GET",)])
    def inner():
        return None
    return inner


app.include_router(router, **{"prefix": "/p"})
app.include_router(*[router])
urlpatterns = [
    path(PATH, handler),
    re_path(r"^(?P<x>[^/]+)/$", lambda request, x: None),
    path("nested/", include([path("leaf/", handler, name="leaf")])),
] + getattr(something_far_above, "urlpatterns", [])
urlpatterns += [path("more/", include(("missing.urls", "missing"), namespace="m"))]
"""


def test_odd_module_extracts_json_facts() -> None:
    result = file_result("pkg/odd.py", ODD)
    json.dumps(result.facts)
    assert result.facts["module"] == "pkg.odd"
    assert any(r["path"] == "/lambda-handled" for r in result.facts["routes"])


def test_odd_project_links_without_error() -> None:
    index = build_index(
        {
            "pkg/odd.py": ODD,
            "pkg/__init__.py": "",
            "pkg/settings.py": (
                'ROOT_URLCONF = "pkg.odd"\nREST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": 3}\n'
            ),
            "tests/test_odd.py": "def test_x(client):\n    client.get(f'{BASE}/p/v1/dynamic')\n",
        }
    )
    assert any(r.path == "/dynamic/v1/lambda-handled" for r in index.routes)  # PATH + "/v1"
    assert any(r.path == "/nested/leaf/" and r.framework == "django" for r in index.routes)
    assert all(r.file for r in index.routes)


def test_cyclic_includes_and_self_imports_terminate() -> None:
    index = build_index(
        {
            "a/urls.py": """
                from django.urls import include, path
                urlpatterns = [path("b/", include("b.urls"))]
            """,
            "b/urls.py": """
                from django.urls import include, path
                urlpatterns = [path("a/", include("a.urls"))]
            """,
            "c/main.py": """
                from fastapi import APIRouter
                from c.main import router as again
                router = APIRouter()
                router.include_router(again)
                @router.get("/loop")
                def loop():
                    return None
            """,
        }
    )
    assert any(r.path.endswith("/loop") for r in index.routes)
