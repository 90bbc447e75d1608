"""Public catalogue pages: categories (/c/<slug>), products (/p/<id>/<slug>) and storefronts
(/shop/<slug>, here because it lists the shop's products)."""

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from ...core import events
from ...core.numbers import page_arg
from ...core.pagecache import cached_page, do_not_store
from ...core.urls import public_url
from ...shops import brand
from ...shops import services as shops
from ...shops.models import Shop
from .. import services
from ..models import Product

bp = Blueprint("catalog", __name__)


@bp.get("/c/<slug>")
@cached_page()
def category(slug: str):
    category = services.category_for_page(slug) or abort(404)
    sort = request.args.get("sort", "newest")
    if sort not in services.SORTS:
        sort = "newest"
    page = page_arg()
    return render_template(
        "catalog/category.html",
        category=category,
        sort=sort,
        sorts=services.SORTS,
        pagination=services.category_listing(category, sort, page),
    )


@bp.get("/p/<int:product_id>")
@bp.get("/p/<int:product_id>/<slug>")
@cached_page()
def product(product_id: int, slug: str | None = None):
    """A product page; the canonical address has the title's slug. Only published products in an
    approved shop are public; the owner and staff can preview the others."""
    product = services.product_for_page(product_id) or abort(404)
    public = product.is_public
    previewer = current_user.is_authenticated and (
        current_user.id == product.shop.owner_id or current_user.has_role("staff")
    )
    if not public and not previewer:
        abort(404)
    if slug != product.slug:
        return redirect(url_for("catalog.product", product_id=product.id, slug=product.slug), code=301)
    if not public:
        do_not_store()  # her preview of a product nobody else sees
    low, high = services.price_range(product)
    more_shop, more_category = services.photos_and_more(product)
    return render_template(
        "catalog/product.html",
        product=product,
        preview=not public,
        low=low,
        high=high,
        available=services.in_stock(product),
        badges=events.collect(events.product_badges, product),
        reviews=events.answer(events.product_reviews, product),
        shop_palette=shops.shop_palette(product.shop),
        more_shop=more_shop,
        more_category=more_category,
        page_url=public_url("catalog.product", product_id=product.id, slug=product.slug),
    )


def _viewable_shop(slug: str):
    """The shop for a storefront URL: public when approved; the owner and staff may preview others.
    Returns (shop, redirect_response)."""
    shop, moved = shops.find_by_slug(slug)
    if shop is None:
        abort(404)
    previewer = current_user.is_authenticated and (current_user.id == shop.owner_id or current_user.has_role("staff"))
    if not shop.is_public and not previewer:
        abort(404)
    if moved:
        endpoint = request.endpoint or "catalog.storefront"
        return shop, redirect(url_for(endpoint, slug=shop.slug), code=301)
    return shop, None


@bp.get("/shop/<slug>")
@cached_page()
def storefront(slug: str):
    shop, moved = _viewable_shop(slug)
    if moved:
        return moved
    if not shop.is_public:
        do_not_store()  # her preview of a storefront nobody else sees
    return render_template(
        "shops/storefront.html",
        shop=shop,
        palette=shops.shop_palette(shop),
        paragraphs=shops.story_paragraphs(shop.story),
        links=shops.social_links(shop),
        page_url=brand.storefront_url(shop),
        share_url=brand.readable_url(brand.storefront_url(shop)),
        preview=not shop.is_public,
        products=services.shop_listing(shop),
        rating=events.answer(events.shop_rating, shop),
    )


@bp.app_template_global()
def saved_by_me(kind: str, item_id: int) -> bool:
    """Whether the signed-in visitor saved this product ("product") or follows this shop ("shop"),
    asked of orders through a signal; a guest has saved nothing, and costs no query. For the page's
    personal "save" piece (templates/_personal/save_toggle.html), which is filled in per request."""
    if not current_user.is_authenticated:
        return False
    # a stand-in with only the id: the answer needs no more, and the page may come from the cache
    sender = Product(id=item_id) if kind == "product" else Shop(id=item_id)
    return bool(events.answer(events.saved_by_user, sender, user_id=current_user.id))


@bp.get("/shop/<slug>/share.png")
def share_image(slug: str):
    """The 1200×630 OpenGraph image of the shop."""
    shop, moved = _viewable_shop(slug)
    if moved:
        return moved
    if not shop.logo_files:
        abort(404)
    return send_file(brand.kit_file(shop, "share_image"), mimetype="image/png", max_age=86400)
