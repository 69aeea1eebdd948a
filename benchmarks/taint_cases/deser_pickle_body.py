import pickle
from flask import Flask, request

app = Flask(__name__)


@app.post("/jobs/import")
def import_job():
    job = pickle.loads(request.data)
    return {"name": job.get("name")}
