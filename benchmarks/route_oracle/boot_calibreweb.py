"""Calibre-Web (Flask): its own entry point `cps.main.main()` with the settings database in the
scratch folder (-p), and the web server's start() replaced by writing the app's url_map, so
every blueprint main() registers (kobo and oauth when their extras import) is there and
nothing listens."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import pywalk  # type: ignore[import-not-found]  # beside this file; run in the app's venv

run = os.environ["ORACLE_RUN_DIR"]
sys.path.insert(0, os.path.join(os.environ["ORACLE_PACKAGE_DIR"]))
sys.argv = ["cps", "-p", f"{run}/app.db", "-g", f"{run}/gdrive.db"]
cps = importlib.import_module("cps")


def list_routes() -> bool:
    pywalk.write(pywalk.flask_routes(cps.app), ["booted through cps.main.main()"])
    return True


cps.web_server.start = list_routes
with contextlib.suppress(SystemExit):
    importlib.import_module("cps.main").main()
os._exit(0)  # the updater and scheduler threads would keep the process alive
