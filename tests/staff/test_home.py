"""The console home (/staff): each queue's count and how long its oldest has waited since it
entered the queue; the orders stuck in one state (/staff/orders/stuck) by state and by the
STUCK_ORDER_DAYS setting; the staff's read-only order page; who may see them."""

from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import update

from marketplace.core.dates import utcnow
from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderEvent, OrderStatus
from marketplace.registration.models import RegistrationRecord
from marketplace.staff import queues
from tests.conftest import statements
from tests.factories import ApplicationFactory, FairFactory, ProductFactory, ShopFactory
from tests.orders.ordering import committed_order, place

S = OrderStatus
_shop_numbers = count(1)
NOW = utcnow().replace(microsecond=0)


def days_ago(days: float):
    return NOW - timedelta(days=days)


def by_key(found: list[queues.Queue]) -> dict:
    """{key (with the fair's title or the order state): (count, whole days the oldest waited)}."""
    out = {}
    for queue in found:
        name = queue.key + (f":{queue.fair.title}" if queue.fair else "") + (f":{queue.state}" if queue.state else "")
        waited = (NOW - queue.oldest_at).days if queue.oldest_at else None
        out[name] = (queue.count, waited)
    return out


def order_in(state: str, entered: float, placed: float | None = None, **fields) -> Order:
    """An order walked to `state` through the order services, placed `placed` days ago (default:
    when it entered) and moved into `state` `entered` days ago."""
    fields.setdefault("shop_name", f"کارگاه سفارش {next(_shop_numbers)}")
    order = place(**fields)
    placed_at = days_ago(placed if placed is not None else entered)
    order.created_at = order.events[0].created_at = placed_at
    steps = {"awaiting_confirmation": [], "accepted": [S.ACCEPTED], "shipped": [S.ACCEPTED, S.SHIPPED]}
    if state == S.PAID:  # a card payment confirmed: crafted (no card provider in these tests)
        db.session.execute(update(Order).where(Order.id == order.id).values(status=S.PAID))
        db.session.add(
            OrderEvent(
                order_id=order.id,
                action="paid",
                from_status="pending_payment",
                to_status="paid",
                created_at=days_ago(entered),
            )
        )
        db.session.flush()
        db.session.expire(order)
        return order
    for step in steps[state]:
        when = days_ago(entered) if step == steps[state][-1] else placed_at
        orders.move(order, step, actor_id=order.shop.owner_id, action=step, now=when)
    return order


@pytest.fixture
def _ctx(app_ctx):
    yield


@pytest.mark.usefixtures("_ctx")
def test_each_queue_counts_and_dates_from_the_submission_not_the_creation():
    old_shop = ShopFactory(status="submitted")
    old_shop.created_at = days_ago(40)  # made long ago, sent for review 3 days ago
    old_shop.submitted_at = days_ago(3)
    ShopFactory(status="submitted").submitted_at = days_ago(1)
    ShopFactory(status="draft").submitted_at = days_ago(9)  # sent back to draft: not waiting
    ShopFactory(status="changes_requested").submitted_at = days_ago(9)

    shop = ShopFactory(status="approved")
    waiting = [ProductFactory(shop=shop, status="in_review") for _ in range(3)]
    for product, age in zip(waiting, (5, 2, 0.5), strict=True):
        product.created_at, product.submitted_at = days_ago(30), days_ago(age)
    ProductFactory(shop=shop, status="published").submitted_at = days_ago(20)

    for code, status, age in (("HB-1", "submitted", 4), ("HC-1", "submitted", 2), ("FD-1", "verified", 10)):
        db.session.add(
            RegistrationRecord(
                shop=shop, item_code=code, status=status, submitted_at=days_ago(age), created_at=days_ago(50)
            )
        )

    spring = FairFactory(title="بازارچه بهار", status="applications_open")
    FairFactory(title="بازارچه پاییز", status="jurying")  # none waiting: its row says 0
    FairFactory(title="بازارچه تمام‌شده", status="published")  # decided: not a queue
    first = ApplicationFactory(fair=spring, status="submitted")
    first.submitted_at = days_ago(6)
    ApplicationFactory(fair=spring, status="accepted").submitted_at = days_ago(8)
    ApplicationFactory(fair=spring, status="withdrawn").submitted_at = days_ago(9)

    for failed in (days_ago(2), days_ago(7)):
        db.session.add(OutboxMessage(kind="sms", payload={}, failed_at=failed, attempts=8))
    db.session.add(OutboxMessage(kind="sms", payload={}))  # still trying: not failed
    db.session.flush()

    found = by_key(queues.console_queues(NOW, stuck_days=3))
    assert found["shops"] == (2, 3)
    assert found["products"] == (3, 5)
    assert found["evidence"] == (2, 4)
    assert found["applications:بازارچه بهار"] == (1, 6)
    assert found["applications:بازارچه پاییز"] == (0, None)
    assert not any("تمام‌شده" in key for key in found)
    assert found["outbox"] == (2, 7)


@pytest.mark.usefixtures("_ctx")
def test_stuck_orders_by_state_from_the_moment_they_entered_it():
    order_in(S.AWAITING_CONFIRMATION, entered=5)
    order_in(S.AWAITING_CONFIRMATION, entered=1)  # not yet 3 days
    order_in(S.PAID, entered=4)
    accepted = order_in(S.ACCEPTED, entered=6, placed=20)  # placed 20 days ago, accepted 6 days ago
    orders.mark_money_received(accepted, actor_id=accepted.shop.owner_id)  # keeps its state: no new wait
    order_in(S.ACCEPTED, entered=1, placed=20)  # placed long ago, but accepted yesterday: not stuck
    order_in(S.SHIPPED, entered=10, placed=12)
    db.session.flush()

    found = by_key(queues.console_queues(NOW, stuck_days=3))
    assert found["orders:awaiting_confirmation"] == (1, 5)
    assert found["orders:paid"] == (1, 4)
    assert found["orders:accepted"] == (1, 6)
    assert found["orders:shipped"] == (1, 10)

    rows = queues.stuck_orders(NOW, 3)
    assert [(row.order.status, row.days(NOW)) for row in rows] == [
        ("shipped", 10),
        ("accepted", 6),
        ("awaiting_confirmation", 5),
        ("paid", 4),
    ]
    assert [row.order.status for row in queues.stuck_orders(NOW, 3, state="accepted")] == ["accepted"]
    # N is a setting: with 5 days only the two that waited longer are stuck
    assert {row.order.status for row in queues.stuck_orders(NOW, 5)} == {"shipped", "accepted"}
    assert len(queues.stuck_orders(NOW, 0)) == 6


@pytest.mark.usefixtures("_ctx")
def test_the_queues_take_the_same_queries_for_few_or_many_rows(app):
    def count_queries() -> int:
        with statements(app) as ran:
            queues.console_queues(NOW, 3)
        return len(ran)

    ShopFactory(status="submitted").submitted_at = days_ago(1)
    order_in(S.AWAITING_CONFIRMATION, entered=5)
    db.session.flush()
    few = count_queries()
    for _ in range(4):
        ShopFactory(status="submitted").submitted_at = days_ago(1)
        order_in(S.ACCEPTED, entered=5)
    db.session.flush()
    assert count_queries() == few


def test_home_shows_counts_ages_and_links(app, client, staff, login):
    with app.app_context():
        shop = ShopFactory(status="submitted")
        shop.submitted_at = utcnow() - timedelta(days=3, hours=2)
        order = order_in(S.AWAITING_CONFIRMATION, entered=4, shop_name="گلدوزی مریم")
        db.session.commit()
        order_id = order.id
    login(staff)
    page = client.get("/staff").get_data(as_text=True)
    assert "غرفه‌ها برای تأیید" in page and 'href="/staff/shops?status=submitted"' in page
    assert "قدیمی‌ترین: ۳ روز" in page
    assert 'href="/staff/orders/stuck?state=awaiting_confirmation"' in page
    assert "قدیمی‌ترین: ۴ روز" in page
    assert 'action="/staff/search"' in page
    assert 'href="/staff"' in page and 'aria-current="page"' in page  # «خانه» leads the console's tabs

    stuck = client.get("/staff/orders/stuck?state=awaiting_confirmation").get_data(as_text=True)
    assert f'href="/staff/orders/{order_id}"' in stuck and "۴ روز" in stuck
    assert "زهرا کریمی" in stuck and "گلدوزی مریم" in stuck
    assert f'href="/staff/orders/{order_id}"' not in client.get("/staff/orders/stuck?state=shipped").get_data(
        as_text=True
    )


def test_stuck_days_setting_moves_the_line(app_factory, staff, login):
    app = app_factory(STUCK_ORDER_DAYS=7)
    with app.app_context():
        order_in(S.AWAITING_CONFIRMATION, entered=5)
        db.session.commit()
    client = app.test_client()
    login(staff, the_client=client)
    page = client.get("/staff").get_data(as_text=True)
    assert "سفارش‌های معطل بیش از ۷ روز" in page
    assert "هیچ سفارشی معطل نیست" in client.get("/staff/orders/stuck").get_data(as_text=True)


def test_staff_order_page_shows_items_timeline_and_payment(app, client, staff, login):
    placed = committed_order(app)
    login(staff)
    page = client.get(f"/staff/orders/{placed.order_id}").get_data(as_text=True)
    assert f"سفارش {placed.order_id}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page
    assert "کالای دست‌ساز" in page  # the item
    assert "پرداخت در مرکز" in page  # how it is paid
    assert "سفارش ثبت شد" in page  # the timeline
    assert "<form" not in page.split("</header>", 1)[1].split("<footer", 1)[0]  # read only
    assert client.get("/staff/orders/999999").status_code == 404


@pytest.mark.parametrize("path", ["/staff", "/staff/search?q=09", "/staff/orders/stuck", "/staff/orders/{id}"])
def test_only_staff_reach_the_console(app, client, make_user, login, path):
    placed = committed_order(app)
    path = path.format(id=placed.order_id)
    assert client.get(path).status_code == 302  # log in first
    login(placed.owner)  # a producer (and the order is hers)
    assert client.get(path).status_code == 403
    buyer_browser = app.test_client()
    login(placed.buyer, the_client=buyer_browser)
    assert buyer_browser.get(path).status_code == 403
