"""Catalog entry: File path built from request data."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="path-traversal",
    name="File path built from request data",
    checklist_item="injection",
    severity="high",
    confidence="medium",
    cwe=22,
    owasp="A01:2021 Broken Access Control",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds files opened, served, written or deleted with a path that comes "
            "from the request:\n"
            "`open`, `Path(...).read_text/write_bytes/unlink`, `os.remove`, "
            "`shutil` calls, Flask\n"
            "`send_file`, Starlette/FastAPI `FileResponse`, Django "
            "`FileResponse(open(...))`, Node\n"
            "`fs.readFile`, `res.sendFile`, `res.download`, when the request value "
            "is not reduced to a safe\n"
            "name (`secure_filename`, `os.path.basename`, `safe_join`, "
            "`send_from_directory`) or checked to\n"
            "stay inside a base directory (`resolve()` + `is_relative_to`, or a helper "
            "that says it does,\n"
            "such as `validate_inside_directory(root, path)`)."
            "\n\nPython: the taint engine (review/taint/) follows request data from the route "
            "handlers through assignments, formatting, containers and project functions in "
            "other modules (the finding shows the path); handlers whose route checks a role "
            "(admins) are not reported by it. Sanitisers it knows: `secure_filename`, "
            "`basename`, `safe_join`, `send_from_directory` (only its directory argument is a "
            "sink), a containment check that returns/raises/aborts (`is_relative_to`, "
            "`commonpath`, `startswith(base)`); a fixed directory prefix alone is not one. "
            "Handler parameters typed with an enum or a `Literal` (defined here or imported "
            "from another module) are not "
            "client text: the framework accepts only the declared values."
            "\n\nJS/TS (file-local): a path a project function returned for the request "
            "value (`await icons.pathFor(req.params.name)`) is that function's answer, not "
            "request data; `req.files.x.tempFilePath` is the temporary file the upload "
            "middleware chose; `res.attachment(name)` only sets a header and opens nothing; "
            "a handler that tests the value against an anchored pattern admitting only "
            "letters, digits, `_` and `-` (`/^[a-zA-Z0-9_-]+$/.test(name)`) has no `../` left."
        ),
        why=(
            "`../../etc/passwd`, `..%2f..%2f.env` or an absolute path walks out of "
            "the upload directory:\n"
            "reading source code, keys and configuration, or overwriting files the "
            "server trusts."
        ),
        example=(
            "```python\n"
            '@app.get("/files/{name}")\n'
            "def download(name: str):\n"
            '    return FileResponse(f"uploads/{name}")\n'
            "\n"
            '@bp.get("/export")\n'
            "def export():\n"
            '    return send_file(os.path.join(EXPORT_DIR, request.args["file"]))\n'
            "```\n"
            "\n"
            "```ts\n"
            'app.get("/files/:name", (req, res) => res.sendFile(path.join(UPLOADS, '
            "req.params.name)));\n"
            "```"
        ),
        instead=(
            "```python\n"
            '@app.get("/files/{name}")\n'
            "def download(name: str):\n"
            "    path = (UPLOAD_DIR / name).resolve()\n"
            "    if not path.is_relative_to(UPLOAD_DIR) or not path.is_file():\n"
            "        raise HTTPException(status_code=404)\n"
            "    return FileResponse(path)\n"
            "\n"
            'return send_from_directory(EXPORT_DIR, request.args["file"])   # '
            "Flask checks the path\n"
            "```\n"
            "\n"
            "```ts\n"
            "res.sendFile(req.params.name, { root: UPLOADS });   // rejects paths "
            "outside root\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/22.html",
            "https://owasp.org/www-community/attacks/Path_Traversal",
        ],
    ),
)
