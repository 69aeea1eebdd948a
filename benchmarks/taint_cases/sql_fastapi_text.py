from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from .deps import get_db

router = APIRouter()


@router.get("/invoices")
def invoices(customer: str, db: Session = Depends(get_db)):
    stmt = text("SELECT * FROM invoices WHERE customer_ref = '" + customer + "' ORDER BY issued")
    return [dict(r._mapping) for r in db.execute(stmt)]
