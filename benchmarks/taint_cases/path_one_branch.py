import os
from flask import Flask, request, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)


@app.get("/logs")
def logs():
    name = request.args["name"]
    if request.args.get("archive"):
        name = secure_filename(name)
    return send_file(os.path.join("/var/log/app", name))
