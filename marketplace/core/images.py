"""The safe upload pipeline every photo and logo goes through.

An upload is limited in bytes and pixels, identified by decoding (never by its name or the
browser's MIME type), turned upright, converted to sRGB and rebuilt from its pixels alone, so no
EXIF (a producer's home GPS position), XMP, IPTC, comment or profile survives. Photos are stored
as WebP variants, logos as PNG, under content-hash names in the uploads folder.
"""

import hashlib
import io
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

import pillow_heif
from flask_babel import LazyString
from PIL import ExifTags, Image, ImageCms, ImageOps

from .messages import lazy_gettext as _l
from .numerals import fa_digits

pillow_heif.register_heif_opener(thumbnails=False)

# Pillow's format names of the types we accept. Phone cameras write some JPEGs as MPO
# (several pictures in one file); Pillow opens those through its JPEG plugin.
DECODERS = ("JPEG", "PNG", "WEBP", "HEIF")
JPEG_FORMATS = {"JPEG", "MPO"}
# 480 is the card size: a two-column card on a phone is 170-190 CSS px, 300-330 device px at the
# 1.75 density of a common Android phone, too many for 320 and far fewer than 640.
DEFAULT_WIDTHS = (320, 480, 640, 1280)
# Bumped whenever the pipeline's output changes, so new files never take an old file's name
# (the media route tells browsers to cache each name forever).
PIPELINE_VERSION = b"rooyesh-image-1"

# First bytes of files no accepted decoder could open, only to choose the clearer message:
# an accepted type whose header is broken, or a picture type we do not take.
ACCEPTED_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
OTHER_IMAGE_SIGNATURES = (b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00", b"8BPS")

SRGB = ImageCms.createProfile("sRGB")


class Readable(Protocol):
    """An upload read as a file: an open file, a member of a zip, a request's FileStorage."""

    def read(self, size: int = -1, /) -> bytes: ...


class ImageRejected(ValueError):
    """An upload that is not accepted. `.reason` is a stable code for code and tests
    (too_large_bytes, too_many_pixels, not_an_image, unsupported_type, corrupt); `.message` is
    the lazily translated sentence to show the producer; str() adds a detail for the log."""

    def __init__(self, reason: str, message, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.message = message


def _rejection(reason: str, detail: str = "", *, max_bytes: int = 0, max_pixels: int = 0) -> ImageRejected:
    """The ImageRejected for `reason`, with its message; limits are shown in the reader's digits."""
    if reason == "too_large_bytes":
        megabytes = LazyString(fa_digits, round(max_bytes / 2**20))
        message = _l("This photo is too big. Please choose a photo smaller than %(megabytes)s MB.", megabytes=megabytes)
    elif reason == "too_many_pixels":
        megapixels = LazyString(fa_digits, max_pixels // 1_000_000)
        message = _l(
            "This photo has too many pixels. Please choose a photo of at most %(megapixels)s megapixels.",
            megapixels=megapixels,
        )
    elif reason == "not_an_image":
        message = _l("This file is not a photo. Please choose a JPEG, PNG, WebP or HEIC photo.")
    elif reason == "unsupported_type":
        message = _l("This kind of picture is not accepted. Please choose a JPEG, PNG, WebP or HEIC photo.")
    else:
        message = _l("This photo could not be read; it may be damaged or only partly sent. Please choose it again.")
    return ImageRejected(reason, message, detail)


@dataclass(frozen=True)
class StoredImage:
    """A stored photo: its content-hash key, the size of its largest variant (for width/height
    attributes), a placeholder colour, and the WebP variants as width → path in the uploads folder."""

    key: str
    width: int
    height: int
    dominant_color: str
    variants: dict[int, str]

    def url_path(self, width: int) -> str:
        """The variant to show at `width` pixels: the narrowest one at least that wide, else the widest."""
        wide_enough = [w for w in self.variants if w >= width]
        return self.variants[min(wide_enough) if wide_enough else max(self.variants)]

    def srcset(self, url_for_media: Callable[[str], str]) -> str:
        """The srcset attribute, e.g. srcset(lambda p: url_for("core.media", filename=p))."""
        return ", ".join(f"{url_for_media(path)} {width}w" for width, path in sorted(self.variants.items()))

    def as_dict(self) -> dict:
        """The JSON form kept in database columns (variant widths become string keys)."""
        return {
            "key": self.key,
            "width": self.width,
            "height": self.height,
            "dominant_color": self.dominant_color,
            "variants": {str(w): p for w, p in self.variants.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "StoredImage":
        """Read back the JSON form written by as_dict()."""
        return cls(
            key=data["key"],
            width=int(data["width"]),
            height=int(data["height"]),
            dominant_color=data["dominant_color"],
            variants={int(w): p for w, p in data["variants"].items()},
        )


def variant_path(key: str, width: int) -> str:
    """Where the WebP variant `width` of `key` lives, relative to the uploads folder."""
    return f"{key[:2]}/{key}-{width}.webp"


def upload_dir(app) -> Path:
    """The uploads folder of `app` (UPLOAD_FOLDER inside the instance folder)."""
    return Path(app.instance_path) / app.config["UPLOAD_FOLDER"]


def upload_limits(config) -> dict:
    """The keyword arguments process_upload needs, read from the app's settings."""
    return {
        "max_bytes": config["UPLOAD_MAX_BYTES"],
        "max_pixels": config["UPLOAD_MAX_PIXELS"],
        "widths": tuple(config["IMAGE_WIDTHS"]),
    }


def read_limited(data: bytes | Readable, max_bytes: int) -> bytes:
    """The upload's bytes, refusing more than `max_bytes` without reading much past the limit."""
    raw = bytes(data) if isinstance(data, bytes | bytearray | memoryview) else data.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _rejection("too_large_bytes", f"more than {max_bytes} bytes", max_bytes=max_bytes)
    return raw


def load_upload(
    data: bytes | Readable, *, max_bytes: int, max_pixels: int, draft_width: int | None = None
) -> Image.Image:
    """Decode an upload into a clean RGB or RGBA image: upright, sRGB, and with nothing in `.info`.

    `draft_width` is the widest size needed (process_upload passes the widest variant): a big
    JPEG then decodes at 1/2, 1/4 or 1/8 scale, other types are shrunk by a whole factor, never
    below that width, so everything after works on far fewer pixels. Raises ImageRejected."""
    raw = read_limited(data, max_bytes)
    # Pillow warns about decompression bombs it only suspects; here that is a refusal too.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(raw, max_pixels)
        try:
            if draft_width and image.format in JPEG_FORMATS:
                # Orientations 5 to 8 turn the picture a quarter: its upright width is the stored height.
                turned = image.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8)
                image.draft("RGB", (1, draft_width) if turned else (draft_width, 1))
            image.load()
            image = ImageOps.exif_transpose(image)
            image = _clean(image)
            if draft_width and image.width >= 2 * draft_width:
                image = image.reduce(image.width // draft_width)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _rejection("too_many_pixels", str(error), max_pixels=max_pixels)
        except Exception as error:
            # Decoders fail in many ways on broken input (OSError, SyntaxError, ValueError, the HEIF
            # library's own errors…); whichever it is, the file cannot be used.
            raise _rejection("corrupt", f"{error.__class__.__name__}: {error}")
    return image


def _open(raw: bytes, max_pixels: int) -> Image.Image:
    """Open (headers only) with the accepted decoders and check the pixel count before decoding."""
    try:
        image = Image.open(io.BytesIO(raw), formats=DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _rejection("too_many_pixels", str(error), max_pixels=max_pixels)
    except Image.UnidentifiedImageError:
        raise _rejection(_unidentified_reason(raw), "no accepted decoder recognised the file")
    except Exception as error:  # a recognised header that is broken
        raise _rejection("corrupt", f"{error.__class__.__name__}: {error}")
    width, height = image.size
    if width * height > max_pixels:
        raise _rejection("too_many_pixels", f"{width}x{height}", max_pixels=max_pixels)
    if width < 1 or height < 1:
        raise _rejection("corrupt", f"{width}x{height}")
    return image


def _unidentified_reason(raw: bytes) -> str:
    """Why no decoder took the file: corrupt when it starts like an accepted type, unsupported_type
    for a picture we know but do not take (GIF, BMP, TIFF, AVIF, SVG…), else not_an_image."""
    head = raw[:1024]
    if head.startswith(ACCEPTED_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "corrupt"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "corrupt"
    if head.startswith(OTHER_IMAGE_SIGNATURES) or head[4:12] in (b"ftypavif", b"ftypavis"):
        return "unsupported_type"
    if b"<svg" in head.lower():
        return "unsupported_type"
    return "not_an_image"


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB or RGBA pixels in sRGB. An embedded ICC profile is applied (so a phone's Display P3 or
    an Adobe RGB scan keeps its colours) and then forgotten; a fully opaque alpha channel is dropped."""
    if image.mode.startswith("I"):
        # 16-bit greyscale PNG: scale to 8 bits (a plain convert would clip almost everything to white).
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    alpha = None
    if _has_alpha(image):
        alpha = (image if image.mode == "RGBA" else image.convert("RGBA")).getchannel("A")
    if alpha is not None and alpha.getextrema() == (255, 255):
        alpha = None
    icc = image.info.get("icc_profile")
    rgb = None
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            space = {"RGB ": "RGB", "GRAY": "L", "CMYK": "CMYK"}.get(profile.profile.xcolor_space)
            if space:
                source = image if image.mode == space else image.convert(space)
                rgb = ImageCms.profileToProfile(source, profile, SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            # A profile littleCMS cannot use is treated as sRGB: a slight colour shift beats refusing the photo.
            rgb = None
    if rgb is None:
        rgb = image.convert("RGB")
    if alpha is not None:
        rgb.putalpha(alpha)
    return rgb


def _clean(image: Image.Image) -> Image.Image:
    """RGB or RGBA sRGB pixels in a fresh image that carries no info (EXIF, XMP, comments, profile…):
    encoders copy some of `.info` into the file they write, so nothing may be left there."""
    if image.mode == "RGB" and not image.info:
        return image
    image = _to_srgb(image)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def content_key(image: Image.Image, *extra: object) -> str:
    """A name for these pixels: the SHA-256 (128 bits, hex) of the pipeline version, the encoding
    settings in `extra`, the mode, the size and the pixels. The same upload always gets the same
    name, whatever the file was called and whatever metadata it carried."""
    digest = hashlib.sha256(PIPELINE_VERSION)
    digest.update(repr((image.mode, image.size, *extra)).encode())
    digest.update(image.tobytes())
    return digest.hexdigest()[:32]


def variant_widths(width: int, widths: Iterable[int] = DEFAULT_WIDTHS) -> list[int]:
    """The variant widths for an image `width` pixels wide. Never upscaled: the wanted widths up to
    the image's own, plus the image's own width when it is narrower than the widest wanted one
    (a 500-px image gives 320 and 500)."""
    wanted = sorted(set(widths))
    chosen = [w for w in wanted if w <= width]
    if width < wanted[-1] and width not in chosen:
        chosen.append(width)
    return chosen


def store_variants(
    image: Image.Image, uploads_dir: Path, widths: Iterable[int] = DEFAULT_WIDTHS, quality: int = 80
) -> StoredImage:
    """Write the WebP variants of a clean image (from load_upload) and describe them. Files that
    already exist are kept: their name says they hold exactly these pixels."""
    image = _clean(image)
    key = content_key(image, "webp", quality)
    variants = {}
    for width in variant_widths(image.width, widths):
        path = variant_path(key, width)
        target = Path(uploads_dir) / path
        if not target.exists():
            _write_variant(image, width, target, quality)
        variants[width] = path
    widest = max(variants)
    return StoredImage(
        key=key,
        width=widest,
        height=max(1, round(image.height * widest / image.width)),
        dominant_color=dominant_color(image),
        variants=variants,
    )


def _write_variant(image: Image.Image, width: int, target: Path, quality: int) -> None:
    """Write `image` as a WebP `width` pixels wide (height in proportion) to `target`."""
    height = max(1, round(image.height * width / image.width))
    # reducing_gap first shrinks by whole factors (fast), then finishes with Lanczos.
    resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3)
    buffer = io.BytesIO()
    resized.save(buffer, "WEBP", quality=quality, method=4)
    write_atomic(target, buffer.getvalue())


def add_missing_variants(
    stored: dict, uploads_dir: Path, widths: Iterable[int] = DEFAULT_WIDTHS, quality: int = 80
) -> dict | None:
    """Bring a stored image (the as_dict() form) up to today's `widths` and to the files on disk.

    The variants it should have (variant_widths of its widest one) whose files are missing are drawn
    from the widest file that is there, under the same key; a listed width wider than that file is
    dropped rather than upscaled, so a srcset never names a file that does not exist. Returns the new
    dict, or None when nothing changed (running it twice changes nothing the second time). Raises
    FileNotFoundError when none of the image's files exists."""
    image = StoredImage.from_dict(stored)
    uploads = Path(uploads_dir)
    wanted = set(variant_widths(image.width, widths)) | set(image.variants)
    present = {w for w in image.variants if (uploads / image.variants[w]).is_file()}
    if wanted == present:
        return None
    if not present:
        raise FileNotFoundError(f"no stored file of image {image.key}")
    widest = max(present)
    variants = {w: image.variants[w] for w in present}
    with Image.open(uploads / image.variants[widest], formats=("WEBP",)) as opened:
        source = _clean(opened.copy())  # copy: closing the file would free the pixels
    for width in sorted(wanted - present):
        if width > widest:
            continue
        path = variant_path(image.key, width)
        if not (uploads / path).is_file():
            _write_variant(source, width, uploads / path, quality)
        variants[width] = path
    return {
        **stored,
        "width": source.width,
        "height": source.height,
        "variants": {str(w): p for w, p in sorted(variants.items())},
    }


def store_png(image: Image.Image, uploads_dir: Path, compress_level: int | None = None) -> str:
    """Store an image as a metadata-free PNG under a content-hash name (logos, which must stay
    PNG); returns its path relative to the uploads folder. Without `compress_level` the file is
    optimised (smallest, slowest); a level (1 fast … 9 small) trades size for time."""
    image = _clean(image)
    key = content_key(image, "png")
    path = f"{key[:2]}/{key}.png"
    target = Path(uploads_dir) / path
    if not target.exists():
        buffer = io.BytesIO()
        options = {"optimize": True} if compress_level is None else {"compress_level": compress_level}
        image.save(buffer, "PNG", **options)
        write_atomic(target, buffer.getvalue())
    return path


def process_upload(
    data: bytes | Readable,
    uploads_dir: Path,
    *,
    max_bytes: int,
    max_pixels: int,
    widths: Iterable[int] = DEFAULT_WIDTHS,
    quality: int = 80,
) -> StoredImage:
    """Check, clean and store one photo upload (load_upload, then store_variants)."""
    widths = tuple(widths)
    image = load_upload(data, max_bytes=max_bytes, max_pixels=max_pixels, draft_width=max(widths))
    return store_variants(image, uploads_dir, widths, quality)


def dominant_color(image: Image.Image) -> str:
    """The most common colour, as #rrggbb, for the placeholder shown while the photo loads.
    Transparent parts count as white, the page's background."""
    small = ImageOps.contain(image, (64, 64), Image.Resampling.BOX)
    if small.mode == "RGBA":
        small = Image.alpha_composite(Image.new("RGBA", small.size, "white"), small)
    quantized = small.convert("RGB").quantize(colors=8, method=Image.Quantize.MEDIANCUT)
    # A quantized image always has a palette, and its colours are (pixel count, palette index):
    # getcolors gives None only past 256 colours.
    palette = cast(list[int], quantized.getpalette())
    colors = cast(list[tuple[int, int]], quantized.getcolors())
    # Median cut splits a big area into several shades; shades close to each other are counted
    # together, or a smaller but uniform area (a blue cloth beside a red one) would win.
    groups: list[tuple[list[int], list[int]]] = []  # (first shade, [pixels, red sum, green sum, blue sum])
    for count, index in sorted(colors, reverse=True):
        shade = palette[index * 3 : index * 3 + 3]
        totals = next((totals for first, totals in groups if _near(first, shade)), None)
        if totals is None:
            totals = [0, 0, 0, 0]
            groups.append((shade, totals))
        totals[0] += count
        for channel in range(3):
            totals[channel + 1] += shade[channel] * count
    pixels, *sums = max((totals for _first, totals in groups), key=lambda totals: totals[0])
    return "#" + "".join(f"{round(total / pixels):02x}" for total in sums)


def _near(one: list[int], other: list[int], distance: int = 64) -> bool:
    return sum((a - b) ** 2 for a, b in zip(one, other, strict=True)) <= distance**2


def write_atomic(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a file so readers see all of it or nothing: a temporary file beside it, then a rename.
    `mode` 0o644 lets a front web server read it; 0o600 keeps it to the app's user."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as new_file:
            new_file.write(data)
            new_file.flush()
            os.fsync(new_file.fileno())
        os.chmod(temporary, mode)  # mkstemp makes it owner-only
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
