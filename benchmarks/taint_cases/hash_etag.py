import hashlib
from flask import Flask, request, make_response, send_file

app = Flask(__name__)


@app.get("/static-report")
def report():
    data = open("/srv/report.pdf", "rb").read()
    etag = hashlib.md5(data).hexdigest()
    if request.headers.get("If-None-Match") == etag:
        return "", 304
    resp = make_response(data)
    resp.headers["ETag"] = etag
    return resp
