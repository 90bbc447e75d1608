"""The registration pages through real requests: the producer's checklists and evidence forms, the
printable label, private documents and the staff queue; who may see what on every route."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from marketplace.core.dates import jalali_input_value, utcnow
from marketplace.core.images import upload_dir
from marketplace.extensions import db
from marketplace.registration import services
from marketplace.registration.models import RegistrationEvent, RegistrationRecord
from marketplace.shops.models import Shop
from tests.conftest import post_form
from tests.factories import ProductFactory, ShopFactory, gps_photo_bytes, pdf_bytes


@pytest.fixture
def world(app, make_user):
    """Two producers with a shop each (food and handicraft products), a buyer and a staff member."""
    owner = make_user(roles={"producer"}, name="فاطمه حسینی")
    rival = make_user(roles={"producer"}, name="زهرا محمدی")
    buyer = make_user(name="علی رحیمی")
    staff = make_user(roles={"staff"}, name="کارشناس مرکز")
    with app.app_context():
        shop = ShopFactory(owner=owner, name="ترشی خانگی توس", craft="ترشی خانگی", neighbourhood="توس")
        pickle = ProductFactory(shop=shop, kind="food", title="ترشی لیته", weight_g=None, materials="")
        scarf = ProductFactory(shop=shop, kind="handicraft", title="رومیزی گلدوزی")
        rival_shop = ShopFactory(owner=rival, name="مربای التیمور", neighbourhood="التیمور")
        jam = ProductFactory(shop=rival_shop, kind="food", title="مربای به")
        db.session.commit()
        ids = {"shop": shop.id, "pickle": pickle.id, "scarf": scarf.id, "rival_shop": rival_shop.id, "jam": jam.id}
    return {"owner": owner, "rival": rival, "buyer": buyer, "staff": staff, **ids}


def browser(app, login, user):
    """A new client logged in as `user` (None: anonymous)."""
    the_client = app.test_client()
    if user is not None:
        login(user, the_client=the_client)
    return the_client


def submit(the_client, path, data, files=None):
    payload = dict(data)
    for name, (content, filename) in (files or {}).items():
        payload[name] = (io.BytesIO(content), filename)
    return post_form(the_client, path, payload, token_from=path, content_type="multipart/form-data")


def record_of(app, code, product_id=None):
    with app.app_context():
        query = select(RegistrationRecord).where(RegistrationRecord.item_code == code)
        query = query.where(
            RegistrationRecord.product_id == product_id if product_id else RegistrationRecord.product_id.is_(None)
        )
        record = db.session.scalar(query)
        if record is not None:
            db.session.expunge(record)
        return record


def evidence_files(app):
    folder = upload_dir(app) / "evidence"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_producer_checklist_pages(app, login, world):
    owner = browser(app, login, world["owner"])
    page = owner.get("/dashboard/registration")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "مجوز مشاغل خانگی" in html and "smkh.mcls.gov.ir" in html and "برای اطمینان از اداره یا مرکز بپرسید" in html
    assert 'id="item-HB-1"' in html and "ترشی لیته" in html
    assert "<script" not in html.split("</head>")[1] and " style=" not in html  # CSP: no inline script or style

    product = owner.get(f"/dashboard/registration/product/{world['pickle']}")
    html = product.get_data(as_text=True)
    assert product.status_code == 200
    assert "FD-1" in html and "LB-1" in html and f"/dashboard/registration/product/{world['pickle']}/label" in html
    assert html.index('id="item-HB-1"') < html.index('id="item-FD-1"') < html.index('id="item-LB-1"')
    handicraft = owner.get(f"/dashboard/registration/product/{world['scarf']}").get_data(as_text=True)
    assert 'id="item-FD-1"' not in handicraft and 'id="item-CR-3"' in handicraft

    item = owner.get(f"/dashboard/registration/product/{world['pickle']}/item/FD-1")
    # do HB-1 first, named by its title (codes are for staff): no form yet
    assert item.status_code == 200 and "انجام دهید" in item.get_data(as_text=True)
    assert "مجوز مشاغل خانگی" in item.get_data(as_text=True) and ">HB-1<" not in item.get_data(as_text=True)
    assert 'name="number"' not in item.get_data(as_text=True)
    assert owner.get("/dashboard/registration/item/HB-1").status_code == 200
    assert owner.get("/dashboard/registration/item/XX-9").status_code == 404
    assert owner.get("/dashboard/registration/item/FD-1").status_code == 404  # product-level, not the shop's
    assert owner.get(f"/dashboard/registration/product/{world['scarf']}/item/FD-1").status_code == 404


def test_kinds_can_be_picked_before_any_product(app, login, make_user):
    newcomer = make_user(roles={"producer"})
    with app.app_context():
        ShopFactory(owner=newcomer, name="صابون گیاهی توس")
        db.session.commit()
    the_client = browser(app, login, newcomer)
    everything = the_client.get("/dashboard/registration").get_data(as_text=True)
    assert 'id="item-HC-1"' in everything and 'id="item-CR-2"' in everything
    soap_only = the_client.get("/dashboard/registration?kind=cosmetics").get_data(as_text=True)
    assert 'id="item-HC-1"' in soap_only and 'id="item-CR-2"' not in soap_only


def test_no_shop_yet_goes_to_the_wizard(app, login, make_user):
    the_client = browser(app, login, make_user(roles={"producer"}))
    assert the_client.get("/dashboard/registration").headers["Location"].endswith("/dashboard/shop/setup/name")
    assert the_client.get("/dashboard/registration/item/HB-1").status_code == 404


def test_submit_evidence_and_staff_verifies(app, login, world):
    owner = browser(app, login, world["owner"])
    before = evidence_files(app)
    response = submit(
        owner,
        "/dashboard/registration/item/HB-1",
        {"number": "۱۴۰۳-۵۵۱", "issued_on": "۱۴۰۳/۰۵/۲۰", "expires_on": ""},
        {"document": (pdf_bytes(), "licence.pdf")},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard/registration")
    record = record_of(app, "HB-1")
    assert record.status == "submitted" and record.number == "1403-551" and record.document_mime == "application/pdf"
    assert jalali_input_value(record.issued_on) == "1403/05/20"
    assert len(evidence_files(app)) == len(before) + 1
    assert app.test_client().get(f"/media/{record.document_path}").status_code == 404  # never public

    staff = browser(app, login, world["staff"])
    queue = staff.get("/staff/registration").get_data(as_text=True)
    assert "1403-551" in queue and f"/dashboard/registration/document/{record.id}" in queue
    response = post_form(staff, f"/staff/registration/record/{record.id}", {"action": "verify"}, "/staff/registration")
    assert response.status_code == 302
    assert record_of(app, "HB-1").status == "verified"
    with app.app_context():
        events = db.session.scalars(select(RegistrationEvent).order_by(RegistrationEvent.id)).all()
        assert [(e.action, e.actor_id) for e in events] == [
            ("submit", world["owner"].id),
            ("verify", world["staff"].id),
        ]

    # HB-1 verified: now FD-1 has its form, and the dashboard names it as the next step
    item = owner.get(f"/dashboard/registration/product/{world['pickle']}/item/FD-1").get_data(as_text=True)
    assert 'name="number"' in item
    dashboard = owner.get("/dashboard").get_data(as_text=True)
    assert f"/dashboard/registration/product/{world['pickle']}/item/FD-1" in dashboard
    assert "/dashboard/registration" in dashboard


def test_form_keeps_what_she_typed_and_shows_errors_beside_fields(app, login, world):
    owner = browser(app, login, world["owner"])
    bad_date = submit(owner, "/dashboard/registration/item/HB-1", {"number": "12/34", "issued_on": "1403/13/40"})
    html = bad_date.get_data(as_text=True)
    assert bad_date.status_code == 422 and 'value="1403/13/40"' in html and 'value="12/34"' in html
    assert 'id="issued_on-error"' in html and "error-summary" in html
    bad_number = submit(owner, "/dashboard/registration/item/HB-1", {"number": "12#34"})
    assert bad_number.status_code == 422 and 'id="number-error"' in bad_number.get_data(as_text=True)
    ended = (utcnow() - timedelta(days=3)).date()
    past = submit(owner, "/dashboard/registration/item/HB-1", {"number": "1", "expires_on": jalali_input_value(ended)})
    assert past.status_code == 422 and 'id="expires_on-error"' in past.get_data(as_text=True)
    assert record_of(app, "HB-1") is None


def test_text_file_named_pdf_is_refused(app, login, world):
    owner = browser(app, login, world["owner"])
    before = evidence_files(app)
    response = submit(
        owner,
        "/dashboard/registration/item/HB-1",
        {"number": "4455"},
        {"document": (b"just some text\n", "licence.pdf")},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="document-error"' in html
    assert "نه عکس است و نه PDF" in html or "neither a photo nor a PDF" in html  # Persian once the lead merges it
    assert 'value="4455"' in html
    assert evidence_files(app) == before and record_of(app, "HB-1") is None


def test_photo_evidence_is_cleaned(app, login, world):
    owner = browser(app, login, world["owner"])
    response = submit(
        owner, "/dashboard/registration/item/HB-1", {"number": "99"}, {"document": (gps_photo_bytes(), "IMG_2231.JPG")}
    )
    assert response.status_code == 302
    record = record_of(app, "HB-1")
    served = owner.get(f"/dashboard/registration/document/{record.id}")
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert b"Exif" not in served.data and b"Cheap Phone Co" not in served.data
    with Image.open(io.BytesIO(served.data)) as image:
        assert not image.getexif()


def test_documents_only_for_owner_and_staff(app, login, world):
    with app.app_context():
        shop = db.session.get(Shop, world["shop"])
        record = services.submit_evidence(
            shop,
            "HB-1",
            number="71",
            document_upload=pdf_bytes(),
            uploads_dir=upload_dir(app),
            limits={"max_bytes": 10_000_000, "max_pixels": 40_000_000},
        )
        db.session.commit()
        record_id = record.id
    path = f"/dashboard/registration/document/{record_id}"
    own = browser(app, login, world["owner"]).get(path)
    assert own.status_code == 200 and own.data == pdf_bytes() and own.mimetype == "application/pdf"
    assert own.headers["Cache-Control"] == "private, no-store"
    assert own.headers["Content-Disposition"].startswith("attachment")  # a PDF never opens inside the site
    assert own.headers["X-Content-Type-Options"] == "nosniff"
    assert browser(app, login, world["staff"]).get(path).status_code == 200
    assert browser(app, login, world["rival"]).get(path).status_code == 404
    assert browser(app, login, world["buyer"]).get(path).status_code == 404
    anonymous = browser(app, login, None).get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert browser(app, login, world["owner"]).get("/dashboard/registration/document/999999").status_code == 404


def test_every_producer_route_is_hers_alone(app, login, world):
    pickle, jam = world["pickle"], world["jam"]
    mine = [
        "/dashboard/registration",
        "/dashboard/registration/item/HB-1",
        f"/dashboard/registration/product/{pickle}",
        f"/dashboard/registration/product/{pickle}/item/FD-1",
        f"/dashboard/registration/product/{pickle}/label",
    ]
    theirs = [
        f"/dashboard/registration/product/{jam}",
        f"/dashboard/registration/product/{jam}/item/FD-1",
        f"/dashboard/registration/product/{jam}/label",
    ]
    owner = browser(app, login, world["owner"])
    for path in mine:
        assert owner.get(path).status_code == 200, path
    for path in theirs:
        assert owner.get(path).status_code == 404, path  # another producer's product
    rival = browser(app, login, world["rival"])
    for path in mine[2:]:
        assert rival.get(path).status_code == 404, path
    rival_page = rival.get("/dashboard/registration").get_data(as_text=True)
    assert "ترشی لیته" not in rival_page and "مربای به" in rival_page
    buyer, anonymous = browser(app, login, world["buyer"]), browser(app, login, None)
    for path in mine + theirs:
        assert buyer.get(path).status_code == 403, path
        assert anonymous.get(path).status_code == 302, path
    # a POST to another's product: 404 and nothing written
    response = submit(rival, f"/dashboard/registration/product/{pickle}/item/FD-1", {"number": "1"})
    assert response.status_code == 404 and record_of(app, "FD-1", pickle) is None


def test_every_staff_route_is_for_staff(app, login, world):
    with app.app_context():
        shop = db.session.get(Shop, world["shop"])
        record_id = services.submit_evidence(
            shop, "TX-1", number="8", uploads_dir=upload_dir(app), limits={"max_bytes": 1, "max_pixels": 1}
        ).id
        db.session.commit()
    gets = [
        "/staff/registration",
        f"/staff/registration/shop/{world['shop']}",
        f"/staff/registration/record/{record_id}",
    ]
    posts = [
        (f"/staff/registration/record/{record_id}", {"action": "verify"}),
        (f"/staff/registration/shop/{world['shop']}/waive", {"item": "HB-1", "reason": "نمونه"}),
    ]
    for user in ("owner", "rival", "buyer", None):
        the_client = browser(app, login, world[user] if user else None)
        for path in gets:
            assert the_client.get(path).status_code == (302 if user is None else 403), (user, path)
        for path, data in posts:
            if user is None:
                assert the_client.post(path, data=data).status_code in (302, 400), path
            else:
                token_page = "/account"
                assert post_form(the_client, path, data, token_page).status_code == 403, (user, path)
    assert record_of(app, "TX-1").status == "submitted" and record_of(app, "HB-1") is None
    staff = browser(app, login, world["staff"])
    for path in gets:
        assert staff.get(path).status_code == 200, path


def test_staff_reject_needs_a_reason(app, login, world):
    with app.app_context():
        shop = db.session.get(Shop, world["shop"])
        record_id = services.submit_evidence(
            shop, "TX-1", number="8", uploads_dir=upload_dir(app), limits={"max_bytes": 1, "max_pixels": 1}
        ).id
        db.session.commit()
    staff = browser(app, login, world["staff"])
    path = f"/staff/registration/record/{record_id}"
    empty = post_form(staff, path, {"action": "reject", "reason": "  "}, "/staff/registration")
    assert empty.status_code == 422 and f'id="reason-{record_id}-error"' in empty.get_data(as_text=True)
    assert record_of(app, "TX-1").status == "submitted"
    done = post_form(staff, path, {"action": "reject", "reason": "شمارهٔ پرونده کامل نیست"}, "/staff/registration")
    assert done.status_code == 302
    record = record_of(app, "TX-1")
    assert record.status == "rejected" and record.reason == "شمارهٔ پرونده کامل نیست"
    owner_page = browser(app, login, world["owner"]).get("/dashboard/registration").get_data(as_text=True)
    assert "شمارهٔ پرونده کامل نیست" in owner_page
    history = staff.get(path).get_data(as_text=True)
    assert "شمارهٔ پرونده کامل نیست" in history and "فاطمه حسینی" in history


def test_staff_waiver_unblocks_a_product(app, login, world):
    staff = browser(app, login, world["staff"])
    shop_page = f"/staff/registration/shop/{world['shop']}"
    page = staff.get(shop_page).get_data(as_text=True)
    assert "ترشی لیته" in page and "FD-1" in page
    waive = f"/staff/registration/shop/{world['shop']}/waive"
    missing = post_form(staff, waive, {"item": "HB-1", "product_id": "", "reason": ""}, shop_page)
    assert missing.status_code == 422 and record_of(app, "HB-1") is None
    wrong_shop = post_form(staff, waive, {"item": "FD-1", "product_id": str(world["jam"]), "reason": "x"}, shop_page)
    assert wrong_shop.status_code == 404
    for item, product_id in (("HB-1", ""), ("FD-1", str(world["pickle"])), ("LB-1", str(world["pickle"]))):
        response = post_form(
            staff, waive, {"item": item, "product_id": product_id, "reason": "نمونهٔ نمایشی"}, shop_page
        )
        assert response.status_code == 302, item
    with app.app_context():
        from marketplace.catalog.models import Product

        assert services.publish_blockers(db.session.get(Product, world["pickle"])) == []
    assert record_of(app, "FD-1", world["pickle"]).status == "waived"


def test_label_flags_missing_fields(app, login, world):
    owner = browser(app, login, world["owner"])
    page = owner.get(f"/dashboard/registration/product/{world['pickle']}/label")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "ساخت ایران" in html and "ترشی خانگی توس" in html and "وزن خالص" in html
    assert html.count("food-label-line is-missing") == 3  # weight, ingredients, licence number
    assert "food-label-line by-hand" in html
    assert owner.get(f"/dashboard/registration/product/{world['scarf']}/label").status_code == 404


def test_dashboard_warns_before_and_after_the_end(app, login, world):
    with app.app_context():
        shop = db.session.get(Shop, world["shop"])
        staff = db.session.merge(world["staff"])
        limits = {"max_bytes": 1, "max_pixels": 1}
        soon = services.submit_evidence(
            shop, "HB-1", number="1", expires_on=services.today() + timedelta(days=10),
            uploads_dir=upload_dir(app), limits=limits,
        )  # fmt: skip
        services.verify(soon, staff)
        db.session.commit()
        soon_id = soon.id
    owner = browser(app, login, world["owner"])
    html = owner.get("/dashboard").get_data(as_text=True)
    assert "flash-warning" in html and "مجوز مشاغل خانگی" in html
    with app.app_context():
        record = db.session.get(RegistrationRecord, soon_id)
        record.expires_on = services.today() - timedelta(days=1)
        db.session.commit()
    html = owner.get("/dashboard").get_data(as_text=True)
    assert "flash-error" in html and "/dashboard/registration/item/HB-1" in html


def test_staff_console_links_to_the_queue(app, login, world):
    page = browser(app, login, world["staff"]).get("/staff/shops").get_data(as_text=True)
    assert 'href="/staff/registration"' in page


def test_expire_command(app, world):
    with app.app_context():
        shop = db.session.get(Shop, world["shop"])
        record = RegistrationRecord(
            shop=shop, item_code="HB-1", status="verified", expires_on=services.today() - timedelta(days=2)
        )
        db.session.add(record)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["registration", "expire"])
    assert result.exit_code == 0 and "1 registration item(s) expired" in result.output
    assert record_of(app, "HB-1").status == "expired"


def test_english_pages_show_the_english_data(app, login, world):
    owner = browser(app, login, world["owner"])
    owner.set_cookie("locale", "en")
    html = owner.get(f"/dashboard/registration/product/{world['pickle']}").get_data(as_text=True)
    assert "Home-business licence" in html and "Register on the home-business system" in html
    assert "مجوز مشاغل خانگی" not in html
    label = owner.get(f"/dashboard/registration/product/{world['pickle']}/label").get_data(as_text=True)
    assert "Net weight" in label and "وزن خالص" in label  # the printed label itself stays Persian
