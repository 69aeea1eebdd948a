from flask import Flask, request, jsonify
import sqlite3

app = Flask(__name__)


@app.route("/products")
def products():
    category = request.args.get("category", "")
    conn = sqlite3.connect("shop.db")
    cur = conn.cursor()
    cur.execute(f"SELECT id, title, price FROM products WHERE category = '{category}'")
    return jsonify(cur.fetchall())
