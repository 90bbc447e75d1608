"""The upload pipeline on real files built here: limits, type by decoding, orientation, metadata
stripped, colours converted, WebP variants under content-hash names, PNG logos."""

import io
import random
import re
import struct
import zlib

import pillow_heif
import pytest
from PIL import Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo

from marketplace.core.images import (
    ImageRejected,
    StoredImage,
    add_missing_variants,
    dominant_color,
    load_upload,
    process_upload,
    store_png,
    store_variants,
    variant_path,
    variant_widths,
)

LIMITS = {"max_bytes": 15 * 1024 * 1024, "max_pixels": 40_000_000}
RED, BLUE, GREY = (220, 20, 20), (20, 20, 220), (128, 128, 128)
GPS_IFD, ORIENTATION, ROTATE_CLOCKWISE = 0x8825, 0x0112, 6
# Where a producer's workshop is (Mashhad): these must never reach a stored file.
HOME_LATITUDE, HOME_LONGITUDE = (36.0, 17.0, 52.5), (59.0, 36.0, 21.25)


def encode(image, fmt, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def noisy(size, colour, seed, amount=0.25) -> Image.Image:
    """`colour` with reproducible grey noise, like a real photo's grain."""
    grain = Image.frombytes("L", size, random.Random(seed).randbytes(size[0] * size[1]))
    return Image.blend(Image.new("RGB", size, colour), Image.merge("RGB", [grain] * 3), amount)


def marked_photo(size=(120, 80)) -> Image.Image:
    """Grey with a red block in the top-left corner, to see where that corner ends up."""
    image = Image.new("RGB", size, GREY)
    ImageDraw.Draw(image).rectangle((0, 0, 19, 19), fill=RED)
    return image


def private_exif(orientation=ROTATE_CLOCKWISE) -> Image.Exif:
    """EXIF as a phone writes it: camera, orientation, and the GPS position of the home."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Cheap Phone Co"  # Make
    exif[0x0110] = "A1"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", HOME_LATITUDE
    gps[3], gps[4] = "E", HOME_LONGITUDE
    return exif


def with_iptc(jpeg: bytes) -> bytes:
    """Insert an APP13 Photoshop/IPTC segment naming a city, right after the JPEG's SOI marker."""
    city = b"Mashhad"
    iptc = b"\x1c\x02\x5a" + struct.pack(">H", len(city)) + city
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc + b"\x00" * (len(iptc) % 2)
    payload = b"Photoshop 3.0\x00" + resource
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def swapped_primaries_profile() -> bytes:
    """An RGB ICC profile whose red and green primaries are swapped: its (255, 0, 0) is sRGB green.
    Made from littleCMS's sRGB profile by exchanging the rXYZ and gXYZ tags."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (count,) = struct.unpack(">I", data[128:132])
    tags = {}
    for index in range(count):
        signature, offset, size = struct.unpack(">4sII", data[132 + 12 * index : 144 + 12 * index])
        tags[signature] = (offset, size)
    (red_at, size), (green_at, _) = tags[b"rXYZ"], tags[b"gXYZ"]
    red, green = bytes(data[red_at : red_at + size]), bytes(data[green_at : green_at + size])
    data[red_at : red_at + size], data[green_at : green_at + size] = green, red
    data[84:100] = bytes(16)  # profile ID: zero means "not computed"
    return bytes(data)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height 1-bit pixels but whose data is a few bytes: decoding
    it would fail as corrupt, so only a check made before decoding can answer too_many_pixels."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(64))) + chunk(b"IEND", b"")
    )


def riff_chunks(data: bytes) -> list[bytes]:
    """The chunk names of a WebP file (EXIF, XMP and ICCP would be metadata)."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    names, position = [], 12
    while position + 8 <= len(data):
        name, size = data[position : position + 4], struct.unpack("<I", data[position + 4 : position + 8])[0]
        names.append(name)
        position += 8 + size + (size % 2)
    return names


def png_chunks(data: bytes) -> list[bytes]:
    names, position = [], 8
    while position < len(data):
        (size,) = struct.unpack(">I", data[position : position + 4])
        names.append(data[position + 4 : position + 8])
        position += 12 + size
    return names


def assert_no_metadata(image: Image.Image) -> None:
    assert image.info == {}
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(GPS_IFD) == {}


def assert_clean_webp(data: bytes) -> None:
    assert set(riff_chunks(data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
    reopened = Image.open(io.BytesIO(data))
    assert reopened.format == "WEBP"
    assert not {"exif", "xmp", "icc_profile"} & set(reopened.info)
    assert len(reopened.getexif()) == 0


def close_to(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def stored_files(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


# Metadata and orientation


def test_phone_jpeg_is_turned_upright_and_loses_gps_and_all_metadata(tmp_path):
    photo = with_iptc(
        encode(marked_photo(), "JPEG", exif=private_exif(), comment=b"at home", xmp=b"<x:xmpmeta>Mashhad</x:xmpmeta>")
    )
    original = Image.open(io.BytesIO(photo))  # the test file really carries what must be removed
    assert original.getexif().get_ifd(GPS_IFD)[2] == HOME_LATITUDE
    assert {"exif", "comment", "xmp", "photoshop"} <= set(original.info)

    image = load_upload(photo, **LIMITS)

    assert image.size == (80, 120)  # Orientation 6: turned a quarter clockwise
    assert close_to(image.getpixel((75, 5)), RED)  # the red top-left corner is now top-right
    assert close_to(image.getpixel((5, 5)), GREY)
    assert image.mode == "RGB"
    assert_no_metadata(image)

    stored = store_variants(image, tmp_path)
    for path in stored.variants.values():
        data = (tmp_path / path).read_bytes()
        assert_clean_webp(data)
        assert b"Mashhad" not in data and b"Cheap Phone" not in data


def test_png_text_and_exif_chunks_are_dropped():
    info = PngInfo()
    info.add_text("Comment", "workshop at Ahmadabad street")
    photo = encode(marked_photo(), "PNG", pnginfo=info, exif=private_exif(orientation=1))
    assert_no_metadata(load_upload(photo, **LIMITS))


def test_icc_profile_is_applied_then_dropped(tmp_path):
    photo = encode(Image.new("RGB", (40, 30), (255, 0, 0)), "PNG", icc_profile=swapped_primaries_profile())
    assert "icc_profile" in Image.open(io.BytesIO(photo)).info

    image = load_upload(photo, **LIMITS)

    assert close_to(image.getpixel((10, 10)), (0, 255, 0), tolerance=10)  # colours converted to sRGB
    assert "icc_profile" not in image.info
    stored = store_variants(image, tmp_path)
    data = (tmp_path / stored.variants[40]).read_bytes()
    assert_clean_webp(data)
    assert close_to(Image.open(io.BytesIO(data)).convert("RGB").getpixel((10, 10)), (0, 255, 0))


def test_sixteen_bit_grey_png_is_scaled_not_clipped():
    photo = encode(Image.new("I;16", (20, 20), 32768), "PNG")
    assert close_to(load_upload(photo, **LIMITS).getpixel((5, 5)), GREY, tolerance=3)


def test_transparency_kept_and_opaque_alpha_dropped():
    transparent = Image.new("RGBA", (30, 30), (0, 0, 0, 0))
    ImageDraw.Draw(transparent).rectangle((10, 10, 19, 19), fill=RED + (255,))
    assert load_upload(encode(transparent, "PNG"), **LIMITS).mode == "RGBA"
    opaque = Image.new("RGBA", (30, 30), RED + (255,))
    assert load_upload(encode(opaque, "PNG"), **LIMITS).mode == "RGB"


# Accepted types


def test_heic_from_a_phone_is_accepted_upright_and_clean():
    pillow_heif.register_heif_opener()
    photo = encode(marked_photo(), "HEIF", quality=90, exif=private_exif().tobytes())
    assert Image.open(io.BytesIO(photo)).format == "HEIF"

    image = load_upload(photo, **LIMITS)

    assert image.size == (80, 120)
    assert close_to(image.getpixel((75, 5)), RED, tolerance=50)
    assert_no_metadata(image)


def test_webp_and_multi_picture_jpeg_are_accepted():
    assert load_upload(encode(marked_photo(), "WEBP", exif=private_exif()), **LIMITS).size == (80, 120)
    mpo = encode(marked_photo(), "MPO", save_all=True, append_images=[marked_photo()])
    assert Image.open(io.BytesIO(mpo)).format == "MPO"  # how some phone cameras write JPEGs
    assert load_upload(mpo, **LIMITS).size == (120, 80)


# Rejections


def rejection(data, **limits) -> ImageRejected:
    with pytest.raises(ImageRejected) as error:
        load_upload(data, **{**LIMITS, **limits})
    return error.value


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"This is my photo, honestly.\n", "not_an_image"),  # a text file named photo.jpg
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "not_an_image"),
        (b"", "not_an_image"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "unsupported_type"),
        (encode(marked_photo(), "GIF"), "unsupported_type"),
        (encode(marked_photo(), "BMP"), "unsupported_type"),
        (encode(marked_photo(), "TIFF"), "unsupported_type"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "corrupt"),  # starts like a JPEG, nothing behind
    ],
)
def test_files_that_are_not_accepted_photos(data, reason):
    assert rejection(data).reason == reason


def test_truncated_jpeg_is_corrupt():
    photo = encode(noisy((400, 300), GREY, seed=2, amount=0.5), "JPEG", quality=90)
    assert rejection(photo[: len(photo) // 2]).reason == "corrupt"


def test_too_many_bytes_is_refused_without_reading_everything():
    photo = encode(marked_photo(), "PNG")
    assert rejection(photo, max_bytes=len(photo) - 1).reason == "too_large_bytes"
    stream = io.BytesIO(photo + b"\x00" * 10_000)
    assert rejection(stream, max_bytes=len(photo)).reason == "too_large_bytes"
    assert stream.tell() == len(photo) + 1
    assert load_upload(io.BytesIO(photo), max_bytes=len(photo), max_pixels=10_000).size == (120, 80)


def test_pixel_count_is_checked_from_the_header_before_decoding():
    # These files cannot be decoded (see png_header_only): a refusal for their size, with the size
    # read from the header as its detail, can only come from the check made before decoding.
    big = rejection(png_header_only(8000, 6000))
    assert big.reason == "too_many_pixels" and str(big) == "too_many_pixels: 8000x6000"  # 48 MP > 40 MP
    assert rejection(png_header_only(500, 500), max_pixels=200_000).reason == "too_many_pixels"
    assert rejection(png_header_only(100, 100)).reason == "corrupt"  # the same file, small: decoded and broken


def test_decompression_bombs_are_refused():
    # 400 MP: Pillow itself raises; 100 MP: Pillow only warns, and the warning must count as a refusal
    # even when the caller's own limit is higher.
    huge = encode(Image.new("1", (20000, 20000)), "PNG")
    assert len(huge) < 100_000
    assert rejection(huge).reason == "too_many_pixels"
    assert rejection(png_header_only(10000, 10000), max_pixels=500_000_000).reason == "too_many_pixels"


def test_rejection_messages_are_lazy_and_show_the_limit_in_the_readers_digits(app):
    too_big = rejection(b"x" * (2 * 1024 * 1024 + 1), max_bytes=2 * 1024 * 1024)
    too_many = rejection(png_header_only(8000, 6000))
    with app.test_request_context("/", headers={"Cookie": "locale=en"}):
        assert " 2 MB" in str(too_big.message)
        assert " 40 megapixels" in str(too_many.message)
        assert "JPEG, PNG, WebP or HEIC" in str(rejection(b"hello").message)
    with app.test_request_context("/", headers={"Cookie": "locale=fa"}):
        assert "۲" in str(too_big.message) and "۴۰" in str(too_many.message)


# Variants


def test_variants_have_exact_widths_webp_and_the_same_aspect(tmp_path):
    photo = encode(marked_photo((2000, 1500)), "JPEG", quality=90)
    stored = process_upload(photo, tmp_path, widths=(320, 640, 1280), **LIMITS)

    assert sorted(stored.variants) == [320, 640, 1280]
    assert re.fullmatch(r"[0-9a-f]{32}", stored.key)
    assert (stored.width, stored.height) == (1280, 960)
    for width, path in stored.variants.items():
        assert path == f"{stored.key[:2]}/{stored.key}-{width}.webp"
        with Image.open(tmp_path / path) as variant:
            assert variant.format == "WEBP"
            assert variant.size == (width, width * 3 // 4)
    assert stored_files(tmp_path) == sorted(stored.variants.values())  # nothing else, no temporary files


def test_same_upload_twice_is_stored_once(tmp_path):
    photo = encode(marked_photo((900, 600)), "JPEG", quality=90, exif=private_exif(orientation=1))
    first = process_upload(photo, tmp_path, **LIMITS)
    files = stored_files(tmp_path)
    second = process_upload(io.BytesIO(photo), tmp_path, **LIMITS)
    assert second == first
    assert stored_files(tmp_path) == files


def test_key_depends_on_pixels_not_on_metadata(tmp_path):
    pixels = marked_photo((400, 300))
    plain = process_upload(encode(pixels, "PNG"), tmp_path, **LIMITS)
    with_exif = process_upload(encode(pixels, "PNG", exif=private_exif(orientation=1)), tmp_path, **LIMITS)
    other = process_upload(encode(marked_photo((400, 301)), "PNG"), tmp_path, **LIMITS)
    assert plain.key == with_exif.key != other.key


def test_small_images_are_never_upscaled(tmp_path):
    assert variant_widths(500) == [320, 480, 500]
    assert variant_widths(640) == [320, 480, 640]
    assert variant_widths(400) == [320, 400]
    assert variant_widths(200) == [200]
    assert variant_widths(3000) == [320, 480, 640, 1280]

    stored = process_upload(encode(marked_photo((500, 250)), "PNG"), tmp_path, **LIMITS)
    assert sorted(stored.variants) == [320, 480, 500]
    assert (stored.width, stored.height) == (500, 250)
    with Image.open(tmp_path / stored.variants[500]) as variant:
        assert variant.size == (500, 250)


def test_big_jpegs_are_decoded_at_reduced_scale():
    photo = encode(marked_photo((2560, 1920)), "JPEG", quality=85)
    assert load_upload(photo, **LIMITS).size == (2560, 1920)
    assert load_upload(photo, draft_width=1280, **LIMITS).size == (1280, 960)
    assert load_upload(photo, draft_width=1000, **LIMITS).size == (1280, 960)  # never narrower than asked
    assert load_upload(photo, draft_width=1281, **LIMITS).size == (2560, 1920)
    # Turned a quarter by its EXIF: the upright width is what must stay wide enough.
    turned = encode(marked_photo((2560, 1920)), "JPEG", quality=85, exif=private_exif())
    assert load_upload(turned, draft_width=1280, **LIMITS).size == (1920, 2560)
    assert load_upload(turned, draft_width=960, **LIMITS).size == (960, 1280)
    # Other types are shrunk by a whole factor after decoding, just as far.
    png = encode(marked_photo((2700, 1800)), "PNG")
    assert load_upload(png, draft_width=1280, **LIMITS).size == (1350, 900)
    assert load_upload(png, draft_width=1351, **LIMITS).size == (2700, 1800)


def test_url_path_and_srcset():
    stored = StoredImage("ab12", 500, 250, "#ffffff", {320: "ab/ab12-320.webp", 500: "ab/ab12-500.webp"})
    assert stored.url_path(300) == "ab/ab12-320.webp"
    assert stored.url_path(400) == "ab/ab12-500.webp"
    assert stored.url_path(1280) == "ab/ab12-500.webp"
    assert stored.srcset(lambda path: "/media/" + path) == "/media/ab/ab12-320.webp 320w, /media/ab/ab12-500.webp 500w"


def test_dominant_colour_of_a_mostly_red_photo_is_red(tmp_path):
    # 60% noisy red beside 40% smooth blue: an average would be purple, the smoother blue must not win.
    image = noisy((300, 200), RED, seed=1)
    image.paste(Image.new("RGB", (120, 200), BLUE), (180, 0))
    stored = process_upload(encode(image, "JPEG", quality=85), tmp_path, **LIMITS)
    assert re.fullmatch(r"#[0-9a-f]{6}", stored.dominant_color)
    red, green, blue = (int(stored.dominant_color[i : i + 2], 16) for i in (1, 3, 5))
    assert red > 170 and green < 80 and blue < 80, stored.dominant_color


def test_dominant_colour_of_a_transparent_logo_is_its_ink():
    logo = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rectangle((0, 0, 99, 69), fill=BLUE + (255,))
    assert close_to(_hex(dominant_color(logo)), BLUE, tolerance=10)
    logo.putalpha(0)
    assert dominant_color(logo) == "#ffffff"  # fully transparent counts as the white page


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


# PNG logos


def test_store_png_is_content_named_and_metadata_free(tmp_path):
    logo = Image.new("RGBA", (192, 192), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((20, 20, 171, 171), fill=(30, 90, 160, 255))
    logo.info.update({"icc_profile": swapped_primaries_profile(), "exif": private_exif().tobytes()})

    path = store_png(logo, tmp_path)

    assert re.fullmatch(r"([0-9a-f]{2})/\1[0-9a-f]{30}\.png", path)
    data = (tmp_path / path).read_bytes()
    assert set(png_chunks(data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    with Image.open(tmp_path / path) as stored:
        assert stored.size == (192, 192) and stored.mode == "RGBA"
        assert stored.getpixel((0, 0))[3] == 0
    assert store_png(logo, tmp_path) == path
    assert stored_files(tmp_path) == [path]


def test_html_named_png_is_not_an_image():
    assert rejection(b"<!doctype html><html><script>alert(1)</script></html>").reason == "not_an_image"


def test_cmyk_jpeg_is_accepted_as_rgb_without_metadata():
    cmyk = Image.new("CMYK", (300, 200), (0, 200, 200, 0))  # a red in print colours
    image = load_upload(encode(cmyk, "JPEG", quality=95), **LIMITS)
    assert image.mode == "RGB" and not image.info.get("icc_profile")
    red, green, blue = image.getpixel((150, 100))
    assert red > 200 and green < 90 and blue < 90


def test_animated_image_keeps_its_first_frame_only(tmp_path):
    frames = [Image.new("RGB", (200, 200), colour) for colour in ((200, 30, 30), (30, 30, 200))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], duration=100, loop=0)
    image = load_upload(buffer.getvalue(), **LIMITS)
    assert getattr(image, "n_frames", 1) == 1 and image.getpixel((100, 100))[0] > 150
    stored = store_variants(image, tmp_path, (320, 640, 1280))
    with Image.open(tmp_path / stored.variants[200]) as served:
        assert getattr(served, "n_frames", 1) == 1


# Variants added later (`flask media variants`)


def test_missing_variant_widths_are_added_once_from_the_widest_file(tmp_path):
    stored = process_upload(
        encode(marked_photo((2000, 1500)), "JPEG", quality=90), tmp_path, widths=(320, 640, 1280), **LIMITS
    )
    old = stored.as_dict()
    assert not (tmp_path / variant_path(stored.key, 480)).exists()

    updated = add_missing_variants(old, tmp_path, (320, 480, 640, 1280))

    assert updated is not None and updated["key"] == old["key"]
    assert sorted(updated["variants"]) == ["1280", "320", "480", "640"]
    assert updated["variants"]["480"] == variant_path(stored.key, 480)
    with Image.open(tmp_path / updated["variants"]["480"]) as variant:
        assert variant.format == "WEBP" and variant.size == (480, 360)
        assert variant.getpixel((2, 2))[0] > 150  # the red corner is still top-left
    assert StoredImage.from_dict(updated).url_path(400).endswith("-480.webp")
    files = stored_files(tmp_path)
    assert add_missing_variants(updated, tmp_path, (320, 480, 640, 1280)) is None  # idempotent
    assert stored_files(tmp_path) == files


def test_small_photo_gets_no_upscaled_variant_and_a_lost_file_is_drawn_again(tmp_path):
    small = process_upload(encode(marked_photo((400, 300)), "PNG"), tmp_path, widths=(320, 640, 1280), **LIMITS)
    assert add_missing_variants(small.as_dict(), tmp_path, (320, 480, 640, 1280)) is None  # 400 < 480

    stored = process_upload(encode(marked_photo((900, 600)), "PNG"), tmp_path, widths=(320, 480, 640), **LIMITS)
    (tmp_path / stored.variants[480]).unlink()
    updated = add_missing_variants(stored.as_dict(), tmp_path, (320, 480, 640))
    assert updated == stored.as_dict()
    assert (tmp_path / stored.variants[480]).is_file()


def test_a_srcset_never_names_a_file_that_is_gone(tmp_path):
    stored = process_upload(encode(marked_photo((900, 600)), "PNG"), tmp_path, widths=(320, 640), **LIMITS)
    (tmp_path / stored.variants[640]).unlink()  # the widest file is lost: it cannot be drawn again

    updated = add_missing_variants(stored.as_dict(), tmp_path, (320, 480, 640))

    assert updated is not None and sorted(updated["variants"]) == ["320"]
    assert (updated["width"], updated["height"]) == (320, 213)
    for path in updated["variants"].values():
        assert (tmp_path / path).is_file()
    (tmp_path / stored.variants[320]).unlink()
    with pytest.raises(FileNotFoundError):
        add_missing_variants(updated, tmp_path, (320, 480, 640))
