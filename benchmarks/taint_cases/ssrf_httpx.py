import httpx
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Feed(BaseModel):
    url: str


@app.post("/feeds/import")
async def import_feed(feed: Feed):
    async with httpx.AsyncClient() as client:
        r = await client.get(feed.url)
    return {"bytes": len(r.content)}
