from flask import Flask, request, render_template

app = Flask(__name__)


@app.get("/search2")
def search():
    return render_template("search.html", q=request.args.get("q", ""))
