"""The home page."""

from flask import Blueprint, render_template
from sqlalchemy import func, select

from ..accounts.models import User, UserRole
from ..extensions import db

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    producer_count = db.session.scalar(
        select(func.count()).select_from(UserRole).join(User).where(UserRole.role == "producer", User.active.is_(True))
    )
    return render_template("pages/home.html", producer_count=producer_count)
