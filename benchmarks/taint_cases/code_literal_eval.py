import ast
from flask import Flask, request, jsonify

app = Flask(__name__)


@app.post("/settings/parse")
def parse():
    raw = request.form["value"]
    return jsonify({"value": ast.literal_eval(raw)})
