"""Calibre-Web (Flask): its own entry point `cps.main.main()` with the settings database in the
scratch folder (-p), and the web server's start() replaced by writing the app's url_map, so
every blueprint main() registers (kobo and oauth when their extras import) is there and
nothing listens."""

from __future__ import annotations

import importlib
import os
import sys

import pywalk

run = os.environ["ORACLE_RUN_DIR"]
sys.path.insert(0, os.path.join(os.environ["ORACLE_PACKAGE_DIR"]))
sys.argv = ["cps", "-p", f"{run}/app.db", "-g", f"{run}/gdrive.db"]
cps = importlib.import_module("cps")


def list_routes() -> bool:
    pywalk.write(pywalk.flask_routes(cps.app), ["booted through cps.main.main()"])
    return True


cps.web_server.start = list_routes
try:
    importlib.import_module("cps.main").main()
except SystemExit:
    pass
os._exit(0)  # the updater and scheduler threads would keep the process alive
