"""The bazaar's blueprints: the public online bazaar (/bazaar), the producer's fairs
(/dashboard/fairs) and the staff's fair console (/staff/fairs). Each concept adds its views from
its own module, imported at the bottom."""

from flask import Blueprint

public_bp = Blueprint("bazaar", __name__, url_prefix="/bazaar")
producer_bp = Blueprint("fairs", __name__, url_prefix="/dashboard/fairs")
staff_bp = Blueprint("staff_fairs", __name__, url_prefix="/staff/fairs")

from . import (  # noqa: E402, F401
    producer,
    producer_fairday,
    producer_income,
    public,
    staff,
    staff_booths,
    staff_fairday,
    staff_jury,
    staff_reports,
)
