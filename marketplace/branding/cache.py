"""A content-addressed file cache for rendered logos and kit images: the key is a hash of everything
the picture is drawn from, so a file is rendered once and any change to an input (or to the renderers,
via RENDERER_VERSION) gives a new file instead of a stale one."""

import dataclasses
import hashlib
import os
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask_babel.speaklater import LazyString
from PIL import Image

# Bump when a renderer's output changes for the same inputs (layout, fonts, colours), so cached
# images are redrawn rather than served stale.
RENDERER_VERSION = "2026.1"

_FORMATS = {"png": "PNG", "webp": "WEBP", "pdf": "PDF"}


def _encode(value: object, out) -> None:
    # Every value is written with a type tag and a length, so ("ab", "c") and ("a", "bc"), or 1 and
    # "1", never hash alike.
    def chunk(tag: bytes, data: bytes) -> None:
        out.update(tag + struct.pack(">Q", len(data)) + data)

    if value is None:
        chunk(b"N", b"")
    elif isinstance(value, bool):
        chunk(b"?", b"1" if value else b"0")
    elif isinstance(value, int):
        chunk(b"i", str(value).encode())
    elif isinstance(value, float):
        chunk(b"f", value.hex().encode())
    elif isinstance(value, str):
        chunk(b"s", value.encode("utf-8", "surrogatepass"))
    elif isinstance(value, bytes | bytearray | memoryview):
        chunk(b"b", bytes(value))
    elif isinstance(value, Path):
        chunk(b"p", str(value).encode())
    elif isinstance(value, Image.Image):
        chunk(b"I", f"{value.mode}:{value.size[0]}x{value.size[1]}".encode())
        chunk(b"d", hashlib.sha256(value.tobytes()).digest())
    elif isinstance(value, dict):
        chunk(b"{", str(len(value)).encode())
        for key in sorted(value, key=repr):
            _encode(key, out)
            _encode(value[key], out)
    elif isinstance(value, list | tuple):
        chunk(b"[", str(len(value)).encode())
        for item in value:
            _encode(item, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Field by field (not dataclasses.asdict, which would deep-copy images).
        chunk(b"D", type(value).__qualname__.encode())
        _encode({field.name: getattr(value, field.name) for field in dataclasses.fields(value)}, out)
    elif isinstance(value, LazyString):
        chunk(b"s", str(value).encode())  # a lazy translation: its text in the current locale
    else:
        # repr() could carry a memory address and change every run: refuse rather than miss the cache.
        raise TypeError(f"content_key cannot hash {type(value).__name__}")


def content_key(*parts: object) -> str:
    """sha256 (hex) over the parts (strings, numbers, bytes, dicts, lists, dataclasses such as Palette,
    PIL images by mode, size and pixels) and RENDERER_VERSION."""
    digest = hashlib.sha256()
    _encode(RENDERER_VERSION, digest)
    _encode(list(parts), digest)
    return digest.hexdigest()


def cache_path(cache_dir: Path, key: str, fmt: str = "png") -> Path:
    """Where the image for `key` lives: cache_dir/<first two hex digits>/<key>.<fmt>."""
    return Path(cache_dir) / key[:2] / f"{key}.{fmt}"


def cached_png(
    cache_dir: Path, key: str, render: Callable[[], Image.Image], fmt: str = "png", options: dict | None = None
) -> Path:
    """The cached file for `key`, calling render() and writing its image only when the file is missing.
    Writes go to a temporary file renamed into place, so a reader never sees half a file and two
    workers rendering at once both end with the same complete file. The image's info["dpi"] is kept;
    `options` are extra encoder settings (e.g. a faster PNG compress_level for a cache)."""
    if fmt not in _FORMATS:
        raise ValueError(f"unsupported format {fmt!r}; use one of {sorted(_FORMATS)}")
    path = cache_path(cache_dir, key, fmt)
    if path.exists():
        return path
    image = render()
    path.parent.mkdir(parents=True, exist_ok=True)
    extra, options = options or {}, {}
    dpi = image.info.get("dpi")
    if fmt == "pdf":
        image = image.convert("RGB")
        options["resolution"] = float(dpi[0]) if dpi else 72.0
    else:
        if dpi:
            options["dpi"] = dpi
        if fmt == "webp":
            options.update(quality=90, method=4)
    options.update(extra)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:8]}-", suffix=f".{fmt}")
    try:
        with os.fdopen(handle, "wb") as stream:
            image.save(stream, _FORMATS[fmt], **options)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
