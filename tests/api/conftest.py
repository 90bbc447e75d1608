"""A small public market for the API tests: public rows the API must show, and rows it must hide
(a draft product, a published product of a draft shop and of a suspended shop, a draft fair, a fair
still taking applications, a rejected applicant), made with tests/factories.py and committed."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from PIL import Image

from marketplace.bazaar.models import BazaarEvent, Booth
from marketplace.catalog.models import Product, ProductVariant
from marketplace.core.dates import utcnow
from marketplace.core.images import upload_limits
from marketplace.extensions import db
from marketplace.registration import services as registration
from marketplace.shops import brand
from marketplace.shops import services as shops
from marketplace.shops.models import Shop
from tests.factories import ApplicationFactory, FairFactory, ProductFactory, ShopFactory, UserFactory
from tests.search.conftest import search_index_folder, synced  # noqa: F401  (each test its own index)

PHONE = "+989151112233"


@pytest.fixture
def loose_limits(app, monkeypatch):
    """Limits no test reaches by accident (the rate-limit tests set their own)."""
    for key in ("RATELIMIT_API", "RATELIMIT_SEARCH", "RATELIMIT_AUTOCOMPLETE"):
        monkeypatch.setitem(app.config, key, "100000 per minute")


@pytest.fixture
def market(app, make, tmp_path, loose_limits):
    maryam = make(ShopFactory, name="چرم مریم", neighbourhood="گلشهر", status="approved", branded=True)
    zahra = make(ShopFactory, name="ترشی زهرا", neighbourhood="طلاب", status="approved")
    draft_shop = make(ShopFactory, name="کارگاه پیش‌نویس", status="draft")
    suspended = make(ShopFactory, name="کارگاه معلق", status="suspended")
    bag = make(
        ProductFactory,
        shop=maryam,
        title="کیف چرمی",
        title_en="Leather Bag",
        description_en="Hand-stitched.",
        price_toman=850_000,
        status="published",
        photos=2,
    )
    belt = make(ProductFactory, shop=maryam, title="کمربند چرمی", price_toman=300_000, status="published")
    scarf = make(
        ProductFactory, shop=maryam, title="روسری گلدوزی", category="scarves", made_to_order=True, status="published"
    )
    pickle = make(ProductFactory, shop=zahra, title="ترشی لیته", kind="food", status="published")
    draft = make(ProductFactory, shop=maryam, title="پیش‌نویس مخفی", status="draft")
    of_draft_shop = make(ProductFactory, shop=draft_shop, title="کالای کارگاه پیش‌نویس", status="published")
    of_suspended = make(ProductFactory, shop=suspended, title="کالای کارگاه معلق", status="published")
    fair = make(FairFactory, title="بازارچه بهاره", status="published", booths=3)
    past = make(
        FairFactory,
        title="بازارچه پاییزه",
        status="closed",
        starts_at=utcnow() - timedelta(days=40),
        ends_at=utcnow() - timedelta(days=38),
        applications_open_at=utcnow() - timedelta(days=70),
        applications_close_at=utcnow() - timedelta(days=50),
    )
    draft_fair = make(FairFactory, title="بازارچه پیش‌نویس", status="draft")
    open_fair = make(FairFactory, title="بازارچه ثبت‌نام", status="applications_open")
    with app.test_request_context():

        def apply(shop, items, status):
            products = [db.session.get(Product, item.id) for item in items]
            return ApplicationFactory(fair=fair, shop=shop, items=products, status=status)

        accepted = apply(maryam, [bag, belt], "accepted")
        apply(zahra, [pickle], "rejected")
        apply(suspended, [of_suspended], "accepted")
        shop = db.session.get(Shop, maryam.id)
        shops.set_logo(shop, brand.store_logo(Image.new("RGB", (600, 600), (30, 90, 120))), "upload")
        shop.instagram, shop.whatsapp, shop.contact_phone, shop.show_phone = "charm.maryam", PHONE, PHONE, True
        product = db.session.get(Product, bag.id)
        product.option1_name = "رنگ"
        product.variants = [
            ProductVariant(value1="قهوه‌ای", stock=2, price_delta_rial=0, position=0),
            ProductVariant(value1="مشکی", stock=0, price_delta_rial=500_000, position=1),
        ]
        product.stock = 2
        product.status_reason = "یادداشت داخلی کارشناس"
        accepted.booth = db.session.scalar(db.select(Booth).where(Booth.fair_id == fair.id, Booth.code == "A-02"))
        staff = UserFactory(roles={"staff"})
        record = registration.submit_evidence(
            shop, "HB-1", None, uploads_dir=tmp_path, limits=upload_limits(app.config), number="1234", now=utcnow()
        )
        registration.verify(record, staff, now=utcnow())
        db.session.get(BazaarEvent, fair.id).description = "بازارچهٔ بهار در گلشهر"
        db.session.commit()
    synced(app)
    return SimpleNamespace(
        maryam=maryam,
        zahra=zahra,
        draft_shop=draft_shop,
        suspended=suspended,
        bag=bag.id,
        belt=belt.id,
        scarf=scarf.id,
        pickle=pickle.id,
        public_products={bag.id, belt.id, scarf.id, pickle.id},
        hidden_products={draft.id, of_draft_shop.id, of_suspended.id},
        fair=fair,
        past=past,
        draft_fair=draft_fair,
        open_fair=open_fair,
    )
