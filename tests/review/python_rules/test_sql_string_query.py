from __future__ import annotations

import pytest

from mcp_backend.review.rules.sql_string_query.python import DETECTOR

from ._support import run, run_with_signals

POSITIVE = {
    "helper_template_formatted_with_request_value": (
        """
        from django.db import connection

        def _count_query():
            return "SELECT COUNT(*) FROM comments"

        def comment_count(request):
            author = request.GET["author"]
            sql = _count_query() + f" WHERE author = '{author}'"
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0]
        """,
        "critical",
    ),
    "semicolons_stripped_is_not_escaping": (
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/users")
        def search():
            name = request.args["name"].replace(";", "")
            return db.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()
        """,
        "critical",
    ),
    "fastapi_text_fstring": (
        """
        from fastapi import Depends, FastAPI
        from sqlalchemy import text
        from sqlalchemy.orm import Session

        app = FastAPI()

        @app.get("/users")
        def search(name: str, db: Session = Depends(get_db)):
            return db.execute(text(f"SELECT * FROM users WHERE name = '{name}'")).all()
        """,
        "critical",
    ),
    "flask_percent_via_variable": (
        """
        from flask import Flask, request
        import sqlite3

        app = Flask(__name__)

        @app.route("/orders")
        def orders():
            order_id = request.args.get("id")
            query = "SELECT * FROM orders WHERE id = '%s'" % order_id
            cur = sqlite3.connect("app.db").cursor()
            cur.execute(query)
            return {"rows": cur.fetchall()}
        """,
        "critical",
    ),
    "concat_in_repository_function": (
        """
        def find_by_email(conn, email):
            cur = conn.cursor()
            cur.execute("SELECT id, email FROM users WHERE email = '" + email + "'")
            return cur.fetchone()
        """,
        "medium",  # a parameter: the taint engine reports it when a caller passes request data
    ),
    "format_method_asyncpg": (
        """
        async def get_user(pool, user_id):
            sql = "SELECT * FROM users WHERE id = {}".format(user_id)
            return await pool.fetchrow(sql)
        """,
        "medium",  # a parameter: the taint engine reports it when a caller passes request data
    ),
    "augmented_where_clause": (
        """
        from django.http import JsonResponse
        from django.db import connection

        def report(request):
            status = request.GET.get("status")
            sql = "SELECT id, total FROM shop_order WHERE 1=1"
            if status:
                sql += f" AND status = '{status}'"
            with connection.cursor() as cursor:
                cursor.execute(sql)
                rows = cursor.fetchall()
            return JsonResponse({"rows": rows})
        """,
        "critical",
    ),
    "django_raw": (
        """
        from shop.models import Product

        def search(request):
            term = request.GET["q"]
            sql = "SELECT * FROM shop_product WHERE name LIKE '%%" + term + "%%'"
            return Product.objects.raw(sql)
        """,
        "critical",
    ),
    "string_param_reassigned": (
        """
        @app.get("/search")
        def search(q: str, db=Depends(get_db)):
            q = q.strip()
            return db.execute(text("SELECT * FROM items WHERE name LIKE '%" + q + "%'")).all()
        """,
        "critical",
    ),
    "sqlalchemy_alias_text_order_by": (
        """
        import sqlalchemy as sa

        def list_items(session, sort):
            return session.execute(sa.text(f"SELECT * FROM items ORDER BY {sort}")).all()
        """,
        "medium",  # a parameter: the taint engine reports it when a caller passes request data
    ),
    "helper_that_quotes_only_part_of_its_input": (
        """
        def qualified(schema, table):
            return '"' + schema.replace('"', '""') + '".' + table

        def drop_table(conn, data):
            conn.execute("DROP TABLE {0}".format(qualified(data["schema"], data["name"])))
        """,
        "medium",
    ),
}

NEGATIVE = {
    "names_and_literals_quoted_by_module_helpers": """
        def pg_name(s):
            return '"' + s.replace('"', '""').replace("\\0", "") + '"'

        def pg_text(s):
            return "'" + s.replace("'", "''") + "'"

        def drop_table(conn, data):
            conn.execute("DROP TABLE {0} CASCADE".format(pg_name(data["name"])))

        def comment_on(conn, data):
            conn.execute(f"COMMENT ON TABLE {pg_name(data['name'])} IS {pg_text(data['note'])}")
    """,
    "query_text_from_a_helper_with_quoted_table": """
        from django.db import connection

        def _descendants_cte():
            sql = (
                "WITH RECURSIVE descendants AS ("
                "SELECT {0}.id, {0}.parent_id FROM {0} WHERE {0}.parent_id = %s "
                "UNION ALL SELECT {0}.id, {0}.parent_id FROM descendants, {0} "
                "WHERE {0}.parent_id = descendants.id)"
            )
            return sql.format(connection.ops.quote_name(Comment._meta.db_table))

        def descendant_count(comment_id):
            sql = _descendants_cte() + " "
            sql += "SELECT COUNT(*) FROM descendants;"
            with connection.cursor() as cursor:
                cursor.execute(sql, [comment_id])
                return cursor.fetchone()[0]
    """,
    "quotes_doubled_inside_a_literal": """
        from sqlalchemy import text

        def attach(connection, dbpath):
            escaped = dbpath.replace("'", "''")
            connection.execute(text("ATTACH DATABASE '{}' AS calibre".format(escaped)))
    """,
    "parameterised_psycopg": """
        def find(conn, email):
            with conn.cursor() as cur:
                cur.execute("SELECT id FROM users WHERE email = %s", (email,))
                return cur.fetchone()
    """,
    "text_with_bind_params": """
        from sqlalchemy import text

        def find(db, name):
            return db.execute(text("SELECT * FROM users WHERE name = :name"), {"name": name}).all()
    """,
    "constant_table_name": """
        USERS_TABLE = "users"

        def find(cur, user_id):
            cur.execute(f"SELECT * FROM {USERS_TABLE} WHERE id = %s", (user_id,))
    """,
    "class_attribute_table": """
        class Repository:
            table = "orders"

            async def get(self, conn, order_id):
                return await conn.fetchrow(f"SELECT * FROM {self.table} WHERE id = $1", order_id)
    """,
    "placeholder_list": """
        def fetch_many(cur, ids):
            placeholders = ", ".join(["%s"] * len(ids))
            cur.execute(f"SELECT * FROM items WHERE id IN ({placeholders})", ids)
            marks = ",".join("?" for _ in ids)
            cur.execute("DELETE FROM items WHERE id IN (" + marks + ")", ids)
    """,
    "allow_listed_sort_column": """
        SORT_COLUMNS = {"name": "name", "newest": "created_at DESC"}

        def listing(cur, sort):
            order = SORT_COLUMNS.get(sort, "id")
            cur.execute(f"SELECT * FROM products ORDER BY {order} LIMIT %s", (20,))
    """,
    "membership_checked_column": """
        ALLOWED = {"name", "email"}

        def listing(cur, column):
            if column not in ALLOWED:
                raise ValueError(column)
            cur.execute(f"SELECT {column} FROM users")
    """,
    "int_cast_and_sqlalchemy_core": """
        from sqlalchemy import select

        def page(session, limit):
            session.execute(f"SELECT * FROM events LIMIT {int(limit)}")
            return session.scalars(select(User).where(User.name == "x")).all()
    """,
    "non_sql_execute": """
        def run_job(executor, name):
            executor.execute(f"job-{name}")
            logger.info(f"Running {name}")
    """,
    "typed_int_route_params": """
        from typing import Annotated
        from fastapi import Query
        from sqlalchemy import text

        @app.get("/events")
        def events(limit: int = 20, offset: Annotated[int, Query(ge=0)] = 0, db=Depends(get_db)):
            sql = f"SELECT * FROM events ORDER BY id LIMIT {limit} OFFSET {offset}"
            return db.execute(text(sql)).all()
    """,
    "alembic_loop_over_constant_tables": """
        from alembic import op

        def upgrade():
            for table in ("users", "orders", "invoices"):
                op.execute(f"ALTER TABLE {table} ADD COLUMN tenant_id integer")
    """,
    "psycopg_sql_composition": """
        from psycopg import sql

        def count(cur, table):
            cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
    """,
}


@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_flags_string_built_sql(name: str) -> None:
    source, severity = POSITIVE[name]
    findings = run(DETECTOR, source)
    assert len(findings) == 1, findings
    assert findings[0].rule_id == "sql-string-query"
    assert findings[0].severity == severity


@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_does_not_flag_safe_queries(name: str) -> None:
    assert run(DETECTOR, NEGATIVE[name]) == []


def test_parameterised_query_is_a_signal() -> None:
    findings, signals = run_with_signals(DETECTOR, NEGATIVE["parameterised_psycopg"])
    assert findings == []
    assert [s.item for s in signals] == ["sql-injection"]


def test_message_names_the_spliced_value() -> None:
    finding = run(DETECTOR, POSITIVE["fastapi_text_fstring"][0])[0]
    assert "name" in finding.message and "request data" in finding.message
    assert finding.line == 10


def test_test_files_are_skipped() -> None:
    source = POSITIVE["concat_in_repository_function"][0]
    assert run(DETECTOR, source, "tests/test_repo.py", is_test=True) == []
