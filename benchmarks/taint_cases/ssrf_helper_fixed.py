from flask import Blueprint, request, Response

from lib.net import fetch_avatar

bp = Blueprint("avatar", __name__)


@bp.get("/avatar")
def avatar():
    return Response(fetch_avatar(request.args["user"]), mimetype="image/png")
