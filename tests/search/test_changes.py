"""The change log: rows written in the same transaction as the change, none when it rolls back."""

from sqlalchemy import select

from marketplace.catalog.models import Category, Product, ProductImage
from marketplace.extensions import db
from marketplace.search.models import SearchChange
from marketplace.shops.models import Shop
from tests.factories import ProductFactory, ShopFactory


def changes_after(app, start: int) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(SearchChange.entity, SearchChange.entity_id).where(SearchChange.id > start).order_by(SearchChange.id)
        )
        return [tuple(row) for row in rows]


def newest_change(app) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.max(SearchChange.id))) or 0


def test_new_product_logs_a_change(app, make):
    shop = make(ShopFactory, status="approved")
    start = newest_change(app)
    product_id = make(ProductFactory, shop=shop, title="کیف چرمی", status="published").id
    assert ("product", product_id) in changes_after(app, start)


def test_each_entity_logged_once_per_flush(app, make):
    shop = make(ShopFactory, status="approved")
    product_id = make(ProductFactory, shop=shop, title="کیف چرمی", status="published").id
    start = newest_change(app)
    with app.app_context():
        product = db.session.get(Product, product_id)
        product.title = "کیف چرمی نو"
        product.price_rial = 5_000_000
        product.images.append(ProductImage(stored={"key": "x", "variants": {"320": "x.webp"}}, position=0))
        db.session.commit()
    assert changes_after(app, start) == [("product", product_id)]


def test_rolled_back_change_leaves_no_row(app, make):
    shop = make(ShopFactory, status="approved")
    product_id = make(ProductFactory, shop=shop, title="کیف چرمی", status="published").id
    start = newest_change(app)
    with app.app_context():
        db.session.get(Product, product_id).title = "عنوان دیگر"
        db.session.flush()
        assert changes_after(app, start) == [("product", product_id)]  # visible inside the transaction
        db.session.rollback()
    assert changes_after(app, start) == []


def test_shop_rename_logs_shop_and_its_products(app, make):
    shop = make(ShopFactory, status="approved")
    first, second = (
        make(ProductFactory, shop=shop, title="کیف", status="published").id,
        make(ProductFactory, shop=shop, title="کمربند", status="published").id,
    )
    start = newest_change(app)
    with app.app_context():
        db.session.get(Shop, shop.id).name = "چرم نو"
        db.session.commit()
    assert sorted(changes_after(app, start)) == sorted([("shop", shop.id), ("product", first), ("product", second)])


def test_shop_story_edit_logs_only_the_shop(app, make):
    shop = make(ShopFactory, status="approved")
    make(ProductFactory, shop=shop, title="کیف", status="published")
    start = newest_change(app)
    with app.app_context():
        db.session.get(Shop, shop.id).story = "داستان تازه"
        db.session.commit()
    assert changes_after(app, start) == [("shop", shop.id)]


def test_category_rename_logs_its_products(app, make):
    shop = make(ShopFactory, status="approved")
    product_id = make(ProductFactory, shop=shop, title="کیف", category="leather", status="published").id
    start = newest_change(app)
    with app.app_context():
        db.session.scalar(select(Category).where(Category.slug == "handicrafts")).name_fa = "هنرهای دستی"
        db.session.commit()
    assert ("product", product_id) in changes_after(app, start)


def test_unrelated_tables_log_nothing(app, make_user):
    start = newest_change(app)
    make_user()
    assert changes_after(app, start) == []
