from flask import Blueprint, request

from lib.net import ping

bp = Blueprint("ping", __name__)


@bp.get("/ping")
def do_ping():
    return {"rc": ping(request.args["host"])}
