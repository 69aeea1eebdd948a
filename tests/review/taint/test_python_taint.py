# ruff: noqa: E501  (code samples read best on one line)
"""The taint engine on small real inputs: sources, propagation, sanitizers, sinks, summaries
linked across modules (review/taint/)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mcp_backend.review.engine import run_review
from mcp_backend.review.model import ReviewRequest
from mcp_backend.review.python.analyzer import analyze_python_file
from mcp_backend.review.taint import model
from mcp_backend.review.taint.link import link_flows


def flows(files: dict[str, str]) -> set[tuple[str, str, int]]:
    results = [
        analyze_python_file(name, textwrap.dedent(code).lstrip()) for name, code in files.items()
    ]
    return {(f.kind, f.file, f.line) for f in link_flows(results)}


def kinds(files: dict[str, str]) -> set[str]:
    return {kind for kind, _, _ in flows(files)}


FLASK = (
    "from flask import Flask, request, redirect, send_file, make_response\napp = Flask(__name__)\n"
)


def handler(body: str, imports: str = "") -> dict[str, str]:
    code = (
        imports
        + FLASK
        + '\n\n@app.route("/x")\ndef view():\n'
        + textwrap.indent(textwrap.dedent(body), "    ")
    )
    return {"app/views.py": code}


# --------------------------------------------------------------------------- sinks, per category
SINKS = [
    (
        "sql",
        "import sqlite3\n",
        'db = sqlite3.connect("a")\nreturn str(db.execute(f"SELECT * FROM t WHERE n = \'{q}\'"))',
    ),
    (
        "sql",
        "from sqlalchemy import text\n",
        'return str(app.db.execute(text("SELECT 1 FROM t WHERE a = " + q)))',
    ),
    ("sql", "", "return str(Item.objects.raw(\"SELECT * FROM item WHERE name = '%s'\" % q))"),
    ("cmd", "import os\n", 'os.system("ping " + q)\nreturn "ok"'),
    ("cmd", "import subprocess\n", 'subprocess.run(f"ls {q}", shell=True)\nreturn "ok"'),
    ("cmd", "import subprocess\n", 'subprocess.run([q, "--version"])\nreturn "ok"'),
    ("code", "", "return str(eval(q))"),
    (
        "ssti",
        "from flask import render_template_string\n",
        'return render_template_string("<p>%s</p>" % q)',
    ),
    ("ssti", "from jinja2 import Template\n", "return Template(q).render()"),
    ("path", "", "return open(q).read()"),
    ("path", "import os\n", 'return send_file(os.path.join("/srv", q))'),
    ("path", "import shutil\n", 'shutil.rmtree("/tmp/" + q)\nreturn "ok"'),
    ("redirect", "", "return redirect(q)"),
    ("ssrf", "import requests\n", "return requests.get(q, timeout=3).text"),
    ("ssrf", "from urllib.request import urlopen\n", "return urlopen(q).read()"),
    ("deser", "import pickle\n", "return str(pickle.loads(q))"),
    ("deser", "import yaml\n", "return str(yaml.load(q, Loader=yaml.Loader))"),
    ("deser", "import marshal\n", "return str(marshal.loads(q))"),
    ("xss", "", 'return "<b>" + q + "</b>"'),
    ("xss", "", 'return make_response(f"<p>{q}</p>")'),
]


@pytest.mark.parametrize(("kind", "imports", "sink"), SINKS)
def test_request_data_reaches_each_sink(kind: str, imports: str, sink: str) -> None:
    body = 'q = request.args.get("q", "")\n' + sink + "\n"
    assert kind in kinds(handler(body, imports))


@pytest.mark.parametrize(("kind", "imports", "sink"), SINKS)
def test_a_constant_at_each_sink_is_not_a_flow(kind: str, imports: str, sink: str) -> None:
    body = 'q = "fixed-value"\n' + sink + "\n"
    assert kinds(handler(body, imports)) == set()


# --------------------------------------------------------------------------- sources
@pytest.mark.parametrize(
    "read",
    [
        'request.args["q"]',
        'request.form.get("q")',
        'request.json["q"]',
        'request.get_json()["q"]',
        "request.data",
        'request.cookies.get("q")',
        'request.headers["X-Q"]',
        'request.values.get("q")',
        "request.files['f'].filename",
    ],
)
def test_flask_request_accessors_are_sources(read: str) -> None:
    assert "sql" in kinds(handler(f'q = {read}\nreturn str(app.db.execute("SELECT " + q))\n'))


def test_environment_and_config_are_not_sources() -> None:
    body = 'q = os.environ["TABLE"] + app.config["X"]\nreturn str(app.db.execute("SELECT " + q))\n'
    assert kinds(handler(body, "import os\n")) == set()


def test_fastapi_parameters_are_sources_but_constrained_types_are_not() -> None:
    code = """
        from enum import Enum
        from typing import Literal
        from fastapi import FastAPI, Query, Header
        from pydantic import BaseModel
        import os

        app = FastAPI()

        class Color(str, Enum):
            red = "red"

        class Body(BaseModel):
            name: str
            count: int

        @app.get("/a")
        def a(name: str = Query(...)):
            os.system("echo " + name)

        @app.get("/b")
        def b(agent: str = Header(None)):
            os.system("echo " + agent)

        @app.post("/c")
        def c(body: Body):
            os.system("echo " + body.name)

        @app.post("/d")
        def d(body: Body, n: int, color: Color, mode: Literal["x", "y"]):
            os.system(f"echo {body.count} {n} {color} {mode}")
    """
    found = flows({"api.py": code})
    assert {line for _, _, line in found} == {18, 22, 26}


def test_enum_and_literal_types_imported_from_another_module_are_not_sources() -> None:
    server = """
        import os
        from typing import Optional
        from fastapi import APIRouter, Query
        from fastapi.responses import FileResponse
        from app.types import Theme, Layout, Profile

        router = APIRouter()
        BASE = "/srv/app/public"

        @router.get("/logo")
        def logo(theme: Optional[Theme] = Query(Theme.light)):
            return FileResponse(os.path.join(BASE, f"logo_{theme.value}.svg"))

        @router.get("/layout")
        def layout(name: Layout):
            return FileResponse(os.path.join(BASE, f"{name}.css"))

        @router.get("/raw")
        def raw(name: str):
            return FileResponse(os.path.join(BASE, f"{name}.css"))

        @router.post("/profile")
        def profile(body: Profile):
            return FileResponse(os.path.join(BASE, body.avatar))
    """
    types = """
        from enum import Enum
        from typing import Literal
        from pydantic import BaseModel

        class Theme(str, Enum):
            light = "light"
            dark = "dark"

        Layout = Literal["wide", "narrow"]

        class Profile(BaseModel):
            avatar: str
    """
    found = flows({"app/server.py": server, "app/types.py": types, "app/__init__.py": ""})
    # only the str parameter and the model's free-text field reach the path
    assert {(kind, line) for kind, _, line in found} == {("path", 20), ("path", 24)}
    # re-exported from a package: the enum is still found
    found = flows(
        {
            "app/server.py": server.replace("from app.types import", "from app import"),
            "app/types.py": types,
            "app/__init__.py": "from app.types import Theme, Layout, Profile\n",
        }
    )
    assert {(kind, line) for kind, _, line in found} == {("path", 20), ("path", 24)}


def test_django_and_drf_and_starlette_sources() -> None:
    code = """
        import os
        from django.db import connection

        def search(request):
            with connection.cursor() as cur:
                cur.execute("SELECT * FROM t WHERE a = '%s'" % request.GET["a"])

        def drf(request):
            os.system("echo " + request.data["x"])

        async def star(request):
            body = await request.json()
            os.system("echo " + body["x"] + request.path_params["id"])
    """
    assert {line for _, _, line in flows({"views.py": code})} == {6, 9, 13}


# --------------------------------------------------------------------------- propagation
def test_overwritten_with_a_constant_is_clean() -> None:
    body = 'q = request.args["q"]\nq = "all"\nreturn str(app.db.execute("SELECT " + q))\n'
    assert kinds(handler(body)) == set()


def test_branch_on_a_constant_condition_is_decided() -> None:
    code = (
        FLASK
        + """
LEGACY = False

@app.route("/x")
def view():
    q = request.args["q"]
    if LEGACY:
        return str(app.db.execute("SELECT " + q))
    if 0:
        os.system(q)
    return "no"
"""
    )
    assert kinds({"v.py": "import os\n" + code}) == set()


def test_propagation_through_containers_unpacking_format_join_and_augassign() -> None:
    body = """
parts = [request.args["a"], "x"]
a, b = parts[0], "const"
sql = "SELECT * FROM t WHERE "
sql += " AND ".join(["c = '{}'".format(a)])
return str(app.db.execute(sql))
"""
    assert kinds(handler(body)) == {"sql"}


def test_unpacking_keeps_constants_apart() -> None:
    body = 'a, b = "const", request.args["b"]\nreturn str(app.db.execute("SELECT " + a))\n'
    assert kinds(handler(body)) == set()


def test_await_and_attribute_of_a_parsed_body() -> None:
    code = """
        import os
        from fastapi import FastAPI, Request
        app = FastAPI()

        @app.post("/run")
        async def run(request: Request):
            payload = await request.json()
            cfg = {"cmd": payload["cmd"]}
            os.system(cfg["cmd"])
    """
    assert kinds({"a.py": code}) == {"cmd"}


# --------------------------------------------------------------------------- sanitizers
@pytest.mark.parametrize(
    ("kind", "imports", "body"),
    [
        ("sql", "", 'q = int(request.args["q"])\nreturn str(app.db.execute(f"SELECT {q}"))'),
        ("sql", "", 'q = float(request.args["q"])\nreturn str(app.db.execute(f"SELECT {q}"))'),
        (
            "sql",
            "import uuid\n",
            'q = uuid.UUID(request.args["q"])\nreturn str(app.db.execute(f"SELECT {q}"))',
        ),
        (
            "sql",
            "",
            'q = request.args["q"]\nreturn str(app.db.execute("SELECT * FROM t WHERE a = ?", (q,)))',
        ),
        (
            "sql",
            "from sqlalchemy import text\n",
            'q = request.args["q"]\nreturn str(app.db.execute(text("SELECT * FROM t WHERE a = :a"), {"a": q}))',
        ),
        ("sql", "", 'q = request.args["q"]\nreturn str(Item.query.filter(Item.name == q).all())'),
        (
            "sql",
            "",
            'q = request.args["q"]\nif q not in ("a", "b"):\n    return "no", 400\nreturn str(app.db.execute("SELECT " + q))',
        ),
        (
            "sql",
            "",
            'q = request.args["q"]\nif not q.isdigit():\n    abort(400)\nreturn str(app.db.execute("SELECT " + q))',
        ),
        (
            "cmd",
            "import os, shlex\n",
            'q = request.args["q"]\nos.system("ls " + shlex.quote(q))\nreturn "ok"',
        ),
        (
            "cmd",
            "import subprocess\n",
            'q = request.args["q"]\nsubprocess.run(["ls", "--", q])\nreturn "ok"',
        ),
        (
            "path",
            "from werkzeug.utils import secure_filename\n",
            'q = secure_filename(request.args["q"])\nreturn open("/srv/" + q).read()',
        ),
        (
            "path",
            "import os\n",
            'q = os.path.basename(request.args["q"])\nreturn open(os.path.join("/srv", q)).read()',
        ),
        (
            "path",
            "import os\n",
            'p = os.path.realpath(os.path.join("/srv", request.args["q"]))\nif not p.startswith("/srv/"):\n    abort(403)\nreturn open(p).read()',
        ),
        (
            "path",
            "",
            'q = request.args["q"]\nrow = db.session.query(Doc).filter(Doc.id == q).first()\nif not row:\n    abort(404)\nreturn open("/srv/docs/" + q).read()',
        ),
        (
            "path",
            "",
            'q = request.args["q"]\nrow = db.session.get(Doc, q)\nif row is None:\n    abort(404)\nreturn open("/srv/docs/" + q).read()',
        ),
        (
            "path",
            "from pathlib import Path\n",
            'p = (Path("/srv") / request.args["q"]).resolve()\nif not str(p).startswith(str(Path("/srv").resolve())):\n    abort(403)\nreturn open(p).read()',
        ),
        (
            "path",
            "import os\n",
            'p = os.path.realpath(os.path.join("/srv", request.args["q"]))\nif os.path.commonpath(["/srv", p]) != "/srv":\n    abort(403)\nreturn open(p).read()',
        ),
        (
            "path",
            "from flask import send_from_directory\n",
            'return send_from_directory("/srv", request.args["q"])',
        ),
        (
            "redirect",
            "from flask import url_for\n",
            'return redirect(url_for("home", next=request.args["q"]))',
        ),
        ("redirect", "", "return redirect(f\"/items/{request.args['q']}\")"),
        (
            "redirect",
            "",
            'q = request.args["q"]\nif not is_safe_url(q):\n    q = "/"\nreturn redirect(q)',
        ),
        (
            "ssrf",
            "import requests\n",
            "return requests.get(f\"https://api.example.com/v1/{request.args['q']}\").text",
        ),
        (
            "ssrf",
            "import requests\n",
            'q = request.args["q"]\nif q not in ALLOWED_URLS:\n    abort(400)\nreturn requests.get(q).text',
        ),
        ("deser", "import yaml\n", "return str(yaml.safe_load(request.data))"),
        ("deser", "import json\n", "return str(json.loads(request.data))"),
        (
            "xss",
            "from markupsafe import escape\n",
            'return "<b>" + escape(request.args["q"]) + "</b>"',
        ),
        ("xss", "import html\n", "return f\"<b>{html.escape(request.args['q'])}</b>\""),
        (
            "xss",
            "from flask import render_template, jsonify\n",
            'q = request.args["q"]\nif q:\n    return render_template("a.html", q=q)\nreturn jsonify(q=q)',
        ),
        ("xss", "", 'return make_response("<p>" + request.args["q"], 200, ) if False else "x"'),
    ],
)
def test_sanitizers_stop_the_flow(kind: str, imports: str, body: str) -> None:
    assert kind not in kinds(handler(body + "\n", "from flask import abort\n" + imports))


def test_a_sanitizer_on_only_one_path_does_not_clean() -> None:
    body = """
q = request.args["q"]
if request.args.get("strict"):
    q = int(q)
return str(app.db.execute(f"SELECT * FROM t LIMIT {q}"))
"""
    assert kinds(handler(body)) == {"sql"}


@pytest.mark.parametrize(
    "lookup",
    [
        # looked up but never required: the request's value goes on whether a row exists or not
        "row = db.session.query(Doc).filter(Doc.id == q).first()\nlog(row)",
        # the record required is another one
        "row = db.session.query(Doc).filter(Doc.id == other).first()\nif not row:\n    abort(404)",
        # not a lookup by the value: a listing
        "rows = db.session.query(Doc).all()\nif not rows:\n    abort(404)",
    ],
)
def test_a_path_from_a_value_no_required_record_was_found_by_is_still_a_flow(lookup: str) -> None:
    body = f"""
q = request.args["q"]
other = request.args["other"]
{lookup}
return open("/srv/docs/" + q).read()
"""
    assert kinds(handler(body, "from flask import abort\n")) == {"path"}


def test_a_record_lookup_cleans_the_path_only() -> None:
    body = """
q = request.args["q"]
row = db.session.query(Doc).filter(Doc.id == q).first()
if not row:
    abort(404)
return str(db.session.execute("SELECT * FROM t WHERE a = '" + q + "'"))
"""
    assert kinds(handler(body, "from flask import abort\n")) == {"sql"}


def test_a_containment_check_on_another_path_does_not_clean() -> None:
    body = """
base = Path("/srv").resolve()
p = base / request.args["q"]
if not str(base).startswith("/srv"):
    abort(403)
return open(p).read()
"""
    assert kinds(handler(body, "from flask import abort\nfrom pathlib import Path\n")) == {"path"}


def test_a_guard_that_does_not_return_does_not_clean() -> None:
    body = """
q = request.args["q"]
if q not in ("a", "b"):
    app.logger.warning("odd value")
return str(app.db.execute("SELECT " + q))
"""
    assert kinds(handler(body)) == {"sql"}


def test_pydantic_int_and_literal_fields_are_sanitized() -> None:
    code = """
        import os
        from typing import Literal
        from fastapi import FastAPI
        from pydantic import BaseModel
        app = FastAPI()

        class Job(BaseModel):
            retries: int
            mode: Literal["fast", "slow"]
            label: str

        @app.post("/jobs")
        def jobs(job: Job):
            os.system(f"run --retries {job.retries} --mode {job.mode}")
            os.system(f"echo {job.label}")
    """
    assert {line for _, _, line in flows({"a.py": code})} == {15}


# --------------------------------------------------------------------------- summaries, modules
HELPERS = {
    "app/db.py": """
        def find(conn, name):
            sql = "SELECT * FROM users WHERE name = '%s'" % name
            return conn.execute(sql).fetchall()

        def find_safe(conn, name):
            return conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()

        def clause(name):
            return f"name = '{name}'"

        def relay(conn, name):
            return find(conn, name.strip())
    """,
    "app/files.py": """
        import os

        def read(name):
            return open(os.path.join("/srv", name)).read()
    """,
}


def test_flow_through_a_helper_in_another_module_is_found_at_the_sink() -> None:
    views = (
        FLASK
        + """
from app.db import find, find_safe

@app.route("/a")
def a():
    return str(find(app.db, request.args["n"]))

@app.route("/b")
def b():
    return str(find_safe(app.db, request.args["n"]))
"""
    )
    found = flows({**HELPERS, "app/views.py": views})
    assert found == {("sql", "app/db.py", 3)}


def test_module_import_return_summary_and_transitive_calls() -> None:
    views = (
        FLASK
        + """
from app import db
import app.files as files

@app.route("/a")
def a():
    where = db.clause(request.args["n"])
    return str(app.db.execute("SELECT * FROM t WHERE " + where))

@app.route("/b")
def b():
    return str(db.relay(app.db, request.args["n"]))

@app.route("/c")
def c():
    return files.read(request.args["f"])
"""
    )
    found = flows({**HELPERS, "app/views.py": views})
    assert ("sql", "app/views.py", 10) in found  # the helper returned its parameter's text
    assert ("sql", "app/db.py", 3) in found  # relay() -> find() -> execute
    assert ("path", "app/files.py", 4) in found


def test_relative_imports_and_sanitizer_before_the_helper() -> None:
    views = (
        FLASK
        + """
from .db import find

@app.route("/a")
def a():
    return str(find(app.db, int(request.args["n"])))
"""
    )
    assert flows({**HELPERS, "app/views.py": views}) == set()


def test_helper_reading_the_request_itself() -> None:
    code = (
        FLASK
        + """
import os

def wanted():
    return request.args.get("host", "")

@app.route("/p")
def p():
    os.system("ping " + wanted())
    return "ok"
"""
    )
    assert kinds({"a.py": code}) == {"cmd"}


def test_review_reports_the_path_and_supersedes_the_file_rule(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    for name, code in HELPERS.items():
        (tmp_path / name).write_text(textwrap.dedent(code).lstrip())
    (tmp_path / "app" / "views.py").write_text(
        "import os\n"
        + FLASK
        + """
from app.db import find

@app.route("/a")
def a():
    return str(find(app.db, request.args["n"]))

@app.route("/c")
def c():
    host = request.args["h"]
    host = "localhost"
    os.system("ping " + host)
    return "ok"
"""
    )
    outcome = run_review(ReviewRequest(root=tmp_path, use_cache=False, jobs=1))
    sql = [f for f in outcome.findings if f.rule_id == "sql-string-query"]
    assert len(sql) == 1
    assert sql[0].file == "app/db.py"
    assert "app/views.py:9" in sql[0].message and "app/db.py:3" in sql[0].message
    assert sql[0].snippet
    # the old detector's taint-lite saw request data here; the engine knows it was overwritten
    assert not [f for f in outcome.findings if f.rule_id == "command-injection"]


def test_a_flow_through_a_project_function_is_one_step_less_severe(tmp_path: Path) -> None:
    # inside the handler: critical; through find() in another module: high, medium confidence
    # (the helper is one more place where the value may be checked in a way we do not model)
    (tmp_path / "app").mkdir()
    for name, code in HELPERS.items():
        (tmp_path / name).write_text(textwrap.dedent(code).lstrip())
    (tmp_path / "app" / "views.py").write_text(
        FLASK
        + """
from app.db import find

@app.route("/a")
def a():
    return str(find(app.db, request.args["n"]))

@app.route("/b")
def b():
    return str(app.db.execute("SELECT * FROM t WHERE n = " + request.args["n"]))
"""
    )
    outcome = run_review(ReviewRequest(root=tmp_path, use_cache=False, jobs=1))
    sql = {
        f.file: (f.severity, f.confidence)
        for f in outcome.findings
        if f.rule_id == "sql-string-query"
    }
    assert sql == {"app/db.py": ("high", "medium"), "app/views.py": ("critical", "high")}


def test_validator_statement_and_allow_list_from_a_program_collection() -> None:
    code = (
        FLASK
        + """
import os

@app.route("/a")
def a():
    p = os.path.join("/srv", request.args["p"])
    validate_inside_directory("/srv", p)
    return open(p).read()

@app.route("/b")
def b():
    sort = request.args["sort"]
    if sort not in Item.__table__.columns.keys():
        sort = "id"
    return str(app.db.execute("SELECT * FROM item ORDER BY " + sort))
"""
    )
    assert kinds({"a.py": code}) == set()


def test_a_request_first_function_called_by_project_code_is_a_helper() -> None:
    views = """
        import os
        from app.util import run

        def view(request):
            return run(request, "ls")
    """
    util = """
        import os

        def run(request, command):
            os.system(command)
    """
    assert flows({"app/views.py": views, "app/util.py": util}) == set()


def test_unresolved_project_names_carry_nothing_but_libraries_do() -> None:
    code = (
        FLASK
        + """
import base64, pickle
from app.models import Files

@app.route("/a")
def a():
    f = Files.get_by_id(request.args["id"])
    return open(f.path).read()

@app.route("/b")
def b():
    return str(pickle.loads(base64.b64decode(request.cookies["c"])))
"""
    )
    found = flows({"app/views.py": code, "app/models.py": "X = 1\n"})
    assert {kind for kind, _, _ in found} == {"deser"}


# ------------------------------------------------------- checks on an expression, not a name
CHECKED_EXPRESSION = [
    # the checked expression itself is the redirect target, inside the branch the check holds
    'if "next" in request.args and is_allowed_url(request.args.get("next")):\n'
    '    return redirect(request.args.get("next"))\nreturn redirect("/")',
    # a conditional expression: the value is used only on the side where the check holds
    'url = request.args.get("next", "/")\n'
    'url = url if is_allowed_url(url) else "/"\nreturn redirect(url)',
    # the check's result kept in a flag first
    'url = request.args.get("next", "/")\n'
    'url_is_safe = is_allowed_url(url=url)\nreturn redirect(url if url_is_safe else "/")',
    'url = request.args.get("next", "/")\n'
    'ok = is_allowed_url(url)\nif not ok:\n    return redirect("/")\nreturn redirect(url)',
]
UNCHECKED_EXPRESSION = [
    # the flag holds a check of the old value: the name was rebound after it
    'url = request.args.get("next", "/")\nok = is_allowed_url(url)\n'
    'url = request.args.get("back")\nreturn redirect(url if ok else "/")',
    # a flag that was true before the check: the check may not have run
    'url = request.args.get("next", "/")\nok = True\nif request.args.get("strict"):\n'
    '    ok = is_allowed_url(url)\nreturn redirect(url if ok else "/")',
    # after the if, the check no longer holds
    'if is_allowed_url(request.args.get("next")):\n'
    '    pass\nreturn redirect(request.args.get("next"))',
    # another expression than the one checked
    'if is_allowed_url(request.args.get("next")):\n'
    '    return redirect(request.args.get("back"))\nreturn redirect("/")',
    # the unchecked side of a conditional expression
    'url = request.args.get("next", "/")\n'
    'url = "/" if is_allowed_url(url) else url\nreturn redirect(url)',
]
ALLOWED = "from app.urls import is_allowed_url\n"


@pytest.mark.parametrize("body", CHECKED_EXPRESSION)
def test_a_check_on_the_expression_used_cleans_it_where_it_holds(body: str) -> None:
    assert kinds(handler(body, ALLOWED)) == set()


@pytest.mark.parametrize("body", UNCHECKED_EXPRESSION)
def test_a_check_elsewhere_leaves_the_expression_tainted(body: str) -> None:
    assert "redirect" in kinds(handler(body, ALLOWED))


@pytest.mark.parametrize(
    ("body", "imports", "reported"),
    [
        # a URL of this app (reverse()/url_for() first), the request's words only in its query
        (
            "return redirect(f\"{url_for('search')}?{urlencode({'q': request.args['q']})}\")",
            "from urllib.parse import urlencode\nfrom flask import url_for\n",
            False,
        ),
        ("return redirect(f\"{request.args['next']}?done=1\")", "", True),
        # the same through a name bound to the app's URL, in an f-string or a concatenation
        (
            "url = url_for('search')\nreturn redirect(f\"{url}?{request.args['q']}\")",
            "from flask import url_for\n",
            False,
        ),
        (
            "url = url_for('search')\nquery = '?' + request.args['q']\nreturn redirect(f'{url}{query}')",
            "from flask import url_for\n",
            False,
        ),
        # a name rebound from the request after it held the app's URL is the client's again
        (
            "url = url_for('search')\nurl = request.args['next']\nreturn redirect(f\"{url}?x=1\")",
            "from flask import url_for\n",
            True,
        ),
        # a state the server signed itself comes back verified, not as the client's words
        (
            'return redirect(signing.loads(request.args["state"])["next"])',
            "from django.core import signing\n",
            False,
        ),
        ('return redirect(json.loads(request.args["state"])["next"])', "import json\n", True),
        # a record loaded by the id the client sent holds the app's data, not the client's
        (
            'link = aget_object_or_404(Link, pk=request.args["id"])\nreturn redirect(link.target)',
            "from django.shortcuts import aget_object_or_404\nfrom app.models import Link\n",
            False,
        ),
    ],
)
def test_app_urls_and_signed_state_are_not_open_redirects(
    body: str, imports: str, reported: bool
) -> None:
    assert ("redirect" in kinds(handler(body + "\n", imports))) is reported


STORE = """\
import sqlite3


def purge(table, days):
    db = sqlite3.connect("app.db")
    db.execute(f"DELETE FROM {table} WHERE age > {days}")
"""


def _sql_lines(root: Path) -> list[int]:
    report = run_review(ReviewRequest(root=root, use_cache=False, jobs=1))
    return [f.line for f in report.findings if f.rule_id == "sql-string-query"]


def test_sql_from_parameters_whose_callers_pass_constants_is_not_reported(tmp_path: Path) -> None:
    # the engine followed the only caller: constants, no request data reaches the splice
    (tmp_path / "store.py").write_text(STORE)
    (tmp_path / "jobs.py").write_text(
        'from store import purge\n\n\ndef nightly():\n    purge("events", 30)\n'
    )
    assert _sql_lines(tmp_path) == []


def test_sql_from_parameters_of_a_function_nobody_calls_is_still_reported(tmp_path: Path) -> None:
    # no resolved caller: what the parameters hold is unknown, the file rule's finding stays
    (tmp_path / "store.py").write_text(STORE)
    (tmp_path / "jobs.py").write_text("def nightly():\n    return 30\n")
    assert _sql_lines(tmp_path) == [6]


def test_capped_labels_do_not_depend_on_string_hashing() -> None:
    # more labels than kept, all of one length: which survive must not follow set order
    labels = {f"P{name}" for name in "qwertyuiopasdfghjklzxcvbnm"}
    kept = model.cap(labels)
    assert len(kept) == model.MAX_LABELS
    assert kept == frozenset(sorted(labels)[: model.MAX_LABELS])


def _checked_by(pattern: str, call: str = "match") -> dict[str, str]:
    imports = f'import re\nBACKUP_RE = re.compile(r"{pattern}")\n'
    body = f"""\
        name = request.args.get("path")
        if not name or not BACKUP_RE.{call}(name):
            return "bad", 400
        return send_file("/data/backups/" + name)
    """
    return handler(body, imports)


def test_a_compiled_pattern_covering_the_whole_value_cleans_it() -> None:
    assert kinds(_checked_by(r"^[0-9]+/[0-9]+\.zip$")) == set()
    assert kinds(_checked_by(r"[0-9]+\.zip", "fullmatch")) == set()
    assert kinds(_checked_by(r"^[a-z]+\Z", "search")) == set()


def test_patterns_that_let_a_parent_directory_through_do_not_clean_paths() -> None:
    assert kinds(_checked_by(r"^[0-9]+")) == {"path"}  # not anchored at the end
    assert kinds(_checked_by(r"^.*\.zip$")) == {"path"}  # any text before .zip
    assert kinds(_checked_by(r"^[\w./-]+$")) == {"path"}  # spells ../
    assert kinds(_checked_by(r"[a-z]+$", "search")) == {"path"}  # not anchored at the start


def test_a_request_first_function_no_url_pattern_routes_to_is_a_medium_guess(
    tmp_path: Path,
) -> None:
    """`serve(request, filename)` in urls.py is a view: its URL parameter reaching open() is
    high. `sendfile(request, filename)` looks the same, but no URL pattern routes to it (a
    backend called through a setting): its `filename` may come from the database, so the flow
    stays, as a medium guess that says so."""
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "views.py").write_text(
        textwrap.dedent(
            """
            from django.http import FileResponse

            def serve(request, filename):
                return FileResponse(open("/srv/files/" + filename, "rb"))

            def sendfile(request, filename, **kwargs):
                return FileResponse(open(filename, "rb"))
            """
        ).lstrip()
    )
    (tmp_path / "files" / "urls.py").write_text(
        textwrap.dedent(
            """
            from django.urls import path

            from files import views

            urlpatterns = [path("files/<path:filename>", views.serve)]
            """
        ).lstrip()
    )
    outcome = run_review(ReviewRequest(root=tmp_path, use_cache=False, jobs=1))
    paths = {
        f.line: f
        for f in outcome.findings
        if f.rule_id == "path-traversal" and f.file == "files/views.py"
    }
    assert paths[4].severity == "high" and "no URL pattern" not in paths[4].message
    assert paths[7].severity == "medium" and paths[7].confidence == "low"
    assert "if sendfile() is a view" in paths[7].message


def test_one_of_several_guards_holding_cleans_what_each_of_them_cleans() -> None:
    """`if x not in LOCALES and x != "en": return` passed: x is a listed locale or "en"."""
    code = (
        FLASK
        + """
import os

@app.route("/a/<name>")
def a(name):
    if name not in get_all_locales() and name != "en_GB":
        return redirect("/")
    return send_file(os.path.join("/srv/cache", name))

@app.route("/b/<name>")
def b(name):
    if name != "en_GB" and len(name) > 3:
        return redirect("/")
    return send_file(os.path.join("/srv/cache", name))

@app.route("/c/<name>")
def c(name):
    if name in get_all_locales() or len(name) < 5:
        return send_file(os.path.join("/srv/cache", name))
    return "no"
"""
    )
    assert {line for _, _, line in flows({"a.py": code})} == {16, 21}


def test_constrained_path_converters_are_not_attacker_text() -> None:
    """`<int:id>`, `<any(css,js):folder>` (or a literal from `defaults=`) on every route of the
    handler: the router admits nothing else. One route with a free `<folder>` is enough."""
    code = (
        FLASK
        + """
import os

@app.route("/custom/<any(css,js):folder>/<int:n>")
@app.route("/custom/files/<int:n>", defaults={"folder": "files"})
def custom(folder, n):
    return send_file(os.path.join("/srv/custom", folder, str(n)))

@app.route("/raw/<folder>/<int:n>")
@app.route("/any/<any(a,b):folder>/<int:n>")
def raw(folder, n):
    return send_file(os.path.join("/srv/custom", folder, str(n)))
"""
    )
    assert {line for _, _, line in flows({"a.py": code})} == {14}


def test_membership_in_what_a_project_function_computes_from_nothing_sent() -> None:
    """`if name not in get_all_locales(): abort(404)` with get_all_locales() a project function
    handed no client data: an allow-list. Handed the client's value, it proves nothing."""
    code = (
        FLASK
        + """
import os

def get_all_locales():
    return os.listdir("/srv/translations")

def locales_like(name):
    return [name, "en"]

@app.route("/a/<name>")
def a(name):
    if name not in get_all_locales():
        return redirect("/")
    return send_file(os.path.join("/srv/cache", name))

@app.route("/b/<name>")
def b(name):
    if name not in locales_like(name):
        return redirect("/")
    return send_file(os.path.join("/srv/cache", name))
"""
    )
    assert {line for _, _, line in flows({"a.py": code})} == {22}


def test_a_module_function_named_like_a_sink_is_followed_not_matched() -> None:
    # dtale's own send_file(output, filename, type) wraps bytes in a response: no file opened
    own = """
from flask import Flask, request, make_response
app = Flask(__name__)

def send_file(output, filename, content_type):
    resp = make_response(output)
    resp.headers["Content-Type"] = content_type
    return resp

@app.route("/export")
def export():
    name = request.args.get("name", "chart")
    return send_file(name.encode(), name + ".png", "image/png")
"""
    assert flows({"app/views.py": own}) == set()
    # the same name imported from Flask opens the file the caller named
    library = "from flask import send_file\n" + own.replace(
        "def send_file(output, filename, content_type):", "def wrap(output, filename, t):"
    )
    assert kinds({"app/views.py": library}) == {"path"}
