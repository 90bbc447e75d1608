"""Producer product pages, public catalogue pages and staff moderation through the real pages."""

import io
import re
from urllib.parse import unquote

from PIL import Image
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from tests.conftest import post_form
from tests.factories import ShopFactory, category_id, photo_bytes


def product_form(**overrides):
    values = {
        "title": "روسری گلدوزی شده",
        "category_id": "",
        "price_toman": "۳۵۰٬۰۰۰",
        "description": "روسری نخی.",
        "stock": "۲",
        "weight_g": "120",
        "tags": "روسری، گلدوزی",
    }
    values.update(overrides)
    return values


def get_product(app, product_id):
    with app.app_context():
        product = db.session.get(Product, product_id)
        _ = product.images, product.variants, product.decisions, product.shop
        return product


def create(app, client, **overrides):
    with app.app_context():
        overrides.setdefault("category_id", str(category_id("scarves")))
    response = post_form(
        client,
        "/dashboard/products/new",
        product_form(**overrides),
        token_from="/dashboard/products/new",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/dashboard/products/(\d+)", response.headers["Location"]).group(1))


def upload(client, product_id, *photos):
    files = [(io.BytesIO(data), f"photo{n}.jpg") for n, data in enumerate(photos)]
    return post_form(
        client,
        f"/dashboard/products/{product_id}/photos",
        {"photos": files},
        token_from=f"/dashboard/products/{product_id}",
        content_type="multipart/form-data",
    )


def test_create_edit_and_photos(app, client, producer, login, make):
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    bad = post_form(
        client, "/dashboard/products/new", product_form(price_toman="-5"), token_from="/dashboard/products/new"
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'value="روسری گلدوزی شده"' in html and "دسته" in html  # kept what she typed; category missing
    product_id = create(app, client)
    product = get_product(app, product_id)
    assert product.price_rial == 3_500_000 and product.stock == 2 and product.status == "draft"

    response = upload(client, product_id, photo_bytes(colour=(200, 40, 40)), photo_bytes(colour=(40, 40, 200)))
    assert response.status_code == 302
    product = get_product(app, product_id)
    assert len(product.images) == 2
    first, second = product.images
    served = client.get(f"/media/{first.stored['variants']['640']}")
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert Image.open(io.BytesIO(served.data)).width == 640

    not_photo = post_form(
        client,
        f"/dashboard/products/{product_id}/photos",
        {"photos": [(io.BytesIO(b"<html>hi</html>"), "evil.png")]},
        token_from=f"/dashboard/products/{product_id}",
        content_type="multipart/form-data",
    )
    assert not_photo.status_code == 302
    assert "عکس نیست" in client.get(f"/dashboard/products/{product_id}").get_data(as_text=True)
    assert len(get_product(app, product_id).images) == 2  # nothing stored

    post_form(
        client,
        f"/dashboard/products/{product_id}/photos/{second.id}/cover",
        {},
        token_from=f"/dashboard/products/{product_id}",
    )
    assert get_product(app, product_id).images[0].id == second.id
    post_form(
        client,
        f"/dashboard/products/{product_id}/photos/{first.id}/delete",
        {},
        token_from=f"/dashboard/products/{product_id}",
    )
    assert [i.id for i in get_product(app, product_id).images] == [second.id]

    page = client.get(f"/dashboard/products/{product_id}").get_data(as_text=True)
    assert "کیفیت آگهی" in page
    response = post_form(
        client,
        f"/dashboard/products/{product_id}",
        product_form(
            category_id=str(product.category_id),
            price_toman="400000",
            option1_name="رنگ",
            **{
                "variants-0-value1": "آبی",
                "variants-0-stock": "۳",
                "variants-1-value1": "سبز",
                "variants-1-stock": "1",
                "variants-1-price_delta": "20000",
            },
        ),
        token_from=f"/dashboard/products/{product_id}",
    )
    assert response.status_code == 302
    product = get_product(app, product_id)
    assert [(v.value1, v.stock, v.price_delta_rial) for v in product.variants] == [("آبی", 3, 0), ("سبز", 1, 200_000)]

    response = post_form(
        client, f"/dashboard/products/{product_id}/submit", {}, token_from=f"/dashboard/products/{product_id}"
    )
    assert get_product(app, product_id).status == "in_review"
    copy = post_form(
        client, f"/dashboard/products/{product_id}/duplicate", {}, token_from=f"/dashboard/products/{product_id}"
    )
    copy_id = int(re.search(r"/dashboard/products/(\d+)", copy.headers["Location"]).group(1))
    assert get_product(app, copy_id).status == "draft"
    assert "روسری گلدوزی شده" in client.get("/dashboard/products").get_data(as_text=True)


def test_photo_metadata_never_served(app, client, producer, login, make):
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    product_id = create(app, client)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (36.0, 17.0, 0.0), 3: "E", 4: (59.0, 36.0, 0.0)}  # GPS: Mashhad
    exif[0x010F] = "PhoneMaker"
    upload(client, product_id, photo_bytes(exif=exif.tobytes()))
    product = get_product(app, product_id)
    for path in product.images[0].stored["variants"].values():
        served = client.get(f"/media/{path}").data
        assert b"Exif" not in served and b"GPS" not in served and b"PhoneMaker" not in served
        assert not Image.open(io.BytesIO(served)).getexif()


def test_second_producer_never_reaches_anothers_products(app, client, producer, login, make_user, make):
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    product_id = create(app, client)
    upload(client, product_id, photo_bytes())
    image_id = get_product(app, product_id).images[0].id

    intruder = make_user(roles={"producer"})
    make(ShopFactory, owner=intruder, name="سفال سیدی", branded=True, status="approved")
    other = app.test_client()
    login(intruder, the_client=other)
    base = f"/dashboard/products/{product_id}"
    assert other.get(base).status_code == 404
    for path in (
        base,
        f"{base}/photos",
        f"{base}/photos/{image_id}/delete",
        f"{base}/photos/{image_id}/cover",
        f"{base}/submit",
        f"{base}/archive",
        f"{base}/duplicate",
    ):
        assert post_form(other, path, {"title": "hijack"}, token_from="/dashboard/products").status_code == 404, path
    assert "روسری" not in other.get("/dashboard/products").get_data(as_text=True)
    product = get_product(app, product_id)
    assert product.title == "روسری گلدوزی شده" and len(product.images) == 1 and product.status == "draft"
    # a draft is not public; other producers and buyers get 404, the owner a preview
    assert other.get(f"/p/{product_id}").status_code == 404
    assert app.test_client().get(f"/p/{product_id}").status_code == 404
    assert client.get(f"/p/{product_id}/{product.slug}").status_code == 200
    buyer = app.test_client()
    login(make_user(), the_client=buyer)
    assert buyer.get("/dashboard/products").status_code == 403
    assert app.test_client().get("/dashboard/products").status_code == 302


def test_public_pages(app, client, producer, login, make):
    shop_slug = make(ShopFactory, owner=producer, branded=True, status="approved").slug
    login(producer)
    product_id = create(app, client, description="بند اول\n\nبند دوم <b>پررنگ</b>")
    upload(client, product_id, photo_bytes())
    with app.app_context():
        product = db.session.get(Product, product_id)
        product.status = "published"
        db.session.commit()
        slug = product.slug
    visitor = app.test_client()
    short = visitor.get(f"/p/{product_id}")  # the address without the slug moves to the canonical one
    assert short.status_code == 301 and unquote(short.headers["Location"]).endswith(f"/p/{product_id}/{slug}")
    page = visitor.get(f"/p/{product_id}/{slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "۳۵۰٬۰۰۰ تومان" in html and "&lt;b&gt;" in html
    assert '"@type": "Product"' in html and '"priceCurrency": "IRR"' in html and 'property="og:image"' in html
    assert 'srcset="' in html and 'width="' in html
    category = visitor.get("/c/scarves").get_data(as_text=True)
    assert "روسری گلدوزی شده" in category
    assert "روسری گلدوزی شده" in visitor.get("/c/clothing-textiles").get_data(as_text=True)  # the branch
    assert visitor.get("/c/no-such").status_code == 404
    assert "روسری گلدوزی شده" in visitor.get(f"/shop/{shop_slug}").get_data(as_text=True)
    assert "روسری گلدوزی شده" in visitor.get("/").get_data(as_text=True)


def test_category_sorting_and_paging(app, client, producer, login, make):
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    ids = [create(app, client, title=f"روسری شماره {n}", price_toman=str(100_000 + n * 1000)) for n in range(26)]
    with app.app_context():
        for product in db.session.scalars(select(Product).where(Product.id.in_(ids))):
            product.status = "published"
        db.session.commit()
    visitor = app.test_client()
    first = visitor.get("/c/scarves?sort=price_asc").get_data(as_text=True)
    assert first.index("روسری شماره 0<") < first.index("روسری شماره 1<")
    assert "صفحهٔ ۱ از ۲" in first
    second = visitor.get("/c/scarves?sort=price_asc&page=2").get_data(as_text=True)
    assert "روسری شماره 25" in second and "روسری شماره 0<" not in second


def test_staff_moderation(app, client, producer, login, make_user, make):
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    product_id = create(app, client)
    upload(client, product_id, photo_bytes())
    post_form(client, f"/dashboard/products/{product_id}/submit", {}, token_from=f"/dashboard/products/{product_id}")
    assert client.get("/staff/products").status_code == 403  # producers don't moderate

    staff = app.test_client()
    login(make_user(roles={"staff"}), the_client=staff)
    queue = staff.get("/staff/products").get_data(as_text=True)
    assert "روسری گلدوزی شده" in queue
    no_reason = post_form(
        staff,
        f"/staff/products/{product_id}",
        {"action": "request_changes", "reason": ""},
        token_from="/staff/products",
    )
    assert no_reason.status_code == 422 and get_product(app, product_id).status == "in_review"
    unknown = post_form(staff, f"/staff/products/{product_id}", {"action": "archive"}, token_from="/staff/products")
    assert unknown.status_code == 422
    post_form(
        staff,
        f"/staff/products/{product_id}",
        {"action": "request_changes", "reason": "عکس تار است"},
        token_from="/staff/products",
    )
    assert get_product(app, product_id).status == "changes_requested"
    assert "عکس تار است" in client.get(f"/dashboard/products/{product_id}").get_data(as_text=True)
    post_form(client, f"/dashboard/products/{product_id}/submit", {}, token_from=f"/dashboard/products/{product_id}")
    post_form(staff, f"/staff/products/{product_id}", {"action": "publish"}, token_from="/staff/products")
    product = get_product(app, product_id)
    assert product.status == "published"  # a scarf (textile) needs no licence to be published
    assert [d.action for d in reversed(product.decisions)] == ["submit", "request_changes", "submit", "publish"]
    assert app.test_client().get(f"/p/{product_id}/{product.slug}").status_code == 200
    history = staff.get(f"/staff/products/{product_id}").get_data(as_text=True)
    assert "عکس تار است" in history


def test_food_waits_for_its_licences(app, client, producer, login, make_user, make):
    make(ShopFactory, owner=producer, branded=True, status="approved")
    login(producer)
    with app.app_context():
        jams = category_id("jams")
    product_id = create(app, client, title="مربای به", category_id=str(jams))
    upload(client, product_id, photo_bytes())
    post_form(client, f"/dashboard/products/{product_id}/submit", {}, token_from=f"/dashboard/products/{product_id}")
    staff = app.test_client()
    login(make_user(roles={"staff"}), the_client=staff)
    refused = post_form(staff, f"/staff/products/{product_id}", {"action": "publish"}, token_from="/staff/products")
    assert refused.status_code == 422
    assert get_product(app, product_id).status == "in_review"


def products_of(app, shop_id):
    with app.app_context():
        return db.session.scalars(select(Product).where(Product.shop_id == shop_id)).all()


def test_new_product_form_takes_its_photos(app, client, producer, login, make):
    """The create form sends the product and 1–8 photos (real JPEG bytes from Pillow) in one form; they
    are stored through the upload pipeline in the same transaction, or not at all."""
    shop_id = make(ShopFactory, owner=producer, branded=True, status="approved").id
    login(producer)
    with app.app_context():
        scarves = str(category_id("scarves"))
    page = client.get("/dashboard/products/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert page.count('id="photos"') == 1 and '<label for="photos" class="button file-button">' in page

    photos = [(io.BytesIO(photo_bytes(colour=(200, 40 * n, 40))), f"photo{n}.jpg") for n in range(3)]
    response = post_form(
        client,
        "/dashboard/products/new",
        {**product_form(category_id=scarves), "photos": photos},
        token_from="/dashboard/products/new",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    product_id = int(re.search(r"/dashboard/products/(\d+)", response.headers["Location"]).group(1))
    product = get_product(app, product_id)
    assert len(product.images) == 3 and [image.position for image in product.images] == [0, 1, 2]
    served = client.get(f"/media/{product.images[0].stored['variants']['640']}")
    assert served.status_code == 200 and served.mimetype == "image/webp"
    edit = client.get(f"/dashboard/products/{product_id}").get_data(as_text=True)
    assert edit.count('id="photos"') == 1 and 'id="product-photos"' in edit  # the label finds its input
    assert 'value="۳۵۰٬۰۰۰"' in edit and 'value="۲"' in edit  # saved numbers shown in her digits

    # One bad file among good ones: no product and no photo is saved, and what she typed is kept.
    before = len(products_of(app, shop_id))
    bad = post_form(
        client,
        "/dashboard/products/new",
        {
            **product_form(category_id=scarves, title="کیف سوزن‌دوزی"),
            "photos": [(io.BytesIO(photo_bytes()), "good.jpg"), (io.BytesIO(b"<html>hi</html>"), "evil.png")],
        },
        token_from="/dashboard/products/new",
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="photos-error"' in html and "عکس نیست" in html and 'value="کیف سوزن‌دوزی"' in html
    assert len(products_of(app, shop_id)) == before

    # Something else wrong (no category): she is told to choose the photos again, beside the button.
    again = post_form(
        client,
        "/dashboard/products/new",
        {**product_form(category_id=""), "photos": [(io.BytesIO(photo_bytes()), "good.jpg")]},
        token_from="/dashboard/products/new",
        content_type="multipart/form-data",
    )
    assert again.status_code == 422 and 'id="photos-error"' in again.get_data(as_text=True)
    assert len(products_of(app, shop_id)) == before

    nine = [(io.BytesIO(photo_bytes(size=(700, 500))), f"p{n}.jpg") for n in range(9)]
    too_many = post_form(
        client,
        "/dashboard/products/new",
        {**product_form(category_id=scarves), "photos": nine},
        token_from="/dashboard/products/new",
        content_type="multipart/form-data",
    )
    assert too_many.status_code == 422 and "۸" in too_many.get_data(as_text=True)
    assert len(products_of(app, shop_id)) == before
