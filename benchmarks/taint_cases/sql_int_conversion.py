from flask import Flask, request, jsonify
import sqlite3

app = Flask(__name__)


@app.route("/orders/recent")
def recent():
    limit = int(request.args.get("limit", 20))
    conn = sqlite3.connect("shop.db")
    rows = conn.execute(f"SELECT * FROM orders ORDER BY created DESC LIMIT {limit}").fetchall()
    return jsonify(rows)
