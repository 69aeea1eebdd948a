from flask import Flask, request, redirect, url_for

app = Flask(__name__)


@app.post("/items/new")
def new_item():
    title = request.form["title"]
    return redirect(url_for("list_items", created=title))
