"""The shared factories make rows by the services' rules, and `make` hands them to route tests."""

import pytest
from sqlalchemy import inspect

from marketplace.accounts import services as accounts
from marketplace.core.images import upload_dir
from marketplace.extensions import db
from marketplace.shops import services as shops
from marketplace.shops.models import Shop
from tests.factories import GOOD_PASSWORD, ProductFactory, ShopFactory, UserFactory


@pytest.fixture
def _ctx(app_ctx):
    yield


def test_users_are_made_by_the_account_service(_ctx):
    maker = UserFactory(roles={"producer"}, display_name="  مريم ")
    assert maker.password_hash != GOOD_PASSWORD and accounts.authenticate(maker.phone, GOOD_PASSWORD) is maker
    assert maker.roles == {"buyer", "producer"} and maker.display_name == "مریم"  # Arabic yeh made Persian
    assert UserFactory().phone != UserFactory().phone


def test_shops_follow_the_shop_rules(_ctx):
    shop = ShopFactory(name="ترشي خانگي توس", branded=True, status="approved")
    assert shop.slug == "ترشی-خانگی-توس" and shop.status == "approved" and "producer" in shop.owner.roles
    assert shop.story and shop.color_primary  # the story and palette services ran
    with pytest.raises(shops.ShopError):
        ShopFactory(owner=shop.owner)  # one shop per producer, as create_shop says


def test_products_follow_the_catalogue_rules(_ctx):
    food = ProductFactory(kind="food", title="  ترشي  ليته ", tags="ترشی، خانگی", price_toman="۱۲۰٬۰۰۰")
    assert food.kind == "food" and food.category.slug == "pickles" and food.status == "draft"
    assert food.title == "ترشی لیته" and food.slug == "ترشی-لیته" and food.tags == ["ترشی", "خانگی"]
    assert food.price_rial == 1_200_000 and food.published_at is None
    assert ProductFactory(status="published").published_at is not None


def test_photos_go_through_the_upload_pipeline(app, _ctx):
    product = ProductFactory(photos=2, status="published")
    assert product.status == "published"  # set after the photos, which would have sent it to review
    assert len(product.images) == 2 and product.images[0].stored["key"] != product.images[1].stored["key"]
    for image in product.images:
        assert all((upload_dir(app) / path).is_file() for path in image.stored["variants"].values())


def test_make_commits_and_returns_a_loaded_detached_row(app, make, producer):
    shop = make(ShopFactory, owner=producer, status="approved")
    assert inspect(shop).detached and shop.slug and shop.owner_id == producer.id
    product = make(ProductFactory, shop=shop, status="published")  # a detached row is taken back in
    with app.app_context():
        assert db.session.get(Shop, shop.id).status == "approved"
        assert product.shop_id == shop.id
