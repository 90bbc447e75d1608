"""`flask demo load` is idempotent and deterministic, and its accounts work."""

from sqlalchemy import func, select

from marketplace.accounts.models import User, UserRole
from marketplace.demo import data
from marketplace.extensions import db
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
    assert first.exit_code == 0 and "12 producers created" in first.output
    before = snapshot(app)
    second = runner.invoke(args=["demo", "load"])
    assert "0 producers created" in second.output
    assert snapshot(app) == before
    with app.app_context():
        producers = db.session.scalar(select(func.count()).select_from(UserRole).where(UserRole.role == "producer"))
        staff = db.session.scalar(select(func.count()).select_from(UserRole).where(UserRole.role == "staff"))
    assert producers == 12 and staff == 1
    with app.app_context():
        shops = db.session.scalars(select(Shop).order_by(Shop.id)).all()
        assert len(shops) == 12
        statuses = [shop.status for shop in shops]
        assert statuses.count("approved") == 10 and "submitted" in statuses and "draft" in statuses
        for shop in shops:
            assert len(shop.story) >= 100 and shop.tagline and shop.instagram
            assert shop_services.shop_palette(shop) is not None
            assert set(shop.logo_files) == {"1024", "512", "192", "32"}
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
