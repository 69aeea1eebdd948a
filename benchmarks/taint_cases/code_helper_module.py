from fastapi import APIRouter

from lib.calc import evaluate

router = APIRouter()


@router.get("/formula")
def formula(expression: str):
    return {"value": evaluate(expression)}
