"""Every rule sees code written with Python 3.12-3.14 syntax, on the host we run on (CI: 3.11).

One test per syntax form: each file uses the form where the finding or route is, and the test
asserts the finding (rule and line) or the route fact, not only that the file parsed.
"""

from __future__ import annotations

import textwrap

from mcp_backend.review.model import FileResult
from mcp_backend.review.python.analyzer import analyze_python_file


def analyse(code: str, file: str = "app/views.py") -> FileResult:
    result = analyze_python_file(file, textwrap.dedent(code).lstrip("\n"))
    assert result.skipped is None, result.skipped
    return result


def found(code: str) -> set[tuple[str, int]]:
    return {(f.rule_id, f.line) for f in analyse(code).findings}


FLASK = """
        import os
        import pickle
        import sqlite3
        import subprocess
        from flask import Flask, request

        app = Flask(__name__)
        db = sqlite3.connect("app.db")
"""


def test_pep701_quotes_reused_inside_a_field() -> None:
    code = (
        FLASK
        + """
        @app.get("/users")
        def users():
            rows = db.execute(f"SELECT * FROM users WHERE name = '{request.args["name"]}'")
            return rows.fetchall()
    """
    )
    assert ("sql-string-query", 12) in found(code)


def test_pep701_backslash_inside_a_field() -> None:
    code = (
        FLASK
        + """
        @app.get("/report")
        def report():
            columns = request.args.getlist("column")
            return db.execute(f"SELECT {'\\n, '.join(columns)} FROM orders").fetchall()
    """
    )
    assert ("sql-string-query", 13) in found(code)


def test_pep701_comment_and_line_breaks_inside_a_field() -> None:
    code = (
        FLASK
        + """
        @app.get("/search")
        def search():
            rows = db.execute(f\"\"\"SELECT * FROM items WHERE title LIKE '%{
                request.args["q"]  # what the user typed
            }%'\"\"\")
            return rows.fetchall()
    """
    )
    assert ("sql-string-query", 12) in found(code)


def test_pep695_generic_function() -> None:
    code = (
        FLASK
        + """
        def run_for[T](host: T) -> T:
            subprocess.run(f"ping -c 1 {host}", shell=True)
            return host

        @app.post("/ping")
        def ping():
            return {"host": run_for(request.form["host"])}
    """
    )
    result = analyse(code)
    assert ("command-injection", 11) in {(f.rule_id, f.line) for f in result.findings}
    assert [r["path"] for r in result.facts["routes"]] == ["/ping"]


def test_pep695_generic_class_and_pep696_default() -> None:
    code = (
        FLASK
        + """
        from flask.views import MethodView

        class Importer[T = dict](MethodView):
            def post(self) -> T:
                return pickle.loads(request.data)
    """
    )
    assert ("unsafe-deserialization", 14) in found(code)


def test_pep695_type_alias_statement() -> None:
    code = """
        from typing import Annotated
        from fastapi import Depends

        def current_user() -> dict:
            return {}

        type CurrentUser = Annotated[dict, Depends(current_user)]
    """
    aliases = analyse(code, "app/deps.py").facts["aliases"]
    assert aliases == {"CurrentUser": {"depends": ["app.deps.current_user"], "line": 7}}


def test_pep758_except_without_parentheses() -> None:
    code = (
        FLASK
        + """
        import logging
        logger = logging.getLogger(__name__)

        @app.post("/login")
        def login():
            username, password = request.form["username"], request.form["password"]
            try:
                check(username, password)
            except ValueError, KeyError:
                logger.warning("login failed for %s with password %s", username, password)
            return {}
    """
    )
    assert ("sensitive-data-logged", 19) in found(code)


def test_pep758_except_star_without_parentheses() -> None:
    code = (
        FLASK
        + """
        @app.post("/batch")
        def batch():
            try:
                run_all(request.json)
            except* TimeoutError, ConnectionError:
                os.system("retry " + request.form["job"])
            return {}
    """
    )
    assert ("command-injection", 15) in found(code)


def test_match_statement() -> None:
    code = (
        FLASK
        + """
        @app.post("/run")
        def run():
            match request.json:
                case {"cmd": str(cmd)}:
                    os.system(f"echo {cmd}")
            return {}
    """
    )
    assert ("command-injection", 14) in found(code)


def test_walrus() -> None:
    code = (
        FLASK
        + """
        @app.get("/ping")
        def ping():
            if (host := request.args.get("host")) is not None:
                subprocess.run(f"ping -c 1 {host}", shell=True)
            return {}
    """
    )
    assert ("command-injection", 13) in found(code)


def test_async_comprehension() -> None:
    code = """
        import requests
        from fastapi import FastAPI

        api = FastAPI()

        @api.get("/feed")
        async def feed():
            items = [item async for item in source()]
            page = requests.get("https://example.com/feed")
            return {"items": items, "page": page.text}
    """
    assert ("blocking-call-in-async", 9) in found(code)


def test_decorators_that_are_arbitrary_expressions() -> None:
    code = (
        FLASK
        + """
        registry = [lambda f: f]

        @(lambda f: f)
        @registry[0]
        @app.route("/admin/purge", methods=["POST"])
        def purge():
            return {}
    """
    )
    routes = analyse(code).facts["routes"]
    assert [(r["path"], r["methods"]) for r in routes] == [("/admin/purge", ["POST"])]
