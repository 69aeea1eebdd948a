"""Prefect server (FastAPI): create_app() builds the API and UI apps; the lifespan (migrations,
services) never runs because nothing serves the app. The database URL points at sqlite in the
scratch folder, in case anything reads it at import time."""

from __future__ import annotations

import importlib

import pywalk  # type: ignore[import-not-found]  # beside this file; run in the app's venv

server = importlib.import_module("prefect.server.api.server")
app = server.create_app(webserver_only=True)
pywalk.write(pywalk.starlette_routes(app.routes))
