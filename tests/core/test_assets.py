"""Static files under content-hashed names (core/assets.py) and compressed responses (Flask-Compress):
the year-long cache only for the current hashed name, the bytes behind each name and encoding, and
public pages that link only the public stylesheet."""

import gzip
import hashlib
import re
from urllib.parse import quote

import brotli
import rcssmin

from marketplace import PROJECT_ROOT
from marketplace.core.assets import Manifest
from tests.factories import ProductFactory, ShopFactory

HASHED = re.compile(r'/static/(?P<stem>[\w/-]+)\.(?P<hash>[0-9a-f]{10})\.(?P<ext>css|js|svg|woff2)"')
STYLESHEETS = re.compile(r'<link rel="stylesheet" href="/static/css/([\w-]+)\.[0-9a-f]{10}\.css">')
IMMUTABLE = "public, max-age=31536000, immutable"


def decoded(response) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


def hashed_url(html: str, name: str) -> str:
    stem, ext = name.rsplit(".", 1)
    match = re.search(rf'/static/{re.escape(stem)}\.[0-9a-f]{{10}}\.{ext}(?=")', html)
    assert match, f"no hashed URL for {name}"
    return match[0]


def test_pages_link_static_files_by_content_hash(client):
    html = client.get("/login").get_data(as_text=True)
    names = {f"{m['stem']}.{m['ext']}" for m in HASHED.finditer(html)}
    assert {"css/base.css", "js/app.js", "js/autocomplete.js", "img/logo.svg", "fonts/rooyesh-sans.woff2"} <= names
    assert '"/static/css/base.css"' not in html and '"/static/js/app.js"' not in html


def test_hashed_url_is_cached_for_a_year_and_serves_the_minified_file(client):
    url = hashed_url(client.get("/login").get_data(as_text=True), "css/base.css")
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.mimetype == "text/css"
    source = (PROJECT_ROOT / "static/css/base.css").read_text()
    body = response.get_data()
    assert len(body) < len(source.encode()) * 0.85  # minified
    # the same rules as the source, its font URL rewritten to the font's hashed name
    assert re.sub(r"rooyesh-sans\.[0-9a-f]{10}\.woff2", "rooyesh-sans.woff2", body.decode()) == rcssmin.cssmin(source)
    # the name is the content: the hash in the URL is the SHA-256 of the bytes served
    assert hashlib.sha256(body).hexdigest()[:10] == url.rsplit(".", 2)[-2]


def test_every_encoding_decodes_to_the_same_bytes(client):
    html = client.get("/login").get_data(as_text=True)
    for name in ("css/base.css", "js/app.js", "js/autocomplete.js", "img/logo.svg"):
        url = hashed_url(html, name)
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})  # Chrome's
        gz = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert (br.headers["Content-Encoding"], gz.headers["Content-Encoding"]) == ("br", "gzip"), name
        assert decoded(br) == decoded(gz) == plain.get_data(), name
        assert len(br.get_data()) < len(gz.get_data()) < len(plain.get_data()), name
        for response in (plain, br, gz):
            assert "Accept-Encoding" in response.headers["Vary"]
            assert response.headers["Cache-Control"] == IMMUTABLE
        # each representation its own validator, so a 304 never hands gzip bytes the brotli ETag
        assert len({plain.headers["ETag"], br.headers["ETag"], gz.headers["ETag"]}) == 3


def test_fonts_are_sent_as_they_are(client):
    url = hashed_url(client.get("/login").get_data(as_text=True), "fonts/rooyesh-sans.woff2")
    response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers  # WOFF2 is compressed already
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.get_data() == (PROJECT_ROOT / "static/fonts/rooyesh-sans.woff2").read_bytes()


def test_the_css_asks_for_the_font_base_html_preloads(client):
    """A preload and a CSS url() that differ would download the font twice."""
    html = client.get("/login").get_data(as_text=True)
    font = hashed_url(html, "fonts/rooyesh-sans.woff2")
    assert re.search(rf'<link rel="preload" href="{re.escape(font)}" as="font"', html)
    css = decoded(client.get(hashed_url(html, "css/base.css"), headers={"Accept-Encoding": "br"}))
    assert f'url("../fonts/{font.rsplit("/", 1)[-1]}")'.encode() in css


def test_plain_name_still_works_with_no_cache_and_304(client):
    response = client.get("/static/css/base.css", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Encoding"] == "br"
    again = client.get(
        "/static/css/base.css", headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304 and again.get_data() == b""


def test_unknown_hash_gets_the_current_file_without_the_year_long_promise(client):
    current = client.get("/static/js/app.js", headers={"Accept-Encoding": "identity"}).get_data()
    response = client.get("/static/js/app.0123456789.js", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_data() == current
    assert client.get("/static/js/nothing.0123456789.js").status_code == 404
    assert client.get("/static/js/nothing.js").status_code == 404
    assert client.get("/static/../marketplace/config.py").status_code == 404


def test_a_changed_file_gets_a_new_hash(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "fonts").mkdir()
    font_file = tmp_path / "fonts" / "face.woff2"
    font_file.write_bytes(b"wOF2 one")
    sheet = tmp_path / "css" / "site.css"
    sheet.write_text('@font-face { src: url("../fonts/face.woff2"); }\n/* a comment */\nbody  {  color : red ; }\n')
    manifest = Manifest.build(tmp_path)
    first = manifest.url_name("css/site.css")
    assert re.fullmatch(r"css/site\.[0-9a-f]{10}\.css", first)
    font = manifest.url_name("fonts/face.woff2")
    assert manifest.by_name["css/site.css"].body == f'@font-face{{src:url("../{font}")}}body{{color:red}}'.encode()

    sheet.write_text('@font-face { src: url("../fonts/face.woff2"); }\nbody { color: blue; }\n')
    manifest.reload_if_changed()
    second = manifest.url_name("css/site.css")
    assert second != first
    assert manifest.find(second) == (manifest.by_name["css/site.css"], True)
    old, exact = manifest.find(first)  # a page from before the change: the current bytes, not cached for a year
    assert old is manifest.by_name["css/site.css"] and exact is False
    assert manifest.url_name("css/nothing.css") == "css/nothing.css"

    # a new font is a new font URL inside the CSS, and so a new CSS URL too
    font_file.write_bytes(b"wOF2 the second")
    manifest.reload_if_changed()
    assert manifest.url_name("fonts/face.woff2") != font
    assert manifest.url_name("fonts/face.woff2").encode() in manifest.by_name["css/site.css"].body
    assert manifest.url_name("css/site.css") != second


def test_html_is_compressed_and_decodes_to_the_same_page(client):
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    br = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    gz = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert (br.headers["Content-Encoding"], gz.headers["Content-Encoding"]) == ("br", "gzip")
    assert decoded(br) == decoded(gz) == plain.get_data()
    assert len(br.get_data()) < len(plain.get_data()) / 2
    assert all("Accept-Encoding" in r.headers["Vary"] for r in (plain, br, gz))


def test_a_response_that_already_has_an_encoding_is_left_alone(app_factory):
    """The page cache stores compressed bodies and sends them with their Content-Encoding."""
    app = app_factory()
    body = brotli.compress(b"<!doctype html><p>" + "از پیش فشرده ".encode() * 200, quality=5)

    @app.get("/already-compressed")
    def already_compressed():
        return body, 200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "br"}

    for accept in ("gzip", "br", "identity"):
        response = app.test_client().get("/already-compressed", headers={"Accept-Encoding": accept})
        assert response.headers["Content-Encoding"] == "br"
        assert response.get_data() == body


def test_compression_can_be_switched_off_for_a_reverse_proxy(app_factory):
    app = app_factory(COMPRESS_REGISTER=False)
    response = app.test_client().get("/login", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in response.headers


def test_public_pages_link_only_the_public_stylesheet(app, client, make, producer, staff, login):
    shop = make(ShopFactory, owner=producer, branded=True, status="approved")
    product = make(ProductFactory, shop=shop, status="published", category_id=None)
    public = [
        "/",
        "/search?q=" + quote("روسری"),
        f"/shop/{quote(shop.slug)}",
        f"/p/{product.id}/{quote(product.slug)}",
        "/cart",
        "/login",
        "/signup",
    ]
    for path in public:
        response = client.get(path)
        assert response.status_code == 200, path
        assert STYLESHEETS.findall(response.get_data(as_text=True)) == ["base"], path
        assert "/js/wizard." not in response.get_data(as_text=True), path

    login(producer)
    for path in ("/account", "/orders"):
        assert STYLESHEETS.findall(client.get(path).get_data(as_text=True)) == ["base"], path
    for path in ("/dashboard", "/dashboard/products", "/dashboard/orders", "/dashboard/registration"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert STYLESHEETS.findall(response.get_data(as_text=True)) == ["base", "app"], path

    console = app.test_client()
    login(staff, the_client=console)
    for path in ("/staff/shops", "/staff/products", "/staff/registration", "/staff/outbox"):
        response = console.get(path)
        assert response.status_code == 200, path
        assert STYLESHEETS.findall(response.get_data(as_text=True)) == ["base", "app"], path


def test_search_js_only_on_the_search_page(client):
    assert "/static/js/search." in client.get("/search?q=" + quote("روسری")).get_data(as_text=True)
    assert "/static/js/search." not in client.get("/").get_data(as_text=True)


def test_static_files_do_not_vary_on_the_session_cookie(client, make_user, login):
    """Else a login or a new cart count (a new session cookie) sends the browser back for its CSS."""
    login(make_user())
    url = hashed_url(client.get("/account").get_data(as_text=True), "css/base.css")
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Vary"] == "Accept-Encoding"
    assert "Set-Cookie" not in response.headers
    assert "Cookie" in client.get("/account").headers["Vary"]  # pages still do


def test_no_public_template_uses_a_class_styled_only_in_app_css():
    """A page that extends base.html alone (and what it includes) must not need app.css's rules:
    they would be missing there (the staff console's tabs once were, on a shared page)."""
    templates = PROJECT_ROOT / "templates"

    def classes(css: str) -> set[str]:
        return set(re.findall(r"\.([a-zA-Z][\w-]*)", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))

    only_app = classes((PROJECT_ROOT / "static/css/app.css").read_text()) - classes(
        (PROJECT_ROOT / "static/css/base.css").read_text()
    )
    assert {"tabs", "wizard-progress", "reg-item", "money-table"} <= only_app

    def with_includes(name: str, seen: set[str]) -> str:
        if name in seen or not (templates / name).exists():
            return ""
        seen.add(name)
        text = (templates / name).read_text()
        return text + "".join(with_includes(inc, seen) for inc in re.findall(r'{%-?\s*include\s+"([^"]+)"', text))

    def takes_app_css(name: str) -> bool:
        """Whether the page extends app_base.html, directly or through its layout (either branch)."""
        extends = re.search(r"{%-?\s*extends\s+([^%]+)%}", (templates / name).read_text())
        parents = re.findall(r'"([^"]+)"', extends[1]) if extends else []
        return "app_base.html" in parents or any(takes_app_css(parent) for parent in parents if parent != "base.html")

    problems = []
    for path in sorted(templates.rglob("*.html")):
        name = path.relative_to(templates).as_posix()
        if "{% extends" not in path.read_text() or takes_app_css(name):
            continue
        text = with_includes(name, set())
        for class_list in re.findall(r'class="([^"]*)"', text):
            problems += [f"{name}: .{c}" for c in sorted(set(class_list.split()) & only_app)]
    assert problems == []
