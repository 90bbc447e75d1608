"""The online bazaar's public pages (/bazaar): the fairs (live, upcoming, past), a fair's page with its
shops and products searchable within it, its booth map, its calendar file and the feed of coming fairs.

The HTML pages are kept by the page cache. A fair turns live and closes by the scheduled go_live/close
tasks, whose write renews every kept page; in between the page works out "live" from the clock
(`services.is_live`), and a page rendered after the hours changed but before the task ran is served but
not kept (`online.clock_ahead_of_status`)."""

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from ...catalog import services as catalog
from ...core.dates import utcnow
from ...core.pagecache import cached_page, do_not_store
from ...core.urls import public_host, public_url
from ...search import query
from ...search.documents import PRICE_BANDS
from .. import booth_map, online, services
from . import public_bp

SORTS = ("relevance", "newest", "price_asc", "price_desc")
MAP_MAX_AGE_SECONDS = 300


def _visible_fair(slug: str):
    fair = services.fair_by_slug(slug)
    if fair is None:
        abort(404)
    return fair


@public_bp.get("")
@cached_page()
def index():
    """Live, upcoming and past fairs: one query (and the page version)."""
    now = utcnow()
    groups = services.public_fairs(now)
    if any(online.clock_ahead_of_status(fair, now) for fairs in groups.values() for fair in fairs):
        do_not_store()
    return render_template("bazaar/public/index.html", groups=groups)


def _band(params: query.SearchParams) -> str:
    """The price band ("low-high" in toman, as the facets name them) matching the price filter, or ""."""
    for low, high in PRICE_BANDS:
        if params.min_price == (low or None) and params.max_price == ((high - 1) if high else None):
            return f"{low}-{high or ''}"
    return ""


def _apply_band(params: query.SearchParams, band: str) -> None:
    """The form's price band select sets the price filter like the facet links do."""
    for low, high in PRICE_BANDS:
        if band == f"{low}-{high or ''}":
            params.min_price, params.max_price = (low or None), ((high - 1) if high else None)


@public_bp.get("/<slug>")
@cached_page()
def fair(slug: str):
    """A fair's page. The products come from the search index with the fair filter, so the words, the
    category, shop, price band and stock filters and the sort all compose. About ten queries: the fair,
    its shops with booths, its discounts, the categories, the index's change-log check, the products."""
    fair = _visible_fair(slug)
    now = utcnow()
    phase = services.phase(fair, now)
    if online.clock_ahead_of_status(fair, now):
        do_not_store()
    shops = online.participants(fair)
    params = query.SearchParams.from_args(request.args)
    params.fair = fair.id
    if params.sort not in SORTS:
        params.sort = "relevance"
    if request.args.get("band"):
        _apply_band(params, request.args["band"])
    if params.shop and params.shop not in {shop.slug for shop, _code, _category in shops}:
        params.shop = ""
    categories = catalog.all_categories()
    by_id = {category.id: category for category in categories}
    result = query.search(params, categories, shops={shop.slug: shop.id for shop, _code, _category in shops})
    discounts = online.fair_discounts(fair) if phase != "past" else {}
    fair_prices = {
        product.id: online.discounted_price(product.price_rial, discounts[product.id])
        for product in result.products
        if product.id in discounts
    }
    fair_categories = sorted(
        {by_id[category_id] for _shop, _code, category_id in shops if category_id in by_id},
        key=lambda category: category.position,
    )
    has_map = any(code for _shop, code, _category in shops)
    return render_template(
        "bazaar/public/fair.html",
        fair=fair,
        phase=phase,
        shops=shops,
        params=params,
        result=result,
        band=_band(params),
        price_bands=PRICE_BANDS,
        sorts=SORTS,
        fair_categories=fair_categories,
        fair_prices=fair_prices,
        map_url=url_for("bazaar.map_svg", slug=fair.slug) if has_map else "",
    )


@public_bp.get("/<slug>/map.svg")
def map_svg(slug: str):
    """The fair's booth map with its shops, as SVG. The page cache keeps only HTML pages, so it is
    not `@cached_page()`: a few queries, and browsers and proxies may keep it for a few minutes."""
    fair = _visible_fair(slug)
    return Response(
        booth_map.map_svg(fair, show_names=True),
        mimetype="image/svg+xml",
        headers={"Cache-Control": f"public, max-age={MAP_MAX_AGE_SECONDS}"},
    )


@public_bp.get("/<slug>/calendar.ics")
def calendar(slug: str):
    """The fair as an iCalendar file, to add to a phone's calendar."""
    fair = _visible_fair(slug)
    body = online.calendar_file(fair, public_url("bazaar.fair", slug=fair.slug), public_host())
    return Response(
        body,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="bazaar-{fair.id}.ics"'},
    )


@public_bp.get("/feed.xml")
def feed():
    """An Atom feed of the live and upcoming fairs."""
    groups = services.public_fairs(utcnow())
    body = online.atom_feed(
        groups["live"] + groups["upcoming"],
        feed_url=public_url("bazaar.feed"),
        page_url=public_url("bazaar.index"),
        fair_url=lambda fair: public_url("bazaar.fair", slug=fair.slug),
        host=public_host(),
        title=_("Rooyesh Market fairs"),
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")
