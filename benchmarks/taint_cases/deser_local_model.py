import pickle
from pathlib import Path
from flask import Flask, request, jsonify

app = Flask(__name__)
MODEL_PATH = Path(__file__).parent / "model.pkl"

with open(MODEL_PATH, "rb") as fh:
    MODEL = pickle.load(fh)


@app.post("/predict")
def predict():
    features = [float(x) for x in request.json["features"]]
    return jsonify({"score": MODEL.predict([features])[0]})
