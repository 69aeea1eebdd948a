import requests
from flask import Flask, request, jsonify

app = Flask(__name__)


@app.post("/webhooks/test")
def test_webhook():
    url = request.json["url"]
    resp = requests.post(url, json={"ping": True}, timeout=5)
    return jsonify({"status": resp.status_code})
