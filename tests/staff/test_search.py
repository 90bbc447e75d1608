"""The console's search box (/staff/search): people, shops, products and orders by phone however it
is typed, by Persian name however its letters and spaces were typed, by number in any digits."""

import pytest

from marketplace.extensions import db
from marketplace.staff import lookup
from marketplace.staff.services import read_query
from tests.conftest import statements
from tests.factories import ProductFactory, ShopFactory, UserFactory
from tests.orders.ordering import place

PHONE = "+989154440321"


@pytest.mark.parametrize(
    "typed",
    ["09154440321", "۰۹۱۵ ۴۴۴ ۰۳۲۱", "+98 915 444 0321", "0098-915-444-0321", "٠٩١٥٤٤٤٠٣٢١", "9154440321"],
)
def test_a_whole_phone_in_any_spelling(typed):
    assert read_query(typed).phone == PHONE


@pytest.mark.parametrize(
    ("typed", "digits", "number"),
    [
        ("۴۴۴۰۳۲", "444032", 444032),
        ("0915 444", "915444", 915444),
        ("+98 915 444", "915444", None),  # part of a phone, never an id
        ("#123", None, 123),  # an id, never part of a phone
        ("۱۲۳", None, 123),  # too short to be part of a phone worth looking for
        ("١٢٣", None, 123),
        ("مریم", None, None),
    ],
)
def test_parts_of_phones_and_numbers(typed, digits, number):
    query = read_query(typed)
    assert (query.digits, query.number) == (digits, number)


@pytest.fixture
def world(app_ctx):
    """A producer with a shop and a product, a buyer with an order from it, and people who must
    not turn up."""
    maryam = UserFactory(phone=PHONE, display_name="مریم علی‌زاده", roles={"producer"})
    shop = ShopFactory(owner=maryam, status="approved", name="سفال کوچک")
    product = ProductFactory(shop=shop, status="published", title="کاسهٔ سفالی فیروزه‌ای")
    buyer = UserFactory(phone="+989127770011", display_name="زهرا کریمی")
    order = place(buyer, shop=shop)
    UserFactory(phone="+989350000000", display_name="نرگس احمدی")
    db.session.flush()
    return {"maryam": maryam, "shop": shop, "product": product, "buyer": buyer, "order": order}


@pytest.mark.parametrize("typed", ["09154440321", "۰۹۱۵۴۴۴۰۳۲۱", "+98 915 444 0321", "۴۴۴۰۳۲۱", "0915 444"])
def test_phone_finds_the_person_and_her_shop(world, typed):
    found = lookup.find(typed)
    assert [user.id for user in found.people] == [world["maryam"].id]
    assert [shop.id for shop in found.shops] == [world["shop"].id]


def test_buyer_phone_finds_her_order(world):
    found = lookup.find("۰۹۱۲ ۷۷۷ ۰۰۱۱")
    assert [user.id for user in found.people] == [world["buyer"].id]
    assert [order.id for order in found.orders] == [world["order"].id]
    assert found.shops == [] and found.products == []


@pytest.mark.parametrize("typed", ["علي زاده", "عليزاده", "مريم", "علی‌زاده"])
def test_name_with_arabic_letters_or_other_spacing_finds_her(world, typed):
    found = lookup.find(typed)
    assert world["maryam"].id in [user.id for user in found.people]
    assert world["shop"].id in [shop.id for shop in found.shops]  # her shop, through her name


def test_product_and_shop_by_their_own_names(world):
    assert [p.id for p in lookup.find("فيروزه اي").products] == [world["product"].id]  # ي and a space for ZWNJ
    assert [s.id for s in lookup.find("سفال كوچك").shops] == [world["shop"].id]  # Arabic kaf


@pytest.mark.parametrize("spelling", ["{}", "#{}", "# {}", "persian", "arabic"])
def test_number_in_any_digits_finds_the_order_and_product_with_that_id(world, spelling):
    order_id = world["order"].id
    persian, arabic = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"), str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    typed = {"persian": str(order_id).translate(persian), "arabic": str(order_id).translate(arabic)}.get(
        spelling, spelling.format(order_id)
    )
    assert order_id in [order.id for order in lookup.find(typed).orders]
    product_id = world["product"].id
    typed_product = str(product_id).translate(persian)
    assert product_id in [product.id for product in lookup.find(typed_product).products]


def test_nothing_for_an_empty_query_or_a_stranger(world):
    assert lookup.find("   ").count == 0
    assert lookup.find("کسی که نیست").count == 0


def test_search_page_groups_results_with_their_staff_links(app, client, staff, login, make):
    with app.app_context():
        maryam = UserFactory(phone=PHONE, display_name="مریم علی‌زاده", roles={"producer"})
        shop = ShopFactory(owner=maryam, status="approved", name="سفال کوچک")
        product = ProductFactory(shop=shop, status="published", title="کاسهٔ مریم")
        order = place(maryam, shop=shop)
        order.receiver_name = "مریم علی‌زاده"
        db.session.commit()
        ids = maryam.id, shop.id, product.id, order.id
    login(staff)
    page = client.get("/staff/search?q=مريم").get_data(as_text=True)
    user_id, shop_id, product_id, order_id = ids
    for heading in ("افراد", "غرفه‌ها", "محصولات", "سفارش‌ها"):
        assert f">{heading}" in page
    assert f'href="/staff/users/{user_id}"' in page
    assert f'href="/staff/shops/{shop_id}"' in page
    assert f'href="/staff/products/{product_id}"' in page
    assert f'href="/staff/orders/{order_id}"' in page
    assert 'value="مريم"' in page or 'value="مریم"' in page  # the box keeps what was typed
    assert "چیزی پیدا نشد" in client.get("/staff/search?q=zzzz").get_data(as_text=True)


def test_people_page_keeps_its_search(app, client, staff, login, make_user):
    """The people page uses the same reading of a query (search_users)."""
    make_user(phone="+989154440000", name="سکینه احمدی")
    login(staff)
    assert "سکینه احمدی" in client.get("/staff/users", query_string={"q": "+98 915 444"}).get_data(as_text=True)
    assert "سکینه احمدی" in client.get("/staff/users?q=سكينه").get_data(as_text=True)


def test_search_runs_the_same_queries_for_few_or_many_results(app, client, staff, login):
    """Every kind is fetched with its shops, owners and buyers at once: no query per result."""

    def make_matches(count):
        with app.app_context():
            for _ in range(count):
                owner = UserFactory(display_name="فاطمه نمونه", roles={"producer"})
                shop = ShopFactory(owner=owner, status="approved", name=f"کارگاه نمونه {owner.id}")
                ProductFactory(shop=shop, status="published", title="نمونهٔ کار")
                place(owner, shop=shop)
            db.session.commit()

    login(staff)

    def queries() -> int:
        with statements(app) as ran:
            assert client.get("/staff/search?q=نمونه").status_code == 200
        return len(ran)

    make_matches(2)
    few = queries()
    make_matches(5)
    assert queries() == few
