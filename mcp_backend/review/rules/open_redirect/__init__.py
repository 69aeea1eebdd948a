"""Catalog entry: open redirect."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="open-redirect",
    name="Redirect to a URL from the request",
    checklist_item="input-validation",
    severity="medium",
    confidence="high",
    cwe=601,
    owasp="A01:2021 Broken Access Control",
    languages=["python"],
    doc=RuleDoc(
        what=(
            "Finds redirects (`redirect(x)`, `HttpResponseRedirect`, `RedirectResponse`,\n"
            "`web.HTTPFound`) whose target comes from request data: a handler parameter, a\n"
            "query/form/body field, a header. The taint engine follows the value through\n"
            "assignments, formatting and project functions in other modules.\n"
            'Not reported (sanitisers): a target built on a fixed local path (`f"/items/{id}"`)\n'
            "or a fixed `https://host/` prefix; `url_for(...)`/`reverse(...)`; a value checked\n"
            "against an allow-list (`if nxt not in ALLOWED: abort(400)`), with\n"
            "`url_has_allowed_host_and_scheme`/`is_safe_url`, or with `startswith(base)` before\n"
            "the redirect; int/UUID conversions. A helper that redirects to one of its\n"
            "parameters is not reported for its callers (on real code they pass targets they\n"
            "checked); the handler's own redirect and values returned by helpers are followed."
        ),
        why=(
            "A link on your domain that forwards to any site is what phishing needs: the\n"
            "victim sees your host, logs in on a copy of your page. With OAuth flows it can leak\n"
            "tokens carried in the redirect."
        ),
        example=(
            "```python\n"
            '@app.get("/login/done")\n'
            "def done():\n"
            '    return redirect(request.args.get("next", "/"))\n'
            "```"
        ),
        instead=(
            "```python\n"
            'nxt = request.args.get("next", "/")\n'
            "if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.host}):\n"
            '    nxt = "/"\n'
            "return redirect(nxt)\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/601.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html",
        ],
    ),
)
