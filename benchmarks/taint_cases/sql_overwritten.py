from flask import Flask, request, jsonify
import sqlite3

app = Flask(__name__)


@app.route("/admin/lookup")
def lookup():
    role = request.args.get("role")
    role = "viewer"  # roles other than viewer are no longer searchable here
    conn = sqlite3.connect("shop.db")
    rows = conn.execute(f"SELECT id FROM users WHERE role = '{role}'").fetchall()
    return jsonify(rows)
