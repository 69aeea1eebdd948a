from flask import Flask, request

app = Flask(__name__)


@app.get("/square")
def square():
    n = int(request.args["n"])
    return {"value": eval(f"{n} * {n}")}
