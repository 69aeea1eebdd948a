"""Catalog entry: Query inside a loop over query results (N+1)."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="n-plus-one-query",
    name="Query inside a loop over query results (N+1)",
    checklist_item="n-plus-one",
    severity="medium",
    confidence="medium",
    cwe=1073,
    owasp=None,
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds a loop (or comprehension) over the result of a query whose body "
            "runs another query per\n"
            "row: a Django related manager (`order.items.all()`), `Model.objects.get/filter`,\n"
            "`session.query`/`session.get`/`execute`, or iterating a relationship "
            "of each row, when the\n"
            "outer query does not load the relation up front (`select_related`, "
            "`prefetch_related`,\n"
            "`joinedload`, `selectinload`, `include` in Prisma/Sequelize)."
        ),
        why=(
            "One query for the list plus one per row: 1 + N round trips. With 20 "
            "rows in development it is\n"
            "invisible; with 2,000 rows in production the page makes 2,001 queries "
            "and latency grows with\n"
            "the data. Loading the relation in the first query (a join, or one `IN "
            "(...)` query) keeps the\n"
            "count constant."
        ),
        example=(
            "```python\n"
            "orders = Order.objects.filter(customer=request.user)\n"
            "for order in orders:\n"
            '    lines.append({"id": order.id, "items": list(order.items.all())})\n'
            "\n"
            "for user in session.scalars(select(User)).all():\n"
            "    user_posts = session.scalars(select(Post).where(Post.user_id == "
            "user.id)).all()\n"
            "```\n"
            "\n"
            "```ts\n"
            "const users = await prisma.user.findMany();\n"
            "for (const u of users) {\n"
            "  u.posts = await prisma.post.findMany({ where: { authorId: u.id } });\n"
            "}\n"
            "```"
        ),
        instead=(
            "```python\n"
            'orders = Order.objects.filter(customer=request.user).prefetch_related("items")\n'
            "users = session.scalars(select(User).options(selectinload(User.posts))).all()\n"
            "```\n"
            "\n"
            "```ts\n"
            "const users = await prisma.user.findMany({ include: { posts: true } });\n"
            "```"
        ),
        references=[
            "https://docs.djangoproject.com/en/stable/ref/models/querysets/#prefetch-related",
            "https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html",
            "https://cwe.mitre.org/data/definitions/1073.html",
        ],
    ),
)
