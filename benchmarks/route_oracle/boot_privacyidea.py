"""privacyIDEA (Flask): its own create_app() with the "testing" configuration and the
database URI pointing at sqlite in the scratch folder (PRIVACYIDEA_* environment variables
are read by the app itself); nothing listens and the database is not touched to list routes."""

from __future__ import annotations

import importlib

import pywalk  # type: ignore[import-not-found]  # beside this file; run in the app's venv

app = importlib.import_module("privacyidea.app").create_app("testing", config_file="", silent=True)
pywalk.write(pywalk.flask_routes(app), ["create_app('testing'), sqlite"])
