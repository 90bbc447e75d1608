"""The shop builder, storefront and staff approval through the real pages; who may see what."""

import io
import re
from urllib.parse import unquote

from PIL import Image

from marketplace.branding.palette import CURATED
from marketplace.extensions import db
from marketplace.shops import services
from marketplace.shops.models import Shop
from tests.conftest import inline_styles_allowed_by_csp, post_form
from tests.factories import ShopFactory


def png_bytes(colour=(200, 30, 30), size=(300, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def get_shop(app, owner_id):
    with app.app_context():
        shop = db.session.scalar(db.select(Shop).where(Shop.owner_id == owner_id))
        if shop is not None:
            _ = shop.decisions, shop.old_slugs
        return shop


def test_wizard_journey_to_review(app, client, producer, login):
    login(producer)
    assert client.get("/dashboard").status_code == 200
    response = client.get("/dashboard/shop/setup")
    assert response.headers["Location"].endswith("/dashboard/shop/setup/name")
    page = client.get("/dashboard/shop/setup/name").get_data(as_text=True)
    assert "گام ۱ از ۶" in page

    ideas = post_form(
        client,
        "/dashboard/shop/setup/name",
        {"craft": "گلدوزی", "neighbourhood": "گلشهر", "name": "", "action": "ideas"},
        token_from="/dashboard/shop/setup/name",
    )
    assert "گلدوزی مریم" in ideas.get_data(as_text=True)
    empty = post_form(
        client,
        "/dashboard/shop/setup/name",
        {"craft": "گلدوزی", "neighbourhood": "گلشهر", "name": ""},
        token_from="/dashboard/shop/setup/name",
    )
    assert empty.status_code == 422 and 'value="گلشهر"' in empty.get_data(as_text=True)
    assert get_shop(app, producer.id) is None  # nothing half-made

    response = post_form(
        client,
        "/dashboard/shop/setup/name",
        {"craft": "گلدوزی", "neighbourhood": "گلشهر", "name": "گلدوزی مریم"},
        token_from="/dashboard/shop/setup/name",
    )
    assert response.headers["Location"].endswith("/dashboard/shop/setup/story")

    drafted = post_form(
        client,
        "/dashboard/shop/setup/story",
        {
            "what": "گلدوزی روی روسری",
            "since": "بیست سال پیش",
            "teacher": "مادرم",
            "special": "نقش‌های قدیمی",
            "tagline": "",
            "story": "",
            "action": "draft",
        },
        token_from="/dashboard/shop/setup/story",
    )
    assert "من مریم هستم و گلدوزی روی روسری درست می‌کنم." in drafted.get_data(as_text=True)
    story = "من مریم هستم و گلدوزی روی روسری درست می‌کنم. " * 8
    response = post_form(
        client,
        "/dashboard/shop/setup/story",
        {"what": "گلدوزی", "tagline": "گلدوزی با نقش‌های مادربزرگ", "story": story},
        token_from="/dashboard/shop/setup/story",
    )
    assert response.headers["Location"].endswith("/dashboard/shop/setup/colours")

    bad = post_form(
        client,
        "/dashboard/shop/setup/colours",
        {
            "choice": "custom",
            "primary": "not-a-colour",
            "accent": "#aaaaaa",
            "background": "#ffffff",
            "text": "#111111",
        },
        token_from="/dashboard/shop/setup/colours",
    )
    assert bad.status_code == 422 and "رنگ نیست" in bad.get_data(as_text=True)
    assert 'value="not-a-colour"' in bad.get_data(as_text=True)
    weak = post_form(
        client,
        "/dashboard/shop/setup/colours",
        {"choice": "custom", "primary": "#dddddd", "accent": "#aaaaaa", "background": "#ffffff", "text": "#999999"},
        token_from="/dashboard/shop/setup/colours",
    )
    assert weak.status_code == 422 and "سخت خوانده" in weak.get_data(as_text=True)
    suggested = post_form(
        client,
        "/dashboard/shop/setup/colours",
        {
            "choice": "custom",
            "primary": "#dddddd",
            "accent": "#aaaaaa",
            "background": "#ffffff",
            "text": "#999999",
            "action": "suggest",
        },
        token_from="/dashboard/shop/setup/colours",
    )
    assert 'value="#999999"' not in suggested.get_data(as_text=True)
    curated = CURATED[2]
    response = post_form(
        client,
        "/dashboard/shop/setup/colours",
        {"choice": curated.code, **curated.palette.as_dict()},
        token_from="/dashboard/shop/setup/colours",
    )
    assert response.headers["Location"].endswith("/dashboard/shop/setup/logo")

    page = client.get("/dashboard/shop/setup/logo").get_data(as_text=True)
    candidate_ids = re.findall(r'name="candidate" value="([^"]+)"', page)
    assert len(candidate_ids) >= 6
    image = client.get(f"/dashboard/shop/logo-candidates/{candidate_ids[0]}.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    response = post_form(
        client, "/dashboard/shop/setup/logo", {"candidate": candidate_ids[1]}, token_from="/dashboard/shop/setup/logo"
    )
    assert response.headers["Location"].endswith("/dashboard/shop/setup/kit")
    shop = get_shop(app, producer.id)
    assert set(shop.logo_files) == {"1024", "512", "192", "32", "webp"}
    webp = shop.logo_files["webp"]
    assert set(webp["variants"]) == {"56", "112", "192"}
    pngs = {size: path for size, path in shop.logo_files.items() if size != "webp"}
    for size, path in [*pngs.items(), *webp["variants"].items()]:
        served = client.get(f"/media/{path}")
        assert served.status_code == 200
        assert Image.open(io.BytesIO(served.data)).size == (int(size), int(size))

    kit_page = client.get("/dashboard/shop/setup/kit").get_data(as_text=True)
    assert "/dashboard/shop/kit/share_image.png" in kit_page
    card = client.get("/dashboard/shop/kit/business_card.png?download=1")
    assert card.status_code == 200 and "attachment" in card.headers["Content-Disposition"]
    assert Image.open(io.BytesIO(card.data)).size == (1004, 650)
    response = post_form(client, "/dashboard/shop/setup/kit", {}, token_from="/dashboard/shop/setup/kit")
    assert response.headers["Location"].endswith("/dashboard/shop/setup/social")

    bad = post_form(
        client,
        "/dashboard/shop/setup/social",
        {"instagram": "https://t.me/golduzi_maryam", "telegram": "golduzi maryam", "action": "submit"},
        token_from="/dashboard/shop/setup/social",
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "لینک" in html and 'value="https://t.me/golduzi_maryam"' in html
    assert get_shop(app, producer.id).status == "draft"
    response = post_form(
        client,
        "/dashboard/shop/setup/social",
        {
            "instagram": "https://www.instagram.com/Golduzi_Maryam/",
            "telegram": "t.me/golduzi_maryam",
            "action": "submit",
        },
        token_from="/dashboard/shop/setup/social",
    )
    assert response.headers["Location"].endswith("/dashboard")
    shop = get_shop(app, producer.id)
    assert shop.status == "submitted" and shop.instagram == "golduzi_maryam"
    assert [d.action for d in shop.decisions] == ["submit"]
    assert "منتظر بررسی" in client.get("/dashboard").get_data(as_text=True)


def test_name_check_json(client, producer, login, make_user, make):
    make(ShopFactory, owner=make_user(roles={"producer"}), name="ترشی خانگی توس", craft="گلدوزی", branded=True)
    login(producer)
    taken = client.get("/dashboard/shop/name-check?name=ترشي خانگي توس").get_json()
    assert taken == {"slug": "ترشی-خانگی-توس", "ok": False, "message": taken["message"]} and taken["message"]
    free = client.get("/dashboard/shop/name-check?name=گلدوزی مریم").get_json()
    assert free["ok"] is True and free["slug"] == "گلدوزی-مریم"


def test_storefront_visibility(app, client, make_user, login, make):
    owner = make_user(roles={"producer"})
    slug = make(ShopFactory, owner=owner, name="سفال سیدی", craft="گلدوزی", branded=True).slug
    assert client.get(f"/shop/{slug}").status_code == 404  # draft: not public
    login(make_user(roles={"producer"}))
    assert client.get(f"/shop/{slug}").status_code == 404  # another producer
    other = app.test_client()
    login(owner, the_client=other)
    preview = other.get(f"/shop/{slug}")
    assert preview.status_code == 200 and "پیش‌نمایش" in preview.get_data(as_text=True)
    staff = app.test_client()
    login(make_user(roles={"staff"}), the_client=staff)
    assert staff.get(f"/shop/{slug}").status_code == 200


def test_public_storefront_page(app, client, make_user, make):
    owner = make_user(roles={"producer"})
    made = make(ShopFactory, owner=owner, name="گلیم گلشهر", craft="گلدوزی", branded=True, status="approved")
    shop_id, slug = made.id, made.slug
    with app.app_context():
        shop = db.session.get(Shop, shop_id)
        services.update_story(shop, "گلیم با رنگ گیاهی", "بند اول <script>alert(1)</script>\n\nبند دوم", {})
        services.review_text(shop, owner, "approve_text")  # an approved shop's new text is reviewed
        services.update_social(shop, {"instagram": "kilim_golshahr"})
        shop.away, shop.away_until = True, None
        db.session.commit()
    response = client.get(f"/shop/{slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html  # story is text, never HTML
    assert ">بند دوم</p>" in html
    assert "https://instagram.com/kilim_golshahr" in html
    assert f"--shop-primary: {CURATED[0].palette.primary};" in html
    assert '"@type": "LocalBusiness"' in html and 'property="og:title"' in html
    assert "تعطیلات" in html
    # the colours come in an inline <style> that the CSP allows by its hash, and only that one
    assert inline_styles_allowed_by_csp(response) == 1


def test_renamed_shop_redirects(app, client, make_user, make):
    owner = make_user(roles={"producer"})
    made = make(ShopFactory, owner=owner, name="مربای التیمور", craft="گلدوزی", branded=True, status="approved")
    shop_id, slug = made.id, made.slug
    with app.app_context():
        services.update_identity(shop := db.session.get(Shop, shop_id), "مربای خانگی التیمور", "مربا", "التیمور")
        services.review_text(shop, owner, "approve_text")  # the new name goes live once approved
        db.session.commit()
    response = client.get(f"/shop/{slug}")
    assert response.status_code == 301
    assert unquote(response.headers["Location"]).endswith("/shop/مربای-خانگی-التیمور")


def test_producer_routes_need_a_producer(client, make_user, login):
    for path in (
        "/dashboard",
        "/dashboard/shop/setup/name",
        "/dashboard/shop/edit",
        "/dashboard/shop/kit/share_image.png",
    ):
        assert client.get(path).status_code == 302  # anonymous: log in first
    login(make_user())
    for path in ("/dashboard", "/dashboard/shop/setup/name", "/dashboard/shop/edit", "/dashboard/shop/name-check"):
        assert client.get(path).status_code == 403  # a buyer


def test_producer_never_reaches_another_shop(app, client, make_user, login, producer):
    victim = make_user(roles={"producer"})
    victim_client = app.test_client()
    login(victim, the_client=victim_client)
    post_form(
        victim_client,
        "/dashboard/shop/setup/name",
        {"craft": "سفال", "neighbourhood": "سیدی", "name": "سفال سیدی"},
        token_from="/dashboard/shop/setup/name",
    )
    curated = CURATED[0]
    post_form(
        victim_client,
        "/dashboard/shop/setup/colours",
        {"choice": curated.code, **curated.palette.as_dict()},
        token_from="/dashboard/shop/setup/colours",
    )
    page = victim_client.get("/dashboard/shop/setup/logo").get_data(as_text=True)
    victim_candidate = re.findall(r'name="candidate" value="([^"]+)"', page)[0]

    login(producer)
    assert client.get(f"/dashboard/shop/logo-candidates/{victim_candidate}.png").status_code == 404
    assert client.get("/dashboard/shop/kit/share_image.png").status_code == 404  # she has no shop yet
    assert client.get("/dashboard/shop/setup/story").headers["Location"].endswith("/setup/name")
    # Her writes only ever touch her own (new) shop.
    post_form(
        client,
        "/dashboard/shop/setup/name",
        {"craft": "", "neighbourhood": "", "name": "گلدوزی مریم"},
        token_from="/dashboard/shop/setup/name",
    )
    post_form(
        client,
        "/dashboard/shop/setup/social",
        {"instagram": "hijack", "action": "save"},
        token_from="/dashboard/shop/setup/social",
    )
    assert get_shop(app, victim.id).instagram is None
    assert get_shop(app, producer.id).instagram == "hijack"
    assert client.get("/staff/shops").status_code == 403


def test_settings_banner_and_bad_upload(app, client, producer, login, make):
    make(ShopFactory, owner=producer, name="بافتنی طاهره", craft="گلدوزی", branded=True)
    login(producer)
    not_image = post_form(
        client,
        "/dashboard/shop/edit",
        {"banner": (io.BytesIO(b"hello, I am text"), "banner.jpg"), "city": "مشهد"},
        token_from="/dashboard/shop/edit",
        content_type="multipart/form-data",
    )
    assert not_image.status_code == 422
    assert get_shop(app, producer.id).banner is None
    response = post_form(
        client,
        "/dashboard/shop/edit",
        {
            "banner": (io.BytesIO(png_bytes(size=(1600, 500))), "b.png"),
            "city": "مشهد",
            "contact_phone": "0915 100 0010",
            "show_phone": "y",
            "weekly_capacity": "۱۲",
            "away": "y",
            "away_until": "۱۴۰۹/۰۱/۰۱",
        },
        token_from="/dashboard/shop/edit",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    shop = get_shop(app, producer.id)
    assert shop.banner and shop.weekly_capacity == 12 and shop.show_phone and shop.away
    assert client.get("/dashboard/shop/edit").status_code == 200  # the saved numbers fill the form again
    bad_date = post_form(
        client,
        "/dashboard/shop/edit",
        {"city": "مشهد", "away": "y", "away_until": "1404/13/40"},
        token_from="/dashboard/shop/edit",
    )
    assert bad_date.status_code == 422 and 'value="1404/13/40"' in bad_date.get_data(as_text=True)


def test_wizard_upload_without_a_file_part_is_refused_not_a_crash(app, client, producer, login, make):
    """A POST that names the upload action but carries no file part (not even an empty one) gets the
    same message as an empty file, next to the field; it used to be a 500."""
    make(ShopFactory, owner=producer, name="کارگاه مریم", craft="گلدوزی", branded=True)
    login(producer)
    colours = post_form(
        client,
        "/dashboard/shop/setup/colours",
        {"choice": "custom", "action": "photo", **CURATED[0].palette.as_dict()},
        token_from="/dashboard/shop/setup/colours",
    )
    assert colours.status_code == 422 and "این فایل عکس نیست" in colours.get_data(as_text=True)
    logo = post_form(
        client, "/dashboard/shop/setup/logo", {"action": "upload"}, token_from="/dashboard/shop/setup/logo"
    )
    assert logo.status_code == 422 and "این فایل عکس نیست" in logo.get_data(as_text=True)
    assert get_shop(app, producer.id).logo_files is None


def test_staff_queue_and_decisions(app, client, make_user, login, make):
    owner = make_user(roles={"producer"})
    made = make(ShopFactory, owner=owner, name="صابون توس", craft="گلدوزی", branded=True, status="submitted")
    shop_id, slug = made.id, made.slug
    login(make_user(roles={"staff"}))
    queue = client.get("/staff/shops").get_data(as_text=True)
    assert "صابون توس" in queue
    no_reason = post_form(
        client, f"/staff/shops/{shop_id}", {"action": "request_changes", "reason": ""}, token_from="/staff/shops"
    )
    assert no_reason.status_code == 422
    post_form(
        client,
        f"/staff/shops/{shop_id}",
        {"action": "request_changes", "reason": "لوگو را عوض کنید"},
        token_from="/staff/shops",
    )
    owner_client = app.test_client()
    login(owner, the_client=owner_client)
    assert "لوگو را عوض کنید" in owner_client.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        shop = db.session.get(Shop, shop_id)
        services.change_status(shop, shop.owner, "submit")
        db.session.commit()
    post_form(client, f"/staff/shops/{shop_id}", {"action": "approve"}, token_from="/staff/shops")
    assert app.test_client().get(f"/shop/{slug}").status_code == 200  # now public
    post_form(client, f"/staff/shops/{shop_id}", {"action": "suspend", "reason": "شکایت"}, token_from="/staff/shops")
    assert app.test_client().get(f"/shop/{slug}").status_code == 404
    history = client.get(f"/staff/shops/{shop_id}").get_data(as_text=True)
    assert "شکایت" in history and "لوگو را عوض کنید" in history
