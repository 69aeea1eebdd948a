from flask import Flask, request, jsonify
import sqlite3

app = Flask(__name__)


@app.route("/products/by-category")
def by_category():
    category = request.args.get("category", "")
    conn = sqlite3.connect("shop.db")
    rows = conn.execute(
        "SELECT id, title FROM products WHERE category = ? ORDER BY title", (category,)
    ).fetchall()
    return jsonify(rows)
