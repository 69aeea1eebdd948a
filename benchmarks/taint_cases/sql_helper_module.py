from flask import Blueprint, request, jsonify

from lib.repo import connect, search_by_name

bp = Blueprint("customers", __name__)


@bp.get("/customers/search")
def customer_search():
    name = request.args.get("name", "")
    return jsonify(search_by_name(connect(), name))
