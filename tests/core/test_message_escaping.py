"""Values inside translated messages are escaped in HTML (issue 10 item 1). Flask-Babel's lazy
strings declare themselves safe HTML, so every lazy message comes from core.messages, whose
strings escape their interpolated values; a hostile shop name, CSV header, category or photo name
must reach /staff/import (and every other page) as text, never as a tag."""

import io
import re
from pathlib import Path

from flask import render_template_string
from sqlalchemy import select

from marketplace.core.messages import lazy_gettext as _l
from marketplace.extensions import db
from marketplace.shops import services as shops
from marketplace.shops.models import Shop
from tests.conftest import post_form

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<meta http-equiv=refresh content=0;url=//example.test/>"
HEADER = (
    "shop_slug,shop_name,owner_phone,owner_name,neighbourhood,title,description,category,price_toman,stock,"
    "made_to_order_days,tags,images"
)


def test_every_lazy_message_comes_from_the_escaping_helper():
    """Grep-driven: no module takes Flask-Babel's lazy gettext (whose values would render raw), no
    translated text is wrapped in Markup, and no template marks text safe."""
    offenders = []
    for path in (ROOT / "marketplace").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if path.name == "messages.py" and path.parent.name == "core":
            continue
        if re.search(r"from flask_babel import[^\n]*lazy_(n|p)?gettext", source):
            offenders.append(f"{path}: imports Flask-Babel's lazy gettext")
        if re.search(r"Markup\(\s*_l?\(", source):
            offenders.append(f"{path}: wraps a translated message in Markup")
    for path in (ROOT / "templates").rglob("*.html"):
        if re.search(r"\|\s*safe\b", path.read_text(encoding="utf-8")):
            offenders.append(f"{path}: |safe")
    assert offenders == []


def test_values_are_escaped_in_html_and_plain_in_text(app_ctx):
    message = _l("This producer already has another shop: «%(name)s».", name=HOSTILE)
    html = render_template_string("{{ m }}", m=message)
    assert "<meta" not in html and "&lt;meta http-equiv=refresh" in html
    assert HOSTILE in str(message)  # the CLI, JSON and text messages get the plain text
    nested = _l("«%(name)s»: %(problem)s", name="a.jpg", problem=_l("«%(name)s» is listed twice.", name=HOSTILE))
    assert "<meta" not in render_template_string("{{ m }}", m=nested)
    number = _l("Use at most %(num)s characters.", num=60)
    assert "60" in render_template_string("{{ m }}", m=number)


def _upload(client, raw_csv: bytes):
    data = {"csv_file": (io.BytesIO(raw_csv), "products.csv")}
    return post_form(client, "/staff/import", data, token_from="/staff/import", content_type="multipart/form-data")


def test_staff_import_report_shows_hostile_values_as_text(app, client, make_user, login):
    producer = make_user(roles={"producer"}, phone="+989151110001")
    with app.app_context():
        shop = shops.create_shop(db.session.merge(producer), "گلدوزی مریم", "گلدوزی", "گلشهر")
        shop.name = HOSTILE  # however it got there, a producer controls her shop's name
        db.session.commit()
        shop_id = shop.id
    login(make_user(roles={"staff"}))

    header = (HEADER + "," + HOSTILE).encode()
    response = _upload(client, header + b"\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<meta http-equiv" not in html and "&lt;meta http-equiv=refresh" in html  # the unknown column

    row = f",شال دیگر,09151110001,مریم,گلشهر,شال,شال نخی.,{HOSTILE},120000,1,,شال,{HOSTILE}.jpg"
    response = _upload(client, (HEADER + "\n" + row + "\n").encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<meta http-equiv" not in html
    assert html.count("&lt;meta http-equiv=refresh") >= 2  # her shop's name, the photo name (and the category)
    with app.app_context():
        assert db.session.scalar(select(Shop.name).where(Shop.id == shop_id)) == HOSTILE


def test_product_form_refusal_shows_hostile_option_value_as_text(app, client, make_user, login):
    producer = make_user(roles={"producer"})
    with app.app_context():
        shops.create_shop(db.session.merge(producer), "گلدوزی مریم", "گلدوزی", "گلشهر")
        db.session.commit()
    login(producer)
    form = {
        "title": "شال", "description": "", "category_id": "0", "price_toman": "120000", "stock": "1",
        "option1_name": "رنگ",
        "variants-0-value1": HOSTILE, "variants-0-stock": "1", "variants-0-price_delta": "0",
        "variants-1-value1": HOSTILE, "variants-1-stock": "1", "variants-1-price_delta": "0",
    }  # fmt: skip
    with app.app_context():
        from marketplace.catalog.models import Category

        form["category_id"] = str(db.session.scalar(select(Category.id).where(Category.slug == "scarves")))
    response = post_form(client, "/dashboard/products/new", form, token_from="/dashboard/products/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<meta http-equiv" not in html and "&lt;meta http-equiv=refresh" in html


def test_a_flash_with_a_hostile_name_is_text(client):
    form = {"display_name": HOSTILE[:80], "phone": "09151110077", "new_password": "saffron and turquoise"}
    response = post_form(client, "/signup", form, token_from="/signup", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<meta http-equiv" not in html and "&lt;meta http-equiv=refresh" in html
