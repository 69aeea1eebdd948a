"""Catalog entry: Debug mode enabled."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="debug-mode-enabled",
    name="Debug mode enabled",
    checklist_item="error-handling",
    severity="high",
    confidence="high",
    cwe=489,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python"],
    doc=RuleDoc(
        what=(
            "Finds debug mode switched on in code that ships: "
            "`app.run(debug=True)`, `FastAPI(debug=True)`,\n"
            "`Starlette(debug=True)`, `uvicorn.run(..., debug=True)`, `app.debug = True`,\n"
            '`app.config["DEBUG"] = True`, and `DEBUG = True` as a literal in a '
            "Django settings module.\n"
            "Settings modules meant for development (`settings/dev.py`, "
            "`local_settings.py`, test settings)\n"
            "and values read from the environment are not flagged; a `debug=True` inside\n"
            '`if __name__ == "__main__":` is reported at medium severity (a local '
            "entry point, but one that\n"
            "is easy to deploy as is)."
        ),
        why=(
            "Debug mode turns every unhandled error into a page with the stack "
            "trace, local variables and\n"
            "settings. The Werkzeug debugger goes further: its interactive console "
            "runs arbitrary Python on\n"
            "the server for anyone who can reach it. Django's debug pages list "
            "settings and URL patterns."
        ),
        example=(
            "```python\n"
            "# settings.py\n"
            "DEBUG = True\n"
            "\n"
            'if __name__ == "__main__":\n'
            '    app.run(host="0.0.0.0", debug=True)\n'
            "```"
        ),
        instead=(
            "```python\n"
            "# settings.py\n"
            'DEBUG = env.bool("DJANGO_DEBUG", default=False)\n'
            "\n"
            'if __name__ == "__main__":\n'
            '    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")\n'
            "# Production: gunicorn/uvicorn workers, no debug flag, errors to the log.\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/489.html",
            "https://flask.palletsprojects.com/en/stable/debugging/",
            "https://docs.djangoproject.com/en/stable/ref/settings/#debug",
        ],
    ),
)
