"""Catalog entry: reflected XSS."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="reflected-xss",
    name="HTML response built from request data",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=79,
    owasp="A03:2021 Injection",
    languages=["python"],
    doc=RuleDoc(
        what=(
            "Finds HTML built by hand from request data and sent back: `HTMLResponse(...)`,\n"
            "`make_response(...)`/`HttpResponse(...)`/a Flask handler's returned string when the\n"
            "text contains markup (`<b>`, `<div ...>`), `Markup(...)`/`mark_safe(...)` over\n"
            "request data. Followed through assignments, `+=`, formatting and project functions.\n"
            "Not reported (sanitisers): `html.escape`, `markupsafe.escape`, Django `escape`/\n"
            "`conditional_escape`, `bleach.clean`; templates rendered with autoescape\n"
            "(`render_template`, `render`, `TemplateResponse`); JSON responses; a response with\n"
            "a non-HTML `content_type`/`mimetype`; int/UUID conversions and allow-lists."
        ),
        why=(
            "Markup from the request runs as script in the victim's browser under your origin:\n"
            "it reads their session data, acts as them, rewrites the page."
        ),
        example=(
            "```python\n"
            '@app.get("/hello")\n'
            "def hello():\n"
            "    return f\"<h1>Hello {request.args['name']}</h1>\"\n"
            "```"
        ),
        instead=(
            "```python\n"
            'return render_template("hello.html", name=request.args["name"])  # autoescaped\n'
            '# or: f"<h1>Hello {escape(name)}</h1>"\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/79.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html",
        ],
    ),
)
