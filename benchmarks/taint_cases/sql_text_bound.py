from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from .deps import get_db

router = APIRouter()


@router.get("/invoices/by-ref")
def invoices(customer: str, db: Session = Depends(get_db)):
    rows = db.execute(text("SELECT * FROM invoices WHERE customer_ref = :ref"), {"ref": customer})
    return [dict(r._mapping) for r in rows]
