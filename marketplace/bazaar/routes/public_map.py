"""The public booth map of a published, live or past fair, as SVG (linked from the fair's page).

The page cache keeps only HTML pages, so this view is not `@cached_page()`: it is a few queries,
and browsers and proxies may keep it for a few minutes."""

from flask import Response, abort

from .. import booth_map
from ..services import fair_by_slug
from . import public_bp

MAX_AGE_SECONDS = 300


@public_bp.get("/<slug>/map.svg")
def map_svg(slug: str):
    fair = fair_by_slug(slug)
    if fair is None:
        abort(404)
    return Response(
        booth_map.map_svg(fair, show_names=True),
        mimetype="image/svg+xml",
        headers={"Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"},
    )
