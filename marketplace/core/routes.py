"""Operations endpoint /healthz, and /media/ for the stored uploads."""

import posixpath

from flask import Blueprint, abort, current_app, jsonify, send_from_directory
from sqlalchemy import text

from ..extensions import db
from .database import migration_status
from .images import upload_dir

# The only kinds of file the upload pipeline writes; anything else in the folder is never served.
MEDIA_TYPES = {".webp": "image/webp", ".png": "image/png"}
ONE_YEAR = 365 * 24 * 60 * 60

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
    # other packages (search) add their checks here at init; core imports none of them
    for name, check in current_app.extensions.get("health_checks", {}).items():
        try:
            checks[name] = check() if checks["database"]["ok"] else {"ok": False}
        except Exception as error:
            db.session.rollback()
            checks[name] = {"ok": False, "error": error.__class__.__name__}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "degraded", "checks": checks}
    return jsonify(body), 200 if healthy else 503


@bp.get("/media/<path:filename>")
def media(filename):
    """A stored upload. Names are content hashes, so a name always means the same bytes: browsers
    and proxies may keep it for a year without asking again."""
    mimetype = MEDIA_TYPES.get(posixpath.splitext(filename)[1].lower())
    if mimetype is None:
        abort(404)
    # send_from_directory joins safely: "..", absolute paths and missing files give 404.
    response = send_from_directory(upload_dir(current_app), filename, mimetype=mimetype, max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
