from flask import Flask, request, redirect, abort

app = Flask(__name__)
PARTNERS = {"https://shop.example.com/", "https://help.example.com/"}


@app.get("/partner")
def partner():
    dest = request.args["dest"]
    if dest not in PARTNERS:
        abort(400)
    return redirect(dest)
