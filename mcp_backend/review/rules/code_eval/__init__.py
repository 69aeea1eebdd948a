"""Catalog entry: Dynamic code evaluation."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="code-eval",
    name="Dynamic code evaluation",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=95,
    owasp="A03:2021 Injection",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds `eval`, `exec` and `compile` (Python) and `eval`, `new "
            "Function`, `vm.runInContext`,\n"
            '`setTimeout("string")` (JavaScript) applied to anything that is not a '
            "constant. Severity is\n"
            "critical when request data reaches it. Templates compiled from request "
            "data\n"
            '(`render_template_string(f"...{name}")`, `jinja2.Template(...)`, '
            "`env.from_string(...)`) are\n"
            "reported too: template expressions run on the server."
            "\n\nPython: the taint engine (review/taint/) follows request data from the route "
            "handlers through assignments, formatting, containers and project functions in "
            "other modules (the finding shows the path). Sanitisers it knows: `ast.literal_eval`,"
            " a fixed template with request data passed as variables "
            "(`render_template_string(TPL, name=name)`), int/float conversion, an allow-list "
            "check."
        ),
        why=(
            "Evaluating a string runs it with the full power of the server "
            "process: reading files and\n"
            "environment secrets, opening shells, pivoting into the network. No "
            "amount of filtering makes\n"
            "`eval` of user input safe; sandboxes built on it have a long history of escapes."
        ),
        example=(
            "```python\n"
            '@app.get("/calc")\n'
            "def calc(expr: str):\n"
            '    return {"result": eval(expr)}\n'
            "```\n"
            "\n"
            "```ts\n"
            'app.post("/rules", (req, res) => {\n'
            '  const rule = new Function("order", req.body.code);\n'
            "});\n"
            "```"
        ),
        instead=(
            "```python\n"
            "value = ast.literal_eval(text)           # literals only\n"
            'OPERATIONS = {"sum": sum, "max": max}     # or dispatch on an allow-list\n'
            "result = OPERATIONS[name](numbers)\n"
            "```\n"
            "\n"
            "```ts\n"
            "const value = JSON.parse(req.body.value);\n"
            "const handler = HANDLERS[req.body.kind];\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/95.html",
            "https://owasp.org/www-community/attacks/Code_Injection",
        ],
    ),
)
