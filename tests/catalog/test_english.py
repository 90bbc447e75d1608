"""The optional English title and short description: rules, the producer's form, staff moderation
(audited), and what buyers see in each locale."""

import re

import pytest
from sqlalchemy import select

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.staff.models import StaffAction
from tests.catalog.test_routes import create, get_product, product_form
from tests.conftest import post_form
from tests.factories import ProductFactory, ShopFactory, category_id
from tests.search.conftest import synced

PERSIAN_REFUSAL = "این را به انگلیسی و با حروف لاتین بنویسید"


# ---------------------------------------------------------------- rules


def test_english_text_is_cleaned():
    title, description = catalog.check_english("  Hand   embroidered\tscarf ", "Soft  cotton.\n\n\n\nWash   cold.  ")
    assert title == "Hand embroidered scarf"
    assert description == "Soft cotton.\n\nWash cold."
    assert catalog.check_english("Cushion, ۴۰ cm", "") == ("Cushion, 40 cm", "")  # her keyboard's digits
    assert catalog.check_english("", "") == ("", "")


def test_english_text_must_be_short_and_latin(app_ctx):
    with pytest.raises(catalog.ProductInvalid) as refused:
        catalog.check_english("روسری گلدوزی", "x" * 601)
    assert [field for field, _message in refused.value.errors] == ["title_en", "description_en"]
    with pytest.raises(catalog.ProductInvalid) as refused:
        catalog.check_english("x" * 121, "")
    assert refused.value.field == "title_en"
    # a Persian word inside English text is fine; mostly Persian is not
    assert catalog.check_english("Kilim rug (گلیم)", "")[0] == "Kilim rug (گلیم)"
    with pytest.raises(catalog.ProductInvalid):
        catalog.check_english("گلیم دستباف rug", "")


def test_display_helpers_fall_back_to_persian():
    product = Product(title="گلیم", description="پشمی", title_en="Kilim", description_en="")
    assert product.display_title("en") == "Kilim" and product.display_title("fa") == "گلیم"
    assert product.display_description("en") == "پشمی"  # no English description: the Persian one
    assert Product(title="گلیم", title_en="").display_title("en") == "گلیم"


# ---------------------------------------------------------------- the producer's form


def test_producer_form_refuses_persian_and_keeps_what_she_typed(app, client, producer, login, make):
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    with app.app_context():
        scarves = str(category_id("scarves"))
    response = post_form(
        client,
        "/dashboard/products/new",
        product_form(category_id=scarves, title_en="روسری گلدوزی", description_en="A soft scarf."),
        token_from="/dashboard/products/new",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert PERSIAN_REFUSAL in html
    assert 'value="روسری گلدوزی"' in html and "A soft scarf." in html and 'value="روسری گلدوزی شده"' in html
    with app.app_context():
        assert db.session.scalar(select(Product.id)) is None

    long = post_form(
        client,
        "/dashboard/products/new",
        product_form(category_id=scarves, description_en="Soft. " * 101),
        token_from="/dashboard/products/new",
    )
    assert long.status_code == 422 and "حداکثر ۶۰۰ نویسه" in long.get_data(as_text=True)


def test_producer_saves_normalised_english_and_edits_send_it_to_review(app, client, producer, login, make):
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    product_id = create(app, client, title_en="  Embroidered   cotton scarf ", description_en=" Light  and soft. ")
    product = get_product(app, product_id)
    assert (product.title_en, product.description_en) == ("Embroidered cotton scarf", "Light and soft.")
    page = client.get(f"/dashboard/products/{product_id}").get_data(as_text=True)
    assert 'value="Embroidered cotton scarf"' in page and 'lang="en"' in page

    with app.app_context():
        db.session.get(Product, product_id).status = "published"
        db.session.commit()
    with app.app_context():
        values = product_form(category_id=str(category_id("scarves")), title_en="Embroidered silk scarf")
    post_form(client, f"/dashboard/products/{product_id}", values, token_from=f"/dashboard/products/{product_id}")
    product = get_product(app, product_id)
    assert product.title_en == "Embroidered silk scarf" and product.status == "in_review"  # buyers read it


# ---------------------------------------------------------------- staff moderation


def test_staff_set_the_english_text_audited(app, client, producer, staff, login, make, make_user):
    product = make(ProductFactory, shop=make(ShopFactory, owner=producer, status="approved"), status="published")
    path = f"/staff/products/{product.id}"
    login(staff)
    refused = post_form(client, f"{path}/english", {"title_en": "کیف چرمی", "description_en": ""}, token_from=path)
    assert refused.status_code == 422 and PERSIAN_REFUSAL in refused.get_data(as_text=True)
    assert 'value="کیف چرمی"' in refused.get_data(as_text=True)
    saved = post_form(
        client, f"{path}/english", {"title_en": " Leather  bag ", "description_en": "Hand-stitched."}, token_from=path
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(path)
    product = get_product(app, product.id)
    assert (product.title_en, product.description_en, product.status) == ("Leather bag", "Hand-stitched.", "published")
    with app.app_context():
        action = db.session.scalars(select(StaffAction).where(StaffAction.action == "staff_products.english")).one()
        assert action.object_type == "product" and action.object_id == product.id
        assert {"title_en", "description_en"} <= set(action.summary[0]["columns"])
    assert 'value="Leather bag"' in client.get(path).get_data(as_text=True)
    assert "عنوان انگلیسی محصول تغییر کرد" in client.get("/staff/audit").get_data(as_text=True)


def test_only_staff_and_her_own_producer_change_the_english_text(app, producer, login, make, make_user):
    product = make(ProductFactory, shop=make(ShopFactory, owner=producer, status="approved"), status="draft")
    other_producer = make_user(roles={"producer"}, phone="+989151234567")
    make(ShopFactory, owner=other_producer, status="approved")
    other = app.test_client()
    login(other_producer, the_client=other)
    attempt = {"title_en": "Taken over"}
    token_page = "/dashboard/products/new"
    staff_page = post_form(other, f"/staff/products/{product.id}/english", attempt, token_from=token_page)
    assert staff_page.status_code == 403
    her_page = post_form(other, f"/dashboard/products/{product.id}", product_form(**attempt), token_from=token_page)
    assert her_page.status_code == 404
    assert get_product(app, product.id).title_en == ""


# ---------------------------------------------------------------- what buyers see


@pytest.fixture
def listed(app, make):
    shop = make(ShopFactory, status="approved", branded=True)
    english = make(
        ProductFactory,
        shop=shop,
        title="گلیم دستباف",
        description="گلیم پشمی.",
        title_en="Handwoven Kilim",
        description_en="Wool, natural dyes.",
        category="carpets-kilims",
        status="published",
        photos=1,
    )
    persian = make(
        ProductFactory, shop=shop, title="گبهٔ کوچک", description="گبهٔ پشمی.", category="carpets-kilims",
        status="published", photos=1,
    )  # fmt: skip
    return english, persian


def test_english_locale_shows_the_english_title_and_falls_back(client, listed):
    english, persian = listed
    client.set_cookie("locale", "en")
    html = client.get(f"/p/{english.id}", follow_redirects=True).get_data(as_text=True)
    assert re.search(r'<h1 dir="ltr" lang="en">Handwoven Kilim</h1>', html)
    assert '<p class="title-secondary" lang="fa"><bdi dir="rtl">گلیم دستباف</bdi></p>' in html  # the Persian below
    assert 'lang="en">Wool, natural dyes.</p>' in html and "گلیم پشمی." not in html
    assert "<title>Handwoven Kilim" in html
    fallback = client.get(f"/p/{persian.id}", follow_redirects=True).get_data(as_text=True)
    assert '<h1 dir="auto">گبهٔ کوچک</h1>' in fallback and "گبهٔ پشمی." in fallback
    assert "title-secondary" not in fallback
    category = client.get("/c/carpets-kilims").get_data(as_text=True)
    assert '<span class="card-title" dir="ltr" lang="en">Handwoven Kilim</span>' in category
    assert '<span class="card-title" dir="auto">گبهٔ کوچک</span>' in category


def test_persian_locale_never_shows_the_english_title(client, listed):
    english, _persian = listed
    html = client.get(f"/p/{english.id}", follow_redirects=True).get_data(as_text=True)
    assert '<h1 dir="auto">گلیم دستباف</h1>' in html and "Handwoven Kilim" not in html
    assert "Wool, natural dyes." not in html
    category = client.get("/c/carpets-kilims").get_data(as_text=True)
    assert "Handwoven Kilim" not in category and "گلیم دستباف" in category


def test_cached_pages_are_kept_per_locale(app, listed):
    english, _persian = listed
    visitor = app.test_client()  # no session: the whole page is cached
    for _round in range(2):
        visitor.set_cookie("locale", "fa")
        assert "Handwoven Kilim" not in visitor.get(f"/p/{english.id}", follow_redirects=True).get_data(as_text=True)
        visitor.set_cookie("locale", "en")
        assert "Handwoven Kilim" in visitor.get(f"/p/{english.id}", follow_redirects=True).get_data(as_text=True)


def test_search_results_show_the_english_title_marked_where_it_matches(app, client, make):
    shop = make(ShopFactory, status="approved")
    bag = make(
        ProductFactory,
        shop=shop,
        title="کیف چرمی",
        title_en="Leather Bag",
        description_en="Stitched by hand with waxed thread.",
        status="published",
    )
    belt = make(ProductFactory, shop=shop, title="کمربند چرمی", status="published")
    synced(app)
    persian = client.get("/search", query_string={"q": "چرمی"}).get_data(as_text=True)
    assert "<mark>چرمی</mark>" in persian and "Leather Bag" not in persian
    client.set_cookie("locale", "en")
    english = client.get("/search", query_string={"q": "چرمی"}).get_data(as_text=True)
    assert f"/p/{bag.id}/" in english and f"/p/{belt.id}/" in english
    assert '<span class="card-title" dir="ltr" lang="en">Leather Bag</span>' in english  # «چرمی» is not in it
    assert "کمربند <mark>چرمی</mark>" in english  # the Persian-only one keeps its highlight
    english = client.get("/search", query_string={"q": "leather bags"}).get_data(as_text=True)
    assert '<span class="card-title" dir="ltr" lang="en"><mark>Leather</mark> <mark>Bag</mark></span>' in english
    english = client.get("/search", query_string={"q": "waxed thread"}).get_data(as_text=True)
    assert "Stitched by hand with <mark>waxed</mark> <mark>thread</mark>." in english  # its English snippet
