from flask import Flask, request, jsonify, abort
import sqlite3

app = Flask(__name__)
SORTABLE = {"created", "total", "status"}


@app.route("/orders")
def orders():
    sort = request.args.get("sort", "created")
    if sort not in SORTABLE:
        abort(400)
    conn = sqlite3.connect("shop.db")
    rows = conn.execute(f"SELECT * FROM orders ORDER BY {sort}").fetchall()
    return jsonify(rows)
