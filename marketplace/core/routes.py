"""Operations endpoint: /healthz."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db
from .database import migration_status

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """JSON health for monitors: 200 when the database answers and is migrated, 503 otherwise."""
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = {"ok": True, "backend": db.engine.dialect.name}
    except Exception as error:  # the point is to report, not to crash
        db.session.rollback()
        checks["database"] = {"ok": False, "error": error.__class__.__name__}
    checks["migrations"] = migration_status(current_app) if checks["database"]["ok"] else {"ok": False}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "degraded", "checks": checks}
    return jsonify(body), 200 if healthy else 503
