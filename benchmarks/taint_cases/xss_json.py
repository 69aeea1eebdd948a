from flask import Flask, request, jsonify

app = Flask(__name__)


@app.get("/echo")
def echo():
    return jsonify({"message": request.args.get("m", "")})
