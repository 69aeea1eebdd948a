from flask import Blueprint, request, jsonify

from lib import repo

bp = Blueprint("reports", __name__)


@bp.get("/reports/orders")
def order_report():
    clause = repo.where_status(request.args["status"])
    return jsonify(repo.run_report(repo.connect(), clause))
