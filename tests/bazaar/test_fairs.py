"""The fair itself: the staff form's rules, the state machine, the clock, cloning, scheduled moves."""

from datetime import timedelta

import pytest

from marketplace.accounts.models import Notification
from marketplace.bazaar import planning, services
from marketplace.bazaar.models import ApplicationStatus, FairDecision, FairStatus
from marketplace.core import outbox
from marketplace.core.dates import TEHRAN, utcnow
from marketplace.core.errors import RuleError
from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from tests.factories import ApplicationFactory, FairFactory, UserFactory


def _data(**changes):
    now = utcnow()
    values = dict(
        title="بازارچه بهاره",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=12),
        applications_open_at=now,
        applications_close_at=now + timedelta(days=5),
    )
    values.update(changes)
    return planning.FairData(**values)


def test_dates_in_the_wrong_order_are_refused_each_next_to_its_field(app_ctx):
    staff = UserFactory(roles={"staff"})
    now = utcnow()
    with pytest.raises(planning.FairErrors) as refused:
        planning.create_fair(
            _data(ends_at=now + timedelta(days=9), applications_close_at=now + timedelta(days=11)), staff
        )
    fields = {field for field, _message in refused.value.errors}
    assert fields == {"end_date", "applications_close_date"}


def test_a_new_fair_is_a_draft_with_a_persian_slug_and_a_trail(app_ctx):
    staff = UserFactory(roles={"staff"})
    fair = planning.create_fair(_data(quotas={1: 30}), staff)
    assert fair.status == FairStatus.DRAFT
    assert fair.slug.startswith("بازارچه-بهاره-")
    assert [quota.max_percent for quota in fair.quotas] == [30]
    assert db.session.query(FairDecision).filter_by(fair_id=fair.id, action="create").count() == 1
    second = planning.create_fair(_data(), staff)
    assert second.slug == fair.slug + "-2"


def test_the_state_machine_refuses_skipped_steps_and_publishing_with_undecided_applications(app_ctx):
    fair = FairFactory(status="draft")
    staff = UserFactory(roles={"staff"})
    with pytest.raises(RuleError):
        services.move_fair(fair, "publish", staff)
    services.move_fair(fair, "open_applications", staff)
    services.move_fair(fair, "start_jurying", staff)
    ApplicationFactory(fair=fair)
    with pytest.raises(RuleError):
        services.move_fair(fair, "publish", staff)
    fair.applications[0].status = ApplicationStatus.ACCEPTED
    services.move_fair(fair, "publish", staff)
    assert fair.status == FairStatus.PUBLISHED
    kinds = {row.kind for row in db.session.query(OutboxMessage).all()}
    assert {"bazaar.go_live", "bazaar.close", "bazaar.fair_tomorrow"} <= kinds


def test_live_only_inside_the_fairs_hours_in_tehran(app_ctx):
    fair = FairFactory(status="published")
    start = fair.starts_at
    end = fair.ends_at
    assert start.astimezone(TEHRAN).hour == 10 and end.astimezone(TEHRAN).hour == 18
    assert not services.is_live(fair, start - timedelta(seconds=1))
    assert services.is_live(fair, start)
    assert services.is_live(fair, end - timedelta(seconds=1))
    assert not services.is_live(fair, end)
    fair.status = FairStatus.CLOSED
    assert not services.is_live(fair, start + timedelta(hours=1))


def test_scheduled_tasks_open_and_close_the_fair_and_remind_producers(app, app_ctx):
    fair = FairFactory(status="jurying")
    staff = UserFactory(roles={"staff"})
    application = ApplicationFactory(fair=fair, status="accepted")
    services.move_fair(fair, "publish", staff)
    db.session.commit()
    outbox.drain(app, now=fair.starts_at + timedelta(minutes=1))
    db.session.refresh(fair)
    assert fair.status == FairStatus.LIVE
    reminders = db.session.query(Notification).filter_by(user_id=application.shop.owner_id).all()
    assert [notice.text for notice in reminders if "فردا" in notice.text], "the accepted producer is reminded"
    outbox.drain(app, now=fair.ends_at + timedelta(minutes=1))
    db.session.refresh(fair)
    assert fair.status == FairStatus.CLOSED


def test_moved_dates_leave_the_old_scheduled_moves_without_effect(app, app_ctx):
    fair = FairFactory(status="jurying")
    services.move_fair(fair, "publish", UserFactory(roles={"staff"}))
    old_start = fair.starts_at
    data = planning.fair_data(fair)
    data.starts_at += timedelta(days=1)
    data.ends_at += timedelta(days=1)
    planning.update_fair(fair, data, UserFactory(roles={"staff"}))
    db.session.commit()
    outbox.drain(app, now=old_start + timedelta(minutes=1))
    db.session.refresh(fair)
    assert fair.status == FairStatus.PUBLISHED


def test_cloning_copies_settings_and_layout_but_no_applications(app_ctx):
    fair = FairFactory(status="closed", booths=4, quotas={}, places=12)
    ApplicationFactory(fair=fair, status="accepted")
    clone = planning.clone_fair(fair, UserFactory(roles={"staff"}), weeks_later=13)
    assert clone.status == FairStatus.DRAFT and clone.cloned_from_id == fair.id
    assert clone.places == 12
    assert [booth.code for booth in clone.booths] == ["A-01", "A-02", "A-03", "A-04"]
    assert clone.applications == []
    assert clone.starts_at - fair.starts_at == timedelta(weeks=13)


def test_readiness_counts_each_checklist_item_once(app_ctx):
    from marketplace.registration.checklist import checklist_for_product, checklist_for_shop
    from tests.factories import ProductFactory, ShopFactory

    shop = ShopFactory(status="approved")
    products = [ProductFactory(shop=shop, kind="food", status="published") for _ in range(3)]
    shop_items = {row.item.code for row in checklist_for_shop(shop)}
    own_items = sum(1 for product in products for row in checklist_for_product(product) if row.item.level == "product")
    ready = services.readiness(shop, products)
    assert ready.items_total == len(shop_items) + own_items  # the shop's items once, not once per product
    assert ready.unverified_food == products  # nothing verified yet: every food product is blocked
