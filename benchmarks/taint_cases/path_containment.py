from pathlib import Path
from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()
BASE = Path("/srv/share").resolve()


@app.get("/share")
def share(p: str):
    target = (BASE / p).resolve()
    if not target.is_relative_to(BASE):
        raise HTTPException(status_code=403)
    return FileResponse(target)
