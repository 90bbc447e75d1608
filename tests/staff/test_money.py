"""The staff money pages: the producers' ledger settled by shop, and the card exchange rate."""

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders import checkout, services
from marketplace.orders.models import LedgerEntry, Order
from marketplace.payments import services as payments
from marketplace.payments.models import ExchangeRate
from marketplace.shops.models import Shop
from tests.conftest import post_form
from tests.factories import ShopFactory
from tests.orders.test_desk import place


def delivered(app, shop_id, **kwargs) -> int:
    """An order of the shop walked to delivered (its ledger line written); returns its id."""
    order_id, _product_id, _buyer = place(app, shop_id, **kwargs)
    with app.test_request_context():
        order = db.session.get(Order, order_id)
        owner = order.shop.owner_id
        services.accept(order, actor_id=owner, expected_ship_date=None)
        services.ship(order, actor_id=owner, carrier="پست", tracking_code="123")
        services.deliver(order, actor_id=owner)
        db.session.commit()
    return order_id


def allow_cash_on_delivery(app, shop_id):
    with app.app_context():
        shop = db.session.get(Shop, shop_id)
        checkout.save_delivery_settings(
            app, shop, post_fee_rial=0, courier_fee_rial=None, pickup_centre=True, allow_cod=True
        )
        db.session.commit()


def ledger_lines(app, shop_id) -> list[LedgerEntry]:
    with app.app_context():
        return list(db.session.scalars(select(LedgerEntry).where(LedgerEntry.shop_id == shop_id)))


def test_ledger_groups_by_shop_and_settles_one_shop(app, client, staff, login, make, make_user):
    centre_shop = make(ShopFactory, status="approved", name="کارگاه مریم")
    cod_shop = make(ShopFactory, status="approved", name="سفال سیدی")
    allow_cash_on_delivery(app, cod_shop.id)
    delivered(app, centre_shop.id, delivery="pickup_centre", payment="centre")
    delivered(app, centre_shop.id, delivery="pickup_centre", payment="centre", title="گلیم")
    delivered(app, cod_shop.id, delivery="post", payment="cod")

    login(staff)
    page = client.get("/staff/ledger").get_data(as_text=True)
    assert "کارگاه مریم" in page and "سفال سیدی" in page
    assert f"/staff/ledger/{centre_shop.id}/settle" in page
    assert client.get("/staff/ledger?state=settled").get_data(as_text=True).count("/settle") == 0

    response = post_form(client, f"/staff/ledger/{centre_shop.id}/settle", {}, token_from="/staff/ledger")
    assert response.status_code == 302
    assert all(line.settled_at is not None for line in ledger_lines(app, centre_shop.id))
    assert len(ledger_lines(app, centre_shop.id)) == 2
    assert all(line.settled_at is None for line in ledger_lines(app, cod_shop.id))
    unsettled = client.get("/staff/ledger").get_data(as_text=True)
    assert f'id="shop-{centre_shop.id}"' not in unsettled and f'id="shop-{cod_shop.id}"' in unsettled
    assert f'id="shop-{centre_shop.id}"' in client.get("/staff/ledger?state=settled").get_data(as_text=True)
    # settling again changes nothing
    post_form(client, f"/staff/ledger/{centre_shop.id}/settle", {}, token_from="/staff/ledger")
    assert len([line for line in ledger_lines(app, centre_shop.id) if line.settled_at]) == 2


def test_ledger_sign_says_who_owes_whom(app, client, staff, login, make):
    app.config["PLATFORM_COMMISSION_PERCENT"] = 10
    try:
        centre_shop = make(ShopFactory, status="approved", name="کارگاه مریم")
        cod_shop = make(ShopFactory, status="approved", name="سفال سیدی")
        allow_cash_on_delivery(app, cod_shop.id)
        delivered(app, centre_shop.id, delivery="pickup_centre", payment="centre")
        delivered(app, cod_shop.id, delivery="post", payment="cod")
        login(staff)
        page = client.get("/staff/ledger").get_data(as_text=True)
    finally:
        app.config["PLATFORM_COMMISSION_PERCENT"] = 0
    (centre_line,) = ledger_lines(app, centre_shop.id)
    (cod_line,) = ledger_lines(app, cod_shop.id)
    # 100,000 toman of items, 10% commission; the centre holds the first, the producer the second
    assert (centre_line.collected_by, centre_line.owed_rial) == ("centre", 1_000_000 - 100_000)
    assert (cod_line.collected_by, cod_line.owed_rial) == ("producer", -100_000)
    assert "money-owed-producer" in page and "money-owed-centre" in page
    assert "۹۰٬۰۰۰" in page and "۱۰٬۰۰۰" in page  # what each side owes, in toman


def test_money_pages_are_for_staff_only(app, client, producer, login, make, make_user):
    shop = make(ShopFactory, owner=producer, status="approved")
    delivered(app, shop.id, delivery="pickup_centre", payment="centre")
    login(producer)
    assert client.get("/staff/ledger").status_code == 403
    assert client.get("/staff/payments").status_code == 403
    assert post_form(client, f"/staff/ledger/{shop.id}/settle", {}, token_from="/dashboard").status_code == 403
    buyer = app.test_client()
    login(make_user(), the_client=buyer)
    assert buyer.get("/staff/ledger").status_code == 403
    assert app.test_client().get("/staff/payments").status_code == 302
    assert all(line.settled_at is None for line in ledger_lines(app, shop.id))


def test_settle_needs_the_csrf_token_and_a_real_shop(app, client, staff, login, make):
    shop = make(ShopFactory, status="approved")
    delivered(app, shop.id, delivery="pickup_centre", payment="centre")
    login(staff)
    assert client.post(f"/staff/ledger/{shop.id}/settle").status_code == 400
    assert all(line.settled_at is None for line in ledger_lines(app, shop.id))
    assert post_form(client, "/staff/ledger/999999/settle", {}, token_from="/staff/ledger").status_code == 404


def test_exchange_rate_set_in_toman_stored_in_rial(app, client, make_user, login):
    staff = make_user(roles={"staff", "admin"}, name="مدیر مرکز")  # the rate is a platform setting: admins set it
    login(staff)
    page = client.get("/staff/payments").get_data(as_text=True)
    assert 'name="toman_per_unit"' in page
    response = post_form(client, "/staff/payments", {"toman_per_unit": "۶۵٬۰۰۰"}, token_from="/staff/payments")
    assert response.status_code == 302
    currency = app.config["STRIPE_CURRENCY"]
    with app.app_context():
        rate = payments.current_rate(currency)
        assert rate is not None and rate.rial_per_unit == 650_000 and rate.set_by_id == staff.id
    post_form(client, "/staff/payments", {"toman_per_unit": "70000"}, token_from="/staff/payments")
    with app.app_context():
        assert payments.current_rate(currency).rial_per_unit == 700_000
        assert db.session.scalar(select(db.func.count(ExchangeRate.id))) == 2
    page = client.get("/staff/payments").get_data(as_text=True)
    assert "۷۰٬۰۰۰" in page and "۶۵٬۰۰۰" in page

    for bad in ("0", "-5", "شصت", "", "9" * 30):
        page = post_form(client, "/staff/payments", {"toman_per_unit": bad}, token_from="/staff/payments").text
        assert 'id="toman_per_unit-error"' in page, bad
    with app.app_context():
        assert payments.current_rate(currency).rial_per_unit == 700_000


def test_recent_payments_listed(app, client, staff, login, make):
    shop = make(ShopFactory, status="approved")
    place(app, shop.id, delivery="pickup_centre", payment="centre")
    login(staff)
    page = client.get("/staff/payments").get_data(as_text=True)
    assert "checkout-" in page


def test_staff_who_are_not_admins_see_the_rate_but_cannot_set_it(app, client, staff, login):
    login(staff)
    page = client.get("/staff/payments").get_data(as_text=True)
    assert 'name="toman_per_unit"' not in page
    response = post_form(client, "/staff/payments", {"toman_per_unit": "65000"}, token_from="/staff/ledger")
    assert response.status_code == 403
    with app.app_context():
        assert payments.current_rate(app.config["STRIPE_CURRENCY"]) is None
