"""Catalog entry: raw request body used without a schema."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="unvalidated-request-data",
    name="Request data used without validation",
    checklist_item="input-validation",
    severity="medium",
    confidence="medium",
    cwe=20,
    owasp="A03:2021 Injection",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Reports route handlers that read the raw request body (`await request.json()`, "
            "`request.json`, `request.get_json()`, `request.form[...]`, `request.POST[...]`, DRF "
            "`request.data[...]`, `req.body.x`) and use its fields directly, or spread it into "
            "a model (`Order(**data)`), without passing it through a schema first: a pydantic "
            "model, marshmallow schema, WTForms / Django form or DRF serializer with "
            "`is_valid()`, zod / joi / class-validator, or a JSON-schema check. Query strings "
            "are not reported (they are usually parsed field by field with defaults), and a "
            "body handed whole to another function is left alone because that function may "
            "validate it."
        ),
        why=(
            "Unvalidated input is where injection, mass assignment (a client setting "
            "`is_admin` or `price`), type confusion and crashes on missing fields begin. A "
            "schema at the boundary states what the endpoint accepts and rejects everything "
            "else with a clear 400/422."
        ),
        example=(
            "```python\n"
            '@bp.post("/orders")\n'
            "def create_order():\n"
            "    data = request.get_json()\n"
            "    order = Order(**data)\n"
            "```\n"
            "\n"
            "```ts\n"
            'app.post("/orders", async (req, res) => {\n'
            "  const order = await Order.create(req.body);\n"
            "});\n"
            "```"
        ),
        instead=(
            "```python\n"
            "class OrderIn(BaseModel):\n"
            "    product_id: int\n"
            "    quantity: int = Field(gt=0, le=100)\n"
            "\n"
            '@router.post("/orders")\n'
            "def create_order(payload: OrderIn, user: CurrentUser): ...\n"
            "```\n"
            "\n"
            "```ts\n"
            "const OrderIn = z.object({\n"
            "  productId: z.number().int(),\n"
            "  quantity: z.number().int().positive(),\n"
            "});\n"
            "const input = OrderIn.parse(req.body);\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/20.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/",
        ],
    ),
)
