from flask import Flask, request, send_file

app = Flask(__name__)


@app.get("/attachments")
def attachment():
    path = request.args.get("path")
    return send_file(path, as_attachment=True)
