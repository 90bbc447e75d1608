"""The render cache: same inputs → same file and no second render; any change → a new key."""

import pytest
from PIL import Image

from marketplace.branding import cache
from marketplace.branding.cache import cache_path, cached_png, content_key
from marketplace.branding.palette import Palette, curated


def test_content_key_is_stable_and_sensitive():
    palette = curated("saffron").palette
    image = Image.new("RGBA", (8, 8), (10, 20, 30, 255))
    key = content_key("گلدوزی مریم", palette, image, {"size": 1024, "style": "stamp"})
    assert key == content_key("گلدوزی مریم", palette, image.copy(), {"style": "stamp", "size": 1024})
    assert len(key) == 64 and int(key, 16) >= 0
    changed_pixel = image.copy()
    changed_pixel.putpixel((3, 3), (10, 20, 31, 255))
    others = {
        content_key("گلدوزی مریم ", palette, image, {"size": 1024, "style": "stamp"}),
        content_key(
            "گلدوزی مریم",
            Palette(**{**palette.as_dict(), "accent": "#000000"}),
            image,
            {"size": 1024, "style": "stamp"},
        ),
        content_key("گلدوزی مریم", palette, changed_pixel, {"size": 1024, "style": "stamp"}),
        content_key("گلدوزی مریم", palette, image.convert("RGB"), {"size": 1024, "style": "stamp"}),
        content_key("گلدوزی مریم", palette, image, {"size": 512, "style": "stamp"}),
        content_key("گلدوزی مریم", palette, image, {"size": 1024, "style": "badge"}),
    }
    assert key not in others and len(others) == 6


def test_content_key_separates_values_that_print_alike():
    assert content_key("ab", "c") != content_key("a", "bc")
    assert content_key(1) != content_key("1") != content_key(1.0)
    assert content_key(None) != content_key("")
    assert content_key(b"x") != content_key("x")
    assert content_key([1, 2]) != content_key([[1, 2]])


def test_renderer_version_changes_every_key(monkeypatch):
    before = content_key("گلدوزی مریم")
    monkeypatch.setattr(cache, "RENDERER_VERSION", cache.RENDERER_VERSION + "+1")
    assert content_key("گلدوزی مریم") != before


def test_content_key_refuses_unknown_objects():
    with pytest.raises(TypeError):
        content_key(object())


def test_cached_png_renders_once(tmp_path):
    calls = []

    def render():
        calls.append(1)
        image = Image.new("RGB", (40, 20), "#9b1b30")
        image.info["dpi"] = (300, 300)
        return image

    key = content_key("card", 1)
    path = cached_png(tmp_path, key, render)
    assert path == tmp_path / key[:2] / f"{key}.png" == cache_path(tmp_path, key)
    assert path.exists() and len(calls) == 1
    assert cached_png(tmp_path, key, render) == path and len(calls) == 1  # served from disk
    with Image.open(path) as saved:
        assert saved.size == (40, 20)
        assert saved.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    other = cached_png(tmp_path, content_key("card", 2), render)
    assert other != path and len(calls) == 2
    leftovers = [p.name for p in tmp_path.rglob("*") if p.is_file() and p.name.startswith(".")]
    assert leftovers == []  # temporary files were renamed into place


@pytest.mark.parametrize("fmt", ["webp", "pdf"])
def test_cached_png_other_formats(tmp_path, fmt):
    path = cached_png(tmp_path, content_key(fmt), lambda: Image.new("RGBA", (30, 30), "#0b6e75"), fmt=fmt)
    assert path.suffix == f".{fmt}" and path.stat().st_size > 0
    if fmt == "webp":
        with Image.open(path) as saved:
            assert saved.size == (30, 30)
    else:
        assert path.read_bytes().startswith(b"%PDF")


def test_cached_png_rejects_unknown_formats(tmp_path):
    with pytest.raises(ValueError):
        cached_png(tmp_path, content_key("x"), lambda: Image.new("RGB", (1, 1)), fmt="gif")


def test_a_failed_render_leaves_no_file(tmp_path):
    def broken():
        raise RuntimeError("renderer bug")

    key = content_key("broken")
    with pytest.raises(RuntimeError):
        cached_png(tmp_path, key, broken)
    assert not cache_path(tmp_path, key).exists()
