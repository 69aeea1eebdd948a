from urllib.parse import urlsplit

import requests
from flask import Flask, request, abort

app = Flask(__name__)
ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}


@app.get("/proxy/image")
def proxy_image():
    url = request.args["url"]
    host = urlsplit(url).hostname
    if host not in ALLOWED_HOSTS:
        abort(400)
    url = f"https://{host}{urlsplit(url).path}"
    return requests.get(url, timeout=5).content
