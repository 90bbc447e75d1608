"""Public storefront pages (/shop/<slug>) and the producer's shop settings page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import role_required
from ..core.dates import jalali_input_value
from ..core.images import ImageRejected
from ..extensions import db
from . import brand, services
from .forms import SettingsForm

bp = Blueprint("shops", __name__)


def _viewable_shop(slug: str):
    """The shop for a storefront URL: public when approved; the owner and staff may preview others.
    Returns (shop, redirect_response)."""
    shop, moved = services.find_by_slug(slug)
    if shop is None:
        abort(404)
    previewer = current_user.is_authenticated and (current_user.id == shop.owner_id or current_user.has_role("staff"))
    if not shop.is_public and not previewer:
        abort(404)
    if moved:
        endpoint = request.endpoint or "shops.storefront"
        return shop, redirect(url_for(endpoint, slug=shop.slug), code=301)
    return shop, None


@bp.get("/shop/<slug>")
def storefront(slug: str):
    shop, moved = _viewable_shop(slug)
    if moved:
        return moved
    return render_template(
        "shops/storefront.html",
        shop=shop,
        palette=services.shop_palette(shop),
        paragraphs=services.story_paragraphs(shop.story),
        links=services.social_links(shop),
        page_url=brand.storefront_url(shop),
        share_url=brand.readable_url(brand.storefront_url(shop)),
        preview=not shop.is_public,
    )


@bp.get("/shop/<slug>/share.png")
def share_image(slug: str):
    """The 1200×630 OpenGraph image of the shop."""
    shop, moved = _viewable_shop(slug)
    if moved:
        return moved
    if not shop.logo_files:
        abort(404)
    return send_file(brand.kit_file(shop, "share_image"), mimetype="image/png", max_age=86400)


@bp.route("/dashboard/shop/edit", methods=["GET", "POST"])
@role_required("producer")
def settings():
    shop = services.owned_shop(current_user)
    if shop is None:
        return redirect(url_for("wizard.step_name"))
    if request.method == "GET":
        form = SettingsForm(obj=shop)
        form.away_until.data = jalali_input_value(shop.away_until)
    else:
        form = SettingsForm()
    if form.validate_on_submit():
        try:
            banner_upload = request.files.get("banner")
            if banner_upload and banner_upload.filename:
                services.set_banner(shop, brand.store_photo(banner_upload))
            services.update_settings(
                shop,
                contact_phone=form.contact_phone.data or "",
                show_phone=form.show_phone.data,
                city=form.city.data or "",
                weekly_capacity=form.weekly_capacity.data,
                away=form.away.data,
                away_until=form.away_until.date,
            )
        except ImageRejected as error:
            db.session.rollback()
            form.banner.errors = [error.message]
        except services.ShopError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [error.message]
        else:
            db.session.commit()
            flash(_("Your shop settings are saved."), "success")
            return redirect(url_for("shops.settings"))
    return render_template("shops/settings.html", shop=shop, form=form), 422 if form.errors else 200
