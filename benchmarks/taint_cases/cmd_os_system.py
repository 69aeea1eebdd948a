import os
from flask import Flask, request

app = Flask(__name__)


@app.post("/tools/backup")
def backup():
    target = request.form["target"]
    os.system(f"tar czf /backups/{target}.tgz /srv/data/{target}")
    return {"status": "started"}
