from __future__ import annotations

import pytest

from mcp_backend.review.rules.n_plus_one_query.python import DETECTOR

from ._support import run, run_with_signals

POSITIVE = {
    "django_related_manager": """
        def order_list(request):
            orders = Order.objects.filter(customer=request.user).order_by("-created")
            data = []
            for order in orders:
                data.append({"id": order.id, "items": [i.sku for i in order.items.all()]})
            return JsonResponse(data, safe=False)
    """,
    "django_query_per_row": """
        def authors(request):
            result = []
            for book in Book.objects.all():
                author = Author.objects.get(pk=book.author_id)
                result.append(author.name)
            return result
    """,
    "sqlalchemy_session_get_per_row": """
        from sqlalchemy import select

        def invoices(db):
            invoices = db.scalars(select(Invoice)).all()
            out = []
            for inv in invoices:
                customer = db.get(Customer, inv.customer_id)
                out.append((inv.id, customer.name))
            return out
    """,
    "flask_sqlalchemy_lazy_relationship": """
        @bp.route("/users")
        def users():
            rows = []
            for user in User.query.order_by(User.name).all():
                rows.append({"name": user.name, "posts": len(user.posts)})
            return jsonify(rows)
    """,
    "comprehension": """
        def tags(request):
            return {p.id: list(p.tags.all()) for p in Post.objects.filter(published=True)}
    """,
}

NEGATIVE = {
    "prefetch_related": """
        def order_list(request):
            orders = Order.objects.filter(customer=request.user).prefetch_related("items")
            return [[i.sku for i in o.items.all()] for o in orders]
    """,
    "select_related_chain": """
        def books(request):
            qs = Book.objects.select_related("author")
            qs = qs.filter(published=True)
            return [b.author.name for b in qs]
    """,
    "selectinload": """
        from sqlalchemy import select
        from sqlalchemy.orm import selectinload

        def users(db):
            users = db.scalars(select(User).options(selectinload(User.posts))).all()
            return [(u.name, len(u.posts)) for u in users]
    """,
    "no_query_in_loop": """
        def totals(request):
            orders = Order.objects.filter(customer=request.user)
            return sum(o.total for o in orders)
    """,
    "loop_over_plain_list": """
        def names(users):
            for user in users:
                print(user.name)
            for i in range(10):
                db.get(User, i)
    """,
    "values_list": """
        def emails(request):
            for email in User.objects.filter(active=True).values_list("email", flat=True):
                send(email)
    """,
}


@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_flags_query_per_row(name: str) -> None:
    findings = run(DETECTOR, POSITIVE[name])
    assert len(findings) == 1, findings
    assert findings[0].rule_id == "n-plus-one-query"


@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_ignores_eager_loading_and_plain_loops(name: str) -> None:
    assert run(DETECTOR, NEGATIVE[name]) == []


def test_eager_loading_is_a_signal() -> None:
    _, signals = run_with_signals(DETECTOR, NEGATIVE["prefetch_related"])
    assert [s.item for s in signals] == ["n-plus-one"]


PER_ROW = """
    from celery import shared_task

    {decorator}
    def repair_authors():
        for book in Book.objects.all():
            author = Author.objects.get(pk=book.author_id)
            author.save()
"""


@pytest.mark.parametrize(
    "decorator",
    ["@shared_task", "@app.task(bind=True)", "@dramatiq.actor", "@scheduler.scheduled_job('cron')"],
)
def test_background_tasks_are_not_reported(decorator: str) -> None:
    # no caller waits on a queued or scheduled job: its per-row queries cost throughput only
    assert run(DETECTOR, PER_ROW.format(decorator=decorator)) == []


@pytest.mark.parametrize("file", ["shop/tasks.py", "shop/tasks/repair.py", "shop/jobs/nightly.py"])
def test_background_job_modules_are_not_reported(file: str) -> None:
    assert run(DETECTOR, PER_ROW.format(decorator=""), file=file) == []


@pytest.mark.parametrize("decorator", ["", "@login_required", "@app.get('/authors')"])
def test_the_same_loop_elsewhere_is_reported(decorator: str) -> None:
    assert len(run(DETECTOR, PER_ROW.format(decorator=decorator), file="shop/views.py")) == 1
    assert len(run(DETECTOR, PER_ROW.format(decorator=decorator), file="shop/task_views.py")) == 1
