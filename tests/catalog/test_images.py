"""What a phone downloads on the public pages: photo widths that match the width shown (`sizes`),
the first photos fetched at once and the largest one first, small WebP logos, every <img> sized,
and no srcset naming a file that is not there; `flask media variants` for older uploads."""

import random
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product, ProductImage
from marketplace.core.images import load_upload, store_png, store_variants, upload_dir, variant_path
from marketplace.extensions import db
from marketplace.shops import brand
from marketplace.shops import services as shops
from marketplace.shops.models import Shop
from tests.factories import ProductFactory, ShopFactory, photo_bytes

CARD_SIZES = "(min-width: 68rem) 258px, (min-width: 48rem) calc(25vw - 14px), calc(50vw - 20px)"
BRANDED_CARD_SIZES = "(min-width: 68rem) 246px, (min-width: 48rem) calc(25vw - 26px), calc(50vw - 36px)"
GALLERY_SIZES = "(min-width: 68rem) 545px, (min-width: 48rem) calc(52vw - 25px), calc(88vw - 28px)"


class _Images(HTMLParser):
    """Every <img> of a page with its attributes, and which part of the page it is in."""

    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.part = "page"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "li" and "product-card" in classes:
            self.part = "card"
        elif tag == "section" and "gallery" in classes:
            self.part = "gallery"
        elif tag == "aside" and "shop-card" in classes:
            self.part = "shop-card"
        elif tag == "img":
            self.images.append({**attributes, "part": self.part})

    def handle_endtag(self, tag):
        if tag in ("li", "section", "aside") and self.part != "page":
            self.part = "page"


def images(html: str) -> list[dict]:
    parser = _Images()
    parser.feed(html)
    return parser.images


def media_files(app, image: dict) -> list[Path]:
    """The uploads files an <img> names in its src and srcset (the site's own logo is static)."""
    urls = [image["src"], *(entry.split()[0] for entry in image.get("srcset", "").split(",") if entry.strip())]
    return [upload_dir(app) / unquote(url).split("/media/", 1)[1] for url in urls if "/media/" in url]


def check_every_image(app, html: str) -> list[dict]:
    """Every <img> has width and height, and every file it names exists; returns the images."""
    found = images(html)
    for image in found:
        assert image.get("width") and image.get("height"), image
        for path in media_files(app, image):
            assert path.is_file(), (path, image)
    return found


def srcset_widths(image: dict) -> list[int]:
    return [int(entry.split()[1].rstrip("w")) for entry in image["srcset"].split(",")]


def logo_image(seed: int) -> Image.Image:
    """A logo of its own pixels (a transparent square with a coloured disc), so its files are new."""
    colour = random.Random(seed).randrange(0xFFFFFF)
    image = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((50, 50, 550, 550), fill=f"#{colour:06x}")
    return image


@pytest.fixture
def shelf(app, make):
    """A branded, approved shop with a logo and six published products with a photo each, in one
    category: {"shop": slug, "products": [(id, slug), …] newest first}."""
    with app.app_context():
        shop = ShopFactory(branded=True, status="approved")
        shops.set_logo(shop, brand.store_logo(logo_image(1)), "upload")
        made = [ProductFactory(shop=shop, category="leather", photos=1, status="published") for _ in range(6)]
        db.session.commit()
        return {"shop": shop.slug, "products": [(p.id, p.slug) for p in reversed(made)]}


def test_category_fetches_its_first_screen_at_once_and_the_first_photo_first(app, client, shelf):
    html = client.get("/c/leather").get_data(as_text=True)

    cards = [image for image in check_every_image(app, html) if image["part"] == "card"]
    assert len(cards) == 6
    first, *rest = cards
    assert first.get("fetchpriority") == "high" and "loading" not in first and "decoding" not in first
    for card in rest[:3]:  # two rows of two fill a 390-px screen
        assert "loading" not in card and "fetchpriority" not in card and card["decoding"] == "async"
    for card in rest[3:]:
        assert card["loading"] == "lazy" and "fetchpriority" not in card and card["decoding"] == "async"
    for card in cards:
        assert card["sizes"] == CARD_SIZES
        assert srcset_widths(card) == [320, 480, 640, 800]  # an 800-px photo: its own width is the widest
        assert card["src"].endswith("-480.webp")


def test_product_page_fetches_its_first_photo_first_and_sizes_the_gallery(app, client, shelf):
    with app.app_context():
        product = db.session.get(Product, shelf["products"][0][0])
        image = load_upload(photo_bytes(size=(1000, 750), colour=(30, 120, 60)), max_bytes=10**8, max_pixels=10**8)
        stored = store_variants(image, upload_dir(app), app.config["IMAGE_WIDTHS"])
        catalog.add_photo(product, stored.as_dict(), [], product.shop.owner)
        product.status = "published"  # (a photo added to a published product sends it to review)
        db.session.commit()
    product_id, slug = shelf["products"][0]

    html = client.get(f"/p/{product_id}/{slug}").get_data(as_text=True)

    found = check_every_image(app, html)
    first, second = [image for image in found if image["part"] == "gallery"]
    assert first["fetchpriority"] == "high" and "loading" not in first
    assert second["loading"] == "lazy" and second["decoding"] == "async" and "fetchpriority" not in second
    assert first["sizes"] == second["sizes"] == GALLERY_SIZES
    assert srcset_widths(second) == [320, 480, 640, 1000]
    # "More from this shop" is further down: every card waits, none is fetched first
    more = [image for image in found if image["part"] == "card"]
    assert len(more) >= 4 and all(card["loading"] == "lazy" and "fetchpriority" not in card for card in more)
    (logo,) = [image for image in found if image["part"] == "shop-card"]
    assert (logo["width"], logo["height"], logo["sizes"]) == ("56", "56", "56px")
    assert srcset_widths(logo) == [56, 112, 192] and logo["src"].endswith("-112.webp")
    assert logo["loading"] == "lazy"


def test_storefront_logo_is_a_small_webp_and_the_first_card_comes_first(app, client, shelf):
    html = client.get(f"/shop/{shelf['shop']}").get_data(as_text=True)

    found = check_every_image(app, html)
    (logo,) = [image for image in found if "shop-logo" in image.get("class", "")]
    assert srcset_widths(logo) == [56, 112, 192] and logo["sizes"] == "96px" and logo["width"] == "96"
    assert "loading" not in logo and ".png" not in logo["src"] + logo["srcset"]
    cards = [image for image in found if image["part"] == "card"]
    assert cards[0]["fetchpriority"] == "high" and "loading" not in cards[3] and cards[4]["loading"] == "lazy"
    assert all(card["sizes"] == BRANDED_CARD_SIZES for card in cards)  # inside the branded page's padding

    # With a banner, the banner is the largest paint: it is fetched first, and no card is.
    with app.app_context():
        shop = db.session.scalar(select(Shop).where(Shop.slug == shelf["shop"]))
        banner = load_upload(photo_bytes(size=(1600, 600)), max_bytes=10**8, max_pixels=10**8)
        shops.set_banner(shop, store_variants(banner, upload_dir(app), app.config["IMAGE_WIDTHS"]).as_dict())
        db.session.commit()
    found = check_every_image(app, client.get(f"/shop/{shelf['shop']}").get_data(as_text=True))
    (banner_image,) = [image for image in found if image.get("class") == "shop-banner"]
    assert banner_image["fetchpriority"] == "high"
    assert not [image for image in found if image["part"] == "card" and image.get("fetchpriority")]


def test_home_cards_and_workshop_logos(app, client, shelf):
    html = client.get("/").get_data(as_text=True)

    found = check_every_image(app, html)
    cards = [image for image in found if image["part"] == "card"]
    # on a phone the hero's text is the largest paint and the grid starts at the screen's bottom
    assert len(cards) == 6 and all(card["loading"] == "lazy" and "fetchpriority" not in card for card in cards)
    assert all(card["sizes"] == CARD_SIZES for card in cards)
    logos = [image for image in found if "shop-logo" in image.get("class", "")]
    assert logos and all(srcset_widths(logo) == [56, 112, 192] and logo["sizes"] == "56px" for logo in logos)
    assert all(logo["loading"] == "lazy" for logo in logos)


def test_media_variants_command_fills_what_older_uploads_lack(app, client, make):
    """Photos stored before the 480-px width, and a logo before its WebP copies, get them; a second
    run changes nothing; the pages then list the new files."""
    with app.app_context():
        shop = ShopFactory(status="approved")
        logo = brand.logo_sizes(logo_image(2))
        shops.set_logo(shop, {size: store_png(image, upload_dir(app)) for size, image in logo.items()}, "upload")
        product = ProductFactory(shop=shop, category="leather")
        # a photo of its own pixels, stored with the widths of before
        photo = Image.new("RGB", (1600, 1200), (random.Random(3).randrange(256), 90, 140))
        ImageDraw.Draw(photo).rectangle((0, 0, 399, 299), fill=(250, 250, 250))
        old = store_variants(photo, upload_dir(app), (320, 640, 1280))
        (upload_dir(app) / variant_path(old.key, 480)).unlink(missing_ok=True)
        catalog.add_photo(product, old.as_dict(), [], shop.owner)
        product.status = "published"
        db.session.commit()
        product_id, slug, shop_slug = product.id, product.slug, shop.slug

    before = check_every_image(app, client.get(f"/p/{product_id}/{slug}").get_data(as_text=True))
    (photo_image,) = [image for image in before if image["part"] == "gallery"]
    assert srcset_widths(photo_image) == [320, 640, 1280]  # only what exists is listed
    (logo_before,) = [image for image in before if image["part"] == "shop-card"]
    assert logo_before["src"].endswith(".png") and "srcset" not in logo_before

    result = app.test_cli_runner().invoke(args=["media", "variants"])

    assert result.exit_code == 0, result.output
    assert "1 photos" in result.output and "1 logos" in result.output
    with app.app_context():
        stored = db.session.scalar(select(ProductImage.stored).where(ProductImage.product_id == product_id))
        assert sorted(map(int, stored["variants"])) == [320, 480, 640, 1280] and stored["key"] == old.key
        with Image.open(upload_dir(app) / stored["variants"]["480"]) as variant:
            assert variant.size == (480, 360) and variant.format == "WEBP"
        logo_files = db.session.scalar(select(Shop.logo_files).where(Shop.slug == shop_slug))
        assert sorted(map(int, logo_files["webp"]["variants"])) == [56, 112, 192]
        for width, path in logo_files["webp"]["variants"].items():
            with Image.open(upload_dir(app) / path) as variant:
                assert variant.size == (int(width), int(width)) and variant.mode == "RGBA"
    again = app.test_cli_runner().invoke(args=["media", "variants"])
    assert again.exit_code == 0 and re.search(r"\b0 photos, 0 banners, 0 logos, 0 without files", again.output)

    after = check_every_image(app, client.get(f"/p/{product_id}/{slug}").get_data(as_text=True))
    (photo_image,) = [image for image in after if image["part"] == "gallery"]
    assert srcset_widths(photo_image) == [320, 480, 640, 1280]
    (logo_after,) = [image for image in after if image["part"] == "shop-card"]
    assert srcset_widths(logo_after) == [56, 112, 192]


def test_logo_webp_copies_are_smaller_than_the_png_they_replace(app):
    with app.app_context():
        files = brand.store_logo(logo_image(4))
        png = (upload_dir(app) / files["192"]).stat().st_size
        webp = {int(w): (upload_dir(app) / p).stat().st_size for w, p in files["webp"]["variants"].items()}
    assert webp[112] < png and webp[192] < png
