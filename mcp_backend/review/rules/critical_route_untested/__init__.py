"""Catalog entry: critical route (auth, payments, deletion, admin) that no test refers to."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="critical-route-untested",
    name="Critical route without a test",
    checklist_item="tests",
    severity="medium",
    confidence="medium",
    cwe=None,
    owasp=None,
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Reports critical routes (login, registration, password reset, tokens; payments, "
            "checkout, refunds; deletions; admin) that no test file refers to: not by URL "
            '(`client.post("/auth/login")`, supertest `request(app).post("/login")`), not by '
            'URL name (`reverse("order-detail")`, `url_for("auth.login")`) and not by '
            "importing the handler. When the project has no tests at all, one finding is "
            "reported for the project (listing the critical routes) instead of one per route."
        ),
        why=(
            "These are the routes where a regression costs the most: a login that accepts any "
            "password, a refund that pays twice, a delete that ignores ownership. A test that "
            "calls them is the cheapest way to keep them correct while the code changes."
        ),
        example=(
            "```python\n"
            '@router.post("/payments/{payment_id}/refund")\n'
            "def refund_payment(payment_id: int, user: AdminUser, db: DbSession): ...\n"
            "# tests/ never calls /payments/.../refund\n"
            "```\n"
            "\n"
            "```ts\n"
            'router.post("/payments/:id/refund", requireAdmin, refund);\n'
            "// no test refers to /payments/:id/refund\n"
            "```"
        ),
        instead=(
            "```python\n"
            "def test_refund_requires_admin(client, user_token):\n"
            '    response = client.post("/payments/1/refund", headers=auth(user_token))\n'
            "    assert response.status_code == 403\n"
            "```\n"
            "\n"
            "```ts\n"
            'it("refuses refunds for non-admins", async () => {\n'
            '  await request(app).post("/payments/1/refund").set(auth(userToken)).expect(403);\n'
            "});\n"
            "```"
        ),
        references=[
            "https://martinfowler.com/articles/practical-test-pyramid.html",
            "https://fastapi.tiangolo.com/tutorial/testing/",
        ],
    ),
)
