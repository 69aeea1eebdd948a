from flask import Blueprint, request, jsonify

from lib.repo import connect, find_by_email

bp = Blueprint("lookup", __name__)


@bp.post("/customers/lookup")
def lookup():
    email = request.form["email"]
    return jsonify(find_by_email(connect(), email))
