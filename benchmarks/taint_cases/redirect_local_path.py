from flask import Flask, redirect

app = Flask(__name__)


@app.get("/legacy/items/<item_id>")
def legacy(item_id):
    return redirect(f"/items/{item_id}", code=301)
