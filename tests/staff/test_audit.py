"""The audit log: every staff write is recorded once, in its own transaction; the log is never
changed (ORM and database), its viewer filters and its CSV cannot run formulas."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from marketplace.core.dates import utcnow
from marketplace.extensions import db
from marketplace.shops.models import Shop
from marketplace.staff import audit
from marketplace.staff.models import AuditLogImmutable, StaffAction
from tests.conftest import post_form
from tests.factories import ShopFactory


def recorded(app) -> list[StaffAction]:
    with app.app_context():
        rows = db.session.scalars(select(StaffAction).order_by(StaffAction.id)).all()
        db.session.expunge_all()
        return list(rows)


def approve(client, shop_id, reason=""):
    return post_form(
        client, f"/staff/shops/{shop_id}", {"action": "approve", "reason": reason}, token_from="/staff/shops"
    )


def test_approving_a_shop_is_recorded_with_reason(app, client, make, staff, login):
    shop = make(ShopFactory, status="submitted")
    login(staff)
    assert approve(client, shop.id, "=همه‌چیز کامل است").status_code == 302
    [action] = recorded(app)
    assert action.actor_id == staff.id and action.actor_name == "کارشناس مرکز"
    assert action.on_behalf_of_id is None and action.assist_session_id is None
    assert action.action == "staff.shop_detail"
    assert (action.object_type, action.object_id) == ("shop", shop.id)
    assert action.reason == "=همه‌چیز کامل است"
    assert action.ip == "127.0.0.1"
    changed = {(row["table"], row["op"]) for row in action.summary}
    assert ("shop", "update") in changed
    [shop_row] = [row for row in action.summary if row["table"] == "shop"]
    assert shop_row["id"] == shop.id and "status" in shop_row["columns"]
    with app.app_context():
        assert db.session.get(Shop, shop.id).status == "approved"  # written with its record


def test_one_row_per_request_and_no_secrets(app, client, make_user, staff, login):
    buyer = make_user()
    login(staff)
    assert recorded(app) == []  # logging in is not a staff action
    post_form(client, f"/staff/users/{buyer.id}/active", {"active": "0"}, token_from="/staff/users")
    [action] = recorded(app)
    assert action.action == "staff.set_active" and (action.object_type, action.object_id) == ("user", buyer.id)
    [row] = action.summary
    assert row["table"] == "user" and set(row["columns"]) == {"active", "session_token"}
    # column names only: the new token's value is nowhere in the record
    with app.app_context():
        from marketplace.accounts.models import User

        token = db.session.get(User, buyer.id).session_token
    assert token not in repr(action.summary) and token not in action.reason


def test_nothing_recorded_for_non_staff_or_no_change(app, client, make, make_user, staff, login):
    producer = make_user(roles={"producer"})
    login(producer)
    post_form(client, "/account", {"display_name": "نام تازه"}, token_from="/account")
    assert recorded(app) == []  # a producer's own write is not a staff action
    staff_browser = app.test_client()
    login(staff, the_client=staff_browser)
    shop = make(ShopFactory, status="submitted")
    # a refused decision (no such action) writes nothing, so nothing is recorded
    response = post_form(staff_browser, f"/staff/shops/{shop.id}", {"action": "nonsense"}, token_from="/staff/shops")
    assert response.status_code == 422
    # a form that saves what is already there changes no row
    post_form(staff_browser, "/account", {"display_name": staff.display_name}, token_from="/account")
    assert recorded(app) == []


def test_orm_refuses_to_change_or_delete(app, client, make, staff, login):
    shop = make(ShopFactory, status="submitted")
    login(staff)
    approve(client, shop.id, "درست")
    with app.app_context():
        action = db.session.scalars(select(StaffAction)).one()
        action.reason = "دست‌کاری"
        with pytest.raises(AuditLogImmutable):
            db.session.flush()
        db.session.rollback()
        action = db.session.scalars(select(StaffAction)).one()
        db.session.delete(action)
        with pytest.raises(AuditLogImmutable):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE staff_action SET reason = 'changed'", "DELETE FROM staff_action"],
)
def test_database_refuses_raw_update_and_delete(app, client, make, staff, login, statement):
    shop = make(ShopFactory, status="submitted")
    login(staff)
    approve(client, shop.id, "درست")
    with app.app_context():
        with pytest.raises(sa.exc.DatabaseError, match="audit log"), db.session.begin_nested():
            db.session.execute(sa.text(statement))
        assert db.session.scalars(select(StaffAction.reason)).all() == ["درست"]


def _seed_log(app, make, make_user, staff, login, client):
    """Two staff members' actions: approving a shop, deactivating a buyer."""
    other = make_user(roles={"staff"}, name="همکار دوم")
    shop = make(ShopFactory, status="submitted")
    buyer = make_user(name="خریدار")
    login(staff)
    approve(client, shop.id, "@SUM(A1)")
    second = app.test_client()
    login(other, the_client=second)
    post_form(second, f"/staff/users/{buyer.id}/active", {"active": "0"}, token_from="/staff/users")
    return other, shop, buyer


def listed(client, url) -> str:
    """The log's rows on a viewer page (not the filter's lists)."""
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True).split('class="list audit-list"')[1]


def test_viewer_filters_and_links(app, client, make, make_user, staff, login):
    other, shop, buyer = _seed_log(app, make, make_user, staff, login, client)
    html = listed(client, "/staff/audit")
    assert "تصمیم دربارهٔ فروشگاه" in html and "فعال یا غیرفعال شدن حساب" in html
    assert f'href="/staff/shops/{shop.id}"' in html and f'href="/staff/users/{buyer.id}"' in html
    assert html.index("فعال یا غیرفعال") < html.index("تصمیم دربارهٔ فروشگاه")  # newest first
    by_actor = listed(client, f"/staff/audit?actor={other.id}")
    assert "فعال یا غیرفعال شدن حساب" in by_actor and "تصمیم دربارهٔ فروشگاه" not in by_actor
    by_action = listed(client, "/staff/audit?action=staff.shop_detail")
    assert "تصمیم دربارهٔ فروشگاه" in by_action and "فعال یا غیرفعال" not in by_action
    by_object = listed(client, f"/staff/audit?object_type=user&object_id=۰{buyer.id}")
    assert "فعال یا غیرفعال شدن حساب" in by_object and "تصمیم دربارهٔ فروشگاه" not in by_object
    assert "تصمیم" not in listed(client, "/staff/audit?assisted=y")


def test_viewer_jalali_date_range(app, client, make, make_user, staff, login):
    _seed_log(app, make, make_user, staff, login, client)
    import jdatetime

    today = jdatetime.date.fromgregorian(date=(utcnow() + timedelta(hours=3, minutes=30)).date())
    yesterday = today - timedelta(days=1)
    as_typed = today.strftime("%Y/%m/%d").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    hits = listed(client, f"/staff/audit?since={as_typed}&until={as_typed}")
    assert "تصمیم دربارهٔ فروشگاه" in hits
    before = listed(client, f"/staff/audit?until={yesterday.strftime('%Y/%m/%d')}")
    assert "تصمیم دربارهٔ فروشگاه" not in before
    bad = client.get("/staff/audit?since=1404/13/40")
    assert bad.status_code == 422 and "۱۴۰۳/۰۵/۲۰" in bad.get_data(as_text=True)


def test_csv_export_filtered_and_formula_safe(app, client, make, make_user, staff, login):
    _seed_log(app, make, make_user, staff, login, client)
    response = client.get("/staff/audit.csv?action=staff.shop_detail")
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2  # the header and the one approval
    header, row = rows
    assert header[1] == "کارشناس"
    assert row[1] == "کارشناس مرکز" and row[3] == "تصمیم دربارهٔ فروشگاه"
    assert row[6] == "'@SUM(A1)"  # a spreadsheet shows it as text instead of running it


def test_only_staff_see_the_log(client, make_user, login):
    assert client.get("/staff/audit").status_code == 302
    login(make_user(roles={"producer"}))
    assert client.get("/staff/audit").status_code == 403
    assert client.get("/staff/audit.csv").status_code == 403


def test_no_route_edits_the_log(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("staff_audit.")]
    assert rules and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in rules)


def test_every_write_endpoint_has_a_name_in_the_log(app):
    """Assisted mode records any write of the producer's pages: each must read as words, not a key."""
    writes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & audit.WRITE_METHODS}
    assert sorted(writes - set(audit.ACTION_LABELS)) == []
    assert sorted(set(audit.ACTION_LABELS) - writes) == []  # no label for an endpoint that is gone


def test_date_filter_cuts_at_tehran_midnight(app_ctx, make_user):
    """00:30 on 1 Azar 1405 in Tehran is 21:00 UTC on 21 November: it belongs to 1 Azar, not 30 Aban."""
    staff_member = db.session.merge(make_user(roles={"staff"}))
    db.session.add(
        StaffAction(
            actor_id=staff_member.id,
            actor_name=staff_member.display_name,
            action="staff.shop_detail",
            created_at=datetime(2026, 11, 21, 21, 0, tzinfo=UTC),
        )
    )
    db.session.flush()
    azar_1, aban_30 = date(2026, 11, 22), date(2026, 11, 21)

    def found(day):
        return db.session.scalars(audit.filtered(audit.AuditFilter(since=day, until=day))).all()

    assert len(found(azar_1)) == 1
    assert found(aban_30) == []
