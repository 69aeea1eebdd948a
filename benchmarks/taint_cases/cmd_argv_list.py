import subprocess
from fastapi import FastAPI

app = FastAPI()


@app.get("/diag/ping")
def ping(host: str):
    proc = subprocess.run(["ping", "-c", "3", host], capture_output=True, text=True, timeout=10)
    return {"ok": proc.returncode == 0}
