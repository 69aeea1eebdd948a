from flask import Blueprint, request, jsonify

from lib.net import lookup

bp = Blueprint("dns", __name__)


@bp.get("/dns")
def dns():
    return jsonify(lookup(request.args["host"]))
