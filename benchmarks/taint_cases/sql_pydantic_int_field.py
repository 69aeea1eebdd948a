from fastapi import FastAPI
from pydantic import BaseModel
import psycopg2

app = FastAPI()


class Page(BaseModel):
    size: int = 10
    page: int = 1


@app.post("/stores/page")
def page_stores(p: Page):
    conn = psycopg2.connect("dbname=stores")
    cur = conn.cursor()
    cur.execute(f"SELECT * FROM stores LIMIT {p.size} OFFSET {(p.page - 1) * p.size}")
    return cur.fetchall()
