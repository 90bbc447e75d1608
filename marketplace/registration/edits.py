"""Staff edits of the requirement items (/staff/settings/requirements): titles, steps, links and
which product kinds an item applies to. An edit is stored per item (RequirementEdit), merged over
requirements.json and checked by the same validator as the file: an edit that breaks a rule (a
mandatory item whose prerequisite is not, steps that no longer pair up…) is refused with its message.
"""

import json

from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..extensions import db
from .models import RequirementEdit
from .requirements import (
    RequirementsInvalid,
    apply_overrides,
    forget_loaded,
    read_file,
    stored_overrides,
    validate_requirements,
)

# What staff may edit; every other field stays as the file says.
EDITABLE_FIELDS = ("title", "steps", "links", "applies")


class RequirementEditRefused(RuleError):
    """The edited item would break a rule of the requirements data; the message says which."""


def file_item(code: str) -> dict | None:
    """The item as requirements.json writes it (no edits), or None for an unknown code."""
    return next((raw for raw in read_file()["items"] if raw.get("code") == code), None)


def edited_codes() -> set[str]:
    """The codes of items that have a staff edit in force."""
    return set(stored_overrides())


def save_item_edit(code: str, fields: dict, actor_id: int | None) -> None:
    """Store staff's `fields` (some of EDITABLE_FIELDS) for item `code` after validating the whole
    data with every edit in force; RequirementEditRefused when the result breaks a rule."""
    if file_item(code) is None:
        raise KeyError(code)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _check(stored_overrides() | {code: fields})
    row = db.session.get(RequirementEdit, code) or RequirementEdit(item_code=code)
    row.fields = json.dumps(fields, ensure_ascii=False)
    row.updated_by_id = actor_id
    db.session.add(row)
    db.session.flush()  # the commit moves the content version: every process reads the edits again
    forget_loaded()


def reset_item(code: str) -> None:
    """Back to requirements.json's text for item `code` (refused if the other edits need this one;
    who did it is in the audit log, as the edit row is gone)."""
    if file_item(code) is None:
        raise KeyError(code)
    overrides = stored_overrides()
    overrides.pop(code, None)
    _check(overrides)
    row = db.session.get(RequirementEdit, code)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
    forget_loaded()


def _check(overrides: dict[str, dict]) -> None:
    """Refuse edits that, merged over the file, break a rule of the validator (its message shown)."""
    try:
        validate_requirements(apply_overrides(read_file(), overrides))
    except RequirementsInvalid as invalid:
        raise RequirementEditRefused(
            "requirements", _l("This change breaks a rule of the requirements: %(rule)s", rule=str(invalid))
        ) from invalid
