from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Snippet(BaseModel):
    source: str


@app.post("/sandbox/run")
def run(snippet: Snippet):
    scope = {}
    exec(snippet.source, scope)
    return {"vars": sorted(scope)}
