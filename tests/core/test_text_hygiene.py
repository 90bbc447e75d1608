"""Names and titles lose invisible characters that disguise text, and a name with nothing visible
left is refused (issue 10 item 13). The shared normalisation (core/persian.py) is what every save
goes through, so the class is tested there and through each kind of name."""

import pytest
from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.core.persian import normalize_text
from marketplace.extensions import db
from marketplace.shops import services as shops
from tests.conftest import GOOD_PASSWORD, post_form
from tests.factories import category_id

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\ufeff\u2060"
CONTROLS = "\x00\x07\x1b\x7f\x85\x9f"
INVISIBLE = BIDI + ZERO_WIDTH + CONTROLS


@pytest.mark.parametrize("char", list(INVISIBLE))
def test_every_invisible_character_is_removed(char):
    assert normalize_text(f"گل{char}دوزی") == "گلدوزی"
    assert normalize_text(f"بند{char} اول\n\nبند دوم", multiline=True) == "بند اول\n\nبند دوم"


def test_zwnj_and_marks_that_persian_needs_stay():
    assert normalize_text("می\u200cخواهم") == "می\u200cخواهم"
    assert normalize_text("نام\u200f (Maryam)") == "نام\u200f (Maryam)"  # RLM is a plain direction mark


def test_a_disguised_file_name_is_shown_as_typed():
    assert normalize_text("عکس\u202egpj.exe") == "عکسgpj.exe"


def test_display_name_of_invisible_characters_is_refused(client, app):
    response = post_form(
        client, "/signup", {"display_name": BIDI + ZERO_WIDTH, "phone": "09121118888", "new_password": GOOD_PASSWORD}
    )
    assert response.status_code == 422
    assert "نام خود را بنویسید" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.phone == "+989121118888")) is None
        with pytest.raises(accounts.AccountError):
            accounts.create_user("+989121118889", "\u202e\u200b", GOOD_PASSWORD)  # the CLI path too


def test_names_and_titles_are_stored_clean(app, client, make_user, login):
    producer = make_user(roles={"producer"}, name="\u202eمریم\u200b رضایی\x07")
    assert producer.display_name == "مریم رضایی"
    login(producer)
    with app.app_context():
        assert shops.name_problem("\u202e\u2066\u200b") is not None  # nothing visible: refused
        shop = shops.create_shop(db.session.merge(producer), "\u202eگلدوزی\u200b مریم", "گلدوزی", "گلشهر")
        shops.update_story(shop, "\u2067نقش\u2069 قدیمی", "داستان\u202e من", {})
        db.session.commit()
        assert (shop.name, shop.tagline, shop.story) == ("گلدوزی مریم", "نقش قدیمی", "داستان من")
        category = str(category_id("scarves"))
    form = {
        "title": "روسری\u202e \u200bگلدوزی",
        "category_id": category,
        "price_toman": "250000",
        "stock": "1",
        "tags": "\u202eهدیه",
        "option1_name": "رنگ\u200b",
        "variants-0-value1": "آبی\u2066",
    }
    assert post_form(client, "/dashboard/products/new", form, token_from="/dashboard/products/new").status_code == 302
    with app.app_context():
        product = db.session.scalar(select(Product).order_by(Product.id.desc()))
        assert product.title == "روسری گلدوزی" and product.tags == ["هدیه"]
        assert product.option1_name == "رنگ" and product.variants[0].value1 == "آبی"
    empty = dict(form, title=BIDI + ZERO_WIDTH)
    response = post_form(client, "/dashboard/products/new", empty, token_from="/dashboard/products/new")
    assert response.status_code == 422 and "برای محصولتان عنوان بنویسید" in response.get_data(as_text=True)


def test_import_row_with_an_invisible_shop_name_is_refused(app, make_user, tmp_path):
    make_user(roles={"staff"}, phone="+989153009998")
    header = (
        "shop_slug,shop_name,owner_phone,owner_name,neighbourhood,title,description,category,price_toman,stock,"
        "made_to_order_days,tags,images"
    )
    row = ",\u202e\u200b,09151234000,\u2066\u2069,گلشهر,ترشی لیته,,pickles,120000,5,,,"
    path = tmp_path / "rows.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["staff", "import", str(path), "--staff", "+989153009998"])
    assert result.exit_code != 0
    assert "ستون shop_name" in result.output
