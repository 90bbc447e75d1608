"""/reset/confirm through the route's transaction helper: a wrong code is refused but its attempt
stays counted (committed); a refused new password rolls back and leaves the code usable."""

from sqlalchemy import select

from marketplace.accounts import services
from marketplace.accounts.models import PasswordReset
from marketplace.extensions import db
from tests.conftest import GOOD_PASSWORD, post_form


def _start(app, phone: str) -> str:
    with app.app_context():
        _user, code = services.start_password_reset(phone)
        db.session.commit()
        return code


def _attempts(app, phone: str) -> tuple[int, bool]:
    with app.app_context():
        user = services.find_user_by_phone(phone)
        reset = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == user.id))
        return reset.attempts, reset.used_at is not None


def test_wrong_codes_stay_counted_and_a_refused_password_changes_nothing(app, client, make_user):
    user = make_user()
    code = _start(app, user.phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    path = f"/reset/confirm?phone={user.phone}"
    for tries in (1, 2):
        form = {"phone": user.phone, "code": wrong, "new_password": "a new good one 9"}
        response = post_form(client, path, form, path)
        assert response.status_code == 422 and 'aria-invalid="true"' in response.get_data(as_text=True)
        assert _attempts(app, user.phone) == (tries, False)  # committed although the answer was "no"
    response = post_form(client, path, {"phone": user.phone, "code": code, "new_password": "12345678"}, path)
    assert response.status_code == 422
    assert _attempts(app, user.phone) == (2, False)  # the refusal was about the password: rolled back
    response = post_form(client, path, {"phone": user.phone, "code": code, "new_password": "a new good one 9"}, path)
    assert response.status_code == 302 and _attempts(app, user.phone) == (2, True)
    with app.app_context():
        assert services.authenticate(user.phone, "a new good one 9") is not None
        assert services.authenticate(user.phone, GOOD_PASSWORD) is None
