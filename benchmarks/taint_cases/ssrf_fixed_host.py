import requests
from flask import Flask, request

app = Flask(__name__)


@app.get("/github/user")
def gh_user():
    username = request.args["u"]
    r = requests.get(f"https://api.github.com/users/{username}", timeout=5)
    return r.json()
