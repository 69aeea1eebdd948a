import hashlib
from flask import Flask, request

app = Flask(__name__)


@app.post("/uploads/verify")
def verify_upload():
    blob = request.files["file"].read()
    checksum = hashlib.sha1(blob).hexdigest()
    return {"sha1": checksum, "size": len(blob)}
