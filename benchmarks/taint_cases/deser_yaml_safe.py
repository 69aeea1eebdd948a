import yaml
from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/pipelines/validate")
async def validate(request: Request):
    spec = yaml.safe_load(await request.body())
    return {"steps": len(spec.get("steps", []))}
