import hashlib
import hmac
from flask import Flask, request, abort

app = Flask(__name__)
SHARED_SECRET = b"rotate-me"


@app.post("/hooks/payments")
def payment_hook():
    expected = hashlib.sha1(SHARED_SECRET + request.data).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        abort(401)
    return {"ok": True}
