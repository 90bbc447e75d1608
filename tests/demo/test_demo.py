"""`flask demo load` is idempotent and deterministic, and its accounts work."""

from collections import Counter

from sqlalchemy import func, select

from marketplace.accounts.models import User, UserRole
from marketplace.bazaar.models import BazaarEvent, FairOrder
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.core.images import upload_dir
from marketplace.demo import data, photos
from marketplace.demo import products as demo_products
from marketplace.extensions import db
from marketplace.orders.models import LedgerEntry, Order, OrderItem, OrderMessage, Review
from marketplace.registration.models import RegistrationRecord
from marketplace.shops import services as shop_services
from marketplace.shops.models import Shop
from tests.conftest import post_form


def snapshot(app):
    with app.app_context():
        users = db.session.scalars(select(User).order_by(User.phone)).all()
        return [(u.phone, u.display_name, sorted(u.roles), u.created_at.isoformat()) for u in users]


def test_demo_load_twice_is_the_same(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "12 producers created" in first.output and "2 fairs created" in first.output
    before = snapshot(app)
    second = runner.invoke(args=["demo", "load"])
    assert "0 producers created" in second.output and "0 fairs created" in second.output
    assert snapshot(app) == before
    with app.app_context():
        producers = db.session.scalar(select(func.count()).select_from(UserRole).where(UserRole.role == "producer"))
        staff = db.session.scalar(select(func.count()).select_from(UserRole).where(UserRole.role == "staff"))
    assert producers == 12 and staff == 2  # the centre's staff member and a guest juror of the fairs
    with app.app_context():
        shops = db.session.scalars(select(Shop).order_by(Shop.id)).all()
        assert len(shops) == 12
        statuses = [shop.status for shop in shops]
        assert statuses.count("approved") == 10 and "submitted" in statuses and "draft" in statuses
        for shop in shops:
            assert len(shop.story) >= 100 and shop.tagline and shop.instagram
            assert shop_services.shop_palette(shop) is not None
            assert set(shop.logo_files) == {"1024", "512", "192", "32", "webp"}
    assert "0 orders created" in second.output
    with app.app_context():
        statuses = {order.status for order in db.session.scalars(select(Order))}
        assert {"awaiting_confirmation", "accepted", "shipped", "delivered", "cancelled"} <= statuses
        assert db.session.scalar(select(func.count(LedgerEntry.id)).where(LedgerEntry.settled_at.is_not(None))) >= 1
        reviews = db.session.scalars(select(Review)).all()
        assert reviews and any(review.reply for review in reviews)
        assert db.session.scalar(select(func.count(OrderMessage.id))) >= 2
    skipped = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "not loaded" in skipped.output


def test_demo_logins_work_and_home_shows_producers(app, client):
    app.test_cli_runner().invoke(args=["demo", "load"])
    response = post_form(client, "/login", {"phone": data.STAFF[0], "password": data.DEMO_PASSWORD})
    assert response.status_code == 302
    assert "میز کار مرکز" in client.get("/").get_data(as_text=True)
    assert "۱۲ کارگاه خانگی اینجا می‌فروشند" in app.test_client().get("/").get_data(as_text=True)
    storefront = app.test_client().get("/shop/گلدوزی-مریم")
    assert storefront.status_code == 200 and "گلدوزی با نقش‌های مادربزرگ" in storefront.get_data(as_text=True)
    assert app.test_client().get("/shop/گلدوزی-مریم/share.png").mimetype == "image/png"


def test_demo_neighbourhoods_are_from_mashhad():
    neighbourhoods = {row[2] for row in data.PRODUCERS}
    assert {
        "گلشهر",
        "التیمور",
        "سیدی",
        "خواجه ربیع",
        "شهرک شهید رجایی",
        "پنج‌تن",
        "قلعه‌ساختمان",
        "توس",
    } <= neighbourhoods
    assert len(data.PRODUCERS) == 12


# ---------------------------------------------------------------- products


def product_snapshot(app):
    with app.app_context():
        rows = db.session.scalars(select(Product).order_by(Product.id)).all()
        return [(p.id, p.shop_id, p.title, p.status, p.price_rial, [i.stored["key"] for i in p.images]) for p in rows]


def test_demo_products_cover_every_category_with_mixed_states(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert f"{len(demo_products.PRODUCTS)} products created" in first.output
    with app.test_request_context():
        all_products = db.session.scalars(select(Product)).all()
        assert len(all_products) >= 60
        categories = catalog.all_categories()
        assert len(categories) == 24
        public = catalog.category_counts()
        for category in categories:
            branch = catalog.category_and_children_ids(category)
            assert sum(public.get(i, 0) for i in branch) >= 1, category.slug  # every listing has something
            if category.parent_id is not None:
                assert sum(p.category_id == category.id for p in all_products) >= 2, category.slug

        statuses = Counter(p.status for p in all_products)
        assert statuses["published"] >= 45 and statuses["in_review"] >= 3 and statuses["draft"] >= 3
        assert 1 <= statuses["changes_requested"] <= 2 and statuses["archived"] == 1
        for product in all_products:
            if product.status == "changes_requested":
                assert product.status_reason and product.decisions[0].actor.has_role("staff")
            if product.status == "published":
                assert product.shop.status == "approved" and not catalog.publish_blockers(product)
            assert 1 <= len(product.images) <= 4
            assert product.price_rial % 10 == 0 and product.price_rial >= 10_000
            assert len(product.tags) >= 2 and product.materials and product.weight_g
            sentences = product.description.count(".")
            assert 2 <= sentences <= 4, product.title
        assert any(p.variants for p in all_products) and any(p.made_to_order and p.lead_time_days for p in all_products)
        scarf = next(p for p in all_products if p.title == "روسری نخی با گلدوزی بته‌جقه")
        assert scarf.option1_name == "رنگ" and [v.value1 for v in scarf.variants] == ["زرشکی", "سرمه‌ای", "فیروزه‌ای"]
        # 7 made; the demo orders that are not cancelled hold some of them
        held = db.session.scalar(
            select(func.coalesce(func.sum(OrderItem.quantity), 0))
            .join(Order)
            .where(OrderItem.product_id == scarf.id, Order.status != "cancelled")
        )
        assert scarf.price_rial == 9_500_000 and scarf.stock + held == 7 and held >= 1

        # Photos went through the pipeline: WebP variants on disk, a colour and a size.
        image = all_products[0].images[0].stored
        assert set(image["variants"]) == {"320", "480", "640", str(photos.SIZE)} and image["width"] == photos.SIZE
        for path in image["variants"].values():
            assert path.endswith(".webp") and (upload_dir(app) / path).is_file()

        # Registration progress is mixed: verified, sent and waiting, waived.
        states = Counter(db.session.scalars(select(RegistrationRecord.status)))
        assert states["verified"] >= 5 and states["submitted"] >= 3 and states["waived"] >= 5

    before = product_snapshot(app)
    second = runner.invoke(args=["demo", "load"])
    assert "0 products created" in second.output
    assert product_snapshot(app) == before


def test_demo_products_show_on_the_site(app, client):
    app.test_cli_runner().invoke(args=["demo", "load"])
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.title == "ترشی لیتهٔ خانگی"))
        draft = db.session.scalar(select(Product).where(Product.status == "draft"))
        product_id, draft_id = product.id, draft.id
    page = client.get(f"/p/{product_id}", follow_redirects=True)
    assert page.status_code == 200 and "ترشی لیتهٔ خانگی" in page.get_data(as_text=True)
    assert client.get(f"/p/{draft_id}", follow_redirects=True).status_code == 404
    assert client.get("/c/pickles").status_code == 200


def test_demo_photos_are_deterministic_and_distinct():
    one = photos.render("jar", ("#8b1e3f", "#c0392b"), 3, 0)
    assert one.size == (photos.SIZE, photos.SIZE) and one.mode == "RGB"
    assert one.tobytes() == photos.render("jar", ("#8b1e3f", "#c0392b"), 3, 0).tobytes()
    assert one.tobytes() != photos.render("jar", ("#8b1e3f", "#c0392b"), 3, 1).tobytes()
    motifs = {record.photo[0] for record in demo_products.PRODUCTS}
    assert motifs <= set(photos.MOTIFS)
    for motif in photos.MOTIFS:
        for view in range(4):
            assert photos.render(motif, ("#1e8a8a", "#e0a526", "#8b1e3f"), 1, view).getbbox()


def test_demo_fairs_tell_a_past_fair_whole_and_take_applications_for_the_next(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    with app.app_context():
        past, upcoming = db.session.scalars(select(BazaarEvent).order_by(BazaarEvent.starts_at)).all()
        assert past.status == "closed" and upcoming.status == "applications_open"
        statuses = sorted(application.status for application in past.applications)
        assert statuses.count("accepted") == 5 and "waitlisted" in statuses and "rejected" in statuses
        accepted = [a for a in past.applications if a.status == "accepted"]
        assert all(a.booth is not None for a in accepted)
        assert sum(1 for a in accepted if a.checked_in_at) == 4
        assert sum(len(a.sales) for a in accepted) == 4
        assert len({score.juror_id for a in past.applications for score in a.scores}) == 2
        assert db.session.scalar(select(func.count()).select_from(FairOrder).where(FairOrder.fair_id == past.id)) == 2
        assert [a.status for a in upcoming.applications] == ["submitted"] * 4
        assert [a.first_timer for a in upcoming.applications].count(False) == 1  # one comes back
