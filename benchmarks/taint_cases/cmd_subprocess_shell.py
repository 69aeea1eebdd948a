import subprocess
from fastapi import FastAPI

app = FastAPI()


@app.get("/diag/traceroute")
def traceroute(host: str):
    result = subprocess.run("traceroute -m 10 " + host, shell=True, capture_output=True, text=True)
    return {"output": result.stdout}
