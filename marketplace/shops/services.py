"""Shop rules: names and slugs, the wizard's data, social handles, status changes, brand score.

Plain functions with explicit arguments; they flush, never commit (the route commits once).
"""

import re
from dataclasses import dataclass

from sqlalchemy import select

from ..accounts.models import User
from ..branding.contrast import parse_hex
from ..branding.palette import Palette, check_palette
from ..core.dates import utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..core.phone import PhoneError, display_phone, normalize_iranian_mobile
from ..extensions import db
from .models import WIZARD_STEPS, Shop, ShopDecision, ShopSlug, ShopStatus

NAME_MAX = 60
TAGLINE_MAX = 80
STORY_MAX = 1500

# Suggested in the neighbourhood field; free text is accepted too.
MASHHAD_NEIGHBOURHOODS = (
    "گلشهر",
    "التیمور",
    "سیدی",
    "خواجه ربیع",
    "شهرک شهید رجایی",
    "پنج‌تن",
    "قلعه‌ساختمان",
    "توس",
    "طلاب",
    "سیس‌آباد",
    "شهرک طرق",
    "بهمن",
    "کوی امیر",
    "رسالت",
    "پنجتن آل عبا",
    "قاسم‌آباد",
    "الهیه",
    "سجاد",
    "احمدآباد",
    "وکیل‌آباد",
    "هاشمیه",
    "طبرسی",
    "عبدالمطلب",
    "مهرآباد",
)
CRAFT_SUGGESTIONS = (
    "گلدوزی",
    "سوزن‌دوزی",
    "گلیم‌بافی",
    "سفالگری",
    "ترشی خانگی",
    "مربای خانگی",
    "شیرینی خانگی",
    "سبزی خشک",
    "صابون گیاهی",
    "بافتنی",
    "لباس محلی",
    "چرم دست‌دوز",
    "عروسک‌دوزی",
    "رب و ادویه",
)


class ShopError(RuleError):
    """A rule said no; `field` names the form field the message belongs next to."""


# ---------------------------------------------------------------- names and slugs

_SLUG_DROP = re.compile(r"[^\w\-]+", re.UNICODE)
_SLUG_DASHES = re.compile(r"-{2,}")


def slugify(name: str) -> str:
    """A URL slug that keeps Persian letters: «گلدوزی مریم» → «گلدوزی-مریم»."""
    text = to_latin_digits(normalize_text(name)).lower()
    text = text.replace("\u200c", "-").replace(" ", "-").replace("_", "-")
    text = _SLUG_DROP.sub("", text)
    return _SLUG_DASHES.sub("-", text).strip("-")[:80]


def slug_owner(slug: str) -> int | None:
    """The id of the shop that uses `slug` now or used it before, if any."""
    current = db.session.scalar(select(Shop.id).where(Shop.slug == slug))
    if current is not None:
        return current
    return db.session.scalar(select(ShopSlug.shop_id).where(ShopSlug.slug == slug))


def name_problem(name: str, shop_id: int | None = None):
    """Why `name` cannot be this shop's name (a lazy message), or None when it can."""
    name = normalize_text(name)
    if not name:
        return _l("Enter a name for your shop.")
    if len(name) > NAME_MAX:
        return _l("Use at most %(num)s characters.", num=NAME_MAX)
    slug = slugify(name)
    if not slug or to_latin_digits(name).replace(" ", "").isdigit():
        return _l("A shop name needs letters, not only digits or signs.")
    owner = slug_owner(slug)
    if owner is not None and owner != shop_id:
        return _l("Another shop already has this name. Try adding your neighbourhood or first name.")
    return None


def name_ideas(craft: str, first_name: str, neighbourhood: str) -> list[str]:
    """Name ideas from her craft, first name and neighbourhood, e.g. «گلدوزی مریم», «ترشی خانگی توس».

    Ideas already taken by other shops are left out."""
    craft, first_name, neighbourhood = (normalize_text(v) for v in (craft, first_name, neighbourhood))
    ideas = []
    if craft and first_name:
        ideas += [f"{craft} {first_name}", f"{craft} خانم {first_name}", f"کارگاه {craft} {first_name}"]
    if craft and neighbourhood:
        ideas += [f"{craft} {neighbourhood}", f"{craft} خانگی {neighbourhood}"]
    if first_name:
        ideas += [f"دست‌ساز {first_name}", f"خانهٔ {first_name}"]
    if neighbourhood:
        ideas.append(f"هنر {neighbourhood}")
    unique = list(dict.fromkeys(idea for idea in ideas if len(idea) <= NAME_MAX))
    return [idea for idea in unique if name_problem(idea) is None][:6]


# ---------------------------------------------------------------- text that is reviewed

# Which edits of an approved shop wait for the centre: the words a buyer reads on its page.
# The shop stays public with its approved text meanwhile (an approved shop renaming itself does
# not go dark, as on Etsy); colours, logo, banner, social handles and practical settings change
# at once. Until a shop is first approved its text is reviewed with the shop itself.
REVIEWED_FIELDS = ("name", "tagline", "story", "neighbourhood", "city")
TEXT_ACTIONS = {"approve_text", "decline_text"}


def _set_reviewed(shop: Shop, field: str, value: str) -> None:
    """Write a reviewed field: at once while the shop is not public, held for review once it is."""
    pending = dict(shop.pending_text or {})
    pending.pop(field, None)
    if shop.is_public and value != getattr(shop, field):
        pending[field] = value
    elif field == "name":
        _rename(shop, value)
    else:
        setattr(shop, field, value)
    shop.pending_text = pending or None


def shop_text(shop: Shop) -> dict[str, str]:
    """Her reviewed fields as she last wrote them (pending text over the approved one): her forms show this."""
    return {field: getattr(shop, field) for field in REVIEWED_FIELDS} | (shop.pending_text or {})


def review_text(shop: Shop, actor: User, action: str, reason: str = "") -> ShopDecision:
    """Staff approve an approved shop's pending text (it goes live) or decline it with a reason."""
    if not shop.pending_text or action not in TEXT_ACTIONS:
        raise ShopError("action", _l("This shop cannot be changed that way now."))
    reason = normalize_text(reason, multiline=True)
    if action == "decline_text" and not reason:
        raise ShopError("reason", _l("Write the reason; the producer will see it."))
    if action == "approve_text":
        for field, value in shop.pending_text.items():
            if field == "name":
                problem = name_problem(value, shop.id)
                if problem:
                    raise ShopError("reason", problem)
                _rename(shop, value)
            elif field in REVIEWED_FIELDS:
                setattr(shop, field, value)
    shop.pending_text = None
    decision = ShopDecision(
        shop=shop, actor=actor, action=action, from_status=shop.status, to_status=shop.status, reason=reason
    )
    db.session.add(decision)
    return decision


def _set_name(shop: Shop, name: str) -> None:
    problem = name_problem(name, shop.id)
    if problem:
        raise ShopError("name", problem)
    _set_reviewed(shop, "name", normalize_text(name))


def _rename(shop: Shop, name: str) -> None:
    new_slug = slugify(name)
    if shop.slug and shop.slug != new_slug:
        db.session.add(ShopSlug(slug=shop.slug, shop_id=shop.id))
        # Taking back one of her own old names: that slug is current again.
        db.session.execute(db.delete(ShopSlug).where(ShopSlug.slug == new_slug, ShopSlug.shop_id == shop.id))
    shop.name = name
    shop.slug = new_slug


def create_shop(owner: User, name: str, craft: str, neighbourhood: str) -> Shop:
    """Start a draft shop for a producer (one shop each)."""
    if db.session.scalar(select(Shop.id).where(Shop.owner_id == owner.id)):
        raise ShopError("name", _l("You already have a shop."))
    shop = Shop(owner=owner, name="", slug="", contact_phone=owner.phone, status=ShopStatus.DRAFT)
    _set_name(shop, name)
    shop.craft = normalize_text(craft)[:60]
    shop.neighbourhood = normalize_text(neighbourhood)[:60]
    db.session.add(shop)
    db.session.flush()
    return shop


def update_identity(shop: Shop, name: str, craft: str, neighbourhood: str) -> None:
    """Step 1 of the wizard, again: rename (the old slug keeps redirecting), craft, neighbourhood."""
    _set_name(shop, name)
    shop.craft = normalize_text(craft)[:60]
    _set_reviewed(shop, "neighbourhood", normalize_text(neighbourhood)[:60])


def save_identity_step(owner: User, shop: Shop | None, name: str, craft: str, neighbourhood: str) -> str:
    """Wizard step 1: start her shop, or rename it; returns the next wizard step."""
    if shop is None:
        shop = create_shop(owner, name, craft, neighbourhood)
    else:
        update_identity(shop, name, craft, neighbourhood)
    return advance_wizard(shop, "name")


def find_by_slug(slug: str) -> tuple[Shop | None, bool]:
    """(shop, moved): `moved` is True when `slug` is an old slug and the caller should redirect."""
    shop = db.session.scalar(select(Shop).where(Shop.slug == slug))
    if shop is not None:
        return shop, False
    old = db.session.get(ShopSlug, slug)
    return (old.shop, True) if old else (None, False)


# ---------------------------------------------------------------- story

STORY_QUESTIONS = ("what", "since", "teacher", "special")


def draft_story(answers: dict[str, str], first_name: str) -> str:
    """Turn her short answers into a first draft she can edit, one sentence per answer."""
    what, since, teacher, special = (normalize_text(answers.get(key, "")) for key in STORY_QUESTIONS)
    sentences = []
    if what:
        sentences.append(f"من {first_name} هستم و {what} درست می‌کنم." if first_name else f"من {what} درست می‌کنم.")
    if since:
        sentences.append(f"از {since} این کار را انجام می‌دهم.")
    if teacher:
        sentences.append(f"این هنر را از {teacher} یاد گرفتم.")
    if special:
        sentences.append(f"چیزی که کار من را خاص می‌کند: {special}")
    if not sentences:
        return ""
    return " ".join(sentences[:2]) + ("\n\n" + " ".join(sentences[2:]) if len(sentences) > 2 else "")


def update_story(shop: Shop, tagline: str, story: str, answers: dict[str, str]) -> None:
    """Save the tagline, the story (plain text, paragraphs kept) and her answers."""
    tagline = normalize_text(tagline)
    story = normalize_text(story, multiline=True)
    if len(tagline) > TAGLINE_MAX:
        raise ShopError("tagline", _l("Use at most %(num)s characters.", num=TAGLINE_MAX))
    if len(story) > STORY_MAX:
        raise ShopError("story", _l("Use at most %(num)s characters.", num=STORY_MAX))
    _set_reviewed(shop, "tagline", tagline)
    _set_reviewed(shop, "story", story)
    shop.story_answers = {key: normalize_text(answers.get(key, ""))[:200] for key in STORY_QUESTIONS}


def story_paragraphs(story: str) -> list[str]:
    """The story split into paragraphs for display (rendered as text, never as HTML)."""
    return [part.strip() for part in re.split(r"\n\s*\n", story or "") if part.strip()]


# ---------------------------------------------------------------- colours and images


def shop_palette(shop: Shop) -> Palette | None:
    """The shop's palette, or None before she chose one. Only validated hex values come out."""
    colours = [parse_hex(c) for c in (shop.color_primary, shop.color_accent, shop.color_background, shop.color_text)]
    found = [colour for colour in colours if colour]
    if len(found) < len(colours):
        return None
    return Palette(*found)


def set_palette(shop: Shop, palette: Palette, code: str) -> None:
    """Store a palette; one that fails WCAG AA contrast is refused (the caller shows suggestions)."""
    check = check_palette(palette)
    if not check.passes:
        raise ShopError("palette", _l("These colours are hard to read together. Try the suggested shades."))
    shop.color_primary, shop.color_accent = palette.primary, palette.accent
    shop.color_background, shop.color_text = palette.background, palette.text
    shop.palette_code = code[:32]


def set_logo(shop: Shop, files: dict, source: str) -> None:
    """Remember the stored files of the chosen (or uploaded) logo (brand.store_logo's answer)."""
    shop.logo_files = {str(size): path for size, path in files.items()}
    shop.logo_source = source[:64]


def set_banner(shop: Shop, stored: dict) -> None:
    """Remember the banner's stored variants (from the core image pipeline)."""
    shop.banner = stored


def set_kit_photo(shop: Shop, stored: dict) -> None:
    """Remember the product photo used in the brand kit's post and story templates."""
    shop.kit_photo = stored


# ---------------------------------------------------------------- social handles

_URL_LIKE = re.compile(r"(https?://|www\.|\.com\b|\.ir\b|\.me\b|/)", re.IGNORECASE)
HANDLE_RULES = {
    # platform: (pattern, profile URL template)
    "instagram": (re.compile(r"^(?!.*\.\.)(?!\.)[a-z0-9._]{1,30}(?<!\.)$"), "https://instagram.com/{}"),
    "telegram": (re.compile(r"^[a-z][a-z0-9_]{4,31}$"), "https://t.me/{}"),
    "eitaa": (re.compile(r"^[a-z][a-z0-9_]{4,31}$"), "https://eitaa.com/{}"),
    "rubika": (re.compile(r"^[a-z][a-z0-9_.]{3,31}$"), "https://rubika.ir/{}"),
    "bale": (re.compile(r"^[a-z][a-z0-9_]{4,31}$"), "https://ble.ir/{}"),
}
# The addresses of each platform's profile pages: a pasted link to her page there becomes the handle.
PLATFORM_HOSTS = {
    "instagram": ("instagram.com", "instagr.am"),
    "telegram": ("t.me", "telegram.me", "telegram.dog"),
    "eitaa": ("eitaa.com",),
    "rubika": ("rubika.ir",),
    "bale": ("ble.ir", "bale.ai"),
}
_LINK = re.compile(r"^(?:https?://)?(?:www\.|m\.)?([a-z0-9.-]+\.[a-z]{2,})(/[^?#]*)?(?:[?#].*)?$", re.IGNORECASE)
PLATFORM_LABELS = {
    "instagram": _l("Instagram"),
    "telegram": _l("Telegram"),
    "eitaa": _l("Eitaa"),
    "rubika": _l("Rubika"),
    "bale": _l("Bale"),
    "whatsapp": _l("WhatsApp"),
}


def normalize_handle(platform: str, value: str | None) -> str | None:
    """The handle as stored (lower-case, no @), a WhatsApp number as E.164, or None when empty.

    Raises ShopError(platform, …) for spaces, links, or characters the platform does not allow."""
    text = to_latin_digits(normalize_text(value)).strip()
    if not text:
        return None
    if platform == "whatsapp":
        try:
            return normalize_iranian_mobile(text)
        except PhoneError:
            raise ShopError(platform, _l("Enter the WhatsApp mobile number, like 0912 123 4567."))
    if _URL_LIKE.search(text):
        handle = handle_from_link(platform, text)
        if handle is None:
            raise ShopError(
                platform,
                _l(
                    "This is not a link to a page on %(platform)s. Write only the page name, like @my_workshop.",
                    platform=PLATFORM_LABELS[platform],
                ),
            )
        text = handle
    handle = text.removeprefix("@").lower()
    if " " in handle:
        raise ShopError(platform, _l("A handle has no spaces."))
    pattern, _template = HANDLE_RULES[platform]
    if not pattern.match(handle):
        raise ShopError(
            platform,
            _l(
                "This handle has letters or signs that %(platform)s does not allow. Use English letters, digits and _.",
                platform=PLATFORM_LABELS[platform],
            ),
        )
    return handle


def handle_from_link(platform: str, text: str) -> str | None:
    """The handle in a link to her page on `platform` ("https://instagram.com/golduzi_maryam/" →
    "golduzi_maryam", "t.me/s/my_shop" → "my_shop"), or None when it is not such a link."""
    match = _LINK.match(text.strip())
    if not match or match.group(1).lower() not in PLATFORM_HOSTS[platform]:
        return None
    parts = [part for part in (match.group(2) or "").split("/") if part]
    if platform == "telegram" and parts[:1] == ["s"]:
        parts = parts[1:]  # t.me/s/NAME is the web preview of the same channel
    return parts[0] if len(parts) == 1 or (parts and platform == "telegram") else None


def update_social(shop: Shop, handles: dict[str, str]) -> None:
    """Validate and store every platform's handle; nothing is stored if one is wrong."""
    cleaned = {platform: normalize_handle(platform, handles.get(platform)) for platform in PLATFORM_LABELS}
    for platform, handle in cleaned.items():
        setattr(shop, platform, handle)


def social_links(shop: Shop) -> list[dict]:
    """[{platform, label, handle, url}] for the platforms she filled in, in a fixed order."""
    links = []
    for platform, label in PLATFORM_LABELS.items():
        handle = getattr(shop, platform)
        if not handle:
            continue
        if platform == "whatsapp":
            url, shown = f"https://wa.me/{handle.lstrip('+')}", display_phone(handle)
        else:
            url, shown = HANDLE_RULES[platform][1].format(handle), "@" + handle
        links.append({"platform": platform, "label": label, "handle": shown, "url": url})
    return links


# ---------------------------------------------------------------- settings


def update_settings(
    shop: Shop, *, contact_phone: str, show_phone: bool, city: str, weekly_capacity: int | None, away: bool, away_until
) -> None:
    """The shop's practical settings: contact number (shown only when she opts in), city,
    weekly capacity for made-to-order work and the away (holiday) switch with a return date."""
    phone = None
    if contact_phone.strip():
        try:
            phone = normalize_iranian_mobile(contact_phone)
        except PhoneError:
            raise ShopError("contact_phone", _l("Enter a mobile number, like 0912 123 4567."))
    if show_phone and not phone:
        raise ShopError("contact_phone", _l("Enter the number you want buyers to see."))
    if weekly_capacity is not None and not 0 <= weekly_capacity <= 10_000:
        raise ShopError("weekly_capacity", _l("Enter a number between 0 and 10,000."))
    if away and away_until is not None and away_until < utcnow().date():
        raise ShopError("away_until", _l("The return date has already passed."))
    shop.contact_phone, shop.show_phone = phone, bool(show_phone and phone)
    _set_reviewed(shop, "city", normalize_text(city)[:40] or "مشهد")
    shop.weekly_capacity = weekly_capacity
    shop.away = away
    shop.away_until = away_until if away else None


def advance_wizard(shop: Shop, finished_step: str) -> str:
    """Record that a wizard step is done and return the next step (the last one stays)."""
    index = WIZARD_STEPS.index(finished_step)
    following = WIZARD_STEPS[min(index + 1, len(WIZARD_STEPS) - 1)]
    if WIZARD_STEPS.index(shop.wizard_step) < WIZARD_STEPS.index(following):
        shop.wizard_step = following
    return following


# ---------------------------------------------------------------- status

# The shop's state machine (DESIGN §4), the one table of its allowed moves:
# action → (the states it may start from, the state it leads to).
TRANSITIONS: dict[str, tuple[frozenset[ShopStatus], ShopStatus]] = {
    "submit": (frozenset({ShopStatus.DRAFT, ShopStatus.CHANGES_REQUESTED}), ShopStatus.SUBMITTED),
    "approve": (frozenset({ShopStatus.SUBMITTED}), ShopStatus.APPROVED),
    "request_changes": (frozenset({ShopStatus.SUBMITTED}), ShopStatus.CHANGES_REQUESTED),
    "suspend": (frozenset({ShopStatus.APPROVED}), ShopStatus.SUSPENDED),
    "reinstate": (frozenset({ShopStatus.SUSPENDED}), ShopStatus.APPROVED),
}
SUBMITTABLE = TRANSITIONS["submit"][0]
REASON_REQUIRED = {"request_changes", "suspend"}


def change_status(shop: Shop, actor: User, action: str, reason: str = "") -> ShopDecision:
    """Move the shop along its state machine (DESIGN §4) and record who, when and why; a move
    that is not in TRANSITIONS is refused."""
    if action not in TRANSITIONS:
        raise ShopError("action", _l("Unknown action."))
    allowed_from, target = TRANSITIONS[action]
    if shop.status not in allowed_from:
        raise ShopError("action", _l("This shop cannot be changed that way now."))
    reason = normalize_text(reason, multiline=True)
    if action in REASON_REQUIRED and not reason:
        raise ShopError("reason", _l("Write the reason; the producer will see it."))
    decision = ShopDecision(
        shop=shop, actor=actor, action=action, from_status=shop.status, to_status=target, reason=reason
    )
    db.session.add(decision)
    shop.status = target
    shop.status_reason = reason if action in REASON_REQUIRED else ""
    now = utcnow()
    if action == "submit":
        shop.submitted_at = now
    if target == ShopStatus.APPROVED:
        shop.approved_at = shop.approved_at or now
    return decision


def save_social_step(shop: Shop, actor: User, handles: dict[str, str], *, submit: bool) -> list:
    """The wizard's last step: store her handles and, when she asks, send the shop for review.
    Returns what still blocks sending (the handles are saved anyway, so she fixes only the rest)."""
    update_social(shop, handles)
    advance_wizard(shop, "social")
    if not submit:
        return []
    problems = submit_problems(shop)
    if not problems and shop.status in SUBMITTABLE:
        change_status(shop, actor, "submit")
    return problems


def submit_problems(shop: Shop) -> list:
    """What must be done before the shop can be sent for review."""
    problems = []
    if len(shop.story or "") < 50:
        problems.append(_l("Write your story (at least 50 characters)."))
    if shop_palette(shop) is None:
        problems.append(_l("Choose your colours."))
    if not shop.logo_files:
        problems.append(_l("Choose a logo."))
    return problems


# ---------------------------------------------------------------- brand score


@dataclass(frozen=True)
class ScoreItem:
    key: str
    label: object
    points: int
    done: bool
    step: str  # wizard step or settings page where she does it


def brand_score(shop: Shop | None, products_with_photos: int = 0) -> tuple[int, list[ScoreItem]]:
    """0–100 from what is done, with the items in the order she should do them.

    `products_with_photos` comes from the catalogue (shops does not import it)."""
    if shop is None:
        return 0, [ScoreItem("name", _l("Choose your shop's name"), 10, False, "name")]
    story_length = len(shop.story or "")
    palette = shop_palette(shop)
    socials = sum(1 for platform in PLATFORM_LABELS if getattr(shop, platform))
    items = [
        ScoreItem("name", _l("Choose your shop's name"), 10, bool(shop.name), "name"),
        ScoreItem("story", _l("Tell your story (at least 300 characters)"), 20, story_length >= 300, "story"),
        ScoreItem("tagline", _l("Write a one-line tagline"), 5, bool(shop.tagline), "story"),
        ScoreItem(
            "palette",
            _l("Choose colours that are easy to read"),
            15,
            palette is not None and check_palette(palette).passes,
            "colours",
        ),
        ScoreItem("logo", _l("Choose a logo"), 15, bool(shop.logo_files), "logo"),
        ScoreItem("banner", _l("Add a banner photo"), 10, bool(shop.banner), "settings"),
        ScoreItem("social", _l("Add at least two social pages"), 15, socials >= 2, "social"),
        ScoreItem("products", _l("List at least 3 products with photos"), 10, products_with_photos >= 3, "products"),
    ]
    # A short story still earns half its points: a start is worth encouraging.
    score = sum(item.points for item in items if item.done)
    if not items[1].done and story_length >= 100:
        score += 10
    return min(score, 100), items


def owned_shop(user: User) -> Shop | None:
    """The shop this user owns. Every producer route reads her shop through this one helper."""
    return db.session.scalar(select(Shop).where(Shop.owner_id == user.id))


def shops_with_status(status: str) -> list[Shop]:
    """Shops in one status, oldest submission first (the review queue is first come, first served)."""
    return list(
        db.session.scalars(select(Shop).where(Shop.status == status).order_by(Shop.submitted_at.asc(), Shop.id.asc()))
    )


def status_counts() -> dict[str, int]:
    """How many shops are in each status."""
    rows = db.session.execute(select(Shop.status, db.func.count()).group_by(Shop.status))
    return {status: count for status, count in rows}


def actions_for(status: str) -> list[str]:
    """The staff actions possible from a status."""
    return [action for action, (allowed, _target) in TRANSITIONS.items() if status in allowed and action != "submit"]


def staff_actions(shop: Shop) -> list[str]:
    """What staff may decide on this shop now: its status moves, and its pending text if any."""
    return actions_for(shop.status) + (sorted(TEXT_ACTIONS) if shop.pending_text else [])


def staff_decision(shop: Shop, actor: User, action: str, reason: str = "") -> ShopDecision:
    """A reviewer's decision from the shop page: a status move, or approving/declining pending text."""
    if action in TEXT_ACTIONS:
        return review_text(shop, actor, action, reason)
    return change_status(shop, actor, action, reason)


def shops_with_pending_text() -> list[Shop]:
    """Approved shops whose edited text waits for review, oldest edit first."""
    return list(db.session.scalars(select(Shop).where(Shop.pending_text.is_not(None)).order_by(Shop.updated_at.asc())))
