from flask import Flask, request, jsonify
import sqlite3

app = Flask(__name__)


@app.route("/page")
def page():
    offset = request.args.get("offset", "0")
    if request.args.get("strict"):
        offset = int(offset)
    conn = sqlite3.connect("shop.db")
    rows = conn.execute(f"SELECT * FROM items LIMIT 50 OFFSET {offset}").fetchall()
    return jsonify(rows)
