"""Catalog entry: server-side request forgery."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="ssrf",
    name="Outbound request to a URL from the request",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=918,
    owasp="A10:2021 Server-Side Request Forgery",
    languages=["python"],
    doc=RuleDoc(
        what=(
            "Finds outbound HTTP calls (`requests.*`, `httpx.*`, `urllib.request.urlopen`,\n"
            "`urllib3`, aiohttp) whose URL comes from request data, followed through\n"
            "assignments, formatting and project functions in other modules.\n"
            "Not reported (sanitisers): a URL whose scheme and host are fixed text\n"
            '(`f"https://api.example.com/items/{item_id}"`: only the path varies); a value\n'
            "checked against an allow-list that returns/raises/aborts otherwise, or with a\n"
            "validator whose name says so (`is_allowed_url(u)`); int/UUID conversions.\n"
            "Not reported either: calls made by handlers whose route checks a role (the route\n"
            "inventory's authorization evidence): an admin pointing the server at an integration\n"
            "URL is the feature, not a forgery."
        ),
        why=(
            "The server can reach what the client cannot: cloud metadata endpoints\n"
            "(169.254.169.254), internal admin services, localhost ports. A URL chosen by the\n"
            "client turns your server into their proxy."
        ),
        example=(
            "```python\n"
            '@app.post("/preview")\n'
            "def preview(body: PreviewIn):\n"
            '    return {"html": requests.get(body.url, timeout=5).text}\n'
            "```"
        ),
        instead=(
            "```python\n"
            "host = urlsplit(body.url).hostname\n"
            "if host not in ALLOWED_PREVIEW_HOSTS:\n"
            "    raise HTTPException(400)\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/918.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html",
        ],
    ),
)
