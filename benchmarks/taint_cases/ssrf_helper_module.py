from flask import Blueprint, request, jsonify

from lib.net import fetch_preview

bp = Blueprint("preview", __name__)


@bp.post("/links/preview")
def preview():
    return jsonify({"html": fetch_preview(request.form["link"])})
