import os
from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_DIR = "/srv/uploads"


@app.post("/upload")
def upload():
    f = request.files["file"]
    name = secure_filename(f.filename)
    dest = os.path.join(UPLOAD_DIR, name)
    with open(dest, "wb") as out:
        out.write(f.read())
    return {"saved": name}
