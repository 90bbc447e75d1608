"""Shop rules called directly: names and slugs, story, social handles, status changes, brand score."""

import pytest

from marketplace.branding.palette import CURATED, Palette
from marketplace.extensions import db
from marketplace.shops import services
from marketplace.shops.models import Shop


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


@pytest.fixture
def producer(producer):
    """The shared producer (tests/conftest.py), in this test's session."""
    return db.session.merge(producer)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("گلدوزی مریم", "گلدوزی-مریم"),
        ("  ترشي   خانگي توس ", "ترشی-خانگی-توس"),
        ("دست\u200cساز مشهد", "دست-ساز-مشهد"),
        ("Golduzi Maryam!", "golduzi-maryam"),
        ("سفال ۱۴۰۴", "سفال-1404"),
    ],
)
def test_slugify_keeps_persian(name, slug):
    assert services.slugify(name) == slug


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("", "نام"), ("   ", "نام"), ("۱۲۳۴۵", "فقط"), ("!!!", "فقط"), ("ا" * 61, "۶۰")],
)
def test_bad_names(name, fragment):
    problem = services.name_problem(name)
    assert problem is not None
    assert fragment in str(problem).replace("60", "۶۰")


def test_taken_name_and_old_slugs(producer, make_user):
    shop = services.create_shop(producer, "گلدوزی مریم", "گلدوزی", "گلشهر")
    db.session.flush()
    assert shop.slug == "گلدوزی-مریم" and shop.status == "draft"
    other = db.session.merge(make_user(roles={"producer"}))
    assert services.name_problem("گلدوزي  مريم") is not None  # Arabic letters, extra space: same slug
    with pytest.raises(services.ShopError):
        services.create_shop(other, "گلدوزی مریم", "", "")
    services.update_identity(shop, "گلدوزی خانم مریم", "گلدوزی", "گلشهر")
    db.session.flush()
    found, moved = services.find_by_slug("گلدوزی-مریم")
    assert found is shop and moved
    assert services.name_problem("گلدوزی مریم", shop.id) is None  # she may take her old name back
    assert services.name_problem("گلدوزی مریم") is not None  # nobody else may take it
    services.update_identity(shop, "گلدوزی مریم", "گلدوزی", "گلشهر")
    db.session.flush()
    assert services.find_by_slug("گلدوزی-مریم") == (shop, False)
    assert services.find_by_slug("گلدوزی-خانم-مریم") == (shop, True)


def test_one_shop_per_producer(producer):
    services.create_shop(producer, "سفال سیدی", "سفالگری", "سیدی")
    with pytest.raises(services.ShopError):
        services.create_shop(producer, "سفال دیگر", "سفالگری", "سیدی")


def test_name_ideas_from_craft_first_name_neighbourhood(producer):
    ideas = services.name_ideas("ترشی خانگی", "فاطمه", "توس")
    assert "ترشی خانگی فاطمه" in ideas and "ترشی خانگی توس" in ideas
    services.create_shop(producer, "ترشی خانگی فاطمه", "", "")
    db.session.flush()
    assert "ترشی خانگی فاطمه" not in services.name_ideas("ترشی خانگی", "فاطمه", "توس")  # taken ones left out


def test_draft_story_and_limits(producer):
    story = services.draft_story(
        {"what": "گلدوزی روی روسری", "since": "بیست سال پیش", "teacher": "مادرم", "special": "نقش‌های قدیمی"}, "مریم"
    )
    assert story.startswith("من مریم هستم و گلدوزی روی روسری درست می‌کنم.")
    assert "مادرم" in story and "\n\n" in story
    shop = services.create_shop(producer, "گلدوزی مریم", "", "")
    with pytest.raises(services.ShopError) as error:
        services.update_story(shop, "ک" * 81, "داستان", {})
    assert error.value.field == "tagline"
    with pytest.raises(services.ShopError):
        services.update_story(shop, "", "ک" * 1501, {})
    services.update_story(shop, "گلدوزی با نقش‌های مادربزرگ", "بند اول\r\n\r\n\r\nبند دوم  ", {"what": "گلدوزی"})
    assert shop.story == "بند اول\n\nبند دوم"
    assert services.story_paragraphs(shop.story) == ["بند اول", "بند دوم"]


@pytest.mark.parametrize(
    ("platform", "typed", "stored"),
    [
        ("instagram", "@Golduzi.Maryam", "golduzi.maryam"),
        ("instagram", " golduzi_maryam ", "golduzi_maryam"),
        ("telegram", "@torshi_toos", "torshi_toos"),
        ("eitaa", "sofal_seyyedi", "sofal_seyyedi"),
        ("rubika", "golshahr.art", "golshahr.art"),
        ("bale", "@kilim_golshahr", "kilim_golshahr"),
        ("whatsapp", "۰۹۱۲ ۱۲۳ ۴۵۶۷", "+989121234567"),
        ("instagram", "", None),
        # a pasted link to her page becomes the handle
        ("instagram", "https://instagram.com/golduzi_maryam/", "golduzi_maryam"),
        ("instagram", "www.instagram.com/Golduzi_Maryam?igsh=MWx0", "golduzi_maryam"),
        ("telegram", "t.me/torshi_toos", "torshi_toos"),
        ("telegram", "https://t.me/s/torshi_toos", "torshi_toos"),
        ("eitaa", "https://eitaa.com/sofal_seyyedi", "sofal_seyyedi"),
        ("rubika", "rubika.ir/golshahr.art", "golshahr.art"),
        ("bale", "https://ble.ir/kilim_golshahr", "kilim_golshahr"),
    ],
)
def test_handles_normalised(platform, typed, stored):
    assert services.normalize_handle(platform, typed) == stored


@pytest.mark.parametrize(
    ("platform", "typed", "fragment"),
    [
        ("instagram", "https://t.me/golduzi", "لینک"),  # a link, but to another platform
        ("instagram", "https://instagram.com/p/C3xYz/", "لینک"),  # a post, not her page
        ("telegram", "https://example.com/torshi_toos", "لینک"),
        ("instagram", "golduzi maryam", "فاصله"),
        ("telegram", "گلدوزی_مریم", "اجازه"),
        ("telegram", "abc", "اجازه"),
        ("instagram", "golduzi..maryam", "اجازه"),
        ("whatsapp", "05138001234", "واتساپ"),
    ],
)
def test_bad_handles(platform, typed, fragment):
    with pytest.raises(services.ShopError) as error:
        services.normalize_handle(platform, typed)
    assert error.value.field == platform
    assert fragment in str(error.value.message)


def test_update_social_all_or_nothing(producer):
    shop = services.create_shop(producer, "گلیم سیدی", "", "")
    with pytest.raises(services.ShopError):
        services.update_social(shop, {"instagram": "kilim_seyyedi", "telegram": "bad handle"})
    assert shop.instagram is None
    services.update_social(shop, {"instagram": "kilim_seyyedi", "whatsapp": "09121234567"})
    links = services.social_links(shop)
    assert [link["url"] for link in links] == ["https://instagram.com/kilim_seyyedi", "https://wa.me/989121234567"]


def test_palette_must_pass_contrast(producer):
    shop = services.create_shop(producer, "مربای التیمور", "", "")
    with pytest.raises(services.ShopError):
        services.set_palette(shop, Palette("#777777", "#999999", "#ffffff", "#888888"), "custom")
    assert services.shop_palette(shop) is None
    services.set_palette(shop, CURATED[0].palette, CURATED[0].code)
    assert services.shop_palette(shop) == CURATED[0].palette
    shop.color_primary = "red; } body { display:none"  # a tampered row never reaches the page
    assert services.shop_palette(shop) is None


def test_status_machine_records_decisions(producer, make_user):
    staff = db.session.merge(make_user(roles={"staff"}))
    shop = services.create_shop(producer, "صابون توس", "", "")
    with pytest.raises(services.ShopError):
        services.change_status(shop, staff, "approve")  # a draft is not in the queue
    services.change_status(shop, producer, "submit")
    with pytest.raises(services.ShopError) as error:
        services.change_status(shop, staff, "request_changes", "")
    assert error.value.field == "reason"
    services.change_status(shop, staff, "request_changes", "عکس بنر تار است")
    assert shop.status == "changes_requested" and shop.status_reason == "عکس بنر تار است"
    services.change_status(shop, producer, "submit")
    services.change_status(shop, staff, "approve")
    assert shop.is_public and shop.approved_at is not None
    services.change_status(shop, staff, "suspend", "شکایت خریدار")
    services.change_status(shop, staff, "reinstate")
    db.session.flush()
    assert [d.action for d in reversed(shop.decisions)] == [
        "submit",
        "request_changes",
        "submit",
        "approve",
        "suspend",
        "reinstate",
    ]
    assert all(d.created_at for d in shop.decisions) and shop.decisions[0].actor is staff


def test_brand_score_counts_what_is_done(producer):
    assert services.brand_score(None)[0] == 0
    shop = services.create_shop(producer, "چرم خواجه ربیع", "", "")
    score, items = services.brand_score(shop)
    assert score == 10 and items[0].done and not items[1].done
    services.update_story(shop, "چرم دست‌دوز", "ک" * 120, {})
    assert services.brand_score(shop)[0] == 10 + 5 + 10  # a short story earns half
    services.update_story(shop, "چرم دست‌دوز", "ک" * 300, {})
    services.set_palette(shop, CURATED[1].palette, CURATED[1].code)
    shop.logo_files = {"1024": "x.png"}
    shop.banner = {"key": "k"}
    services.update_social(shop, {"instagram": "charm_kh", "telegram": "charm_khajeh"})
    assert services.brand_score(shop)[0] == 90
    assert services.brand_score(shop, products_with_photos=3)[0] == 100


def test_settings_rules(producer):
    shop = services.create_shop(producer, "بافتنی طاهره", "", "")
    with pytest.raises(services.ShopError) as error:
        services.update_settings(
            shop, contact_phone="123", show_phone=True, city="مشهد", weekly_capacity=5, away=False, away_until=None
        )
    assert error.value.field == "contact_phone"
    services.update_settings(
        shop, contact_phone="0915 100 0010", show_phone=True, city="", weekly_capacity=5, away=True, away_until=None
    )
    assert shop.contact_phone == "+989151000010" and shop.show_phone and shop.city == "مشهد"
    assert db.session.get(Shop, shop.id) is shop
