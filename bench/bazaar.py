"""The centre's fairs at scale: a benchmark that prints numbers, never asserts.

Builds a temporary instance (SQLite, or PostgreSQL with --postgres URL) with N approved shops, each
with three published products and an application to one fair, then times what staff and buyers
wait for: the jury board, accepting N places under quotas, automatic booth assignment over a hall
of N booths, the booth map, the fair report and the income ledger, pricing a product while the
fair is live (the question orders ask at every cart line) and one search within the fair.

    .venv/bin/python bench/bazaar.py [--producers 200] [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.pop("DATABASE_URL", None)

from flask_migrate import downgrade, upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from marketplace import create_app  # noqa: E402
from marketplace.accounts import services as accounts  # noqa: E402
from marketplace.bazaar import (  # noqa: E402
    booth_map,
    booths,
    jury,
    jury_board,
    online,
    planning,  # noqa: E402
    reports,
)
from marketplace.bazaar import services as fairs  # noqa: E402
from marketplace.bazaar.models import Application, ApplicationProduct, BazaarEvent  # noqa: E402
from marketplace.catalog import services as catalog  # noqa: E402
from marketplace.catalog.models import Category  # noqa: E402
from marketplace.core.dates import as_utc, utcnow  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.search import index as search_index  # noqa: E402
from marketplace.search import query as search_query  # noqa: E402
from marketplace.shops import services as shops  # noqa: E402

CATEGORIES = ("needlework", "pottery", "carpets-kilims", "pickles", "jams", "soap", "scarves", "knitting")


def timed(label: str, function, repeat: int = 1):
    """Run `function` `repeat` times; print the median in milliseconds; return its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"  {label:<52} {times[len(times) // 2]:9.1f} ms" + (f"  (median of {repeat})" if repeat > 1 else ""))
    return result


def build(producers: int) -> tuple[BazaarEvent, object]:
    """Staff, N approved shops with three published products each, and a fair in jurying with an
    application from every shop."""
    staff = accounts.create_user("+989153000001", "کارشناس", "bench password 1404", roles={"staff", "buyer"})
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    now = utcnow()
    data = planning.FairData(
        title="بازارچه سنجش",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
        applications_open_at=now - timedelta(days=20),
        applications_close_at=now - timedelta(days=2),
        places=producers,
        food_requires_verified=False,
        quotas={categories["home-food"].id: 20},  # food is a quarter of the applicants
    )
    fair = planning.create_fair(data, staff)
    fair.status = "jurying"
    for number in range(producers):
        owner = accounts.create_user(
            f"+98915{number + 1:07d}", f"تولیدکننده {number}", "bench password 1404", roles={"producer", "buyer"}
        )
        shop = shops.create_shop(owner, f"کارگاه سنجش {number}", "دستی", "گلشهر")
        shop.status = "approved"
        category = categories[CATEGORIES[number % len(CATEGORIES)]]
        products = []
        for item in range(3):
            product = catalog.create_product(
                shop,
                catalog.ProductData(
                    title=f"کالای {item} کارگاه {number}",
                    description="",
                    category_id=category.id,
                    price_toman=150_000 + 1_000 * item,
                    stock=5,
                    made_to_order=False,
                    lead_time_days=None,
                    weight_g=None,
                    materials="",
                    tags="",
                ),
            )
            product.status, product.published_at = "published", now
            products.append(product)
        application = Application(
            fair=fair,
            shop=shop,
            category_id=category.top.id,
            first_timer=number % 3 == 0,
            needs_power=number % 7 == 0,
            two_people=number % 11 == 0,
        )
        application.items = [ApplicationProduct(product=p, discount_percent=10) for p in products]
        db.session.add(application)
        if number % 50 == 49:
            db.session.flush()
    for hall in range(producers // 100 + 1):  # halls of 10 × 10 booths, room to spare
        booths.add_zone(fair, f"سالن {hall + 1}", 10, 10, "ABCDEFGHJK"[hall % 10])
    for booth in fair.booths[: producers // 5]:
        booth.has_power = True
    db.session.commit()
    return fair, staff


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--producers", type=int, default=200)
    parser.add_argument("--postgres", help="run on this PostgreSQL database (its schema is rebuilt)")
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="rooyesh-bench-bazaar-")
    uri = (
        args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
        if args.postgres
        else f"sqlite:///{instance}/bench.db"
    )
    app = create_app(
        {
            "INSTANCE_PATH": instance,
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "bench",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    try:
        with app.app_context(), app.test_request_context():
            if args.postgres:
                downgrade(revision="base")
            upgrade()
            print(f"{args.producers} producers, {'PostgreSQL' if args.postgres else 'SQLite'}")
            fair, staff = timed("build the data (shops, products, applications)", lambda: build(args.producers))
            fair = db.session.get(BazaarEvent, fair.id)
            timed("jury board (every application, averages, quotas)", lambda: jury_board.board(fair, staff), repeat=5)
            applications = list(db.session.scalars(select(Application).where(Application.fair_id == fair.id)))

            def accept_all():
                refused = 0
                for application in applications:
                    try:
                        jury.decide(application, staff, "accept", "")
                    except Exception:  # noqa: BLE001  (a quota refusal: counted)
                        refused += 1
                        jury.decide(application, staff, "waitlist", "")
                db.session.commit()
                return refused

            refused = timed(f"decide all {len(applications)} (accept, or waitlist over quota)", accept_all)
            print(f"    {refused} waitlisted by the food quota")
            fairs.move_fair(fair, "publish", staff)
            db.session.commit()
            report = timed("assign booths automatically", lambda: booths.assign_booths(fair))
            db.session.commit()
            pairs, unmet = report.same_category_pairs, len(report.problems)
            print(f"    placed {report.placed}, same-category neighbour pairs {pairs}, {unmet} wishes not met")
            svg = timed("booth map (SVG)", lambda: booth_map.map_svg(fair), repeat=5)
            print(f"    {len(svg) / 1024:.0f} KB of SVG")
            timed("fair report (SQL aggregates)", lambda: reports.fair_report(fair), repeat=5)
            timed("income ledger (all producers, all fairs)", lambda: reports.income_ledger(), repeat=5)
            product = applications[0].items[0].product
            now = as_utc(fair.starts_at) + timedelta(minutes=30)
            timed(
                "fair price of one product while live (per cart line)",
                lambda: online.fair_price(product, now=now),
                repeat=200,
            )
            timed(
                "booth pickup for one shop while live", lambda: online.booth_pickup(product.shop, now=now), repeat=200
            )
            timed("index rebuild (with the fair field)", lambda: search_index.rebuild(app), repeat=1)
            params = search_query.SearchParams(q="کالای", fair=fair.id)
            timed("search within the fair (Whoosh)", lambda: search_query.search(params), repeat=20)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
