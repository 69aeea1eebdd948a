from __future__ import annotations

import pytest

from mcp_backend.review.rules.code_eval.python import DETECTOR as EVAL
from mcp_backend.review.rules.command_injection.python import DETECTOR as COMMAND
from mcp_backend.review.rules.path_traversal.python import DETECTOR as PATH
from mcp_backend.review.rules.unsafe_deserialization.python import DETECTOR as DESER

from ._support import run

DESER_POSITIVE = {
    "pickle_request_body": (
        """
        import pickle

        @app.post("/import")
        async def import_data(request: Request):
            rows = pickle.loads(await request.body())
            return {"count": len(rows)}
        """,
        "critical",
    ),
    "yaml_load_no_loader": (
        """
        import yaml

        def load_config(text):
            return yaml.load(text)
        """,
        "medium",  # a parameter: nothing says it crossed a trust boundary
    ),
    "yaml_full_loader_from_upload": (
        """
        import yaml

        @bp.route("/config", methods=["POST"])
        def upload_config():
            return yaml.load(request.files["config"].read(), Loader=yaml.Loader)
        """,
        "critical",
    ),
    "marshal_from_parameter": (
        """
        import marshal

        def restore(cache):
            blob = cache.get("compiled")
            return marshal.loads(blob)
        """,
        "medium",
    ),
}

DESER_NEGATIVE = {
    "safe_load": """
        import yaml

        def load_config(text):
            a = yaml.safe_load(text)
            b = yaml.load(text, Loader=yaml.SafeLoader)
            return a, b
    """,
    "json": """
        import json

        def parse(body):
            return json.loads(body)
    """,
    "ruamel_yaml_object": """
        from ruamel.yaml import YAML

        yaml = YAML()

        def load_meta(text):
            return yaml.load(text)
    """,
    "full_loader": """
        import yaml

        def load_config(text):
            return yaml.load(text, Loader=yaml.FullLoader)
    """,
    "pickle_dumps_only": """
        import pickle

        def save(obj, path):
            path.write_bytes(pickle.dumps(obj))
    """,
}

EVAL_POSITIVE = {
    "eval_query_param": (
        """
        @app.get("/calc")
        def calc(expr: str):
            return {"result": eval(expr)}
        """,
        "critical",
    ),
    "exec_from_form": (
        """
        @bp.route("/run", methods=["POST"])
        def run():
            code = request.form["code"]
            exec(code, {})
            return "ok"
        """,
        "critical",
    ),
    "ssti_render_template_string": (
        """
        from flask import render_template_string, request

        @app.route("/hello")
        def hello():
            name = request.args.get("name", "")
            return render_template_string(f"<h1>Hello {name}</h1>")
        """,
        "critical",
    ),
    "jinja_env_from_string": (
        """
        from jinja2 import Environment

        jinja_env = Environment()

        @app.post("/preview")
        def preview(body: PreviewIn):
            return jinja_env.from_string(body.template).render(user=body.name)
        """,
        "critical",
    ),
    "eval_parameter": (
        """
        def apply_rule(rule_expression, order):
            return eval(rule_expression, {"order": order})
        """,
        "medium",
    ),
    "exec_request_into_module": (
        """
        import types

        @app.post("/tools/preview")
        async def preview(request: Request):
            source = (await request.json())["source"]
            module = types.ModuleType("preview")
            exec(source, module.__dict__)
            return {"names": sorted(vars(module))}
        """,
        "critical",
    ),
}

EVAL_NEGATIVE = {
    "plugin_source_into_module": """
        import sys
        import types

        def load_tool_module(tool_id: str, content: str):
            module = types.ModuleType(f"tool_{tool_id}")
            sys.modules[module.__name__] = module
            exec(content, module.__dict__)
            return module.Tools()
    """,
    "literal_eval": """
        import ast

        def parse(text):
            return ast.literal_eval(text)
    """,
    "constant_eval": """
        def f():
            return eval("1 + 2")
    """,
    "model_eval_method": """
        def predict(model, batch):
            model.eval()
            return model(batch)
    """,
    "template_with_context": """
        from flask import render_template_string, request

        PAGE = "<h1>Hello {{ name }}</h1>"

        @app.route("/hello")
        def hello():
            return render_template_string(PAGE, name=request.args.get("name", ""))
    """,
    "plugin_file_loaded": """
        def load_plugin(path, namespace):
            with open(path) as f:
                exec(f.read(), namespace)
            code = compile(path.read_text(), str(path), "exec")
            exec(code, namespace)
    """,
    "compile_of_ast": """
        import ast

        def build(tree):
            return compile(tree, "<generated>", "exec")
    """,
}

COMMAND_POSITIVE = {
    "os_system_fstring_path_param": (
        """
        import os

        @app.post("/thumbnail/{name}")
        def thumbnail(name: str):
            os.system(f"convert uploads/{name} -resize 200x200 thumbs/{name}")
        """,
        "critical",
    ),
    "subprocess_shell_concat": (
        """
        import subprocess

        @bp.route("/ping")
        def ping():
            host = request.args.get("host", "")
            out = subprocess.check_output("ping -c 1 " + host, shell=True, timeout=5)
            return out
        """,
        "critical",
    ),
    "popen_parameter": (
        """
        import os

        def disk_usage(directory):
            return os.popen("du -sh %s" % directory).read()
        """,
        # a parameter of unknown origin: the project-wide taint engine reports the call at
        # critical when request data reaches it
        "medium",
    ),
    "argv_program_from_request": (
        """
        import subprocess

        @app.post("/tools")
        def tools(body: ToolIn):
            subprocess.run([body.tool, "--version"], check=True, timeout=10)
        """,
        "critical",
    ),
}

COMMAND_NEGATIVE = {
    "argv_list_constant_program": """
        import subprocess

        def convert(src, dst):
            subprocess.run(["convert", "--", str(src), str(dst)], check=True, timeout=30)
    """,
    "constant_shell": """
        import os, subprocess

        def backup():
            os.system("pg_dump app > /backups/app.sql")
            subprocess.run("ls -la | wc -l", shell=True, check=True, timeout=5)
    """,
    "quoted": """
        import shlex, subprocess

        def grep(pattern, path):
            cmd = f"grep -r {shlex.quote(pattern)} {shlex.quote(path)}"
            return subprocess.run(cmd, shell=True, capture_output=True, timeout=5)
    """,
    "constant_name_in_fstring": """
        import os

        BACKUP_DIR = "/var/backups"

        def rotate():
            os.system(f"find {BACKUP_DIR} -mtime +7 -delete")
    """,
}

PATH_POSITIVE = {
    "fastapi_file_response": """
        from fastapi.responses import FileResponse

        @app.get("/files/{name}")
        def download(name: str):
            return FileResponse(f"uploads/{name}")
    """,
    "flask_send_file_join": """
        import os
        from flask import request, send_file

        @bp.get("/export")
        def export():
            path = os.path.join(EXPORT_DIR, request.args["file"])
            return send_file(path)
    """,
    "django_open": """
        import os
        from django.http import FileResponse

        def report(request):
            name = request.GET.get("name")
            return FileResponse(open(os.path.join(settings.MEDIA_ROOT, name), "rb"))
    """,
    "upload_filename_write": """
        @app.post("/upload")
        async def upload(file: UploadFile):
            with open(f"/srv/uploads/{file.filename}", "wb") as out:
                out.write(await file.read())
    """,
    "django_view_url_kwarg": """
        import os
        from django.http import FileResponse

        def download(request, path):
            return FileResponse(open(os.path.join(settings.MEDIA_ROOT, path), "rb"))
    """,
    "pathlib_unlink": """
        from pathlib import Path

        @app.delete("/files/{name}")
        def delete_file(name: str):
            (Path("uploads") / name).unlink()
    """,
}

PATH_NEGATIVE = {
    "containment_helper": """
        @router.get("/{path:path}")
        async def serve_static(request: Request):
            path = str(request.path_params["path"])
            PathValidator().validate_inside_directory(ROOT, Path(path))
            return FileResponse(open(ROOT / path, "rb"))
    """,
    "helper_the_module_calls_is_not_a_view": """
        def build_file_response(request, full_path):
            return HttpResponse(open(full_path, "rb"))

        def serve(request, path):
            full_path = safe_join(settings.MEDIA_ROOT, path)
            return build_file_response(request, full_path)
    """,
    "secure_filename": """
        from werkzeug.utils import secure_filename

        @bp.post("/upload")
        def upload():
            f = request.files["file"]
            name = secure_filename(f.filename)
            f.save(os.path.join(UPLOAD_DIR, name))
            with open(os.path.join(UPLOAD_DIR, name), "rb") as fh:
                return fh.read()
    """,
    "resolve_and_check": """
        @app.get("/files/{name}")
        def download(name: str):
            path = (UPLOAD_DIR / name).resolve()
            if not path.is_relative_to(UPLOAD_DIR):
                raise HTTPException(status_code=404)
            return FileResponse(path)
    """,
    "send_from_directory": """
        from flask import send_from_directory

        @bp.get("/files/<path:name>")
        def files(name):
            return send_from_directory(UPLOAD_DIR, name)
    """,
    "server_chosen_path": """
        def load_template(name):
            with open(os.path.join(TEMPLATES, name + ".html")) as fh:
                return fh.read()

        @app.get("/report")
        def report():
            return FileResponse(REPORTS_DIR / f"{uuid4()}.pdf")
    """,
    "id_lookup": """
        @app.get("/invoices/{invoice_id}")
        def invoice(invoice_id: int, db: Session = Depends(get_db)):
            record = db.get(Invoice, invoice_id)
            return FileResponse(record.pdf_path)
    """,
}


@pytest.mark.parametrize("name", sorted(DESER_POSITIVE))
def test_deserialization_positive(name: str) -> None:
    source, severity = DESER_POSITIVE[name]
    findings = run(DESER, source)
    assert [f.severity for f in findings] == [severity]


@pytest.mark.parametrize("name", sorted(DESER_NEGATIVE))
def test_deserialization_negative(name: str) -> None:
    assert run(DESER, DESER_NEGATIVE[name]) == []


@pytest.mark.parametrize("name", sorted(EVAL_POSITIVE))
def test_eval_positive(name: str) -> None:
    source, severity = EVAL_POSITIVE[name]
    assert [f.severity for f in run(EVAL, source)] == [severity]


@pytest.mark.parametrize("name", sorted(EVAL_NEGATIVE))
def test_eval_negative(name: str) -> None:
    assert run(EVAL, EVAL_NEGATIVE[name]) == []


@pytest.mark.parametrize("name", sorted(COMMAND_POSITIVE))
def test_command_positive(name: str) -> None:
    source, severity = COMMAND_POSITIVE[name]
    assert [f.severity for f in run(COMMAND, source)] == [severity]


@pytest.mark.parametrize("name", sorted(COMMAND_NEGATIVE))
def test_command_negative(name: str) -> None:
    assert run(COMMAND, COMMAND_NEGATIVE[name]) == []


@pytest.mark.parametrize("name", sorted(PATH_POSITIVE))
def test_path_positive(name: str) -> None:
    findings = run(PATH, PATH_POSITIVE[name])
    assert len(findings) == 1, findings
    assert findings[0].rule_id == "path-traversal"


@pytest.mark.parametrize("name", sorted(PATH_NEGATIVE))
def test_path_negative(name: str) -> None:
    assert run(PATH, PATH_NEGATIVE[name]) == []
