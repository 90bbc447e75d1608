"""/media/ serves stored uploads as immutable images, and nothing outside the uploads folder."""

import io

from PIL import Image

from marketplace.core.images import process_upload, store_png, upload_dir, upload_limits
from tests.factories import photo_bytes


def test_serves_a_stored_variant_as_immutable_webp(app, client):
    stored = process_upload(photo_bytes(size=(700, 400)), upload_dir(app), **upload_limits(app.config))
    path = stored.variants[640]

    response = client.get(f"/media/{path}")

    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.data == (upload_dir(app) / path).read_bytes()
    cache = response.cache_control
    assert cache.public and cache.immutable and cache.max_age == 31536000
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(response.data)).size == (640, 366)


def test_serves_a_stored_logo_as_png(app, client):
    path = store_png(Image.new("RGBA", (32, 32), (10, 120, 90, 255)), upload_dir(app))
    response = client.get(f"/media/{path}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.cache_control.immutable


def test_media_url_comes_from_the_endpoint(app):
    stored = process_upload(photo_bytes(size=(400, 300)), upload_dir(app), **upload_limits(app.config))
    with app.test_request_context():
        from flask import url_for

        srcset = stored.srcset(lambda path: url_for("core.media", filename=path))
    assert srcset == f"/media/{stored.variants[320]} 320w, /media/{stored.variants[400]} 400w"


def test_nothing_outside_the_uploads_folder_nor_missing_files(app, client):
    uploads = upload_dir(app)
    uploads.mkdir(parents=True, exist_ok=True)
    outside = uploads.parent / "outside.webp"
    outside.write_bytes(b"RIFF0000WEBP")
    (uploads / "page.html").write_text("<script>alert(1)</script>")
    try:
        for url in (
            "/media/../outside.webp",
            "/media/%2e%2e/outside.webp",
            "/media/..%2Foutside.webp",
            "/media/../secret_key",
            f"/media/{outside}",
            "/media/ab/0123456789abcdef0123456789abcdef-640.webp",
            "/media/page.html",
            "/media/",
        ):
            # (a doubled slash is first redirected to the single-slash path, which is then not found)
            assert client.get(url, follow_redirects=True).status_code == 404, url
    finally:
        outside.unlink()


def test_no_cookie_on_a_cacheable_response_even_when_logged_in(app, client, make_user, login):
    stored = process_upload(
        photo_bytes(size=(700, 400), colour=(20, 20, 200)), upload_dir(app), **upload_limits(app.config)
    )
    login(make_user())
    response = client.get(f"/media/{stored.variants[320]}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # a shared cache must never store someone's session
