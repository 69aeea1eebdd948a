from flask import Flask, send_from_directory

app = Flask(__name__)
DOCS = "/srv/docs"


@app.get("/docs/<path:filename>")
def docs(filename):
    return send_from_directory(DOCS, filename)
