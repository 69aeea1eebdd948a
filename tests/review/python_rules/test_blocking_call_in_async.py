from __future__ import annotations

import pytest

from mcp_backend.review.rules.blocking_call_in_async.python import DETECTOR

from ._support import run, run_with_signals

POSITIVE = {
    "requests_in_fastapi_handler": (
        """
        import requests
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/weather")
        async def weather(city: str):
            resp = requests.get("https://api.example.com/weather", params={"q": city}, timeout=5)
            return resp.json()
        """,
        "high",
    ),
    "time_sleep_helper": (
        """
        import time

        async def poll(job):
            while not job.done():
                time.sleep(0.5)
        """,
        "medium",
    ),
    "sync_session_dependency": (
        """
        from fastapi import Depends
        from sqlalchemy.orm import Session

        @router.get("/items")
        async def list_items(db: Session = Depends(get_db)):
            return db.query(Item).filter(Item.active.is_(True)).all()
        """,
        "high",
    ),
    "sqlite_connection_methods": (
        """
        import sqlite3

        async def save(event):
            conn = sqlite3.connect("events.db")
            conn.execute("INSERT INTO events VALUES (?)", (event,))
        """,
        "medium",
    ),
    "requests_session_object": (
        """
        import requests

        async def fetch_all(urls):
            session = requests.Session()
            return [session.get(u).text for u in urls]
        """,
        "medium",
    ),
    "django_orm_in_async_view": (
        """
        async def profile(request, pk):
            user = User.objects.get(pk=pk)
            return JsonResponse({"name": user.name})
        """,
        "high",
    ),
    "subprocess_alias": (
        """
        from subprocess import check_output

        async def version():
            return check_output(["git", "rev-parse", "HEAD"], timeout=5)
        """,
        "medium",
    ),
}

NEGATIVE = {
    "awaited_httpx": """
        import httpx

        @app.get("/weather")
        async def weather(city: str):
            async with httpx.AsyncClient() as client:
                resp = await client.get("https://api.example.com/weather", params={"q": city})
            return resp.json()
    """,
    "sync_handler_uses_requests": """
        import requests

        @app.get("/weather")
        def weather(city: str):
            return requests.get("https://api.example.com", params={"q": city}, timeout=5).json()
    """,
    "offloaded_to_thread": """
        import asyncio, time, requests
        from starlette.concurrency import run_in_threadpool

        async def work(url):
            await asyncio.to_thread(time.sleep, 1)
            await run_in_threadpool(requests.get, url)
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, lambda: requests.get(url, timeout=5))
    """,
    "async_session": """
        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy import select

        @router.get("/items")
        async def list_items(db: AsyncSession = Depends(get_db)):
            result = await db.execute(select(Item))
            return result.scalars().all()
    """,
    "asyncio_sleep_and_django_async_api": """
        import asyncio

        async def profile(request, pk):
            await asyncio.sleep(0)
            user = await User.objects.aget(pk=pk)
            count = await User.objects.filter(active=True).acount()
            return user, count
    """,
    "nested_sync_function": """
        import time

        async def main():
            def blocking_part():
                time.sleep(1)
            await asyncio.to_thread(blocking_part)
    """,
}


@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_flags_blocking_calls(name: str) -> None:
    source, severity = POSITIVE[name]
    findings = run(DETECTOR, source)
    assert len(findings) == 1, findings
    assert findings[0].severity == severity


@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_ignores_async_and_offloaded_io(name: str) -> None:
    assert run(DETECTOR, NEGATIVE[name]) == []


def test_async_clients_are_signals() -> None:
    _, signals = run_with_signals(DETECTOR, NEGATIVE["awaited_httpx"])
    assert [s.item for s in signals] == ["blocking-io"]


def test_open_is_low() -> None:
    source = """
        @app.get("/config")
        async def read_config():
            with open("config.json") as fh:
                return fh.read()

        async def lifespan(app):
            with open("settings.toml") as fh:  # start-up, not request latency
                app.state.settings = fh.read()
            yield
    """
    findings = run(DETECTOR, source)
    assert [(f.severity, f.line) for f in findings] == [("low", 4)]
