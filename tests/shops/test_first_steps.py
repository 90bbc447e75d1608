"""Each screen of a new producer's first use leads to the next: focus starts in the first field of
each form (server-rendered `autofocus`, no script), the story reuses the craft she typed, and after
the wizard the dashboard's main button is her first product."""

import re

import pytest

from marketplace.catalog import services as catalog
from marketplace.catalog.services import ProductData
from marketplace.extensions import db
from marketplace.shops import services
from marketplace.shops.models import Shop
from tests.conftest import post_form
from tests.factories import ShopFactory, category_id


def input_tag(html: str, field_id: str) -> str:
    """The HTML tag of the form control with this id."""
    match = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="{field_id}"[^>]*>', html)
    assert match, f"no control #{field_id}"
    return match.group(0)


def focused_fields(html: str) -> list[str]:
    """The ids of the controls that carry `autofocus`."""
    tags = re.findall(r"<(?:input|textarea|select)\b[^>]*>", html)
    return [re.search(r'\bid="([^"]+)"', tag).group(1) for tag in tags if re.search(r"\sautofocus\b", tag)]


def test_name_step_focuses_her_craft_then_the_name_after_ideas(client, login, producer):
    login(producer)
    html = client.get("/dashboard/shop/setup/name").get_data(as_text=True)
    assert focused_fields(html) == ["craft"]
    ideas = post_form(
        client,
        "/dashboard/shop/setup/name",
        {"craft": "گلدوزی", "neighbourhood": "گلشهر", "name": "", "action": "ideas"},
        token_from="/dashboard/shop/setup/name",
    ).get_data(as_text=True)
    assert focused_fields(ideas) == ["name"]  # she picks a name next


def test_story_step_starts_from_her_craft(app, make, client, login, producer):
    shop_id = make(ShopFactory, owner=producer, name="گلدوزی گام اول", craft="سفالگری").id
    login(producer)
    html = client.get("/dashboard/shop/setup/story").get_data(as_text=True)
    assert 'value="سفالگری"' in input_tag(html, "what")
    assert focused_fields(html) == ["what"]
    with app.app_context():
        services.update_story(db.session.get(Shop, shop_id), "", "", {"what": "کاسهٔ سفالی"})
        db.session.commit()
    html = client.get("/dashboard/shop/setup/story").get_data(as_text=True)
    assert 'value="کاسهٔ سفالی"' in input_tag(html, "what")  # her own answer, once she gave one


def test_social_step_and_product_form_focus_their_first_field(app, make, client, login, producer):
    make(ShopFactory, owner=producer, name="گلدوزی گام اول", craft="گلدوزی")
    login(producer)
    assert focused_fields(client.get("/dashboard/shop/setup/social").get_data(as_text=True)) == ["instagram"]
    assert focused_fields(client.get("/dashboard/products/new").get_data(as_text=True)) == ["title"]


def test_sign_up_and_login_focus_their_first_field(client):
    assert focused_fields(client.get("/signup").get_data(as_text=True)) == ["display_name"]
    assert focused_fields(client.get("/login").get_data(as_text=True)) == ["phone"]


@pytest.mark.parametrize(("status", "main"), [("submitted", True), ("approved", True), ("draft", False)])
def test_after_the_wizard_the_main_button_is_her_first_product(app, make, client, login, producer, status, main):
    make(ShopFactory, owner=producer, name="گلدوزی گام اول", craft="گلدوزی", status=status)
    login(producer)
    html = client.get("/dashboard").get_data(as_text=True)
    primary = re.findall(r'<a class="button button-primary[^"]*" href="([^"]+)"', html)
    if main:
        assert primary == ["/dashboard/products/new"]
        assert "اولین محصولتان را اضافه کنید" in html
    else:
        assert primary == ["/dashboard/shop/setup"]  # she is still building her shop


def test_with_a_product_the_dashboard_no_longer_pushes_the_first_one(app, make, client, login, producer):
    shop_id = make(ShopFactory, owner=producer, name="گلدوزی گام اول", craft="گلدوزی", status="submitted").id
    with app.app_context():
        data = ProductData(
            title="رومیزی گلدوزی", description="", category_id=category_id("home-textiles"), price_toman=120_000
        )
        catalog.create_product(db.session.get(Shop, shop_id), data)
        db.session.commit()
    login(producer)
    assert "اولین محصولتان را اضافه کنید" not in client.get("/dashboard").get_data(as_text=True)
