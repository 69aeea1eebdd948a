import os
from flask import Flask, request

app = Flask(__name__)


@app.post("/cache/clear")
def clear():
    scope = request.form.get("scope", "all")
    scope = "all"
    os.system("redis-cli -n 2 flushdb && echo cleared " + scope)
    return {"ok": True}
