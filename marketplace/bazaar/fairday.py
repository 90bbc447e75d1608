"""Fair day: each accepted producer's pass (a short code, a PNG with a QR code), checking in at the
door, and the sales she records at her booth (or staff record for her)."""

import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import segno
from flask_babel import gettext
from PIL import Image, ImageDraw, ImageFont, ImageOps
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..core.dates import as_utc, format_jalali, utcnow
from ..core.errors import RuleError
from ..core.fonts import source_font
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..extensions import db
from .models import (
    PUBLIC_FAIR_STATUSES,
    RUNNING_FAIR_STATUSES,
    Application,
    ApplicationStatus,
    BazaarEvent,
    InPersonSale,
)

# No 0/O, 1/I/L: a code read aloud or typed from paper cannot be misread.
PASS_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # noqa: S105 (an alphabet, not a secret)
PASS_LENGTH = 8
SALES_DAYS_AFTER = 7
MAX_SALE_RIAL = 10_000_000_000  # a billion toman in one line is a typo, not a sale
NOTE_MAX = 200

# A barcode scanner is a keyboard: on a phone or laptop set to the Persian layout it types the
# Persian letter on each key. Those letters are read back as the Latin key they sit on.
_PERSIAN_KEYS = str.maketrans(
    {
        "ض": "Q",
        "ص": "W",
        "ث": "E",
        "ق": "R",
        "ف": "T",
        "غ": "Y",
        "ع": "U",
        "ه": "I",
        "خ": "O",
        "ح": "P",
        "ش": "A",
        "س": "S",
        "ی": "D",
        "ي": "D",
        "ب": "F",
        "ل": "G",
        "ا": "H",
        "ت": "J",
        "ن": "K",
        "م": "L",
        "ظ": "Z",
        "ط": "X",
        "ز": "C",
        "ر": "V",
        "ذ": "B",
        "د": "N",
        "پ": "M",
    }
)
_NOT_CODE = re.compile(r"[^0-9A-Z]")


# ---------------------------------------------------------------- pass codes


def normalize_code(text: str | None) -> str:
    """A pass code as typed or scanned, in any digits, case, spacing or keyboard layout → «AB3D7KQ2».
    A scanned check-in address («…/checkin?code=AB3D7KQ2») gives its code."""
    text = to_latin_digits(text or "").strip()
    match = re.search(r"code=([^&#\s]+)", text)
    if match:
        text = match.group(1)
    return _NOT_CODE.sub("", text.translate(_PERSIAN_KEYS).upper())


def new_pass_code() -> str:
    """A random code that no pass has yet."""
    while True:
        code = "".join(secrets.choice(PASS_ALPHABET) for _ in range(PASS_LENGTH))
        if db.session.scalar(select(Application.id).where(Application.pass_code == code)) is None:
            return code


def ensure_pass_code(application: Application) -> str:
    """Her pass code, made the first time an accepted application needs one."""
    if application.status != ApplicationStatus.ACCEPTED:
        raise RuleError("", _l("Only accepted producers get a pass."))
    if not application.pass_code:
        application.pass_code = new_pass_code()
        db.session.flush()
    return application.pass_code


def grouped(code: str) -> str:
    """«AB3D 7KQ2»: easier to read out and type."""
    return f"{code[:4]} {code[4:]}" if len(code) == PASS_LENGTH else code


# ---------------------------------------------------------------- the pass image

PASS_SIZE = (900, 1350)
INK, GREEN, MUTED = "#1b1d21", "#1f5f4a", "#4a4f57"


@cache
def _font_file() -> bytes:
    """Noto Sans Arabic, the font the site's own Persian webfont is cut from (core/fonts.py)."""
    return source_font().read_bytes()


def _font(size: int, weight: int = 400) -> ImageFont.FreeTypeFont:
    """The face at `size` px with raqm layout (bidi, shaping), its weight axis set."""
    font = ImageFont.truetype(io.BytesIO(_font_file()), size, layout_engine=ImageFont.Layout.RAQM)
    try:
        axes = font.get_variation_axes()
    except OSError:  # a static font: one weight
        return font
    font.set_variation_by_axes(
        [weight if axis["name"] in (b"Weight", "Weight") else axis["default"] for axis in axes]  # type: ignore[misc]
    )
    return font


def _layout(text: str) -> dict:
    persian = any("\u0600" <= char <= "\u06ff" for char in text)
    return {"direction": "rtl", "language": "fa"} if persian else {"direction": "ltr", "language": "en"}


def _line(draw: ImageDraw.ImageDraw, text: str, centre_y: float, size: int, *, weight=400, fill=INK, width=820):
    """One line of text centred at centre_y, shrunk until it fits `width` (then cut with «…»)."""
    if not text:
        return
    font = _font(size, weight)
    while font.getlength(text, **_layout(text)) > width and size > 18:
        size -= 2
        font = _font(size, weight)
    while font.getlength(text, **_layout(text)) > width and len(text) > 2:
        text = text[:-2] + "…"
    draw.text((PASS_SIZE[0] / 2, centre_y), text, font=font, fill=fill, anchor="mm", **_layout(text))


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code's modules (with no quiet zone) as segno makes them for `data`."""
    code = segno.make_qr(data, error="m", boost_error=True)
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=0)]


def _qr(data: str, box: int) -> Image.Image:
    """The QR code of `data`, black on white with its quiet zone, in whole pixels per module."""
    matrix = qr_matrix(data)
    bits = Image.new("L", (len(matrix), len(matrix)), 255)
    bits.putdata([0 if dark else 255 for row in matrix for dark in row])
    bits = ImageOps.expand(bits, border=4, fill=255)  # the quiet zone scanners need
    scale = max(1, box // bits.width)
    return bits.resize((bits.width * scale, bits.height * scale), Image.Resampling.NEAREST)


def fair_dates_text(fair: BazaarEvent) -> str:
    """«۱۰ اردیبهشت ۱۴۰۵ تا ۱۲ اردیبهشت ۱۴۰۵، ساعت ۱۰:۰۰ تا ۱۸:۰۰» (Tehran time)."""
    start, end = as_utc(fair.starts_at), as_utc(fair.ends_at)
    return gettext(
        "%(start)s to %(end)s, %(open)s to %(close)s",
        start=format_jalali(start, with_time=False),
        end=format_jalali(end, with_time=False),
        open=format_jalali(start).rsplit(" ", 1)[-1],
        close=format_jalali(end).rsplit(" ", 1)[-1],
    )


def pass_png(application: Application) -> bytes:
    """Her booth pass, 900×1350 px (prints well on A6): the fair's title and dates, the venue, her
    shop's name, her booth code, and a QR code holding her pass code, which is also printed."""
    code = ensure_pass_code(application)
    fair = application.fair
    image = Image.new("RGB", PASS_SIZE, "#ffffff")
    draw = ImageDraw.Draw(image)
    width = PASS_SIZE[0]
    draw.rectangle((0, 0, width, 230), fill=GREEN)
    _line(draw, gettext("Booth pass"), 55, 34, fill="#ffffff")
    _line(draw, fair.title, 135, 60, weight=700, fill="#ffffff")
    _line(draw, fair_dates_text(fair), 275, 30, fill=MUTED)
    _line(draw, fair.venue_name, 325, 30, fill=MUTED)
    _line(draw, application.shop.name, 410, 58, weight=700)
    booth = application.booth.code if application.booth is not None else "—"
    _line(draw, gettext("Booth"), 490, 30, fill=MUTED)
    _line(draw, booth, 560, 96, weight=700, fill=GREEN)
    qr = _qr(code, 520)
    image.paste(qr, ((width - qr.width) // 2, 640))
    bottom = 640 + qr.height
    _line(draw, grouped(code), bottom + 35, 44, weight=700)
    _line(draw, gettext("Show this pass at the entrance on the fair day."), bottom + 100, 28, fill=MUTED)
    draw.rectangle((0, 0, width - 1, PASS_SIZE[1] - 1), outline=GREEN, width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# ---------------------------------------------------------------- check-in


def check_in(fair: BazaarEvent, code: str, staff: User, now: datetime | None = None) -> Application:
    """Record a producer's arrival from the code on her pass. Refused for an empty, unknown or
    another fair's code, an application no longer accepted, a fair not yet published or closed,
    and a pass already used (saying when). Two staff scanning at once cannot both record it."""
    now = now or utcnow()
    if fair.status not in RUNNING_FAIR_STATUSES:
        raise RuleError("code", _l("Check-in is open only while the fair is published or live."))
    typed = normalize_code(code)
    if not typed:
        raise RuleError("code", _l("Type the code printed under the QR code, or scan it."))
    application = db.session.scalar(
        select(Application).where(Application.pass_code == typed).options(selectinload(Application.shop))
    )
    if application is None:
        raise RuleError("code", _l("This code (%(code)s) was not found. Check it and type it again.", code=typed))
    if application.fair_id != fair.id:
        raise RuleError("code", _l("This pass is for another fair: %(fair)s.", fair=application.fair.title))
    if application.status != ApplicationStatus.ACCEPTED:
        raise RuleError(
            "code",
            _l("This pass is no longer valid: «%(shop)s» has no place at this fair.", shop=application.shop.name),
        )
    if application.checked_in_at is not None:
        raise _already(application)
    result = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.checked_in_at.is_(None))
        .values(checked_in_at=now, checked_in_by_id=staff.id)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(application)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _already(application)
    return application


def _already(application: Application) -> RuleError:
    return RuleError(
        "code",
        _l(
            "«%(shop)s» already checked in with this pass on %(when)s.",
            shop=application.shop.name,
            when=format_jalali(application.checked_in_at),
        ),
    )


def arrivals(fair: BazaarEvent) -> list[Application]:
    """Who has checked in, latest first."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.fair_id == fair.id, Application.checked_in_at.is_not(None))
            .options(selectinload(Application.shop), selectinload(Application.booth))
            .order_by(Application.checked_in_at.desc(), Application.id.desc())
        )
    )


# ---------------------------------------------------------------- sales


def sales_window(fair: BazaarEvent) -> tuple[datetime, datetime]:
    """From the fair's start until 7 days after its end."""
    return as_utc(fair.starts_at), as_utc(fair.ends_at) + timedelta(days=SALES_DAYS_AFTER)


def sales_open(fair: BazaarEvent, now: datetime | None = None) -> bool:
    """Whether sales may be recorded now."""
    start, end = sales_window(fair)
    return fair.status in PUBLIC_FAIR_STATUSES and start <= (now or utcnow()) < end


def record_sale(
    application: Application,
    amount_rial: int | None,
    item_count: int | None,
    note: str,
    recorded_by: User,
    now: datetime | None = None,
) -> InPersonSale:
    """A sale at her booth, recorded by her (only for her own application) or by staff."""
    now = now or utcnow()
    if not recorded_by.has_role("staff") and application.shop.owner_id != recorded_by.id:
        raise RuleError("", _l("You can record sales only for your own booth."))
    if application.status != ApplicationStatus.ACCEPTED:
        raise RuleError("", _l("Sales can be recorded only for producers accepted at the fair."))
    start, end = sales_window(application.fair)
    if application.fair.status not in PUBLIC_FAIR_STATUSES or now < start:
        raise RuleError("", _l("Sales can be recorded from the start of the fair."))
    if now >= end:
        raise RuleError("", _l("Sales can be recorded until %(num)s days after the fair ends.", num=SALES_DAYS_AFTER))
    if amount_rial is None or amount_rial <= 0:
        raise RuleError("amount", _l("Write the amount in toman, more than zero."))
    if amount_rial > MAX_SALE_RIAL:
        raise RuleError("amount", _l("This amount is too large. Check the zeros."))
    if item_count is None or item_count < 1:
        raise RuleError("item_count", _l("Write how many items you sold (at least 1)."))
    if item_count > 10_000:
        raise RuleError("item_count", _l("This number of items is too large. Check it."))
    sale = InPersonSale(
        application_id=application.id,
        amount_rial=amount_rial,
        item_count=item_count,
        note=normalize_text(note)[:NOTE_MAX],
        recorded_by_id=recorded_by.id,
        recorded_at=now,
    )
    db.session.add(sale)
    db.session.flush()
    return sale


@dataclass
class SalesTotal:
    """The sum of her recorded sales."""

    amount_rial: int
    item_count: int
    lines: int


def sales_total(application: Application) -> SalesTotal:
    """Her recorded sales at this fair, added up (one query)."""
    amount, items, lines = db.session.execute(
        select(
            func.coalesce(func.sum(InPersonSale.amount_rial), 0),
            func.coalesce(func.sum(InPersonSale.item_count), 0),
            func.count(InPersonSale.id),
        ).where(InPersonSale.application_id == application.id)
    ).one()
    return SalesTotal(int(amount), int(items), int(lines))


def sales_of(application: Application) -> list[InPersonSale]:
    """Her recorded sales, latest first."""
    return list(
        db.session.scalars(
            select(InPersonSale)
            .where(InPersonSale.application_id == application.id)
            .options(selectinload(InPersonSale.recorded_by))
            .order_by(InPersonSale.recorded_at.desc(), InPersonSale.id.desc())
        )
    )


def fair_sales(fair: BazaarEvent, limit: int = 50) -> list[InPersonSale]:
    """The fair's latest recorded sales with their shops (the staff's list)."""
    return list(
        db.session.scalars(
            select(InPersonSale)
            .join(Application)
            .where(Application.fair_id == fair.id)
            .options(selectinload(InPersonSale.application).selectinload(Application.shop))
            .order_by(InPersonSale.recorded_at.desc(), InPersonSale.id.desc())
            .limit(limit)
        )
    )
