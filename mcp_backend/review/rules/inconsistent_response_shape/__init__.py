"""Catalog entry: JSON routes returning different envelope shapes."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="inconsistent-response-shape",
    name="Inconsistent response shape",
    checklist_item="response-format",
    severity="low",
    confidence="low",
    cwe=None,
    owasp=None,
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Compares the JSON objects that route handlers build literally (`return {...}`, "
            "`jsonify(...)`, `JSONResponse(...)`, `res.json({...})`). Reports a clear mismatch "
            "only: most successful responses are wrapped in an envelope such as "
            '`{"data": ...}` while some routes return bare objects (or the reverse), or '
            "error responses use different keys for the message (`error` in some routes, "
            "`message` or `detail` in others). Responses built from models or serializers are "
            "not compared."
        ),
        why=(
            "Clients write one parser per API. When each route picks its own envelope or error "
            "key, every client needs special cases, errors get shown as `undefined`, and "
            "generated SDKs and docs drift from reality."
        ),
        example=(
            "```python\n"
            'return {"data": orders}            # GET /orders\n'
            'return {"id": order.id}            # POST /orders\n'
            'return {"error": "not found"}, 404  # one route\n'
            'return {"message": "forbidden"}, 403  # another\n'
            "```\n"
            "\n"
            "```ts\n"
            "res.json({ data: orders });\n"
            'res.status(404).json({ message: "not found" });\n'
            'res.status(400).json({ error: "bad input" });\n'
            "```"
        ),
        instead=(
            "```python\n"
            "def ok(data):\n"
            '    return {"data": data}\n'
            "\n"
            "def fail(code, message, status):\n"
            '    return JSONResponse({"error": {"code": code, "message": message}}, status)\n'
            "```\n"
            "\n"
            "```ts\n"
            "const ok = (res: Response, data: unknown) => res.json({ data });\n"
            "const fail = (res: Response, status: number, code: string, message: string) =>\n"
            "  res.status(status).json({ error: { code, message } });\n"
            "```"
        ),
        references=[
            "https://www.rfc-editor.org/rfc/rfc9457",
            "https://google.github.io/styleguide/jsoncstyleguide.xml",
        ],
    ),
)
