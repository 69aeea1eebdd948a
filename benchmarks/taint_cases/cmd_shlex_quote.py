import shlex
import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.post("/archive")
def archive():
    folder = request.form["folder"]
    subprocess.run(f"zip -r /tmp/archive.zip {shlex.quote(folder)}", shell=True, check=True)
    return {"ok": True}
