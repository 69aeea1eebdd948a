import os
from flask import Flask, request, Response

app = Flask(__name__)
REPORTS = "/srv/reports"


@app.get("/reports/download")
def download():
    filename = request.args["file"]
    with open(os.path.join(REPORTS, filename), "rb") as fh:
        return Response(fh.read(), mimetype="application/pdf")
