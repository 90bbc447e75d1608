"""The onboarding wizard (/dashboard/shop/setup/…): one step per screen, resumable at any time."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import role_required
from ..branding.contrast import parse_hex
from ..branding.palette import (
    CURATED,
    Palette,
    check_palette,
    extract_colours,
    palette_from_colours,
    photo_swatches,
)
from ..core.images import ImageRejected, load_upload
from ..core.money import parse_toman
from ..core.persian import normalize_text
from ..core.phone import display_phone
from ..extensions import db
from . import brand, services
from .forms import ColoursStepForm, KitStepForm, LogoStepForm, NameStepForm, SocialStepForm, StoryStepForm
from .models import WIZARD_STEPS

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


def _show_error(form, error: services.ShopError) -> None:
    field = getattr(form, error.field, None)
    if field is None:
        flash(str(error.message), "error")
    else:
        field.errors = [*field.errors, error.message]


def _finish_step(shop, step: str):
    """A step's data is saved: record the progress, commit once, and go to the next step."""
    following = services.advance_wizard(shop, step)
    db.session.commit()
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
    form = NameStepForm(obj=shop) if request.method == "GET" else NameStepForm()
    submitted, idea = form.validate_on_submit(), request.form.get("idea")
    if submitted and idea:
        form.name.data = normalize_text(idea)  # she tapped an idea: put it in the field to confirm
    elif submitted and form.action.data != "ideas":
        try:
            if shop is None:
                shop = services.create_shop(current_user, form.name.data, form.craft.data, form.neighbourhood.data)
            else:
                services.update_identity(shop, form.name.data, form.craft.data, form.neighbourhood.data)
        except services.ShopError as error:
            db.session.rollback()
            _show_error(form, error)
            shop = services.owned_shop(current_user)
        else:
            return _finish_step(shop, "name")
    ideas = services.name_ideas(form.craft.data or "", first_name, form.neighbourhood.data or "")
    return _render_step(
        "name",
        shop,
        form,
        ideas=ideas,
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
        form = StoryStepForm(data={**(shop.story_answers or {}), "tagline": shop.tagline, "story": shop.story})
    else:
        form = StoryStepForm()
    first_name = current_user.display_name.split(" ")[0]
    if form.validate_on_submit():
        answers = {key: form[key].data for key in services.STORY_QUESTIONS}
        if request.form.get("action") == "draft":
            form.story.data = services.draft_story(answers, first_name)
            return _render_step("story", shop, form, drafted=True)
        try:
            services.update_story(shop, form.tagline.data, form.story.data, answers)
        except services.ShopError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            return _finish_step(shop, "story")
    return _render_step("story", shop, form, story_max=services.STORY_MAX, tagline_max=services.TAGLINE_MAX)


def _form_palette(form) -> Palette | None:
    """The palette in the four colour fields, when all four are colours."""
    colours = [parse_hex(form[name].data) for name in PALETTE_FIELDS]
    return Palette(*colours) if all(colours) else None


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
                image = load_upload(request.files.get("photo"), draft_width=256, **brand.load_limits())
            except ImageRejected as error:
                _rejected(form, "photo", error)
            else:
                main_colours = extract_colours(image, 5)
                _fill_palette(form, palette_from_colours(main_colours))
                extracted = photo_swatches(main_colours, 5)
                form.choice.data = "photo"
        elif action == "suggest":
            palette = _form_palette(form)
            _fill_palette(form, Palette(**{**palette.as_dict(), **check_palette(palette).suggestions}))
            form.choice.data = "custom"
        else:
            palette = curated.get(choice) or _form_palette(form)
            try:
                services.set_palette(shop, palette, choice)
            except services.ShopError as error:
                db.session.rollback()
                form.choice.errors = [error.message]
            else:
                return _finish_step(shop, "colours")
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
            try:
                image = load_upload(request.files.get("logo_file"), draft_width=1024, **brand.load_limits())
            except ImageRejected as error:
                _rejected(form, "logo_file", error)
            else:
                services.set_logo(shop, brand.store_logo(brand.square_logo(image)), "upload")
                return _finish_step(shop, "logo")
        else:
            chosen = next((c for c in candidates if c["id"] == form.candidate.data), None)
            if chosen is None:
                form.candidate.errors = [_("Choose one of the logos.")]
            else:
                services.set_logo(
                    shop, brand.store_logo(brand.open_image(chosen["path"])), f"{chosen['style']}:{chosen['font']}"
                )
                return _finish_step(shop, "logo")
    return _render_step("logo", shop, form, candidates=candidates)


@bp.get("/logo-candidates/<candidate_id>.png")
@role_required("producer")
def logo_candidate(candidate_id: str):
    """A candidate image of her own shop; other ids are 404 (they are keyed by her shop's inputs)."""
    shop = services.owned_shop(current_user) or abort(404)
    chosen = next((c for c in brand.logo_candidates(shop) if c["id"] == candidate_id), None) or abort(404)
    return send_file(chosen["path"], mimetype="image/png", max_age=3600)


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
            try:
                stored = brand.store_photo(upload)
            except ImageRejected as error:
                _rejected(form, "photo", error)
            else:
                services.set_kit_photo(shop, stored)
                db.session.commit()
                flash(_("Photo added to your post and story templates."), "success")
                return redirect(url_for("wizard.step_kit", price=price or None))
        else:
            return _finish_step(shop, "kit")
    return _render_step("kit", shop, form, items=brand.KIT_ITEMS, price=form.price.data or "")


@bp.get("/kit/<item>.png")
@role_required("producer")
def kit_item(item: str):
    """Download one brand-kit image of her shop (rendered once, then served from the cache)."""
    shop = services.owned_shop(current_user) or abort(404)
    if not shop.logo_files or item not in brand.KIT_KEYS:
        abort(404)
    price = parse_toman(request.args.get("price", ""))
    if request.args.get("preview") == "1":
        return send_file(brand.kit_file(shop, item, price, preview=True), mimetype="image/webp", max_age=3600)
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
        try:
            services.update_social(shop, form.handles())
        except services.ShopError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            services.advance_wizard(shop, "social")
            if form.action.data == "submit":
                problems = services.submit_problems(shop)
                if problems:
                    for problem in problems:
                        flash(str(problem), "error")
                    db.session.commit()  # the handles are saved; she fixes the rest
                    return redirect(url_for("dashboard.home"))
                if shop.status in ("draft", "changes_requested"):
                    services.change_status(shop, current_user, "submit")
                db.session.commit()
                flash(_("Your shop is sent to the centre for review. We will let you know."), "success")
                return redirect(url_for("dashboard.home"))
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("wizard.step_social"))
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
