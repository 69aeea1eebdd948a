import subprocess
from flask import Flask

app = Flask(__name__)


@app.get("/ops/uptime")
def uptime():
    out = subprocess.check_output("uptime", shell=True, text=True)
    return {"uptime": out.strip()}
