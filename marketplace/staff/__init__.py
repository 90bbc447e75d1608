"""The centre's console: people, shops, bulk import, money, the audit log and assisted mode."""


def init_staff(app) -> None:
    """Record every staff write in the audit log (staff/audit.py)."""
    from .audit import init_audit

    init_audit(app)
