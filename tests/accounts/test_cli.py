"""`flask users …` for the centre's first staff."""

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db


def get_user(app, phone):
    with app.app_context():
        return db.session.scalar(select(User).where(User.phone == phone))


def test_create_staff_then_set_roles(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--phone",
            "0915 300 1111",
            "--password",
            "centre password",
            "--name",
            "کارشناس",
            "--role",
            "staff",
        ]
    )
    assert result.exit_code == 0, result.output
    assert get_user(app, "+989153001111").roles == {"buyer", "staff"}
    result = runner.invoke(args=["users", "set-role", "09153001111", "admin", "producer"])
    assert result.exit_code == 0, result.output
    assert get_user(app, "+989153001111").roles == {"buyer", "admin", "producer"}
    result = runner.invoke(args=["users", "set-active", "09153001111", "false"])
    assert result.exit_code == 0 and not get_user(app, "+989153001111").active


def test_create_refuses_bad_input(app):
    runner = app.test_cli_runner()
    bad_phone = runner.invoke(args=["users", "create", "--phone", "05138001234", "--password", "centre password"])
    assert bad_phone.exit_code != 0 and "landline" in bad_phone.output
    weak = runner.invoke(args=["users", "create", "--phone", "09153002222", "--password", "12345678"])
    assert weak.exit_code != 0
    assert get_user(app, "+989153002222") is None
    unknown = runner.invoke(args=["users", "set-role", "09153009999", "staff"])
    assert unknown.exit_code != 0 and "No user" in unknown.output
