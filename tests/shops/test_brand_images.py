"""The wizard's producer actions answer without drawing: the logo and kit pages name their images,
each image is drawn when it is asked for, once, and only for the shop it belongs to.

Renders are counted by the files in instance/brand-cache (every render is written there), never by
timing. Each test uses a shop name of its own, so no other test's cached image can answer for it."""

import io
import re
import secrets
from pathlib import Path

import pytest
from PIL import Image

from marketplace.branding.palette import CURATED
from marketplace.extensions import db
from marketplace.shops import services
from marketplace.shops.models import Shop
from tests.conftest import post_form
from tests.factories import ShopFactory


def cache_files(app) -> set[Path]:
    """Every rendered image in the brand cache (temporary files of a write in progress excluded)."""
    root = Path(app.instance_path) / "brand-cache"
    return {path for path in root.rglob("*") if path.is_file() and not path.name.startswith(".")}


def unique_name() -> str:
    return f"گلدوزی آزمون {secrets.token_hex(4)}"


@pytest.fixture
def draft_shop(app, make_user):
    """A producer with a draft shop: name, story and palette, no logo yet. Returns (user, shop id)."""

    def build(logo_source=None):
        user = make_user(roles={"producer"}, name="مریم رضایی")
        with app.app_context():
            shop = ShopFactory(owner=user, name=unique_name(), craft="گلدوزی", branded=True, palette=CURATED[1])
            shop.wizard_step = "logo"
            db.session.commit()
            return user, shop.id

    return build


def candidate_ids(client) -> list[str]:
    page = client.get("/dashboard/shop/setup/logo")
    assert page.status_code == 200
    return re.findall(r'name="candidate" value="([^"]+)"', page.get_data(as_text=True))


def choose_logo(client, candidate: str):
    return post_form(
        client, "/dashboard/shop/setup/logo", {"candidate": candidate}, token_from="/dashboard/shop/setup/story"
    )


def kit_preview_urls(client) -> list[str]:
    html = client.get("/dashboard/shop/setup/kit").get_data(as_text=True)
    return [src.replace("&amp;", "&") for src in re.findall(r'<img src="(/dashboard/shop/kit/[^"]+\.webp[^"]*)"', html)]


def test_saving_colours_and_the_logo_page_draw_nothing(app, client, login, draft_shop):
    user, _shop_id = draft_shop()
    login(user)
    before = cache_files(app)
    curated = CURATED[3]
    response = post_form(
        client,
        "/dashboard/shop/setup/colours",
        {"choice": curated.code, **curated.palette.as_dict()},
        token_from="/dashboard/shop/setup/colours",
    )
    assert response.headers["Location"].endswith("/dashboard/shop/setup/logo")
    html = client.get("/dashboard/shop/setup/logo").get_data(as_text=True)
    images = re.findall(r'<img src="(/dashboard/shop/logo-candidates/[^"]+\.png)" width="160" height="160"', html)
    assert len(images) == 8  # named on the page, with their size, so the layout does not jump
    assert cache_files(app) == before  # and not one of them drawn


def test_a_candidate_is_drawn_when_asked_then_served_from_the_cache(app, client, login, draft_shop):
    user, _shop_id = draft_shop()
    login(user)
    first = candidate_ids(client)[0]
    before = cache_files(app)
    response = client.get(f"/dashboard/shop/logo-candidates/{first}.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (1024, 1024)
    added = cache_files(app) - before
    assert len(added) == 1  # this candidate only, not all eight
    (path,) = added
    written = path.stat()
    again = client.get(f"/dashboard/shop/logo-candidates/{first}.png")
    assert again.data == response.data
    assert cache_files(app) == before | added
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)  # not redrawn


def test_choosing_a_logo_draws_only_the_chosen_one_when_needed(app, client, login, draft_shop):
    user, shop_id = draft_shop()
    login(user)
    ids = candidate_ids(client)
    client.get(f"/dashboard/shop/logo-candidates/{ids[2]}.png")
    before = cache_files(app)
    assert choose_logo(client, ids[2]).headers["Location"].endswith("/dashboard/shop/setup/kit")
    assert cache_files(app) == before  # the candidate she saw is reused, nothing is drawn

    with app.app_context():
        shop = db.session.get(Shop, shop_id)
        files = dict(shop.logo_files)
        assert shop.logo_source == "stamp:" + shop.logo_source.split(":")[1]
    webp = files.pop("webp")
    for size, path in [*files.items(), *webp["variants"].items()]:
        with Image.open(Path(app.instance_path) / "uploads" / path) as stored:
            assert stored.size == (int(size), int(size)) and stored.mode == "RGBA"

    # A candidate her page never loaded (a very slow phone): only that one is drawn, to store it.
    assert choose_logo(client, ids[5]).status_code == 302
    assert len(cache_files(app) - before) == 1


def test_kit_page_draws_nothing_and_each_preview_is_drawn_once(app, client, login, draft_shop):
    user, _shop_id = draft_shop()
    login(user)
    choose_logo(client, candidate_ids(client)[0])
    before = cache_files(app)
    previews = kit_preview_urls(client)
    assert len(previews) == 6
    assert cache_files(app) == before  # the page only names its pictures

    response = client.get(previews[3])  # the A4 sticker sheet, the heaviest
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert Image.open(io.BytesIO(response.data)).width == 400
    added = cache_files(app) - before
    assert [path.suffix for path in added] == [".webp"]  # the preview; the full sheet waits for a download
    (path,) = added
    written = path.stat()
    assert client.get(previews[3]).data == response.data
    assert cache_files(app) == before | added
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)

    download = client.get("/dashboard/shop/kit/sticker_sheet.png?download=1")
    assert download.status_code == 200 and Image.open(io.BytesIO(download.data)).size == (2480, 3508)
    assert len(cache_files(app) - before) == 2


def test_a_new_palette_gives_new_image_addresses(app, client, login, draft_shop):
    user, shop_id = draft_shop()
    login(user)
    old_candidate = candidate_ids(client)[0]
    choose_logo(client, old_candidate)
    old_preview = kit_preview_urls(client)[0]
    assert client.get(old_preview).status_code == 200
    with app.app_context():
        services.set_palette(db.session.get(Shop, shop_id), CURATED[4].palette, CURATED[4].code)
        db.session.commit()
    assert client.get(old_preview).status_code == 404  # a stale picture is never served as current
    assert client.get(f"/dashboard/shop/logo-candidates/{old_candidate}.png").status_code == 404
    assert kit_preview_urls(client)[0] != old_preview


def test_only_the_owner_gets_a_draft_shops_images(app, client, login, draft_shop, make_user):
    owner, shop_id = draft_shop()
    login(owner)
    candidate = candidate_ids(client)[0]
    choose_logo(client, candidate)
    preview = kit_preview_urls(client)[0]
    candidate_url = f"/dashboard/shop/logo-candidates/{candidate}.png"
    assert client.get(preview).status_code == 200 and client.get(candidate_url).status_code == 200
    with app.app_context():
        slug = db.session.get(Shop, shop_id).slug
    assert client.get(f"/shop/{slug}/share.png").status_code == 200  # her own preview

    anonymous = app.test_client()
    for url in (preview, candidate_url, f"/shop/{slug}/share.png"):
        assert anonymous.get(url).status_code == 404

    # Another producer, with a shop and a logo of her own: the addresses are keyed by the owner's shop.
    other, _other_id = draft_shop()
    other_client = app.test_client()
    login(other, the_client=other_client)
    choose_logo(other_client, candidate_ids(other_client)[0])
    before = cache_files(app)
    for url in (preview, candidate_url, f"/shop/{slug}/share.png"):
        assert other_client.get(url).status_code == 404
    assert cache_files(app) == before  # and nothing was drawn for her

    buyer_client = app.test_client()
    login(make_user(), the_client=buyer_client)
    assert buyer_client.get(preview).status_code == 403
    assert buyer_client.get(candidate_url).status_code == 403
