"""Product rules called directly: fields, prices, options, photos, completeness, status machine."""

import pytest
from PIL import Image, ImageFilter

from marketplace.branding.palette import CURATED
from marketplace.catalog import services
from marketplace.catalog.services import ProductData, VariantData
from marketplace.extensions import db
from tests.factories import ShopFactory, UserFactory, category_id, stored_photo


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


@pytest.fixture
def shop():
    """An approved shop with a curated palette, in this test's session."""
    return ShopFactory(name="گلدوزی مریم", craft="گلدوزی", palette=CURATED[0], status="approved")


def data(**overrides) -> ProductData:
    values = dict(
        title="کوسن گلدوزی شده",
        description="کوسن نخی با گلدوزی دست.",
        category_id=category_id("home-textiles"),
        price_toman="۲۵۰٬۰۰۰",
        stock=3,
        weight_g=400,
        tags="گلدوزی، کوسن, هدیه",
    )
    values.update(overrides)
    return ProductData(**values)


@pytest.mark.parametrize(
    ("typed", "rial"), [("۱۲۰٬۰۰۰", 1_200_000), ("120,000", 1_200_000), ("٤٥٠٠٠", 450_000), (75000, 750_000)]
)
def test_prices_in_any_digits(typed, rial):
    assert services.parse_price(typed) == rial


@pytest.mark.parametrize("typed", ["-5", "abc", "", "12.5", "0", "500", "9999999999"])
def test_bad_prices_refused(typed):
    with pytest.raises(services.CatalogError) as error:
        services.parse_price(typed)
    assert error.value.field == "price_toman"


def test_create_product_normalises(shop):
    product = services.create_product(shop, data(title="  كوسن  گلدوزي ", tags="گلدوزی، کوسن, گلدوزی, #هدیه"))
    assert product.title == "کوسن گلدوزی" and product.slug == "کوسن-گلدوزی"
    assert product.price_rial == 2_500_000 and product.status == "draft"
    assert product.tags == ["گلدوزی", "کوسن", "هدیه"]
    assert product.kind == "textile"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "ک" * 121}, "title"),
        ({"description": "ک" * 4001}, "description"),
        ({"category_id": 0}, "category_id"),
        ({"made_to_order": True, "lead_time_days": None}, "lead_time_days"),
        ({"made_to_order": True, "lead_time_days": 61}, "lead_time_days"),
        ({"stock": -1}, "stock"),
        ({"weight_g": 0}, "weight_g"),
        ({"tags": ",".join(f"t{i}" for i in range(11))}, "tags"),
    ],
)
def test_bad_fields_refused_and_nothing_written(shop, overrides, field):
    product = services.create_product(shop, data())
    with pytest.raises(services.CatalogError) as error:
        services.update_product(product, data(**overrides), shop.owner)
    assert error.value.field == field
    db.session.rollback()


def test_every_problem_is_reported_at_once(shop):
    """check_product (used by the form and the staff import) lists every bad field, not the first."""
    bad = data(title="", category_id=0, price_toman="abc", stock=-1, weight_g=0, tags=",".join("abcdefghijk"))
    with pytest.raises(services.ProductInvalid) as invalid:
        services.create_product(shop, bad)
    assert [field for field, _message in invalid.value.errors] == [
        "title", "category_id", "price_toman", "stock", "weight_g", "tags",
    ]  # fmt: skip
    assert invalid.value.field == "title"  # the first, for callers that show one message
    assert services.check_product(data()).price_rial == 2_500_000


def test_options_with_own_stock_and_price(shop):
    rows = [VariantData("کوچک", "قرمز", 2, 0), VariantData("بزرگ", "قرمز", 1, 50_000), VariantData("", "", 0, 0)]
    product = services.create_product(shop, data(option1_name="اندازه", option2_name="رنگ", variants=rows))
    assert [(v.value1, v.value2, v.stock, v.price_delta_rial) for v in product.variants] == [
        ("کوچک", "قرمز", 2, 0),
        ("بزرگ", "قرمز", 1, 500_000),
    ]
    assert product.stock == 3
    assert services.price_range(product) == (2_500_000, 3_000_000)
    with pytest.raises(services.CatalogError):
        services.create_product(shop, data(option1_name="اندازه", variants=[VariantData("M"), VariantData("M")]))
    with pytest.raises(services.CatalogError):
        services.create_product(shop, data(variants=[VariantData("M")]))  # values without an option name


def test_photo_tips():
    assert services.photo_tips(Image.new("RGB", (300, 300), (128, 128, 128))) == ["small", "blurry"]
    dark = Image.effect_noise((1000, 1000), 40).point(lambda v: v // 6).convert("RGB")
    assert "dark" in services.photo_tips(dark)
    sharp = Image.effect_noise((1000, 1000), 60).convert("RGB")
    assert services.photo_tips(sharp) == []
    assert "blurry" in services.photo_tips(sharp.filter(ImageFilter.GaussianBlur(8)))


def test_photos_order_cover_and_limit(shop):
    product = services.create_product(shop, data())
    for n in range(8):
        services.add_photo(product, stored_photo(n), [], shop.owner)
    db.session.flush()
    with pytest.raises(services.CatalogError):
        services.add_photo(product, stored_photo(9), [], shop.owner)
    third = product.images[2]
    services.make_cover(product, third.id, shop.owner)
    assert product.cover is third and [i.position for i in product.images] == list(range(8))
    services.move_photo(product, third.id, 1, shop.owner)
    assert product.images[1] is third
    services.remove_photo(product, third.id, shop.owner)
    assert len(product.images) == 7 and [i.position for i in product.images] == list(range(7))


def test_completeness(shop):
    product = services.create_product(shop, data(description="کوتاه", tags=""))
    score, items = services.completeness(product)
    assert score == 15 + 10 + 10  # title, weight, specific category
    services.update_product(product, data(description="ک" * 160, tags="الف، ب، ج"), shop.owner)
    for n in range(3):
        services.add_photo(product, stored_photo(n), [], shop.owner)
    assert services.completeness(product)[0] == 100


def test_editing_a_published_product_sends_it_back(shop):
    product = services.create_product(shop, data())
    product.status = "published"
    assert services.update_product(product, data(price_toman="300000", stock=9), shop.owner) is False
    assert product.status == "published" and product.price_rial == 3_000_000
    assert services.update_product(product, data(title="کوسن گلدوزی بزرگ"), shop.owner) is True
    assert product.status == "in_review"
    product.status = "published"
    services.add_photo(product, stored_photo(10), [], shop.owner)
    assert product.status == "in_review"


def test_status_machine(shop):
    staff = UserFactory(roles={"staff"})
    product = services.create_product(shop, data(category_id=category_id("decor")))
    with pytest.raises(services.CatalogError):
        services.change_status(product, shop.owner, "submit")  # no photo yet
    services.add_photo(product, stored_photo(11), [], shop.owner)
    services.change_status(product, shop.owner, "submit")
    with pytest.raises(services.CatalogError) as error:
        services.change_status(product, staff, "request_changes", "")
    assert error.value.field == "reason"
    services.change_status(product, staff, "request_changes", "عکس تار است")
    assert product.status == "changes_requested" and product.status_reason == "عکس تار است"
    services.change_status(product, shop.owner, "submit")
    assert [d.action for d in reversed(product.decisions)] == ["submit", "request_changes", "submit"]
    services.change_status(product, shop.owner, "archive")
    services.change_status(product, shop.owner, "restore")
    assert product.status == "draft"


def test_duplicate(shop):
    product = services.create_product(shop, data(option1_name="رنگ", variants=[VariantData("آبی", "", 2)]))
    services.add_photo(product, stored_photo(12), ["dark"], shop.owner)
    copy = services.duplicate_product(product)
    assert copy.id != product.id and copy.status == "draft" and copy.title.endswith("(کپی)")
    assert [v.value1 for v in copy.variants] == ["آبی"] and copy.images[0].stored == product.images[0].stored
