"""Catalog entry: Giant route handler."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="giant-handler",
    name="Giant route handler",
    checklist_item="architecture",
    severity="low",
    confidence="medium",
    cwe=None,
    owasp=None,
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds route handlers that have grown into the whole feature: long "
            "bodies (more than 60\n"
            "statement lines) that query or write the database directly and carry "
            "several branches of\n"
            "business logic, instead of delegating to a service or domain layer."
        ),
        why=(
            "A handler that parses the request, applies business rules, talks to "
            "the database and formats\n"
            "the response cannot be tested without HTTP and a database, cannot be "
            "reused from a job or a\n"
            "CLI, and hides its rules in branches that nobody dares touch. Changes "
            "to one concern break\n"
            "the others."
        ),
        example=(
            "```python\n"
            '@router.post("/orders")\n'
            "def create_order(body: OrderIn, db: Session = Depends(get_db)):\n"
            "    # 120 lines: stock checks, discounts, tax rules, db.add/commit, "
            "emails, formatting\n"
            "    ...\n"
            "```\n"
            "\n"
            "```ts\n"
            'router.post("/orders", async (req, res) => {\n'
            "  // 150 lines of validation, pricing, SQL and email sending\n"
            "});\n"
            "```"
        ),
        instead=(
            "```python\n"
            '@router.post("/orders", status_code=201)\n'
            "def create_order(body: OrderIn, service: OrderService = "
            "Depends(order_service)) -> OrderOut:\n"
            "    return service.place(body)          # rules in the service, SQL "
            "in a repository\n"
            "```\n"
            "\n"
            "```ts\n"
            'router.post("/orders", validate(orderSchema), async (req, res) => {\n'
            "  res.status(201).json(await orderService.place(req.body));\n"
            "});\n"
            "```"
        ),
        references=[
            "https://martinfowler.com/eaaCatalog/serviceLayer.html",
        ],
    ),
)
