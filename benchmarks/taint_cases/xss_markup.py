from flask import Flask, request, render_template
from markupsafe import Markup

app = Flask(__name__)


@app.get("/notice")
def notice():
    msg = request.args.get("msg", "")
    return render_template("notice.html", banner=Markup(f"<strong>{msg}</strong>"))
