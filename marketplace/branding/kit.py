"""The brand kit: ready-to-post and ready-to-print images built from the shop's logo, name and palette.
All text is Persian-first (shaped right to left with raqm); strings are drawn exactly as given, so
digits typed in Persian stay Persian."""

import math
from dataclasses import dataclass
from typing import cast

from PIL import Image, ImageDraw

from marketplace.branding.contrast import mix
from marketplace.branding.draw import (
    cover,
    draw_block,
    fit_logo,
    fit_text,
    paint,
    qr_image,
    scaled,
    smooth_mask,
    star_points,
    trimmed,
)
from marketplace.branding.fonts import BrandFont, available_fonts, font_by_key
from marketplace.branding.palette import Palette

from ..core.messages import lazy_gettext as _l

PRINT_DPI = 300
SCREEN_DPI = 72
TITLE_FONT_KEYS = ("kufi-bold", "sans-bold")
BODY_FONT_KEYS = ("sans-regular", "plex-regular")


def mm_to_px(mm: float, dpi: int = PRINT_DPI) -> int:
    """Millimetres at `dpi` to whole pixels (85 mm at 300 dpi → 1004)."""
    return round(mm / 25.4 * dpi)


@dataclass(frozen=True)
class KitItem:
    """One image of the kit: its key, download file name, exact pixel size, dpi and label."""

    key: str
    filename: str
    width: int
    height: int
    dpi: int
    label: object  # lazy string


KIT_ITEMS: list[KitItem] = [
    KitItem("instagram_profile", "instagram-profile.png", 1080, 1080, SCREEN_DPI, _l("Instagram profile picture")),
    KitItem("square_post", "square-post.png", 1080, 1080, SCREEN_DPI, _l("Square post")),
    KitItem("story", "story.png", 1080, 1920, SCREEN_DPI, _l("Story")),
    KitItem("sticker_sheet", "sticker-sheet-a4.png", mm_to_px(210), mm_to_px(297), PRINT_DPI, _l("Sticker sheet (A4)")),
    KitItem("business_card", "business-card.png", mm_to_px(85), mm_to_px(55), PRINT_DPI, _l("Business card")),
    KitItem("share_image", "share-image.png", 1200, 630, SCREEN_DPI, _l("Link preview image")),
]
ITEMS_BY_KEY = {item.key: item for item in KIT_ITEMS}


@dataclass(frozen=True)
class KitInputs:
    """Everything the kit is drawn from; the photo and price are optional."""

    logo: Image.Image
    shop_name: str
    tagline: str
    contact: str
    storefront_url: str
    palette: Palette
    photo: Image.Image | None = None
    price_text: str | None = None
    font_key: str | None = None  # the title face (e.g. the one the chosen logo uses)
    logo_style: str | None = None  # the chosen candidate's style; a "wordmark" replaces the name


def _face(keys: tuple[str, ...], preferred: str | None = None) -> BrandFont:
    for key in (preferred, *keys):
        face = font_by_key(key)
        if face:
            return face
    return available_fonts()[0]


def _canvas(key: str, colour: str) -> Image.Image:
    item = ITEMS_BY_KEY[key]
    image = Image.new("RGB", (item.width, item.height), colour)
    image.info["dpi"] = (item.dpi, item.dpi)
    return image


def _paste_logo(image: Image.Image, logo: Image.Image, box, align: str = "center") -> tuple[int, ...]:
    """Paste the logo fitted into box (x0, y0, x1, y1), centred (or against its right side, where
    Persian lines start); returns where it landed."""
    x0, y0, x1, y1 = box
    fitted = fit_logo(logo, x1 - x0, y1 - y0)
    left = round(x1 - fitted.width if align == "right" else (x0 + x1 - fitted.width) / 2)
    top = round((y0 + y1 - fitted.height) / 2)
    image.paste(fitted, (left, top), fitted)
    return left, top, left + fitted.width, top + fitted.height


def _pattern(image: Image.Image, palette: Palette, box: tuple[int, int, int, int], cell: int, strength: float = 0.07):
    """A quiet lattice of eight-pointed stars (as on a tiled wall) over box, in a faint primary tint."""
    tint = mix(palette.background, palette.primary, strength)
    tile = smooth_mask(
        (cell, cell),
        lambda draw, s: draw.polygon(
            scaled(star_points(cell / 2, cell / 2, cell * 0.3, turn=math.pi / 8), s), fill=255
        ),
    )
    layer = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    for y in range(-cell // 2, layer.height, cell):
        for x in range((y // cell % 2) * cell // 2 - cell // 2, layer.width, cell):
            layer.paste(tile, (x, y))
    image.paste(tint, box, layer)


def _disc_logo(image: Image.Image, logo: Image.Image, palette: Palette, centre: tuple[float, float], radius: float):
    """The logo on a background-coloured disc with a thin primary ring, to sit on photos and bands."""
    cx, cy = centre

    def disc(draw: ImageDraw.ImageDraw, s: float) -> None:
        draw.ellipse(scaled([(cx - radius, cy - radius), (cx + radius, cy + radius)], s), fill=255)

    def ring(draw: ImageDraw.ImageDraw, s: float) -> None:
        r = radius - radius * 0.06
        draw.ellipse(scaled([(cx - r, cy - r), (cx + r, cy + r)], s), outline=255, width=round(radius * 0.03 * s))

    image.paste(palette.background, (0, 0), smooth_mask(image.size, disc, 2))
    if _is_round(logo):
        # A round logo fills the disc itself; a ring around its own border would only echo it.
        inner = radius * 2 * 0.9
    else:
        image.paste(palette.primary_ink, (0, 0), smooth_mask(image.size, ring, 2))
        inner = radius * 0.8 * math.sqrt(2) * 0.92  # the square inside the ring, with a little air
    _paste_logo(image, logo, (cx - inner / 2, cy - inner / 2, cx + inner / 2, cy + inner / 2))


def _is_round(logo: Image.Image) -> bool:
    """Whether the logo's visible part is a disc: a square whose corners are transparent."""
    alpha = trimmed(logo).getchannel("A")
    width, height = alpha.size
    if abs(width - height) > 0.05 * max(width, height):
        return False
    corner = max(1, width // 10)
    boxes = [(0, 0), (width - corner, 0), (0, height - corner), (width - corner, height - corner)]
    # One band (the alpha channel) has (lowest, highest) as its extrema.
    return all(cast(tuple[int, int], alpha.crop((x, y, x + corner, y + corner)).getextrema())[1] < 32 for x, y in boxes)


def _text(image, face: BrandFont, text: str, box, colour: str, max_size: int, lines: int = 2, align: str = "center"):
    """Fit text into box (x0, y0, x1, y1) and draw it centred vertically; returns the size used."""
    x0, y0, x1, y1 = box
    if not text:
        return 0
    block = fit_text(face, text, x1 - x0, y1 - y0, max_size, lines)
    x = {"center": (x0 + x1) / 2, "right": x1, "left": x0}[align]
    draw_block(ImageDraw.Draw(image), block, x, (y0 + y1) / 2, colour, align)
    return block.font.size


def _below(title_size: int, limit: int) -> int:
    """A size for text under a title: at most `limit`, and clearly smaller than the title."""
    return min(limit, round(title_size * 0.6)) if title_size else limit


@dataclass(frozen=True)
class KitStyle:
    """How the kit is lettered: the title and body faces, and whether the logo already spells the
    name (a wordmark), in which case it stands in for the name instead of sitting beside it."""

    title: BrandFont
    body: BrandFont
    logo_shows_name: bool = False

    @classmethod
    def default(cls, font_key: str | None = None, logo_style: str | None = None) -> "KitStyle":
        """The kit's faces, with the logo's face as title face when it is available."""
        return cls(_face(TITLE_FONT_KEYS, font_key), _face(BODY_FONT_KEYS), logo_style == "wordmark")


def _brand(image, logo, shop_name: str, style: KitStyle, colour: str, logo_box, name_box, max_size: int, lines=2):
    """The logo in logo_box and the name in name_box, or, for a wordmark logo, the logo across both."""
    if style.logo_shows_name:
        box = (min(logo_box[0], name_box[0]), min(logo_box[1], name_box[1]))
        _paste_logo(image, logo, (*box, max(logo_box[2], name_box[2]), max(logo_box[3], name_box[3])))
        return
    _paste_logo(image, logo, logo_box)
    _text(image, style.title, shop_name, name_box, colour, max_size, lines)


def instagram_profile(logo: Image.Image, palette: Palette) -> Image.Image:
    """1080×1080 profile picture: the logo on the background colour, inside the circle Instagram shows."""
    image = _canvas("instagram_profile", palette.background)
    trimmed_logo = trimmed(logo)
    # Scale so the logo's corners stay inside the circular crop (diagonal ≤ 86% of the width).
    scale = 1080 * 0.86 / math.hypot(trimmed_logo.width, trimmed_logo.height)
    width, height = trimmed_logo.width * scale, trimmed_logo.height * scale
    _paste_logo(image, logo, ((1080 - width) / 2, (1080 - height) / 2, (1080 + width) / 2, (1080 + height) / 2))
    return image


def _name_band(image, shop_name: str, price_text: str | None, logo, palette: Palette, style: KitStyle):
    """The bottom band of a post: the logo in a disc on the right (when given), the name beside it,
    the price in a pill on the left."""
    width, height = image.size
    band_top = height - 230
    ImageDraw.Draw(image).rectangle((0, band_top, width, height), fill=palette.primary)
    right, left = width - 60, 60
    if logo is not None:
        _disc_logo(image, logo, palette, (width - 140, band_top), 105)
        right = width - 270
    if price_text:
        price = fit_text(style.body, price_text, 330, 64, 54)
        pill_w, pill_h = price.width + 70, 110
        pill = (left, band_top + 115 - pill_h / 2, left + pill_w, band_top + 115 + pill_h / 2)
        ImageDraw.Draw(image).rounded_rectangle(pill, radius=pill_h / 2, fill=palette.background)
        draw_block(ImageDraw.Draw(image), price, (pill[0] + pill[2]) / 2, (pill[1] + pill[3]) / 2, palette.text)
        left = pill[2] + 40
    _text(image, style.title, shop_name, (left, band_top + 40, right, height - 40), palette.on_primary, 76, 2, "right")


def square_post(
    photo: Image.Image | None,
    logo: Image.Image,
    shop_name: str,
    price_text: str | None,
    palette: Palette,
    *,
    style: KitStyle | None = None,
) -> Image.Image:
    """1080×1080 post: the photo (cropped to fill) or a tiled pattern with the logo, and a band with the
    name and price."""
    style = style or KitStyle.default()
    image = _canvas("square_post", palette.background)
    if photo is None:
        # No photo: the logo is the picture, so the band does not repeat it.
        _pattern(image, palette, (0, 0, 1080, 850), 120)
        _paste_logo(image, logo, (230, 110, 850, 730))
        band_logo = None
    else:
        image.paste(cover(photo, (1080, 850)), (0, 0))
        band_logo = None if style.logo_shows_name else logo
    _name_band(image, shop_name, price_text, band_logo, palette, style)
    return image


def story(
    photo: Image.Image | None,
    logo: Image.Image,
    shop_name: str,
    tagline: str,
    palette: Palette,
    *,
    style: KitStyle | None = None,
) -> Image.Image:
    """1080×1920 story; text stays out of the top and bottom 250 px that Instagram covers."""
    style = style or KitStyle.default()
    image = _canvas("story", palette.background)
    title_size = 0
    if photo is not None:
        image.paste(cover(photo, (1080, 1120)), (0, 0))
        if style.logo_shows_name:
            _paste_logo(image, logo, (110, 1180, 970, 1500))
        else:
            _disc_logo(image, logo, palette, (540, 1120), 170)
            title_size = _text(image, style.title, shop_name, (110, 1320, 970, 1500), palette.primary_ink, 110)
        tagline_box = (130, 1520, 950, 1640)
    else:
        _pattern(image, palette, (0, 0, 1080, 1920), 135)
        if style.logo_shows_name:
            _paste_logo(image, logo, (110, 500, 970, 1250))
            tagline_box = (130, 1300, 950, 1460)
        else:
            _disc_logo(image, logo, palette, (540, 760), 330)
            title_size = _text(image, style.title, shop_name, (110, 1160, 970, 1380), palette.primary_ink, 110)
            tagline_box = (130, 1400, 950, 1560)
    _text(image, style.body, tagline, tagline_box, palette.text, _below(title_size, 52))
    return image


def _sticker(logo, shop_name: str, contact: str, url: str, palette: Palette, style: KitStyle, size) -> Image.Image:
    """One sticker (RGBA, rounded): logo and name on the right, QR code on the left, contact below."""
    width, height = size
    sticker = Image.new("RGBA", size, (0, 0, 0, 0))
    pad = 34

    def shape(draw: ImageDraw.ImageDraw, s: float) -> None:
        draw.rounded_rectangle((0, 0, width * s - 1, height * s - 1), radius=44 * s, fill=255)

    def outline(draw: ImageDraw.ImageDraw, s: float) -> None:
        inset = 12 * s
        draw.rounded_rectangle(
            (inset, inset, width * s - inset, height * s - inset), radius=34 * s, outline=255, width=round(4 * s)
        )

    paint(sticker, smooth_mask(size, shape, 2), palette.background)
    paint(sticker, smooth_mask(size, outline, 2), palette.primary_ink)
    contact_h = 70 if contact else 0
    qr_side = min(height - 2 * pad - contact_h, round(width * 0.42))
    qr = qr_image(url, qr_side, palette.text)
    sticker.paste(qr, (pad, pad + (height - 2 * pad - contact_h - qr.height) // 2))
    x0, y0, x1, y1 = pad + qr_side + 24, pad, width - pad, height - pad - contact_h
    logo_bottom = y0 + (y1 - y0) * 0.55
    _brand(
        sticker,
        logo,
        shop_name,
        style,
        palette.primary_ink,
        (x0, y0, x1, logo_bottom),
        (x0, logo_bottom + 8, x1, y1),
        60,
    )
    if contact:
        box = (pad, height - pad - contact_h + 8, width - pad, height - pad)
        _text(sticker, style.body, contact, box, palette.text, 40, 1)
    return sticker


def sticker_sheet(
    logo: Image.Image,
    shop_name: str,
    contact: str,
    storefront_url: str,
    palette: Palette,
    *,
    style: KitStyle | None = None,
) -> Image.Image:
    """A4 at 300 dpi (2480×3508): 3×6 stickers to cut out, each with logo, name, contact and a QR code
    to the storefront. Margins of 10 mm keep them clear of what home printers cannot reach."""
    style = style or KitStyle.default()
    image = _canvas("sticker_sheet", "#ffffff")
    columns, rows, margin, gap = 3, 6, mm_to_px(10), mm_to_px(4)
    width = (image.width - 2 * margin - (columns - 1) * gap) // columns
    height = (image.height - 2 * margin - (rows - 1) * gap) // rows
    # Drawn once and pasted 18 times: the sheet costs one sticker plus the pastes.
    sticker = _sticker(logo, shop_name, contact, storefront_url, palette, style, (width, height))
    for row in range(rows):
        for column in range(columns):
            image.paste(sticker, (margin + column * (width + gap), margin + row * (height + gap)), sticker)
    return image


def business_card(
    logo: Image.Image,
    shop_name: str,
    tagline: str,
    contact: str,
    storefront_url: str,
    palette: Palette,
    *,
    style: KitStyle | None = None,
) -> Image.Image:
    """85×55 mm at 300 dpi (1004×650): logo, name, tagline and contact on the right, QR on the left;
    everything 4 mm inside the edge, where trimming cannot cut it."""
    style = style or KitStyle.default()
    image = _canvas("business_card", palette.background)
    width, height = image.size
    safe, strip = mm_to_px(4), 26
    ImageDraw.Draw(image).rectangle((0, height - strip, width, height), fill=palette.primary)
    qr = qr_image(storefront_url, 330, palette.text)
    image.paste(qr, (safe, (height - strip - qr.height) // 2))
    left, right = safe + qr.width + 36, width - safe
    # Right column, top to bottom: logo, name, tagline; the contact sits on the bottom edge.
    title_size = 0
    if style.logo_shows_name:
        _paste_logo(image, logo, (left, safe, right, safe + 200), align="right")
        tagline_box = (left, safe + 215, right, safe + 320)
    else:
        _paste_logo(image, logo, (right - 170, safe, right, safe + 170), align="right")
        name_box = (left, safe + 180, right, safe + 300)
        title_size = _text(image, style.title, shop_name, name_box, palette.primary_ink, 64, 2, "right")
        tagline_box = (left, safe + 310, right, safe + 390)
    _text(image, style.body, tagline, tagline_box, palette.text, _below(title_size, 38), 2, "right")
    bottom = height - strip - safe
    _text(image, style.body, contact, (left, bottom - 60, right, bottom), palette.text, 34, 1, "right")
    return image


def share_image(
    logo: Image.Image,
    shop_name: str,
    tagline: str,
    palette: Palette,
    *,
    style: KitStyle | None = None,
) -> Image.Image:
    """1200×630 link preview (OpenGraph): logo on the right, name and tagline beside it."""
    style = style or KitStyle.default()
    image = _canvas("share_image", palette.background)
    _pattern(image, palette, (0, 0, 1200, 630), 105, 0.05)
    ImageDraw.Draw(image).rectangle((0, 600, 1200, 630), fill=palette.primary)
    if style.logo_shows_name:
        _paste_logo(image, logo, (160, 70, 1040, 400))
        _text(image, style.body, tagline, (160, 420, 1040, 540), palette.text, 48)
        return image
    _disc_logo(image, logo, palette, (1200 - 300, 300), 230)
    title_size = _text(image, style.title, shop_name, (60, 150, 640, 380), palette.primary_ink, 96)
    _text(image, style.body, tagline, (60, 400, 640, 520), palette.text, _below(title_size, 44))
    return image


def render_item(key: str, inputs: KitInputs) -> Image.Image:
    """One kit item (a key of KIT_ITEMS) as an RGB image of its exact size, with its dpi set."""
    i, style = inputs, KitStyle.default(inputs.font_key, inputs.logo_style)
    if key == "instagram_profile":
        return instagram_profile(i.logo, i.palette)
    if key == "square_post":
        return square_post(i.photo, i.logo, i.shop_name, i.price_text, i.palette, style=style)
    if key == "story":
        return story(i.photo, i.logo, i.shop_name, i.tagline, i.palette, style=style)
    if key == "sticker_sheet":
        return sticker_sheet(i.logo, i.shop_name, i.contact, i.storefront_url, i.palette, style=style)
    if key == "business_card":
        return business_card(i.logo, i.shop_name, i.tagline, i.contact, i.storefront_url, i.palette, style=style)
    if key == "share_image":
        return share_image(i.logo, i.shop_name, i.tagline, i.palette, style=style)
    raise KeyError(f"no kit item {key!r}")


def render_kit(inputs: KitInputs) -> dict[str, Image.Image]:
    """Every kit item by key (see KIT_ITEMS), each an RGB image of the exact size with its dpi set."""
    return {item.key: render_item(item.key, inputs) for item in KIT_ITEMS}
