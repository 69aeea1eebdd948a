"""Migrations and management commands run once, by an operator: no request reaches them."""

from __future__ import annotations

import pytest

from mcp_backend.review.rules.n_plus_one_query.python import DETECTOR as N_PLUS_ONE
from mcp_backend.review.rules.sql_string_query.python import DETECTOR as SQL
from mcp_backend.review.rules.unsafe_deserialization.python import DETECTOR as DESERIALIZE

from ._support import run

PER_ROW_QUERIES = """
    from django.core.management.base import BaseCommand
    from shop.models import Order, Customer

    class Command(BaseCommand):
        def handle(self, *args, **options):
            for order in Order.objects.all():
                customer = Customer.objects.get(pk=order.customer_id)
                self.stdout.write(customer.email)
"""
TABLE_SQL = """
    from django.core.management.base import BaseCommand
    from django.db import connection

    DROP_TABLES_QUERY = "DROP TABLE IF EXISTS {app_label}_item CASCADE"

    class Command(BaseCommand):
        def add_arguments(self, parser):
            parser.add_argument("app_label")

        def handle(self, *args, **options):
            self._drop_tables(options["app_label"])

        def _drop_tables(self, app_label):
            with connection.cursor() as cursor:
                cursor.execute(DROP_TABLES_QUERY.format(app_label=app_label))
"""
UNPICKLE = """
    import pickle

    def restore(apps, schema_editor):
        Settings = apps.get_model("shop", "Settings")
        for row in Settings.objects.all():
            row.values = pickle.loads(row.blob)
            row.save()
"""


@pytest.mark.parametrize(
    ("detector", "source"),
    [(N_PLUS_ONE, PER_ROW_QUERIES), (SQL, TABLE_SQL), (DESERIALIZE, UNPICKLE)],
)
def test_reported_in_code_a_request_reaches(detector: object, source: str) -> None:
    assert run(detector, source, "shop/services.py")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("detector", "source", "file"),
    [
        (N_PLUS_ONE, PER_ROW_QUERIES, "shop/management/commands/export_emails.py"),
        (SQL, TABLE_SQL, "shop/management/commands/purge.py"),
        (DESERIALIZE, UNPICKLE, "shop/migrations/0007_unpickle_settings.py"),
    ],
)
def test_not_reported_in_migrations_and_management_commands(
    detector: object, source: str, file: str
) -> None:
    assert run(detector, source, file) == []  # type: ignore[arg-type]
