from flask import Blueprint, request

from lib.calc import page

bp = Blueprint("pages", __name__)


@bp.get("/titled")
def titled():
    return page(request.args.get("title", "Home"))
