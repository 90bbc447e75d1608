"""Huge numbers from outside (URLs, page numbers, form fields) are a 404 or a form error, never a 500
(issue 10 item 11)."""

import re

import pytest
from werkzeug.routing.converters import NumberConverter

from marketplace.core.numbers import DB_INT_MAX, DatabaseIntConverter, database_id, parse_whole
from marketplace.core.persian import whole_number_or_text
from marketplace.extensions import db
from marketplace.shops import services as shops
from tests.conftest import post_form
from tests.factories import category_id

HUGE = "99999999999999999999"


def int_rules(app):
    """Every rule with a number in its path."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, NumberConverter) for c in rule._converters.values())
    ]


def test_every_number_in_a_path_is_bounded(app):
    rules = int_rules(app)
    assert len(rules) >= 15  # the walk below really walks something
    for rule in rules:
        for converter in rule._converters.values():
            if isinstance(converter, NumberConverter):
                assert isinstance(converter, DatabaseIntConverter) and converter.max == DB_INT_MAX, rule.rule


@pytest.fixture
def everyone(app, make_user, login):
    """Logged in as a producer with a shop who is also staff and admin: every route lets her in."""
    user = make_user(roles={"producer", "staff", "admin"})
    with app.app_context():
        shops.create_shop(db.session.merge(user), "گلدوزی مریم", "گلدوزی", "گلشهر")
        db.session.commit()
    login(user)
    return user


@pytest.mark.parametrize("number", [HUGE, str(DB_INT_MAX + 1), "9" * 5000])
def test_every_int_route_with_a_huge_number_is_404(app, client, everyone, number):
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/dashboard/products/new").get_data(as_text=True)
    )
    walked = 0
    for rule in int_rules(app):
        values = {}
        for name in rule.arguments:
            converter = rule._converters[name]
            values[name] = number if isinstance(converter, NumberConverter) else _sample(converter)
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<[^>]*\b{name}>", value, path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"csrf_token": token.group(1)})
            # 405 when another method's rule has the same path (Werkzeug's matcher says so first)
            assert response.status_code in (404, 405), (method, path[:80], response.status_code)
            walked += 1
    assert walked >= 19


def _sample(converter):
    items = getattr(converter, "items", None)
    return sorted(items)[0] if items else "x"


def test_in_range_ids_still_route(app, client, everyone):
    assert client.get(f"/p/{DB_INT_MAX}").status_code == 404  # matched the route: no such product
    assert client.get("/p/1x").status_code == 404


@pytest.mark.parametrize("page", [HUGE, "999999999999999999", "10001", "-5", "9" * 5000])
def test_huge_page_numbers_are_404(client, everyone, page):
    assert client.get(f"/c/handicrafts?page={page}").status_code == 404
    assert client.get(f"/staff/users?page={page}").status_code == 404


@pytest.mark.parametrize("page", ["abc", "", "۲"])
def test_odd_page_numbers_still_answer(client, everyone, page):
    assert client.get(f"/c/handicrafts?page={page}").status_code == 200
    assert client.get(f"/staff/users?page={page}").status_code == 200


def test_huge_search_page_answers(client):
    assert client.get(f"/search?q=روسری&page={HUGE}").status_code == 200
    # the API says what was wrong instead (tests/api)
    assert client.get(f"/api/v1/search?q=روسری&page={HUGE}").status_code == 400


def test_parsers():
    assert parse_whole("۱۲٬۰۰۰") == 12_000 and parse_whole(HUGE) is None and parse_whole("9" * 5000) is None
    assert parse_whole("-3", -5, 5) == -3 and parse_whole("-3") is None
    assert database_id("12") == 12 and database_id("0") is None and database_id(str(DB_INT_MAX + 1)) is None
    assert whole_number_or_text("۱۲") == 12 and whole_number_or_text("9" * 5000) == "9" * 5000


@pytest.mark.parametrize("number", [HUGE, "9" * 5000, str(DB_INT_MAX + 1), f"-{HUGE}"])
def test_huge_numbers_in_the_product_form_are_form_errors(app, client, everyone, number):
    with app.app_context():
        category = str(category_id("scarves"))
    fields = ["stock", "weight_g", "length_cm", "width_cm", "height_cm", "variants-0-stock", "variants-0-price_delta"]
    for name in fields:
        form = {
            "title": "روسری",
            "category_id": category,
            "price_toman": "250000",
            "stock": "1",
            "option1_name": "رنگ",
            "variants-0-value1": "آبی",
            name: number,
        }
        response = post_form(client, "/dashboard/products/new", form, token_from="/dashboard/products/new")
        assert response.status_code == 422, name
        assert 'class="error"' in response.get_data(as_text=True) or "field-error" in response.get_data(as_text=True)
    for name, value in (("category_id", number), ("price_toman", number), ("made_to_order", "y")):
        form = {
            "title": "روسری",
            "category_id": category,
            "price_toman": "250000",
            name: value,
            "lead_time_days": number,
        }
        response = post_form(client, "/dashboard/products/new", form, token_from="/dashboard/products/new")
        assert response.status_code == 422, name


def test_huge_weekly_capacity_and_dates_are_form_errors(client, everyone):
    form = {"city": "مشهد", "weekly_capacity": HUGE, "away": "y", "away_until": f"{HUGE}/01/01"}
    response = post_form(client, "/dashboard/shop/edit", form, token_from="/dashboard/shop/edit")
    assert response.status_code in (200, 422)
    page = response.get_data(as_text=True)
    assert "صفرها" in page


@pytest.mark.parametrize("odd", ["²", "۱²", "٣⁵"])
def test_digits_int_refuses_are_form_errors_not_crashes(app, client, everyone, odd):
    """str.isdigit() says yes to «²», int() says no: every number reader uses is_digits instead."""
    with app.app_context():
        category = str(category_id("scarves"))
    form = {"title": "روسری", "category_id": category, "price_toman": odd, "stock": odd, "weight_g": odd}
    response = post_form(client, "/dashboard/products/new", form, token_from="/dashboard/products/new")
    assert response.status_code == 422
    assert client.get(f"/c/handicrafts?page={odd}").status_code == 200
    assert client.get(f"/search?q=روسری&page={odd}&price_min={odd}").status_code == 200
    settings = {"city": "مشهد", "weekly_capacity": odd, "away": "y", "away_until": f"1404/{odd}/01"}
    assert post_form(client, "/dashboard/shop/edit", settings, token_from="/dashboard/shop/edit").status_code in (
        200,
        422,
    )


def test_phone_with_superscript_digits_is_refused(client):
    form = {"display_name": "مریم", "phone": "0912123456²", "new_password": "saffron and turquoise"}
    assert post_form(client, "/signup", form).status_code == 422


def test_import_with_a_huge_or_odd_number_reports_the_cell(app, make_user, tmp_path):
    make_user(roles={"staff"}, phone="+989153009997")
    header = (
        "shop_slug,shop_name,owner_phone,owner_name,neighbourhood,title,description,category,price_toman,stock,"
        "made_to_order_days,tags,images"
    )
    for stock in ("9" * 5000, "²"):
        path = tmp_path / "rows.csv"
        path.write_text(
            f"{header}\n,ترشی زهرا,09151234001,زهرا,گلشهر,ترشی لیته,,pickles,120000,{stock},,,\n", encoding="utf-8"
        )
        result = app.test_cli_runner().invoke(args=["staff", "import", str(path), "--staff", "+989153009997"])
        assert result.exit_code == 1 and "stock" in result.output, result.output
