"""In-app notifications: the services, the /notifications page, marking read, and the header badge."""

import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from marketplace.accounts import notifications
from marketplace.accounts.models import Notification
from marketplace.core import outbox
from marketplace.core.dates import utcnow
from marketplace.core.messages import lazy_gettext as _l
from marketplace.extensions import db
from tests.conftest import post_form, sent_sms, statements
from tests.factories import UserFactory


def test_notify_writes_a_row_and_texts_her_in_her_language(app, app_ctx):
    user = UserFactory(locale="en")
    notice = notifications.notify(user, _l("Order #%(number)s was cancelled.", number=7), "/orders/7")
    assert notice.text == "Order #7 was cancelled." and notice.link == "/orders/7" and notice.read_at is None
    [row] = db.session.scalars(select(outbox.OutboxMessage)).all()
    assert row.payload == {
        "to": user.phone,
        "text": "Order #7 was cancelled.\n" + app.config["PUBLIC_URL"] + "/orders/7",
    }
    persian = UserFactory()  # no language chosen: Persian
    assert (
        notifications.notify(persian, _l("Order #%(number)s was cancelled.", number=7), "").text == "سفارش #7 لغو شد."
    )


def test_notify_without_sms_queues_nothing(app, app_ctx):
    user = UserFactory()
    notifications.notify(user, "سلام", "", sms=False)
    assert db.session.scalars(select(outbox.OutboxMessage)).all() == []
    assert notifications.unread_count(user.id) == 1


def test_sms_goes_out_only_through_the_outbox(app, app_ctx):
    user = UserFactory()
    notifications.notify(user, "سلام", "/notifications")
    db.session.commit()
    assert sent_sms(app) == []
    assert outbox.drain(app)["done"] == 1
    [sms] = sent_sms(app)
    assert sms["to"] == user.phone and sms["text"] == "سلام\n" + current_app.config["PUBLIC_URL"] + "/notifications"


def test_unread_recent_and_mark_all_read(app_ctx):
    user, other = UserFactory(), UserFactory()
    now = utcnow()
    for minutes in (30, 20, 10):
        db.session.add(Notification(user_id=user.id, text=f"n{minutes}", created_at=now - timedelta(minutes=minutes)))
    db.session.add(Notification(user_id=other.id, text="other"))
    db.session.flush()
    assert notifications.unread_count(user.id) == 3
    assert [n.text for n in notifications.recent(user.id)] == ["n10", "n20", "n30"]  # newest first
    assert [n.text for n in notifications.recent(user.id, limit=1)] == ["n10"]
    assert notifications.mark_all_read(user.id) == 3
    assert notifications.unread_count(user.id) == 0
    assert notifications.unread_count(other.id) == 1  # hers only
    assert notifications.mark_all_read(user.id) == 0


def test_text_is_cut_to_the_column(app_ctx):
    user = UserFactory()
    assert len(notifications.notify(user, "ب" * 500, "", sms=False).text) == notifications.MAX_TEXT


# --- the page and the badge -----------------------------------------------------------------


def add_notices(app, user, *texts, read=False):
    with app.app_context():
        for text in texts:
            db.session.add(
                Notification(user_id=user.id, text=text, link="/orders/5", read_at=utcnow() if read else None)
            )
        db.session.commit()


def unread_in_db(app, user) -> int:
    with app.app_context():
        return notifications.unread_count(user.id)


def test_page_lists_newest_first_with_unread_highlighted_and_does_not_write(app, client, login, make_user):
    user = make_user()
    add_notices(app, user, "قدیمی", read=True)
    add_notices(app, user, "سفارش <b>تازه</b>")
    login(user)
    with statements(app) as ran:
        page = client.get("/notifications")
    assert page.status_code == 200
    assert not [s for s in ran if s.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    html = page.get_data(as_text=True)
    assert html.index("سفارش &lt;b&gt;تازه&lt;/b&gt;") < html.index("قدیمی")  # newest first, text escaped
    assert re.search(r'class="notice notice-unread">\s*<span class="badge">تازه</span>\s*<a href="/orders/5">', html)
    assert html.count("notice-unread") == 1
    assert "۱۴۰" in html  # Jalali year
    assert unread_in_db(app, user) == 1


def test_mark_all_read_is_a_post_with_csrf(app, client, login, make_user):
    user = make_user()
    add_notices(app, user, "یک", "دو")
    login(user)
    assert client.post("/notifications/read").status_code == 400  # no CSRF token
    assert unread_in_db(app, user) == 2
    response = post_form(client, "/notifications/read", {}, token_from="/notifications")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"
    assert unread_in_db(app, user) == 0
    html = client.get("/notifications").get_data(as_text=True)
    assert "notice-unread" not in html and "همه را خواندم" not in html  # nothing left to mark


def test_mark_all_read_touches_only_her_own(app, client, login, make_user):
    user, other = make_user(), make_user()
    add_notices(app, other, "مال دیگری")
    login(user)
    post_form(client, "/notifications/read", {}, token_from="/notifications")
    assert unread_in_db(app, other) == 1
    assert "مال دیگری" not in client.get("/notifications").get_data(as_text=True)


def test_visitors_are_sent_to_log_in(client):
    assert "/login" in client.get("/notifications").headers["Location"]
    assert client.post("/notifications/read").status_code == 400  # refused before anything else: no token


def test_header_badge_counts_unread_for_signed_in_users_only(app, client, login, make_user):
    with statements(app) as ran:
        home = client.get("/").get_data(as_text=True)
    assert "notice-bell" not in home
    assert not [s for s in ran if "notification" in s.lower()]  # no query for a visitor
    user = make_user()
    add_notices(app, user, "یک", "دو", "سه")
    add_notices(app, user, "خوانده", read=True)
    login(user)
    with statements(app) as ran:
        home = client.get("/").get_data(as_text=True)
    assert len([s for s in ran if "notification" in s.lower()]) == 1  # one COUNT
    assert '<span class="notice-count" aria-hidden="true">۳</span>' in home
    assert 'aria-label="اعلان‌ها: ۳ تازه"' in home
    post_form(client, "/notifications/read", {}, token_from="/notifications")
    home = client.get("/").get_data(as_text=True)
    assert "notice-bell" in home and "notice-count" not in home
