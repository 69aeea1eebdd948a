from flask import Blueprint, request, Response

from lib.storage import read_upload

bp = Blueprint("files", __name__)


@bp.get("/files")
def get_file():
    return Response(read_upload(request.args["name"]), mimetype="application/octet-stream")
