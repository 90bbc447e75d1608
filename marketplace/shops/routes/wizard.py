"""The onboarding wizard (/dashboard/shop/setup/…): one step per screen, resumable at any time.

No step draws an image while she waits: the logo and kit pages name their pictures, and each
picture is drawn (once, then cached by content) when her browser asks for it."""

import hmac
from functools import wraps

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...branding.contrast import parse_hex
from ...branding.palette import (
    CURATED,
    Palette,
    check_palette,
    extract_colours,
    palette_from_colours,
    photo_swatches,
)
from ...core.images import ImageRejected, load_upload
from ...core.money import parse_toman
from ...core.persian import normalize_text
from ...core.phone import display_phone
from ...core.transaction import change
from .. import brand, services
from ..forms import ColoursStepForm, KitStepForm, LogoStepForm, NameStepForm, SocialStepForm, StoryStepForm
from ..models import WIZARD_STEPS

bp = Blueprint("wizard", __name__, url_prefix="/dashboard/shop")

PALETTE_FIELDS = ("primary", "accent", "background", "text")


def _shop_or_redirect():
    """Her shop, or a redirect to step 1 when she has none yet."""
    shop = services.owned_shop(current_user)
    if shop is None:
        return None, redirect(url_for("wizard.step_name"))
    return shop, None


def _render_step(step: str, shop, form, status: int = 200, **context):
    if form.errors and status == 200:
        status = 422
    return render_template(
        f"shops/wizard/{step}.html", step=step, steps=WIZARD_STEPS, shop=shop, form=form, **context
    ), status


def _next_step(following: str):
    """The step's change is committed: on to the next screen."""
    return redirect(url_for(f"wizard.step_{following}"))


def _rejected(form, field_name: str, error: ImageRejected) -> None:
    getattr(form, field_name).errors = [error.message]


@bp.get("/setup")
@role_required("producer")
def setup():
    """Resume the wizard where she left it."""
    shop = services.owned_shop(current_user)
    step = shop.wizard_step if shop else "name"
    return redirect(url_for(f"wizard.step_{step}"))


@bp.route("/setup/name", methods=["GET", "POST"])
@role_required("producer")
def step_name():
    shop = services.owned_shop(current_user)
    first_name = current_user.display_name.split(" ")[0]
    if request.method == "GET" and shop is not None:
        form = NameStepForm(data={"craft": shop.craft, **services.shop_text(shop)})
    else:
        form = NameStepForm()
    submitted, idea = form.validate_on_submit(), request.form.get("idea")
    if submitted and idea:
        form.name.data = normalize_text(idea)  # she tapped an idea: put it in the field to confirm
    elif submitted and form.action.data != "ideas":
        with change(form) as done:
            following = services.save_identity_step(
                current_user, shop, form.name.data or "", form.craft.data or "", form.neighbourhood.data or ""
            )
        if done:
            return _next_step(following)
        shop = services.owned_shop(current_user)  # a refused new shop was rolled back
    ideas = services.name_ideas(form.craft.data or "", first_name, form.neighbourhood.data or "")
    return _render_step(
        "name",
        shop,
        form,
        ideas=ideas,
        focus_name=submitted,  # back from "suggest names" or a tapped idea: the name is what she fills next
        neighbourhoods=services.MASHHAD_NEIGHBOURHOODS,
        crafts=services.CRAFT_SUGGESTIONS,
    )


@bp.get("/name-check")
@role_required("producer")
def name_check():
    """Live slug preview and "already taken" flag for the name field (progressive enhancement)."""
    shop = services.owned_shop(current_user)
    name = request.args.get("name", "")
    problem = services.name_problem(name, shop.id if shop else None)
    return jsonify({"slug": services.slugify(name), "ok": problem is None, "message": str(problem or "")})


@bp.route("/setup/story", methods=["GET", "POST"])
@role_required("producer")
def step_story():
    shop, redirect_response = _shop_or_redirect()
    if redirect_response:
        return redirect_response
    if request.method == "GET":
        answers = dict(shop.story_answers or {})
        answers["what"] = answers.get("what") or shop.craft  # the craft she typed in step 1
        form = StoryStepForm(data={**answers, **services.shop_text(shop)})
    else:
        form = StoryStepForm()
    first_name = current_user.display_name.split(" ")[0]
    if form.validate_on_submit():
        answers = {key: form[key].data for key in services.STORY_QUESTIONS}
        if request.form.get("action") == "draft":
            form.story.data = services.draft_story(answers, first_name)
            return _render_step("story", shop, form, drafted=True)
        with change(form) as done:
            services.update_story(shop, form.tagline.data or "", form.story.data or "", answers)
            following = services.advance_wizard(shop, "story")
        if done:
            return _next_step(following)
    return _render_step("story", shop, form, story_max=services.STORY_MAX, tagline_max=services.TAGLINE_MAX)


def _form_palette(form) -> Palette | None:
    """The palette in the four colour fields, when all four are colours."""
    colours = [parse_hex(form[name].data) for name in PALETTE_FIELDS]
    found = [colour for colour in colours if colour]
    return Palette(*found) if len(found) == len(colours) else None


def _fill_palette(form, palette: Palette) -> None:
    for name, value in palette.as_dict().items():
        form[name].data = value


@bp.route("/setup/colours", methods=["GET", "POST"])
@role_required("producer")
def step_colours():
    shop, redirect_response = _shop_or_redirect()
    if redirect_response:
        return redirect_response
    curated = {item.code: item.palette for item in CURATED}
    if request.method == "GET":
        saved = services.shop_palette(shop) or CURATED[0].palette
        form = ColoursStepForm(data={"choice": shop.palette_code or CURATED[0].code, **saved.as_dict()})
    else:
        form = ColoursStepForm()
    extracted = None
    if form.validate_on_submit():
        action, choice = form.action.data, form.choice.data or "custom"
        if action == "photo":
            try:
                # No file part at all is refused like an empty one, not a crash.
                image = load_upload(request.files.get("photo", b""), draft_width=256, **brand.load_limits())
            except ImageRejected as error:
                _rejected(form, "photo", error)
            else:
                main_colours = extract_colours(image, 5)
                _fill_palette(form, palette_from_colours(main_colours))
                extracted = photo_swatches(main_colours, 5)
                form.choice.data = "photo"
        elif action == "suggest":
            palette = _form_palette(form)
            assert palette is not None  # the four colour fields passed validation
            _fill_palette(form, Palette(**{**palette.as_dict(), **check_palette(palette).suggestions}))
            form.choice.data = "custom"
        else:
            palette = curated.get(choice) or _form_palette(form)
            assert palette is not None  # the four colour fields passed validation
            with change(form, field="choice") as done:
                services.set_palette(shop, palette, choice)
                following = services.advance_wizard(shop, "colours")
            if done:
                return _next_step(following)
    preview = _form_palette(form) or services.shop_palette(shop) or CURATED[0].palette
    return _render_step(
        "colours", shop, form, curated=CURATED, extracted=extracted, preview=preview, check=check_palette(preview)
    )


@bp.route("/setup/logo", methods=["GET", "POST"])
@role_required("producer")
def step_logo():
    shop, redirect_response = _shop_or_redirect()
    if redirect_response:
        return redirect_response
    if services.shop_palette(shop) is None:
        flash(_("Choose your colours first; the logos use them."), "info")
        return redirect(url_for("wizard.step_colours"))
    candidates = brand.logo_candidates(shop)
    form = LogoStepForm()
    if form.validate_on_submit():
        if form.action.data == "upload":
            with change(form, image_field="logo_file") as done:
                # No file part at all is refused like an empty one, not a crash.
                image = load_upload(request.files.get("logo_file", b""), draft_width=1024, **brand.load_limits())
                services.set_logo(shop, brand.store_logo(brand.square_logo(image)), "upload")
                following = services.advance_wizard(shop, "logo")
            if done:
                return _next_step(following)
        else:
            chosen = next((c for c in candidates if c["id"] == form.candidate.data), None)
            if chosen is None:
                form.candidate.errors = [_("Choose one of the logos.")]
            else:
                # Her page showed this candidate, so it is normally in the cache; if not, only it is drawn.
                image = brand.candidate_image(shop, chosen)
                with change(form) as done:
                    services.set_logo(shop, brand.store_logo(image), f"{chosen['style']}:{chosen['font']}")
                    following = services.advance_wizard(shop, "logo")
                if done:
                    return _next_step(following)
    return _render_step("logo", shop, form, candidates=candidates)


def producer_image(view):
    """For image addresses of her own shop: without a login, 404 (a login page is no picture to
    redirect an <img> to); then the producer role check."""
    checked = role_required("producer")(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(404)
        return checked(*args, **kwargs)

    return wrapped


# Image addresses carry the content key of the picture, so a browser may keep them for a year.
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


@bp.get("/logo-candidates/<candidate_id>.png")
@producer_image
def logo_candidate(candidate_id: str):
    """A candidate image of her own shop, drawn the first time it is asked for; other ids are 404
    (they are keyed by her shop's name and palette)."""
    shop = services.owned_shop(current_user) or abort(404)
    chosen = next((c for c in brand.logo_candidates(shop) if c["id"] == candidate_id), None) or abort(404)
    return send_file(brand.candidate_file(shop, chosen), mimetype="image/png", max_age=IMMUTABLE_MAX_AGE)


@bp.route("/setup/kit", methods=["GET", "POST"])
@role_required("producer")
def step_kit():
    shop, redirect_response = _shop_or_redirect()
    if redirect_response:
        return redirect_response
    if not shop.logo_files:
        flash(_("Choose a logo first; every kit item uses it."), "info")
        return redirect(url_for("wizard.step_logo"))
    form = KitStepForm(data={"price": request.args.get("price", "")}) if request.method == "GET" else KitStepForm()
    if form.validate_on_submit():
        upload = request.files.get("photo")
        price = form.price.data
        if price and parse_toman(price) is None:
            form.price.errors = [_("Write the price in toman, like 250000.")]
        elif upload and upload.filename:
            with change(form, image_field="photo") as done:
                services.set_kit_photo(shop, brand.store_photo(upload))
            if done:
                flash(_("Photo added to your post and story templates."), "success")
                return redirect(url_for("wizard.step_kit", price=price or None))
        else:
            with change(form) as done:
                following = services.advance_wizard(shop, "kit")
            if done:
                return _next_step(following)
    price = form.price.data or ""
    # The page only names the previews; each is drawn when her browser asks for it (kit_preview).
    previews = {
        item.key: url_for(
            "wizard.kit_preview",
            item=item.key,
            key=brand.kit_key(shop, item.key, parse_toman(price))[:24],
            price=price or None,
        )
        for item in brand.KIT_ITEMS
    }
    return _render_step("kit", shop, form, items=brand.KIT_ITEMS, price=price, previews=previews)


@bp.get("/kit/<item>/<key>.webp")
@producer_image
def kit_preview(item: str, key: str):
    """A 400-px preview of one brand-kit image of her own shop, drawn the first time it is asked for.
    The key in the address must be her shop's current one: an old picture, or another shop's, is 404."""
    shop = services.owned_shop(current_user) or abort(404)
    if not shop.logo_files or item not in brand.KIT_KEYS:
        abort(404)
    price = parse_toman(request.args.get("price", ""))
    if not hmac.compare_digest(brand.kit_key(shop, item, price)[:24], key):
        abort(404)
    path = brand.kit_file(shop, item, price, preview=True)
    return send_file(path, mimetype="image/webp", max_age=IMMUTABLE_MAX_AGE)


@bp.get("/kit/<item>.png")
@role_required("producer")
def kit_item(item: str):
    """Download one brand-kit image of her shop (rendered once, then served from the cache)."""
    shop = services.owned_shop(current_user) or abort(404)
    if not shop.logo_files or item not in brand.KIT_KEYS:
        abort(404)
    price = parse_toman(request.args.get("price", ""))
    download = request.args.get("download") == "1"
    return send_file(
        brand.kit_file(shop, item, price),
        mimetype="image/png",
        as_attachment=download,
        download_name=f"{shop.slug}-{item}.png",
        max_age=3600,
    )


@bp.route("/setup/social", methods=["GET", "POST"])
@role_required("producer")
def step_social():
    shop, redirect_response = _shop_or_redirect()
    if redirect_response:
        return redirect_response
    form = SocialStepForm(obj=shop) if request.method == "GET" else SocialStepForm()
    if request.method == "GET" and shop.whatsapp:
        form.whatsapp.data = display_phone(shop.whatsapp)  # as she writes it (the form shows her digits)
    if form.validate_on_submit():
        submit = form.action.data == "submit"
        with change(form) as done:
            problems = services.save_social_step(shop, current_user, form.handles(), submit=submit)
        if done and not submit:
            flash(_("Saved."), "success")
            return redirect(url_for("wizard.step_social"))
        if done:
            # The handles are saved either way; what still blocks sending is listed for her to fix.
            for problem in problems:
                flash(str(problem), "error")
            if not problems:
                flash(_("Your shop is sent to the centre for review. We will let you know."), "success")
            return redirect(url_for("dashboard.home"))
    bio = shop.tagline or shop.name
    return _render_step(
        "social",
        shop,
        form,
        bio=bio,
        share_url=brand.readable_url(brand.storefront_url(shop)),
        platforms=services.PLATFORM_LABELS,
        links=services.social_links(shop),
    )
