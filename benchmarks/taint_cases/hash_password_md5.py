import hashlib
from flask import Flask, request

from .models import db, User

app = Flask(__name__)


@app.post("/signup")
def signup():
    pw = request.form["password"]
    user = User(email=request.form["email"], password_hash=hashlib.md5(pw.encode()).hexdigest())
    db.session.add(user)
    db.session.commit()
    return {"id": user.id}, 201
