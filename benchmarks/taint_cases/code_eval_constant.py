from flask import Flask, jsonify

app = Flask(__name__)
DEFAULTS = "{'page_size': 20, 'theme': 'light'}"


@app.get("/defaults")
def defaults():
    return jsonify(eval(DEFAULTS))
