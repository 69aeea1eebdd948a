"""Catalog entry: route that changes data or exposes user data without authentication."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="route-missing-auth",
    name="Route without authentication",
    checklist_item="authentication",
    severity="high",
    confidence="medium",
    cwe=306,
    owasp="A01:2021 Broken Access Control",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Looks at every route in the project's route inventory and reports those that need "
            "a caller identity (state-changing methods; paths or handlers about users, accounts, "
            "admin, orders, payments, settings, files or exports; reads by id on a resource whose "
            "other routes require auth) but where no authentication was found at any level: app, "
            "router or blueprint, route, decorator, dependency, middleware, settings default "
            "(DRF `DEFAULT_PERMISSION_CLASSES`, Django `LoginRequiredMiddleware`) or a check in "
            "the handler itself. Routes that are public by design (login, registration, password "
            "reset, OAuth callbacks, health checks, docs, static files, webhooks that verify a "
            "signature) are skipped, and so are routes whose protection comes from a mechanism "
            "we cannot read (reported as `unknown` in the inventory, never as missing). When no "
            "route in the project has authentication at all, one finding is reported for the "
            "project instead of one per route."
        ),
        why=(
            "An endpoint without authentication is callable by anyone who can reach the "
            "server: records can be created, changed or deleted, and private data read, "
            "without an account. Missing authentication on a single route is one of the most "
            "common causes of data breaches in APIs."
        ),
        example=(
            "```python\n"
            '@router.delete("/orders/{order_id}")\n'
            "def delete_order(order_id: int, db: Session = Depends(get_db)):\n"
            "    db.delete(db.get(Order, order_id))\n"
            "```\n"
            "\n"
            "```ts\n"
            'router.delete("/orders/:id", async (req, res) => {\n'
            "  await Order.deleteOne({ _id: req.params.id });\n"
            "  res.status(204).end();\n"
            "});\n"
            "```"
        ),
        instead=(
            "```python\n"
            'router = APIRouter(prefix="/orders", dependencies=[Depends(get_current_user)])\n'
            "\n"
            '@router.delete("/{order_id}")\n'
            "def delete_order(order_id: int, user: CurrentUser, db: DbSession): ...\n"
            "```\n"
            "\n"
            "```ts\n"
            'router.delete("/orders/:id", requireAuth, async (req, res) => { ... });\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/306.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
            "https://fastapi.tiangolo.com/tutorial/security/",
        ],
    ),
)
