from flask import Flask, request
from jinja2 import Template

app = Flask(__name__)


@app.post("/emails/preview")
def preview():
    body = request.form["body"]
    return Template(body).render(user="preview")
