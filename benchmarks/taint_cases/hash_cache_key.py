import hashlib
from fastapi import FastAPI

app = FastAPI()
CACHE = {}


@app.get("/geo")
def geo(address: str):
    key = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    if key not in CACHE:
        CACHE[key] = {"lat": 0.0, "lon": 0.0}
    return CACHE[key]
