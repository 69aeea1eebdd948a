from flask import Flask, request, make_response

app = Flask(__name__)


@app.get("/search")
def search():
    q = request.args.get("q", "")
    html = "<p>No results for <b>" + q + "</b></p>"
    resp = make_response(html)
    resp.headers["Cache-Control"] = "no-store"
    return resp
