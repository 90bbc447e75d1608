"""Catalog asks, registration answers: the signals of core/events.py (catalog never imports registration).

Publishing a food product is blocked by registration's mandatory items through the
product_publish_blockers signal; the product page shows registration's badges through
product_badges; with no receiver connected, catalog works on its own rules alone."""

from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductImage
from marketplace.core import events
from marketplace.core.images import store_variants, upload_dir, upload_limits
from marketplace.extensions import cache, db
from marketplace.registration import receivers
from marketplace.registration import services as registration
from tests.factories import ProductFactory, ShopFactory


def plain(text) -> str:
    """The text without its invisible bidi isolates and word joiners."""
    return str(text).translate({0x2066: None, 0x2069: None, 0x2060: None})


@contextmanager
def registration_disconnected():
    """Run a block as if the registration package were not installed, then connect it again."""
    receivers.disconnect_receivers()
    try:
        yield
    finally:
        receivers.connect_receivers()


@pytest.fixture
def people(app_ctx, producer, staff):
    return db.session.merge(producer), db.session.merge(staff)


@pytest.fixture
def pickle(app, people):
    """A food product of an approved shop, with a photo (through the real pipeline), waiting for review."""
    shop = ShopFactory(owner=people[0], name="ترشی خانگی توس", craft="ترشی خانگی", neighbourhood="توس")
    shop.status = "approved"
    product = ProductFactory(shop=shop, kind="food", title="ترشی لیته", status="in_review")
    stored = store_variants(Image.new("RGB", (800, 600), (180, 60, 40)), upload_dir(app), (320,))
    product.images.append(ProductImage(position=0, stored=stored.as_dict(), tips=[]))
    db.session.flush()
    return product


def test_registration_is_connected_at_app_start(app):
    assert receivers.publish_blockers in events.product_publish_blockers.receivers_for(object())
    assert receivers.badges in events.product_badges.receivers_for(object())


def test_food_product_without_its_mandatory_items_is_not_published(people, pickle):
    staff = people[1]
    blockers = [plain(message) for message in catalog.publish_blockers(pickle)]
    assert len(blockers) == 3  # the shop is approved and has a photo: every blocker is registration's
    # named by their titles, never by internal codes (HB-1, FD-1 or FD-2, LB-1)
    assert "مجوز مشاغل خانگی" in blockers[0] and "گواهی اظهار مشاغل خانگی" in blockers[1]
    assert "برچسب محصول" in blockers[2] and not any("-1" in blocker for blocker in blockers)
    with pytest.raises(catalog.CatalogError) as refused:
        catalog.change_status(pickle, staff, "publish")
    assert "مجوز مشاغل خانگی" in plain(refused.value.message)
    assert pickle.status == "in_review"

    registration.waive_missing(pickle, staff, "نمونه")
    assert catalog.publish_blockers(pickle) == []
    catalog.change_status(pickle, staff, "publish")
    assert pickle.status == "published"


def test_catalog_works_with_no_receiver_connected(people, pickle):
    staff = people[1]
    with registration_disconnected():
        assert events.collect(events.product_publish_blockers, pickle) == []
        assert catalog.publish_blockers(pickle) == []  # catalog's own rules are met
        pickle.shop.status = "submitted"
        assert [str(m) for m in catalog.publish_blockers(pickle)] == ["غرفه هنوز تأیید نشده است."]
        pickle.shop.status = "approved"
        catalog.change_status(pickle, staff, "publish")
    assert pickle.status == "published"


def test_badges_show_on_the_product_page(app, client, people, pickle):
    staff = people[1]
    record = registration.submit_evidence(
        pickle.shop, "HB-1", number="1234", uploads_dir=Path(app.instance_path), limits=upload_limits(app.config)
    )
    registration.verify(record, staff)
    assert registration.waive_missing(pickle, staff, "نمونه") == 2  # FD-1 and LB-1: a waiver earns no badge
    catalog.change_status(pickle, staff, "publish")
    db.session.commit()
    response = client.get(f"/p/{pickle.id}/{pickle.slug}")
    page = response.get_data(as_text=True)
    assert "دارای مجوز مشاغل خانگی" in page

    with registration_disconnected():
        cache.clear()  # the code changed, not the data: the kept page cannot know
        page = client.get(f"/p/{pickle.id}/{pickle.slug}").get_data(as_text=True)
    assert "دارای مجوز مشاغل خانگی" not in page and pickle.title in page
