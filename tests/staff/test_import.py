"""Bulk import by staff: `flask staff import` and /staff/import. Every row is checked first and
nothing is written when one is wrong; a second import updates instead of duplicating."""

import io
import zipfile
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.core.images import upload_dir, upload_limits
from marketplace.extensions import db
from marketplace.registration.models import RegistrationRecord
from marketplace.shops.models import Shop
from marketplace.staff import importer
from tests.conftest import post_form
from tests.factories import ShopFactory, photo_bytes

HEADER = (
    "shop_slug,shop_name,owner_phone,owner_name,neighbourhood,title,description,category,price_toman,stock,"
    "made_to_order_days,tags,images"
)
# Persian and Arabic-Indic digits, Arabic ي and ك, a category by slug and by Persian name.
GOOD_ROWS = [
    ",ترشي خانگي زهرا,۰۹۱۵ ۱۲۳ ۴۵۶۷,زهرا كريمي,گلشهر,ترشي ليته,لیتهٔ بادمجان با سرکهٔ انگور.,ترشی و شور,"
    "۱۲۰٬۰۰۰,۱۰,,ترشی|خانگی|لیته,litteh-1.jpg|litteh-2.png",
    ",ترشي خانگي زهرا,,,,مربای به,مربای به با هل.,jams,٢٥٠٠٠٠,٥,,مربا|به,quince.jpg",
    "golduzi-nasrin,گلدوزی نسرین,+98 915 765 4321,نسرین حسینی,توس,روسری گلدوزی,روسری نخی.,scarves,950000,0,۷,"
    "روسری|گلدوزی,litteh-1.jpg",
]


PHOTOS = {
    "litteh-1.jpg": photo_bytes((900, 700), (110, 120, 50)),
    "litteh-2.png": photo_bytes((900, 700), (90, 60, 40), fmt="PNG"),
    "quince.jpg": photo_bytes((900, 700), (180, 50, 40)),
}


def csv_bytes(rows, bom=False) -> bytes:
    text = "\n".join([HEADER, *rows]) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


@pytest.fixture
def files(tmp_path):
    """Write a CSV (and the photos folder) to a temp dir; returns (csv path, images dir)."""
    images = tmp_path / "images"
    images.mkdir()
    for name, data in PHOTOS.items():
        (images / name).write_bytes(data)

    def build(rows=GOOD_ROWS, bom=False, name="products.csv"):
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows, bom))
        return str(path), str(images)

    return build


def run(app, *args):
    return app.test_cli_runner().invoke(args=["staff", "import", *args])


def line(app, index: int, count: int) -> str:
    """A summary line as the CLI prints it (in the default, Persian locale)."""
    with app.app_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return f"{importer.ImportSummary().lines()[index][0]}: {count}"


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (User, Shop, Product))


def test_import_creates_producers_shops_and_products(app, files, staff):
    path, images = files()
    before = counts(app)
    result = run(app, path, "--images", images)
    assert result.exit_code == 0, result.output
    assert counts(app) == (before[0] + 2, before[1] + 2, before[2] + 3)
    with app.app_context():
        litteh = db.session.scalar(select(Product).where(Product.title == "ترشی لیته"))  # ي → ی
        assert litteh.price_rial == 1_200_000 and litteh.stock == 10 and litteh.status == "draft"
        assert litteh.tags == ["ترشی", "خانگی", "لیته"] and litteh.category.slug == "pickles"
        assert len(litteh.images) == 2
        for image in litteh.images:
            assert image.stored["variants"] and all(p.endswith(".webp") for p in image.stored["variants"].values())
            assert (upload_dir(app) / image.stored["variants"]["640"]).is_file()
        shop = litteh.shop
        assert shop.name == "ترشی خانگی زهرا" and shop.status == "approved" and shop.neighbourhood == "گلشهر"
        assert shop.owner.phone == "+989151234567" and shop.owner.display_name == "زهرا کریمی"
        assert "producer" in shop.owner.roles
        assert {d.action for d in shop.decisions} == {"submit", "approve"}
        assert all(d.actor_id == staff.id for d in shop.decisions)
        quince = db.session.scalar(select(Product).where(Product.title == "مربای به"))
        assert quince.shop_id == shop.id and quince.price_rial == 2_500_000 and quince.stock == 5
        scarf = db.session.scalar(select(Product).where(Product.title == "روسری گلدوزی"))
        assert scarf.shop.slug == "golduzi-nasrin" and scarf.made_to_order and scarf.lead_time_days == 7
        # The same photo in two products is stored once.
        assert scarf.images[0].stored["key"] == litteh.images[0].stored["key"]


def test_second_import_updates_instead_of_duplicating(app, files, staff):
    path, images = files()
    assert run(app, path, "--images", images).exit_code == 0
    before = counts(app)
    rows = [GOOD_ROWS[0].replace("۱۲۰٬۰۰۰", "۱۳۰٬۰۰۰"), *GOOD_ROWS[1:]]
    changed, _images = files(rows, name="again.csv")
    result = run(app, changed, "--images", images)
    assert result.exit_code == 0, result.output
    assert counts(app) == before
    with app.app_context():
        litteh = db.session.scalar(select(Product).where(Product.title == "ترشی لیته"))
        assert litteh.price_rial == 1_300_000 and len(litteh.images) == 2
    assert line(app, 3, 3) in result.output and line(app, 2, 0) in result.output


def test_bad_rows_are_reported_and_nothing_is_written(app, files, staff):
    rows = [
        GOOD_ROWS[0],
        ",کارگاه تازه,۰۹۱۵۱۲۳,مینا,گلشهر,چیزی,توضیح,ترشی و شور,-5,1,,,",
        ",کارگاه دیگر,09157770000,مینا,گلشهر,چیز دوم,توضیح,jams,abc,1,,,",
        ",کارگاه سوم,09157770001,مینا,گلشهر,چیز سوم,توضیح,نامعلوم,120000,1,,,",
        ",کارگاه چهارم,09157770002,مینا,گلشهر,چیز چهارم,توضیح,jams,120000,1,,,missing.jpg",
        ",کارگاه تازه,,,,چیز پنجم,توضیح,jams,120000,1,,,",  # its shop's bad phone is reported once, on row 3
    ]
    path, images = files(rows)
    before = counts(app)
    result = run(app, path, "--images", images)
    assert result.exit_code == 1
    assert counts(app) == before
    for column in ("owner_phone", "price_toman", "category", "images"):
        assert column in result.output
    with app.test_request_context():
        limits = upload_limits(app.config)
        with pytest.raises(importer.ImportFailed) as failed:
            importer.plan_import(importer.read_csv(csv_bytes(rows)), importer.FolderImages(images), limits)
    assert [(e.row, e.column) for e in failed.value.errors] == [
        (3, "owner_phone"), (3, "price_toman"), (4, "price_toman"), (5, "category"), (6, "images"),
    ]  # fmt: skip


def test_more_row_problems(app, files, staff, make_user, make):
    make_user(phone="+989157770003", roles={"producer"})
    owner = make_user(phone="+989157770004", roles={"producer"})
    make(ShopFactory, owner=owner, name="کارگاه موجود", craft="گلدوزی")
    Path(files()[1], "broken.jpg").write_bytes(b"not a photo")
    rows = [
        ",کارگاه نو,09157770003,,گلشهر,چیز,,jams,120000,1,,,",  # existing producer: no name needed
        ",کارگاه نو,09157770003,,,چیز,,jams,120000,1,,,",  # listed twice
        "کارگاه-موجود,,09157770003,,,چیز دیگر,,jams,120000,1,,,",  # her shop belongs to another producer
        ",کارگاه سه,09157770005,,گلشهر,کالا,,jams,120000,100001,61,,broken.jpg|../x.jpg",
    ]
    path, images = files(rows)
    with app.test_request_context(), pytest.raises(importer.ImportFailed) as failed:
        importer.plan_import(
            importer.read_csv(Path(path).read_bytes()), importer.FolderImages(images), upload_limits(app.config)
        )
    found = [(e.row, e.column) for e in failed.value.errors]
    assert found == [
        (3, "title"), (4, "owner_phone"), (5, "owner_name"), (5, "stock"),
        (5, "made_to_order_days"), (5, "images"), (5, "images"),
    ]  # fmt: skip


def test_rows_are_checked_by_the_catalogue_rules_all_at_once(app, files, staff):
    """One row breaking several catalogue rules gets every one of them, in the catalogue's words."""
    rows = [",کارگاه نو,09157770003,مینا,گلشهر," + "ک" * 121 + ",,jams,500,100001,61," + "|".join("abcdefghijk") + ","]
    path, images = files(rows)
    with app.test_request_context(), pytest.raises(importer.ImportFailed) as failed:
        importer.plan_import(
            importer.read_csv(Path(path).read_bytes()), importer.FolderImages(images), upload_limits(app.config)
        )
    errors = failed.value.errors
    assert [(e.row, e.column) for e in errors] == [
        (2, "title"), (2, "price_toman"), (2, "stock"), (2, "made_to_order_days"), (2, "tags"),
    ]  # fmt: skip
    with app.test_request_context(), pytest.raises(catalog.CatalogError) as own:
        catalog.parse_price("500")
    with app.test_request_context():
        assert str(errors[1].message) == str(own.value.message)  # the catalogue's message, not a copy


def test_header_problems_are_clear(app, files, staff):
    with app.test_request_context():
        with pytest.raises(importer.ImportFailed) as failed:
            importer.read_csv(b"title,price,colour\nx,1,red\n")
        problems = {(e.row, e.column) for e in failed.value.errors}
        assert (1, "price") in problems and (1, "colour") in problems and (1, "images") in problems
        with pytest.raises(importer.ImportFailed):
            importer.read_csv("شناسه".encode("utf-16"))
        with pytest.raises(importer.ImportFailed):
            importer.read_csv(b"")
        with pytest.raises(importer.ImportFailed):
            importer.read_csv(csv_bytes([]))
    path, _images = files()
    Path(path).write_text("title,price\nx,1\n", encoding="utf-8")
    result = run(app, path)
    assert result.exit_code == 1 and "price" in result.output and "shop_slug" in result.output


@pytest.mark.parametrize("bom", [True, False])
def test_bom_and_no_bom(app, files, staff, bom):
    raw = csv_bytes(GOOD_ROWS, bom=bom)
    rows = importer.read_csv(raw)
    assert [number for number, _values in rows] == [2, 3, 4]
    assert rows[0][1]["shop_slug"] == "" and rows[0][1]["title"] == "ترشي ليته"
    path, images = files(bom=bom)
    assert run(app, path, "--images", images).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Product).where(Product.title == "مربای به")) == 1


def test_dry_run_writes_nothing(app, files, staff):
    path, images = files()
    before = counts(app)
    result = run(app, path, "--images", images, "--dry-run", "--publish")
    assert result.exit_code == 0, result.output
    assert counts(app) == before
    assert line(app, 0, 2) in result.output and line(app, 2, 3) in result.output
    assert line(app, 4, 3) in result.output  # would publish


def test_publish_publishes_and_waives_missing_items(app, files, staff):
    path, images = files()
    result = run(app, path, "--images", images, "--publish", "--staff", "۰۹۱۵ ۳۰۰ ۹۹۹۹")
    assert result.exit_code == 0, result.output
    with app.app_context():
        products = db.session.scalars(
            select(Product).where(Product.title.in_(("ترشی لیته", "مربای به", "روسری گلدوزی")))
        ).all()
        assert {p.status for p in products} == {"published"}
        assert all(p.published_at for p in products)
        litteh = next(p for p in products if p.title == "ترشی لیته")
        records = db.session.scalars(select(RegistrationRecord).where(RegistrationRecord.shop_id == litteh.shop_id))
        waived = {(r.product_id is not None, r.item_code, r.status, r.reason) for r in records}
        assert (False, "HB-1", "waived", importer.IMPORT_REASON) in waived  # the shop's licence, once
        assert (True, "LB-1", "waived", importer.IMPORT_REASON) in waived
        record = db.session.scalar(
            select(RegistrationRecord).where(
                RegistrationRecord.item_code == "HB-1", RegistrationRecord.shop_id == litteh.shop_id
            )
        )
        assert record.events[0].actor_id == staff.id
        assert {d.action for d in litteh.decisions} == {"submit", "publish"}
    # Publishing again changes nothing and waives nothing more.
    again = run(app, path, "--images", images, "--publish")
    assert again.exit_code == 0 and line(app, 4, 0) in again.output and line(app, 6, 0) in again.output


def test_publish_needs_photos_and_an_approved_shop(app, files, staff, make_user, make):
    owner = make_user(phone="+989157770010", roles={"producer"})
    make(ShopFactory, owner=owner, name="کارگاه پیش‌نویس", craft="گلدوزی")
    rows = [
        "کارگاه-پیش‌نویس,,,,,شال,,scarves,500000,1,,,x.jpg",
        ",کارگاه نو,09157770011,مینا,,شال,,scarves,500000,1,,,",
    ]
    path, images = files(rows)
    with app.test_request_context(), pytest.raises(importer.ImportFailed) as failed:
        importer.plan_import(
            importer.read_csv(Path(path).read_bytes()),
            importer.FolderImages(images),
            upload_limits(app.config),
            publish=True,
        )
    assert [(e.row, e.column) for e in failed.value.errors] == [(2, "shop_slug"), (2, "images"), (3, "images")]


def test_cli_needs_a_staff_account(app, files):
    path, images = files()
    result = run(app, path, "--images", images)
    assert result.exit_code != 0 and "staff" in result.output


def test_folder_images_stay_in_their_folder(tmp_path):
    inner = tmp_path / "images"
    inner.mkdir()
    (tmp_path / "secret.jpg").write_bytes(PHOTOS["quince.jpg"])
    (inner / "ok.jpg").write_bytes(PHOTOS["quince.jpg"])
    folder = importer.FolderImages(inner)
    assert folder.read("ok.jpg", 10**7) == PHOTOS["quince.jpg"]
    assert folder.read("../secret.jpg", 10**7) is None
    with pytest.raises(importer.ImageRejected):
        folder.read("ok.jpg", 100)


# ---------------------------------------------------------------- the staff page


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client, raw_csv, photos=None, **flags):
    data = {"csv_file": (io.BytesIO(raw_csv), "products.csv"), **{k: "y" for k, v in flags.items() if v}}
    if photos is not None:
        data["photos"] = (io.BytesIO(photos), "photos.zip")
    return post_form(client, "/staff/import", data, token_from="/staff/import", content_type="multipart/form-data")


def test_import_page_is_for_staff_only(client, make_user, login):
    assert client.get("/staff/import").status_code == 302
    assert "/login" in client.get("/staff/import").headers["Location"]
    assert client.get("/staff/import/sample.csv").status_code == 302
    login(make_user(roles={"producer"}))
    assert client.get("/staff/import").status_code == 403
    assert client.post("/staff/import").status_code in (400, 403)


def test_import_page_forbids_buyers(client, make_user, login):
    login(make_user())
    assert client.get("/staff/import").status_code == 403
    assert client.get("/staff/import/sample.csv").status_code == 403


def test_import_page_uploads_csv_and_zip(app, client, staff, login):
    login(staff)
    page = client.get("/staff/import")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    photos = zip_bytes({
        "photos/litteh-1.jpg": PHOTOS["litteh-1.jpg"],
        "../../litteh-2.png": PHOTOS["litteh-2.png"],  # a traversal name: only its base name is used
        "quince.jpg": PHOTOS["quince.jpg"],
        "notes.txt": b"not a photo",
        "__MACOSX/._quince.jpg": b"resource fork",
    })  # fmt: skip
    before = counts(app)
    response = upload(client, csv_bytes(GOOD_ROWS, bom=True), photos)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert counts(app) == (before[0] + 2, before[1] + 2, before[2] + 3)
    html = response.get_data(as_text=True)
    assert 'role="status"' in html
    with app.app_context():
        litteh = db.session.scalar(select(Product).where(Product.title == "ترشی لیته"))
        assert len(litteh.images) == 2 and litteh.images[1].stored["width"] == 900
    assert not (Path(app.instance_path).parent / "litteh-2.png").exists()


def test_import_page_shows_errors_and_writes_nothing(app, client, staff, login):
    login(staff)
    rows = [GOOD_ROWS[1].replace("٢٥٠٠٠٠", "-5"), GOOD_ROWS[0]]
    photos = zip_bytes({"quince.jpg": b"not really a jpeg", "litteh-1.jpg": PHOTOS["litteh-1.jpg"]})
    before = counts(app)
    response = upload(client, csv_bytes(rows), photos)
    assert response.status_code == 422
    assert counts(app) == before
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "<table" in html
    assert "price_toman" in html and "images" in html and "owner_phone" in html  # row 2 has no phone of its own
    assert "<td>۲</td>" in html and "<td>۳</td>" in html


def test_import_page_dry_run_and_bad_zip(app, client, staff, login):
    login(staff)
    before = counts(app)
    photos = zip_bytes(PHOTOS)
    response = upload(client, csv_bytes(GOOD_ROWS), photos, dry_run=True)
    assert response.status_code == 200 and counts(app) == before
    assert upload(client, csv_bytes(GOOD_ROWS), b"PK not a zip").status_code == 422
    missing = upload(client, csv_bytes(GOOD_ROWS))
    assert missing.status_code == 422 and counts(app) == before
    assert client.post("/staff/import", data={}).status_code == 400  # no CSRF token


def test_sample_file_is_valid(app, client, staff, login):
    login(staff)
    response = client.get("/staff/import/sample.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    photos = zip_bytes({"litteh-1.jpg": PHOTOS["litteh-1.jpg"], "litteh-2.jpg": PHOTOS["quince.jpg"]})
    checked = upload(client, response.data, photos, dry_run=True)
    assert checked.status_code == 200, checked.get_data(as_text=True)


# ---------------------------------------------------------------- staff and admin accounts (issue 10 item 9)

STAFF_ROW = ",کارگاه تازه,{phone},نام,گلشهر,ترشی لیته,توضیح,pickles,120000,3,,,"


def roles_and_shop(app, phone):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.phone == phone))
        return set(user.roles), db.session.scalar(
            select(func.count()).select_from(Shop).where(Shop.owner_id == user.id)
        )


@pytest.mark.parametrize("roles", [{"staff"}, {"staff", "admin"}, {"admin"}])
def test_staff_importer_cannot_touch_staff_or_admin_accounts(app, files, staff, make_user, roles):
    colleague = make_user(roles=roles, phone="+989153008888")
    before = roles_and_shop(app, colleague.phone)
    path, _images = files([STAFF_ROW.format(phone="0915 300 8888")])
    result = run(app, path, "--staff", "09153009999")
    assert result.exit_code == 1
    assert "owner_phone" in result.output and "مدیر" in result.output  # only an administrator may
    assert roles_and_shop(app, colleague.phone) == before == (roles | {"buyer"}, 0)


def test_staff_importer_cannot_add_to_a_shop_owned_by_staff(app, files, staff, make_user):
    colleague = make_user(roles={"staff", "producer"}, phone="+989153008888")
    with app.app_context():
        from marketplace.shops import services as shops

        slug = shops.create_shop(db.session.merge(colleague), "کارگاه کارشناس", "گلدوزی", "گلشهر").slug
        db.session.commit()
    before = counts(app)
    path, _images = files([f"{slug},,,,,ترشی لیته,توضیح,pickles,120000,3,,,"])
    with app.test_request_context(), pytest.raises(importer.ImportFailed) as failed:
        importer.plan_import(importer.read_csv(Path(path).read_bytes()), None, upload_limits(app.config), actor=staff)
    assert [(e.row, e.column) for e in failed.value.errors] == [(2, "owner_phone")]
    with app.test_request_context():
        assert str(failed.value.errors[0].message) == (
            "این شماره (یا صاحب این غرفه) از کارکنان مرکز است. فقط مدیر سامانه می‌تواند برای حساب کارکنان کالا وارد کند."
        )
    assert counts(app) == before


def test_admin_importer_may_import_for_a_staff_account(app, files, make_user):
    make_user(roles={"staff", "admin"}, phone="+989153007777")
    colleague = make_user(roles={"staff"}, phone="+989153008888")
    path, _images = files([STAFF_ROW.format(phone="09153008888")])
    result = run(app, path, "--staff", "09153007777")
    assert result.exit_code == 0, result.output
    assert roles_and_shop(app, colleague.phone) == ({"buyer", "staff", "producer"}, 1)


def test_import_page_refuses_a_staff_phone_for_staff(app, client, staff, make_user, login):
    make_user(roles={"admin"}, phone="+989153008888")
    login(staff)
    before = counts(app)
    response = upload(client, csv_bytes([STAFF_ROW.format(phone="09153008888")]))
    assert response.status_code == 422 and counts(app) == before
    assert "فقط مدیر سامانه" in response.get_data(as_text=True)
