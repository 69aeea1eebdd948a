"""Catalog entry: record loaded by a client-supplied id without an ownership check (IDOR)."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="object-access-without-ownership",
    name="Object loaded by id without an ownership check",
    checklist_item="authorization",
    severity="medium",
    confidence="medium",
    cwe=639,
    owasp="A01:2021 Broken Access Control",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Reports authenticated routes whose handler loads a record by an id taken from the "
            "URL (`db.get(Order, order_id)`, `Order.objects.get(pk=pk)`, `get_object_or_404`, "
            "`.filter(Order.id == order_id)`, a DRF detail route on `queryset = "
            "Order.objects.all()`) when nothing ties the record to the caller: no filter on the "
            "owner (`owner=request.user`, `Order.user_id == user.id`), no comparison of the "
            "record's owner with the current user, no object-level permission "
            "(`has_object_permission`) and no role check. Only routes about user data or that "
            "change data are considered, and only when the lookup is direct, so the rule stays "
            "quiet when the handler delegates to a service it cannot follow. A tRPC or GraphQL "
            "mutation or a server action counts as changing data when it updates or deletes the "
            "record an id from its input selects (`update({ where: { id: input.id } })`)."
        ),
        why=(
            "Ids are easy to guess or enumerate. If the handler only checks that someone is "
            "logged in, any user can read or change any other user's orders, invoices or files "
            "by changing the number in the URL (insecure direct object reference, the most "
            "frequent API vulnerability)."
        ),
        example=(
            "```python\n"
            '@router.get("/orders/{order_id}")\n'
            "def get_order(order_id: int, user: CurrentUser, db: DbSession):\n"
            "    return db.get(Order, order_id)\n"
            "```\n"
            "\n"
            "```ts\n"
            'router.get("/orders/:id", requireAuth, async (req, res) => {\n'
            "  res.json(await Order.findById(req.params.id));\n"
            "});\n"
            "```"
        ),
        instead=(
            "```python\n"
            "order = db.scalar(\n"
            "    select(Order).where(Order.id == order_id, Order.owner_id == user.id)\n"
            ")\n"
            "if order is None:\n"
            "    raise HTTPException(status.HTTP_404_NOT_FOUND)\n"
            "```\n"
            "\n"
            "```ts\n"
            "const order = await Order.findOne({ _id: req.params.id, owner: req.user.id });\n"
            "if (!order) return res.status(404).end();\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/639.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/",
        ],
    ),
)
