"""One way for a route to run a change: commit once, roll back on any error (Indico's request handler).

    with change(form) as done:
        product = services.create_product(shop, form.product_data())
    if done:
        flash(...)
        return redirect(...)

The block calls a service; on success it commits once. A domain refusal (`RuleError`, or an
`ImageRejected` upload when `image_field` names where it belongs) rolls back everything the block
wrote and is swallowed: its lazy message goes next to the form field it names, or into a flash
when that field is not on the form, and `done` is false so the route renders the form again. Any
other exception rolls back too and propagates (the 500 handler logs it).
"""

from flask import flash

from ..extensions import db
from .errors import RuleError
from .images import ImageRejected


class change:  # noqa: N801 (used like a statement: `with change(form) as done:`)
    """Run the block as one transaction. Truthy after a commit, falsy after a refusal.

    form: where refusals are shown (field named by the error; a flash when it has no such field).
    field: show every refusal on this field instead (a decision form's single "reason" box).
    image_field: the form field an `ImageRejected` upload belongs next to (None: not caught).
    form_level: fields whose refusals are shown above the form (`form.form_errors`), e.g. a table
        of option rows that has no single place for a message.
    commit_refusals: fields whose refusals still commit what the service wrote before refusing,
        e.g. a wrong reset code that must keep its counted attempt.
    """

    def __init__(
        self, form=None, *, field: str | None = None, image_field: str | None = None, form_level=(), commit_refusals=()
    ):
        self.form = form
        self.field = field
        self.image_field = image_field
        self.form_level = frozenset(form_level)
        self.commit_refusals = frozenset(commit_refusals)
        self.ok = False
        self.error: RuleError | ImageRejected | None = None

    def __bool__(self) -> bool:
        return self.ok

    def __enter__(self) -> "change":
        return self

    def __exit__(self, exc_type, error, traceback) -> bool:
        if error is None:
            try:
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
            self.ok = True
            return False
        if isinstance(error, RuleError):
            field = error.field
        elif isinstance(error, ImageRejected) and self.image_field is not None:
            field = self.image_field
        else:
            db.session.rollback()
            return False  # not a refusal: let it propagate
        if field in self.commit_refusals:
            db.session.commit()
        else:
            db.session.rollback()
        self.error = error
        # a refusal may carry every problem at once (catalog's ProductInvalid): each to its field
        for name, message in getattr(error, "errors", None) or [(field, error.message)]:
            if self.form is not None and name in self.form_level:
                self.form.form_errors.append(message)
            else:
                show_refusal(self.form, self.field or name, message)
        return True


def _form_field(form, name: str):
    """The field `name` of `form`; a row's field of a FieldList is named like WTForms names it
    (`variants-2-price_delta`: field `price_delta` of row 2 of `variants`). None when there is none."""
    target = getattr(form, name, None)
    if target is not None or "-" not in name:
        return target
    rows_name, index, rest = (name.split("-", 2) + ["", ""])[:3]
    rows = getattr(form, rows_name, None)
    entries = getattr(rows, "entries", None)
    if entries is None or not index.isdigit() or int(index) >= len(entries):
        return None
    return _form_field(entries[int(index)].form, rest)


def show_refusal(form, field: str | None, message) -> None:
    """Put a refusal's message next to `field` of `form`, or in a flash when the form has no such field."""
    target = _form_field(form, field) if form is not None and field else None
    if target is None or not hasattr(target, "errors"):
        flash(str(message), "error")
        return
    # WTForms gives a tuple before validation and a list after; build a new list either way.
    target.errors = [*target.errors, message]
    rows = getattr(form, field.split("-", 1)[0], None) if field and "-" in field else None
    if rows is not None and hasattr(rows, "entries"):
        # a FieldList keeps a copy of its rows' errors from validation: refresh it (form.errors reads it)
        rows.errors = [entry.errors for entry in rows.entries]
