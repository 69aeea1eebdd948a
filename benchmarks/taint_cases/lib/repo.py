"""Data access helpers shared by the case handlers."""
import sqlite3

DB_PATH = "app.db"


def connect():
    return sqlite3.connect(DB_PATH)


def search_by_name(conn, name):
    query = "SELECT id, name, email FROM customers WHERE name LIKE '%" + name + "%'"
    return conn.execute(query).fetchall()


def find_by_email(conn, email):
    return conn.execute("SELECT id FROM customers WHERE email = ?", (email,)).fetchone()


def where_status(status):
    return f"status = '{status}'"


def run_report(conn, clause):
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM orders WHERE " + clause)
    return cur.fetchone()
