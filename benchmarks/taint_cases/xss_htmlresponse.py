from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/welcome", response_class=HTMLResponse)
def welcome(user: str):
    return HTMLResponse(content=f"<div class='banner'>Welcome {user}</div>")
