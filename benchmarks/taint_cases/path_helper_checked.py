from flask import Blueprint, request, Response

from lib.storage import read_upload_checked

bp = Blueprint("files2", __name__)


@bp.get("/files2")
def get_file():
    return Response(read_upload_checked(request.args["name"]), mimetype="application/octet-stream")
