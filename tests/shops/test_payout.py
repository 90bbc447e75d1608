"""Where the centre pays a producer (/dashboard/shop/payout): the Sheba number typed any way and
checked (IBAN mod 97), only her own shop's, and shown to staff with the last four digits only."""

import pytest

from marketplace.extensions import db
from marketplace.shops import payout
from marketplace.shops.models import ShopPayout
from marketplace.shops.services import ShopError
from tests.conftest import post_form
from tests.factories import ShopFactory
from tests.staff.test_money import delivered

VALID = "IR050170000000123456789012"  # a Sheba number whose check digits are right
OTHER_VALID = "IR900120000000004321567890"
PATH = "/dashboard/shop/payout"


@pytest.mark.parametrize(
    "typed",
    [
        VALID,
        "IR05 0170 0000 0012 3456 7890 12",
        "ir05-0170-0000-0012-3456-7890-12",
        "IR۰۵ ۰۱۷۰ ۰۰۰۰ ۰۰۱۲ ۳۴۵۶ ۷۸۹۰ ۱۲",  # Persian digits
        "IR٠٥٠١٧٠٠٠٠٠٠٠١٢٣٤٥٦٧٨٩٠١٢",  # Arabic-Indic digits
        "050170000000123456789012",  # without its IR
    ],
)
def test_sheba_typed_any_way_is_stored_one_way(typed):
    assert payout.normalize_sheba(typed) == VALID


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "شمارهٔ شبا را وارد کنید"),
        ("IR060170000000123456789012", "یک رقم اشتباه"),  # one check digit off
        ("IR050170000000123456789021", "یک رقم اشتباه"),  # two digits swapped
        ("IR05017000000012345678901", "۲۳ رقم"),  # one digit short
        ("IR0501700000001234567890123", "۲۵ رقم"),
        ("DE89370400440532013000", "IR"),  # a German IBAN: valid there, not an Iranian account
        ("IR05 0170 abcd", "IR"),
    ],
)
def test_bad_sheba_is_refused_with_a_persian_message(app_ctx, typed, says):
    with pytest.raises(ShopError) as refused:
        payout.normalize_sheba(typed)
    assert refused.value.field == "sheba"
    assert says in str(refused.value.message).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def test_masked_shows_only_the_last_four_digits():
    shown = payout.masked(VALID)
    assert shown.endswith("90 12") and shown.startswith("IR")
    assert sum(char.isdigit() for char in shown) == 4
    assert payout.grouped(VALID) == "IR05 0170 0000 0012 3456 7890 12"


@pytest.fixture
def shop(make, producer):
    return make(ShopFactory, owner=producer, status="approved", name="سفال مریم")


def saved(app, shop_id):
    with app.app_context():
        return db.session.get(ShopPayout, shop_id)


def test_she_saves_her_payout_details(app, client, producer, shop, login):
    login(producer)
    page = client.get(PATH)
    assert page.status_code == 200 and "شمارهٔ شبا" in page.get_data(as_text=True)
    response = post_form(
        client, PATH, {"holder_name": "مريم  رضايي", "sheba": "IR۰۵ ۰۱۷۰ ۰۰۰۰ ۰۰۱۲ ۳۴۵۶ ۷۸۹۰ ۱۲"}, token_from=PATH
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(PATH)
    row = saved(app, shop.id)
    assert (row.holder_name, row.sheba, row.updated_by_id) == ("مریم رضایی", VALID, producer.id)
    # her own page shows the whole number, grouped, so she can check it
    assert "IR05 0170 0000 0012 3456 7890 12" in client.get(PATH).get_data(as_text=True)
    # and she can change it
    post_form(client, PATH, {"holder_name": "مریم رضایی", "sheba": OTHER_VALID}, token_from=PATH)
    assert saved(app, shop.id).sheba == OTHER_VALID


def test_bad_input_keeps_what_she_typed_and_writes_nothing(app, client, producer, shop, login):
    login(producer)
    typed = "IR06 0170 0000 0012 3456 7890 12"
    response = post_form(client, PATH, {"holder_name": "", "sheba": typed}, token_from=PATH)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "نام صاحب حساب را" in page and "یک رقم اشتباه" in page  # both problems at once, by their fields
    assert f'value="{typed}"' in page
    assert saved(app, shop.id) is None
    short = post_form(client, PATH, {"holder_name": "مریم", "sheba": "IR05 0170"}, token_from=PATH)
    assert short.status_code == 422 and saved(app, shop.id) is None


def test_only_her_own_shop(app, client, producer, shop, login, make, make_user):
    other_owner = make_user(roles={"producer"}, name="سمیرا")
    other = make(ShopFactory, owner=other_owner, status="approved", name="گلیم سمیرا")
    login(other_owner)
    # her page shows her shop's (empty) details, never Maryam's, and a posted shop id changes nothing
    with app.app_context():
        db.session.add(ShopPayout(shop_id=shop.id, holder_name="مریم رضایی", sheba=VALID))
        db.session.commit()
    assert "مریم رضایی" not in client.get(PATH).get_data(as_text=True)
    post_form(client, PATH, {"holder_name": "سمیرا", "sheba": OTHER_VALID, "shop_id": shop.id}, token_from=PATH)
    assert saved(app, shop.id).sheba == VALID
    assert saved(app, other.id).sheba == OTHER_VALID


def test_buyers_and_staff_cannot_open_it(app, client, make_user, staff, login):
    assert client.get(PATH).status_code == 302
    login(make_user())
    assert client.get(PATH).status_code == 403
    staff_browser = app.test_client()
    login(staff, the_client=staff_browser)
    assert staff_browser.get(PATH).status_code == 403  # staff never change where she is paid


def test_a_producer_without_a_shop_is_sent_to_build_one(client, producer, login):
    login(producer)
    response = client.get(PATH)
    assert response.status_code == 302 and "/dashboard/shop/setup" in response.headers["Location"]


def test_staff_see_it_masked_where_they_pay(app, client, shop, staff, login):
    with app.app_context():
        db.session.add(ShopPayout(shop_id=shop.id, holder_name="مریم رضایی", sheba=VALID))
        db.session.commit()
    delivered(app, shop.id, delivery="pickup_centre", payment="centre")  # the centre owes her
    login(staff)
    for path in (f"/staff/shops/{shop.id}", "/staff/ledger"):
        page = client.get(path).get_data(as_text=True)
        assert "مریم رضایی" in page
        assert "IR•• •••• •••• •••• •••• ••۹۰ ۱۲" in page
        assert "0170" not in page and "۰۱۷۰" not in page and "3456" not in page and "۳۴۵۶" not in page


def test_staff_are_told_when_she_has_not_said(app, client, shop, staff, login):
    delivered(app, shop.id, delivery="pickup_centre", payment="centre")
    login(staff)
    assert "هنوز حساب بانکی ثبت نشده است" in client.get("/staff/ledger").get_data(as_text=True)


def test_links_from_her_settings_and_dashboard(client, producer, shop, login):
    login(producer)
    for path in ("/dashboard/shop/edit", "/dashboard"):
        assert f'href="{PATH}"' in client.get(path).get_data(as_text=True)
