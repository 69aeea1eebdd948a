import os
from flask import Flask, request, abort

app = Flask(__name__)
SERVICES = ("nginx", "redis", "worker")


@app.post("/ops/restart")
def restart():
    service = request.json.get("service")
    if service not in SERVICES:
        abort(404)
    os.system("systemctl restart " + service)
    return {"restarted": service}
