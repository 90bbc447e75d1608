"""Saving a product's option combinations again: rows are updated in place, matched by their values,
so the unique (product_id, value1, value2) constraint never fires (issue 10 item 3)."""

import pytest

from marketplace.catalog import services
from marketplace.catalog.services import ProductData, VariantData
from marketplace.extensions import db
from tests.catalog.test_routes import create, get_product, product_form
from tests.conftest import post_form
from tests.factories import ShopFactory, category_id


def data(rows, **overrides) -> ProductData:
    values = dict(
        title="روسری گلدوزی",
        description="",
        category_id=category_id("scarves"),
        price_toman="250000",
        option1_name="اندازه",
        option2_name="رنگ",
        variants=rows,
    )
    values.update(overrides)
    return ProductData(**values)


def rows_of(product):
    return [(v.value1, v.value2, v.stock, v.price_delta_rial, v.position) for v in product.variants]


@pytest.fixture
def shop(app_ctx):
    return ShopFactory(branded=True, status="approved")


START = [VariantData("کوچک", "قرمز", 2, 0), VariantData("بزرگ", "قرمز", 1, 5_000), VariantData("بزرگ", "آبی", 4, 0)]


def saved(shop, rows):
    product = services.create_product(shop, data(list(START)))
    db.session.commit()
    ids = {(v.value1, v.value2): v.id for v in product.variants}
    services.update_product(product, data(rows), shop.owner)
    db.session.commit()
    db.session.expire_all()
    return product, ids


def test_saving_unchanged_options_keeps_the_rows(shop):
    product, ids = saved(shop, list(START))
    assert rows_of(product) == [
        ("کوچک", "قرمز", 2, 0, 0),
        ("بزرگ", "قرمز", 1, 50_000, 1),
        ("بزرگ", "آبی", 4, 0, 2),
    ]
    assert {(v.value1, v.value2): v.id for v in product.variants} == ids


def test_reordered_options_with_new_stock_and_price(shop):
    rows = [VariantData("بزرگ", "آبی", 7, 1_000), VariantData("کوچک", "قرمز", 0, 0), VariantData("بزرگ", "قرمز", 1, 0)]
    product, ids = saved(shop, rows)
    assert rows_of(product) == [
        ("بزرگ", "آبی", 7, 10_000, 0),
        ("کوچک", "قرمز", 0, 0, 1),
        ("بزرگ", "قرمز", 1, 0, 2),
    ]
    assert product.stock == 8
    assert {(v.value1, v.value2): v.id for v in product.variants} == ids


def test_removing_and_adding_values(shop):
    rows = [VariantData("بزرگ", "آبی", 4, 0), VariantData("متوسط", "سبز", 3, 0), VariantData("کوچک", "قرمز", 2, 0)]
    product, ids = saved(shop, rows)
    assert [(v.value1, v.value2) for v in product.variants] == [("بزرگ", "آبی"), ("متوسط", "سبز"), ("کوچک", "قرمز")]
    assert product.variants[0].id == ids[("بزرگ", "آبی")] and product.variants[2].id == ids[("کوچک", "قرمز")]
    assert ("بزرگ", "قرمز") not in {(v.value1, v.value2) for v in product.variants}
    # and back again: the removed combination can be added anew
    services.update_product(product, data(list(START)), shop.owner)
    db.session.commit()
    assert sorted((v.value1, v.value2) for v in product.variants) == sorted((v.value1, v.value2) for v in START)


def test_removing_every_option(shop):
    product, _ids = saved(shop, [])
    assert product.variants == []


def test_saving_the_edit_page_twice(app, client, make_user, make, login):
    """The edit form posted again unchanged (what she does when she only fixes a typo) answers 302."""
    producer = make_user(roles={"producer"})
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    product_id = create(app, client)
    with app.app_context():
        category = str(category_id("scarves"))
    form = product_form(
        category_id=category,
        option1_name="رنگ",
        **{"variants-0-value1": "آبی", "variants-0-stock": "3", "variants-1-value1": "سبز", "variants-1-stock": "1"},
    )
    for _ in range(2):
        response = post_form(
            client, f"/dashboard/products/{product_id}", form, token_from=f"/dashboard/products/{product_id}"
        )
        assert response.status_code == 302
    reordered = product_form(
        category_id=category,
        option1_name="رنگ",
        **{"variants-0-value1": "سبز", "variants-0-stock": "1", "variants-1-value1": "آبی", "variants-1-stock": "3"},
    )
    response = post_form(
        client, f"/dashboard/products/{product_id}", reordered, token_from=f"/dashboard/products/{product_id}"
    )
    assert response.status_code == 302
    assert [v.value1 for v in get_product(app, product_id).variants] == ["سبز", "آبی"]


# ---------------------------------------------------------------- final prices (issue 10 item 8)


@pytest.mark.parametrize(
    ("price", "delta"),
    [("1000", -500_000_000), ("250000", -249_001), ("250000", -250_000), ("500000000", 1)],
)
def test_every_final_price_is_inside_the_price_range(shop, price, delta):
    rows = [VariantData("کوچک", "قرمز", 1, 0), VariantData("بزرگ", "قرمز", 1, delta)]
    with pytest.raises(services.CatalogError) as error:
        services.create_product(shop, data(rows, price_toman=price))
    assert error.value.field == "variants-1-price_delta"


def test_the_lowest_final_price_is_allowed(shop):
    rows = [VariantData("کوچک", "قرمز", 1, -249_000)]
    product = services.create_product(shop, data(rows))
    assert services.price_range(product) == (10_000, 10_000)


def test_lowering_the_price_below_a_negative_difference_is_refused(shop):
    product = services.create_product(shop, data([VariantData("کوچک", "قرمز", 1, -100_000)]))
    db.session.commit()
    with pytest.raises(services.CatalogError) as error:
        services.update_product(
            product, data([VariantData("کوچک", "قرمز", 1, -100_000)], price_toman="50000"), shop.owner
        )
    assert error.value.field == "variants-0-price_delta"
    db.session.rollback()
    assert product.price_rial == 2_500_000


def test_negative_final_price_shows_next_to_the_option_row(app, client, make_user, make, login):
    producer = make_user(roles={"producer"})
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    with app.app_context():
        category = str(category_id("scarves"))
    form = product_form(
        category_id=category,
        price_toman="۱٬۰۰۰",
        option1_name="رنگ",
        **{
            "variants-0-value1": "آبی",
            "variants-0-stock": "1",
            "variants-1-value1": "سبز",
            "variants-1-stock": "1",
            "variants-1-price_delta": "-500000000",
        },
    )
    response = post_form(client, "/dashboard/products/new", form, token_from="/dashboard/products/new")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # the message sits in the error row right after the second option row, and the typed values stay
    rows = page.split('name="variants-1-price_delta"', 1)[1]
    assert "«سبز» کمتر از ۱,۰۰۰ تومان" in rows.split("</tr>", 2)[1]
    assert 'value="-500000000"' in page and 'value="سبز"' in page
    with app.app_context():
        from sqlalchemy import func, select

        from marketplace.catalog.models import Product

        assert db.session.scalar(select(func.count()).select_from(Product)) == 0


def test_second_values_without_a_second_option_are_one_combination(shop):
    """("M", "red") and ("M", "blue") with no second option name are both "M": listed twice, not a 500."""
    rows = [VariantData("M", "قرمز", 1, 0), VariantData("M", "آبی", 1, 0)]
    with pytest.raises(services.CatalogError) as error:
        services.create_product(shop, data(rows, option2_name=""))
    assert error.value.field == "variants"


def test_import_lowering_a_price_below_an_option_difference_names_the_price(app, make_user, shop, tmp_path):
    """A CSV update that would take an option's final price under the minimum is reported on the
    price column (the file has no option columns), and nothing changes."""
    staff = make_user(roles={"staff"}, phone="+989153009996")
    product = services.create_product(shop, data([VariantData("کوچک", "قرمز", 1, -200_000)]))
    db.session.commit()
    header = (
        "shop_slug,shop_name,owner_phone,owner_name,neighbourhood,title,description,category,price_toman,stock,"
        "made_to_order_days,tags,images"
    )
    path = tmp_path / "rows.csv"
    path.write_text(f"{header}\n{shop.slug},,,,,{product.title},,scarves,150000,1,,,\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["staff", "import", str(path), "--staff", staff.phone])
    assert result.exit_code == 1 and "ستون price_toman: با این تفاوت قیمت" in result.output, result.output
    db.session.expire_all()
    assert product.price_rial == 2_500_000
