from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .deps import get_db
from .models import Ticket

router = APIRouter()


@router.get("/tickets")
def tickets(q: str, db: Session = Depends(get_db)):
    stmt = select(Ticket).where(Ticket.subject.ilike(f"%{q}%")).limit(50)
    return db.scalars(stmt).all()
