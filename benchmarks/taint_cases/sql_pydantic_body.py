from fastapi import FastAPI
from pydantic import BaseModel
import psycopg2

app = FastAPI()


class Filter(BaseModel):
    region: str
    limit: int = 10


@app.post("/stores/filter")
def filter_stores(f: Filter):
    conn = psycopg2.connect("dbname=stores")
    cur = conn.cursor()
    cur.execute("SELECT * FROM stores WHERE region = '%s' LIMIT %d" % (f.region, f.limit))
    return cur.fetchall()
