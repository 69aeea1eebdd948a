from flask import Flask, request, jsonify
import sqlite3

app = Flask(__name__)
LEGACY_SEARCH = False


@app.route("/people")
def people():
    name = request.args.get("name", "")
    conn = sqlite3.connect("crm.db")
    if LEGACY_SEARCH:
        rows = conn.execute("SELECT * FROM people WHERE name = '%s'" % name).fetchall()
    else:
        rows = conn.execute("SELECT * FROM people WHERE name = ?", (name,)).fetchall()
    return jsonify(rows)
