"""The one way a route runs a change (core/transaction.py): commit once on success; on a refusal
roll back everything and put the message next to its field; on a crash roll back and re-raise."""

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import StringField

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.core.errors import RuleError
from marketplace.core.images import ImageRejected
from marketplace.core.messages import lazy_gettext as _l
from marketplace.core.transaction import change
from marketplace.extensions import db


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()
    photo = StringField()


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


def _users(phone: str) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.phone == phone))


def _write_then(phone: str, error: Exception | None = None) -> None:
    """A service that writes a row, then (optionally) refuses or crashes."""
    accounts.create_user(phone, "آزمایش", "saffron and turquoise", roles={"buyer"})
    db.session.flush()
    if error is not None:
        raise error


def test_success_commits_once():
    with change() as done:
        _write_then("+989120000101")
    assert done and done.error is None
    db.session.rollback()  # a commit cannot be undone by a later rollback
    assert _users("+989120000101") == 1


def test_refusal_rolls_back_everything_and_shows_the_message_next_to_its_field():
    form = NameForm()
    with change(form) as done:
        _write_then("+989120000102", RuleError("name", _l("This name is taken.")))
    assert not done
    assert isinstance(done.error, RuleError)
    assert _users("+989120000102") == 0  # nothing half-written
    assert [str(e) for e in form.name.errors] == [str(_l("This name is taken."))]
    assert not form.photo.errors
    assert get_flashed_messages() == []


def test_refusal_for_a_field_not_on_the_form_becomes_a_flash():
    form = NameForm()
    with change(form) as done:
        _write_then("+989120000103", RuleError("action", _l("Unknown action.")))
    assert not done and _users("+989120000103") == 0
    assert form.errors == {}
    assert len(get_flashed_messages(category_filter=["error"])) == 1


def test_field_puts_every_refusal_on_one_field_and_form_level_goes_above_the_form():
    form = NameForm()
    with change(form, field="photo"):
        raise RuleError("anything", _l("Unknown action."))
    assert len(form.photo.errors) == 1
    with change(form, form_level={"variants"}):
        raise RuleError("variants", _l("Unknown action."))
    assert len(form.form_errors) == 1


def test_commit_refusals_keep_what_was_written_before_the_refusal():
    form = NameForm()
    with change(form, commit_refusals={"name"}) as done:
        _write_then("+989120000104", RuleError("name", _l("Unknown action.")))
    assert not done and len(form.name.errors) == 1
    db.session.rollback()
    assert _users("+989120000104") == 1  # e.g. a counted failed attempt stays counted
    with change(form, commit_refusals={"name"}):
        _write_then("+989120000105", RuleError("other", _l("Unknown action.")))
    assert _users("+989120000105") == 0  # other fields still roll back


def test_an_unexpected_exception_rolls_back_and_propagates():
    with pytest.raises(ZeroDivisionError), change(NameForm()):
        _write_then("+989120000106", ZeroDivisionError())
    assert _users("+989120000106") == 0


def test_image_rejections_are_refusals_only_where_the_route_says_where_they_belong():
    rejected = ImageRejected("corrupt", _l("Unknown action."))
    form = NameForm()
    with change(form, image_field="photo") as done:
        _write_then("+989120000107", rejected)
    assert not done and len(form.photo.errors) == 1 and _users("+989120000107") == 0
    with pytest.raises(ImageRejected), change(form):
        _write_then("+989120000108", rejected)
    assert _users("+989120000108") == 0
