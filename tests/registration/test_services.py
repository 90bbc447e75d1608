"""Registration rules called directly: blocking, prerequisites, evidence files, decisions, expiry,
badges and the food label. Real database, real Pillow."""

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from marketplace.core.dates import utcnow
from marketplace.core.images import upload_limits
from marketplace.extensions import db
from marketplace.registration import services
from marketplace.registration.models import RegistrationEvent, RegistrationRecord
from tests.factories import HOME_LATITUDE, ProductFactory, ShopFactory, gps_photo_bytes, pdf_bytes

NOW = utcnow()
TODAY = services.today(NOW)


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


@pytest.fixture
def people(producer, staff):
    return db.session.merge(producer), db.session.merge(staff)


@pytest.fixture
def shop(people):
    return ShopFactory(owner=people[0], name="ترشی خانگی توس", craft="ترشی خانگی", neighbourhood="توس")


@pytest.fixture
def submit(app, tmp_path):
    """submit(shop, code, product=None, **evidence): submit_evidence with the app's limits."""

    def do(shop, code, product=None, **evidence):
        evidence.setdefault("now", NOW)
        return services.submit_evidence(
            shop, code, product, uploads_dir=tmp_path, limits=upload_limits(app.config), **evidence
        )

    return do


def verified(submit, staff, shop, code, product=None, **evidence):
    """Submit and verify an item in one go."""
    if not evidence:
        evidence = {"number": "1234"} if code != "LB-1" else {"document_upload": pdf_bytes()}
    record = submit(shop, code, product, **evidence)
    return services.verify(record, staff, now=NOW)


def plain(text) -> str:
    """The text without its invisible bidi isolates and word joiners."""
    return str(text).translate({0x2066: None, 0x2069: None, 0x2060: None})


def named(code) -> str:
    """An item as the producer reads it: by its title (never its code)."""
    return services.requirement(code).title()


def blocker_texts(product):
    return [plain(message) for message in services.publish_blockers(product)]


def events_of(record):
    """(action, actor id, reason) of a record's events, oldest first."""
    query = select(RegistrationEvent).where(RegistrationEvent.record_id == record.id).order_by(RegistrationEvent.id)
    return [(event.action, event.actor_id, event.reason) for event in db.session.scalars(query)]


def records_count():
    return db.session.scalar(select(func.count()).select_from(RegistrationRecord))


def test_food_blocked_until_hb1_and_health_licence_and_label(people, shop, submit):
    _producer, staff = people
    product = ProductFactory(shop=shop, kind="food")
    blockers = blocker_texts(product)
    assert len(blockers) == 3
    assert not any(re.search(r"[A-Z]{2}-\d", text) for text in blockers)  # no internal codes for her
    assert (
        named("HB-1") in blockers[0]
        and named("FD-1") in blockers[1]
        and named("FD-2") in blockers[1]
        and named("LB-1") in blockers[2]
    )

    record = submit(shop, "HB-1", number="HB 1403-77")
    assert record.number == "HB1403-77" and record.status == "submitted"
    assert named("HB-1") in blocker_texts(product)[0]  # still there: only submitted
    services.verify(record, staff, now=NOW)
    assert len(services.publish_blockers(product)) == 2
    verified(submit, staff, shop, "FD-1", product)
    assert [(named("LB-1") in text) for text in blocker_texts(product)] == [True]
    verified(submit, staff, shop, "LB-1", product)
    assert services.publish_blockers(product) == []


def test_fd2_also_satisfies_the_food_health_licence(people, shop, submit):
    staff = people[1]
    product = ProductFactory(shop=shop, kind="food", title="مربای هویج")
    verified(submit, staff, shop, "HB-1")
    verified(submit, staff, shop, "FD-2", product)
    verified(submit, staff, shop, "LB-1", product)
    assert services.publish_blockers(product) == []


def test_cosmetics_need_fd2_not_fd1(people, shop, submit):
    staff = people[1]
    soap = ProductFactory(shop=shop, kind="cosmetics", title="صابون زیتون")
    assert len(services.publish_blockers(soap)) == 3
    verified(submit, staff, shop, "HB-1")
    with pytest.raises(services.RegistrationError) as refused:
        submit(shop, "FD-1", soap, number="55")
    assert refused.value.field == "item"
    verified(submit, staff, shop, "FD-2", soap)
    verified(submit, staff, shop, "LB-1", soap)
    assert services.publish_blockers(soap) == []


def test_handicraft_textile_general_are_never_blocked(shop):
    for kind in ("handicraft", "textile", "general"):
        assert services.publish_blockers(ProductFactory(shop=shop, kind=kind, title=f"کار {kind}")) == []


def test_a_waiver_unblocks_and_is_audited(people, shop):
    staff = people[1]
    product = ProductFactory(shop=shop, kind="food")
    with pytest.raises(services.RegistrationError) as no_reason:
        services.waive(shop, None, "HB-1", staff, "  ")
    assert no_reason.value.field == "reason"
    services.waive(shop, None, "HB-1", staff, "نمونهٔ نمایشی", now=NOW)
    services.waive(shop, product, "FD-1", staff, "نمونهٔ نمایشی")
    assert len(services.publish_blockers(product)) == 1
    services.waive(shop, product, "LB-1", staff, "نمونهٔ نمایشی")
    assert services.publish_blockers(product) == []
    record = db.session.scalar(select(RegistrationRecord).where(RegistrationRecord.item_code == "HB-1"))
    assert record.status == "waived" and record.reason == "نمونهٔ نمایشی" and record.decided_by_id == staff.id
    assert events_of(record) == [("waive", staff.id, "نمونهٔ نمایشی")]
    with pytest.raises(services.RegistrationError):
        services.waive(shop, None, "HB-1", staff, "دوباره")


def test_waive_missing_for_imports(people, shop):
    staff = people[1]
    product = ProductFactory(shop=shop, kind="food")
    assert services.waive_missing(product, staff, "ورود گروهی") == 3
    assert services.publish_blockers(product) == []
    other = ProductFactory(shop=shop, kind="food", title="ترشی بادمجان")
    assert services.waive_missing(other, staff, "ورود گروهی") == 2  # HB-1 is the shop's, already waived


def test_prerequisites_come_first_and_is_next(people, shop, submit):
    staff = people[1]
    product = ProductFactory(shop=shop, kind="food")
    rows = {row.item.code: row for row in services.checklist_for_product(product)}
    assert [row.item.code for row in services.checklist_for_product(product) if row.is_next] == ["HB-1"]
    assert [[item.code for item in members] for members in rows["FD-1"].blocked_by] == [["HB-1"]]
    assert [[item.code for item in members] for members in rows["LB-1"].blocked_by] == [["FD-1", "FD-2"]]
    with pytest.raises(services.RegistrationError) as first:
        submit(shop, "FD-1", product, number="987")
    assert first.value.field == "item" and named("HB-1") in plain(first.value.message)

    record = submit(shop, "HB-1", number="12")  # submitted is enough to go on
    rows = {row.item.code: row for row in services.checklist_for_product(product)}
    assert rows["HB-1"].state == "submitted" and not rows["FD-1"].blocked_by
    assert [code for code, row in rows.items() if row.is_next] == ["FD-1"]
    submit(shop, "FD-1", product, number="987")
    rows = {row.item.code: row for row in services.checklist_for_product(product)}
    assert rows["FD-2"].covered_by.code == "FD-1" and rows["FD-1"].covered_by is None
    assert [code for code, row in rows.items() if row.is_next] == ["LB-1"]  # not FD-2: FD-1 covers the group
    services.reject(record, staff, "شماره خوانا نیست")
    rows = {row.item.code: row for row in services.checklist_for_product(product)}
    assert rows["HB-1"].state == "rejected"
    assert [code for code, row in rows.items() if row.is_next] == ["HB-1"]


def test_shop_checklist_kinds_and_next(people, shop):
    assert services.shop_kinds(shop) == ["handicraft", "food", "textile", "cosmetics", "general"]
    ProductFactory(shop=shop, kind="handicraft", title="رومیزی گلدوزی")
    assert services.shop_kinds(shop) == ["handicraft"]
    rows = services.checklist_for_shop(shop)
    codes = [row.item.code for row in rows]
    assert codes[0] == "HB-1" and "HC-1" not in codes and "CR-1" in codes
    assert rows[0].requirement == "recommended" and rows[0].is_next
    enamad = next(row for row in rows if row.item.code == "EC-1")
    assert enamad.blocked_by == [] and enamad.item.later and not enamad.is_next  # no food: no health licence
    food_rows = services.checklist_for_shop(shop, ["food"])
    assert next(row for row in food_rows if row.item.code == "EC-1").blocked_by
    assert food_rows[0].requirement == "mandatory"


def test_reading_never_writes(people, shop):
    product = ProductFactory(shop=shop, kind="food")
    before = records_count()
    services.checklist_for_shop(shop)
    services.checklist_for_product(product)
    services.publish_blockers(product)
    services.badges(product)
    services.dashboard_summary(shop)
    assert records_count() == before == 0


def test_reject_needs_a_reason_and_she_can_send_again(people, shop, submit):
    staff = people[1]
    record = submit(shop, "HB-1", number="77")
    with pytest.raises(services.RegistrationError) as refused:
        services.reject(record, staff, "")
    assert refused.value.field == "reason" and record.status == "submitted"
    services.reject(record, staff, "عکس تار است", now=NOW)
    assert record.status == "rejected" and record.reason == "عکس تار است"
    with pytest.raises(services.RegistrationError):
        services.verify(record, staff)  # only submitted evidence can be decided
    again = submit(shop, "HB-1", number="78")
    assert again.id == record.id and again.status == "submitted" and again.reason == ""
    assert events_of(again) == [
        ("submit", shop.owner_id, ""),
        ("reject", staff.id, "عکس تار است"),
        ("submit", shop.owner_id, ""),
    ]


def test_verified_items_cannot_be_resent_until_they_near_their_end(people, shop, submit):
    staff = people[1]
    verified(submit, staff, shop, "HB-1", number="5", expires_on=TODAY + timedelta(days=300))
    with pytest.raises(services.RegistrationError):
        submit(shop, "HB-1", number="6")
    renewed = submit(shop, "HB-1", number="6", now=NOW + timedelta(days=280))  # within 30 days of the end
    assert renewed.status == "submitted" and renewed.number == "6"


def test_expiry_warning_then_expired(people, shop, submit):
    staff = people[1]
    product = ProductFactory(shop=shop, kind="food")
    end = TODAY + timedelta(days=100)
    hb = verified(submit, staff, shop, "HB-1", number="9", issued_on=TODAY - timedelta(days=10), expires_on=end)
    verified(submit, staff, shop, "FD-1", product)
    verified(submit, staff, shop, "LB-1", product)
    assert services.record_state(hb, TODAY) == "verified"
    assert services.expiring_soon(shop, now=NOW) == []

    seventy_five = NOW + timedelta(days=75)
    assert services.record_state(hb, services.today(seventy_five)) == "expiring_soon"
    assert services.expiring_soon(shop, now=seventy_five) == [hb]
    assert services.publish_blockers(product) == []  # still valid for 25 days

    later = NOW + timedelta(days=101)
    assert services.record_state(hb, services.today(later)) == "expired"
    assert hb.status == "verified"  # worked out on read, not written
    assert services.expired_records(shop, now=later) == [hb]
    assert services.expire_due(NOW) == []
    assert services.expire_due(later) == [hb]
    assert hb.status == "expired" and events_of(hb)[-1] == ("expire", None, "")
    assert named("HB-1") in blocker_texts(product)[0]
    assert services.expire_due(later) == []  # once


def test_evidence_pdf_is_stored_privately(people, shop, submit, tmp_path):
    record = submit(shop, "HB-1", number="4410", document_upload=pdf_bytes())
    assert record.document_mime == "application/pdf" and record.document_size == len(pdf_bytes())
    assert record.document_path.startswith("evidence/") and "." not in record.document_path.rsplit("/", 1)[1]
    stored = services.document_file(record, tmp_path)
    assert stored.read_bytes() == pdf_bytes()


def test_evidence_photo_loses_its_gps(people, shop, submit, tmp_path):
    upload = gps_photo_bytes()
    with Image.open(io.BytesIO(upload)) as original:
        assert original.getexif().get_ifd(0x8825)[2] == HOME_LATITUDE  # the test photo really has GPS
    record = submit(shop, "HB-1", number="4411", document_upload=upload)
    assert record.document_mime == "image/webp" and record.document_size == len(upload)
    stored = services.document_file(record, tmp_path).read_bytes()
    assert b"Exif" not in stored and b"Cheap Phone Co" not in stored and b"XMP" not in stored
    with Image.open(services.document_file(record, tmp_path)) as image:
        assert image.format == "WEBP" and image.size == (900, 600)
        assert not image.getexif() and "exif" not in image.info


def test_a_text_file_named_pdf_is_refused_and_nothing_stored(people, shop, submit, tmp_path):
    with pytest.raises(services.RegistrationError) as refused:
        submit(shop, "HB-1", number="1", document_upload=b"this is not a pdf, just text\n")
    assert refused.value.field == "document"
    assert "PDF" in str(refused.value.message)
    assert not (tmp_path / "evidence").exists()
    assert records_count() == 0
    with pytest.raises(services.RegistrationError):
        submit(shop, "HB-1", number="1", document_upload=b"%PDF-1.4\ncut off in the middle")
    assert not (tmp_path / "evidence").exists()


@pytest.mark.parametrize(
    ("evidence", "field"),
    [
        ({"number": "12#4"}, "number"),
        ({"number": "شماره"}, "number"),
        ({"number": "1", "issued_on": TODAY + timedelta(days=2)}, "issued_on"),
        ({"number": "1", "issued_on": TODAY, "expires_on": TODAY - timedelta(days=1)}, "expires_on"),
        ({"number": "1", "expires_on": TODAY - timedelta(days=1)}, "expires_on"),
        ({}, "number"),
    ],
)
def test_evidence_fields_are_checked(shop, submit, evidence, field):
    with pytest.raises(services.RegistrationError) as refused:
        submit(shop, "HB-1", **evidence)
    assert refused.value.field == field
    assert records_count() == 0


def test_required_evidence_per_item(people, shop, submit):
    staff = people[1]
    product = ProductFactory(shop=shop, kind="food")
    verified(submit, staff, shop, "HB-1")
    verified(submit, staff, shop, "FD-1", product)
    with pytest.raises(services.RegistrationError) as label:
        submit(shop, "LB-1", product, number="1")  # the label item takes only a photo
    assert label.value.field == "document"
    with pytest.raises(services.RegistrationError) as card:
        submit(shop, "HC-1", number="5566")  # the health card needs its end date
    assert card.value.field == "expires_on"
    assert submit(shop, "HC-1", number="۵۵۶۶", expires_on=TODAY + timedelta(days=400)).number == "5566"


def test_items_belong_to_her_shop_and_products(people, shop, submit):
    other_shop = ShopFactory(name="مربای التیمور")
    theirs = ProductFactory(shop=other_shop, kind="food")
    with pytest.raises(services.RegistrationError):
        submit(shop, "FD-1", theirs, number="1")
    with pytest.raises(services.RegistrationError):
        submit(shop, "XX-1", number="1")
    with pytest.raises(services.RegistrationError):
        submit(shop, "FD-1", None, number="1")  # product-level item without a product


def test_badges(people, shop, submit):
    staff = people[1]
    pickle = ProductFactory(shop=shop, kind="food")
    assert services.badges(pickle) == []
    verified(submit, staff, shop, "HB-1")
    submit(shop, "FD-1", pickle, number="31")
    assert [b["code"] for b in services.badges(pickle)] == ["HB-1"]  # submitted is not verified
    services.verify(db.session.scalar(select(RegistrationRecord).where(RegistrationRecord.item_code == "FD-1")), staff)
    verified(submit, staff, shop, "FD-2", pickle)
    shown = services.badges(pickle)
    assert [(b["code"], str(b["label"])) for b in shown] == [
        ("HB-1", "دارای مجوز مشاغل خانگی"),
        ("FD-1", "دارای مجوز بهداشت"),  # FD-2 has the same badge: shown once
    ]
    kilim = ProductFactory(shop=shop, kind="handicraft", title="گلیم")
    verified(submit, staff, shop, "CR-3", kilim, document_upload=pdf_bytes())
    assert [str(b["label"]) for b in services.badges(kilim)] == ["دارای مجوز مشاغل خانگی", "مهر اصالت"]
    services.waive(shop, None, "TM-1", staff, "بعداً")
    assert "TM-1" not in [b["code"] for b in services.badges(kilim)]  # a waiver earns no badge


def test_food_label_flags_missing_fields(people, shop, submit):
    staff = people[1]
    shop.neighbourhood = ""
    product = ProductFactory(shop=shop, kind="food", weight_g=None, materials="")
    label = services.food_label(product, shop)
    assert {line.key for line in label.missing} == {"weight", "ingredients", "address", "licence"}
    assert label["brand"].value == shop.name and label["type"].value == "ترشی و شور"
    assert label["origin"].value == "ساخت ایران"
    assert label["batch"].by_hand and not label["batch"].missing and label["produced"].by_hand

    shop.neighbourhood = "توس"
    product.weight_g, product.materials = 500, "بادمجان، سرکه، سیر، نعناع خشک"
    verified(submit, staff, shop, "HB-1")
    verified(submit, staff, shop, "FD-1", product, number="FD/1403/221")
    label = services.food_label(product)
    assert label.missing == []
    assert label["weight"].value == "۵۰۰ گرم" and label["address"].value == "توس، مشهد"
    assert label["licence"].value == "FD/1403/221" and label["phone"].value.startswith("۰۹")
    assert services.label_applies(product) and not services.label_applies(
        ProductFactory(shop=shop, kind="textile", title="شال")
    )


def test_dashboard_summary(people, shop, submit):
    staff = people[1]
    product = ProductFactory(shop=shop, kind="food")
    summary = services.dashboard_summary(shop)
    assert summary.next_row.item.code == "HB-1" and summary.blocked_products == 1
    verified(submit, staff, shop, "HB-1", expires_on=services.today() + timedelta(days=12), number="3")
    summary = services.dashboard_summary(shop)
    assert summary.next_row.item.code == "FD-1" and summary.next_row.product.id == product.id
    assert [record.item_code for record in summary.expiring] == ["HB-1"] and summary.expired == []


def test_events_table_keeps_every_decision(people, shop, submit):
    staff = people[1]
    record = submit(shop, "TX-1", number="555")
    services.verify(record, staff)
    actions = db.session.scalars(select(RegistrationEvent.action).order_by(RegistrationEvent.id)).all()
    assert actions == ["submit", "verify"]
