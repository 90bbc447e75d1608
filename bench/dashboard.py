"""The centre's impact dashboard at scale: a benchmark that prints numbers, never asserts.

For each database (SQLite in a temporary file, PostgreSQL in a fresh database it creates and drops,
or both) it builds the issue's data set with bulk inserts through SQLAlchemy Core: 1,000 producers
(shops in 24 neighbourhoods, five products each, photos, colours and registration records for
some), 300 buyers, 50,000 orders over the last 14 months in every status with one or two lines
each, 20 fairs with 50 accepted producers each and their recorded booth sales, and a year of search
roll-ups. Then, signed in as staff through the test client, it times:

- the page /staff/impact with its default period (from the first producer's sign-up month: two
  years of sign-ups here, so 24-25 Jalali months), with the last twelve months, narrowed to a
  category and a neighbourhood, and one CSV file: median and p95 of --runs runs;
- each section's counting alone (sales per shop and month, funnel, income, readiness, unmet
  demand) and building the income tables.

--no-indexes drops migration 0017's two indexes first, to see what they save.

    .venv/bin/python bench/dashboard.py [--db sqlite|postgres|both] [--runs 15]
        [--producers 1000] [--orders 50000] [--fairs 20]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432] [--no-indexes]
"""

import argparse
import gc
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.pop("DATABASE_URL", None)

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from pages import database, postgres_reachable  # noqa: E402  (bench/pages.py: a fresh PostgreSQL database)
from sqlalchemy import insert, select  # noqa: E402
from timing import call_times_ms  # noqa: E402

from marketplace import create_app  # noqa: E402
from marketplace.accounts import services as accounts  # noqa: E402
from marketplace.accounts.models import User, UserRole  # noqa: E402
from marketplace.bazaar.models import Application, BazaarEvent, InPersonSale  # noqa: E402
from marketplace.branding.palette import CURATED  # noqa: E402
from marketplace.catalog.models import Category, Product, ProductImage  # noqa: E402
from marketplace.core.dates import TEHRAN, as_utc, jalali_input_value, utcnow  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.insights.models import SearchDaily  # noqa: E402
from marketplace.orders.models import Checkout, Order, OrderItem  # noqa: E402
from marketplace.registration.models import RegistrationRecord  # noqa: E402
from marketplace.shops.models import Shop  # noqa: E402
from marketplace.shops.services import MASHHAD_NEIGHBOURHOODS  # noqa: E402
from marketplace.staff import impact, impact_period, impact_readiness, impact_tables  # noqa: E402

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "rooyesh_bench_dashboard"
STAFF_PHONE, PASSWORD = "+989153000001", "bench password 1404"
# Most orders go ahead; some wait, some are undone (the dashboard counts only the ones that went ahead).
STATUSES = ["delivered"] * 50 + ["shipped"] * 10 + ["accepted"] * 10 + ["paid"] * 8
STATUSES += ["awaiting_confirmation"] * 6 + ["pending_payment"] * 4 + ["cancelled"] * 8 + ["refunded"] * 4
QUERIES = ["گلیم ترکمن", "ترشی لیته", "کیف چرمی", "مربای بهارنارنج", "روسری ترمه", "سماور", "جاجیم", "عروسک"]
BATCH = 5_000
IMPACT_INDEXES = ("ix_order_sales", "ix_order_item_sales")  # migration 0017; --no-indexes drops them


def log(message: str) -> None:
    """Progress on stderr, so that stdout holds only the results."""
    print(f"  … {message}", file=sys.stderr, flush=True)


def bulk(table, rows: list[dict]) -> None:
    """Insert rows with Core executemany, a batch at a time."""
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])


def ids(column) -> list[int]:
    return list(db.session.scalars(select(column).order_by(column)))


# ------------------------------------------------------------------ the data set


def seed_people(rng: random.Random, producers: int, buyers: int, now: datetime) -> list[int]:
    """Producers (signed up over two years) with their roles, shops, products and photos, and buyers."""
    users = [
        {
            "phone": f"+98915{n:07d}",
            "display_name": f"کاربر {n}",
            "password_hash": "!",
            "session_token": secrets.token_hex(16),
            "created_at": now - timedelta(days=rng.randrange(730)),
        }
        for n in range(producers + buyers)
    ]
    bulk(User.__table__, users)
    user_ids = ids(User.id)[-(producers + buyers) :]
    producer_ids, buyer_ids = user_ids[:producers], user_ids[producers:]
    roles = [{"user_id": u, "role": "buyer"} for u in user_ids] + [
        {"user_id": u, "role": "producer"} for u in producer_ids
    ]
    bulk(UserRole.__table__, roles)
    created = dict(db.session.execute(select(User.id, User.created_at).where(User.id.in_(producer_ids))).all())
    shops = []
    for n, owner_id in enumerate(producer_ids):
        joined = as_utc(created[owner_id])
        approved = rng.random() < 0.8
        palette = CURATED[n % len(CURATED)].palette if rng.random() < 0.6 else None
        shops.append(
            {
                "owner_id": owner_id,
                "name": f"کارگاه {n}",
                "slug": f"shop-{n}",
                "story": "داستان کارگاه من " * rng.choice((0, 8, 25)),
                "tagline": "دست‌ساز مشهد" if rng.random() < 0.5 else "",
                "story_answers": {},
                "neighbourhood": rng.choice(MASHHAD_NEIGHBOURHOODS),
                "status": "approved" if approved else "draft",
                "color_primary": palette.primary if palette else None,
                "color_accent": palette.accent if palette else None,
                "color_background": palette.background if palette else None,
                "color_text": palette.text if palette else None,
                "logo_files": {"1024": "x.png"} if rng.random() < 0.5 else None,
                "instagram": f"shop{n}" if rng.random() < 0.5 else None,
                "telegram": f"shop{n}" if rng.random() < 0.3 else None,
                "created_at": joined,
                "updated_at": joined,
                "approved_at": joined + timedelta(days=rng.randrange(1, 30)) if approved else None,
            }
        )
    bulk(Shop.__table__, shops)
    db.session.commit()
    return buyer_ids


def seed_products(rng: random.Random, now: datetime) -> list[tuple[int, int, int]]:
    """Five products per shop (published in approved shops), a photo on most; returns (product, shop, price)."""
    subcategories = list(db.session.scalars(select(Category.id).where(Category.parent_id.is_not(None))))
    shops = db.session.execute(select(Shop.id, Shop.status, Shop.approved_at)).all()
    rows = []
    for shop_id, status, approved_at in shops:
        for item in range(5):
            published = as_utc(approved_at) + timedelta(days=rng.randrange(1, 60)) if status == "approved" else None
            rows.append(
                {
                    "shop_id": shop_id,
                    "category_id": rng.choice(subcategories),
                    "title": f"کالای {item} کارگاه {shop_id}",
                    "slug": f"p-{shop_id}-{item}",
                    "price_rial": rng.randrange(5, 500) * 10_000,
                    "tags": [],
                    "status": "published" if published and published < now else "draft",
                    "published_at": published if published and published < now else None,
                }
            )
    bulk(Product.__table__, rows)
    products = db.session.execute(select(Product.id, Product.shop_id, Product.price_rial, Product.status)).all()
    images = [{"product_id": p, "stored": {"key": "x"}, "tips": []} for p, *_rest in products if rng.random() < 0.7]
    bulk(ProductImage.__table__, images)
    records = []
    for shop_id, _status, _approved in shops:
        for code in rng.sample(["HB-1", "TM-1", "TX-1", "CR-1", "EC-1"], rng.randrange(0, 4)):
            records.append({"shop_id": shop_id, "item_code": code, "status": rng.choice(["verified", "submitted"])})
    bulk(RegistrationRecord.__table__, records)
    db.session.commit()
    return [(p, s, price) for p, s, price, status in products if status == "published"]


def seed_orders(rng: random.Random, count: int, buyers: list[int], products, now: datetime) -> None:
    """`count` orders of one or two lines over the last 14 months, one checkout each."""
    when = [now - timedelta(seconds=rng.randrange(14 * 30 * 86_400)) for _ in range(count)]
    buyer_of = [rng.choice(buyers) for _ in range(count)]
    lines_of = [[rng.choice(products) for _ in range(rng.choice((1, 1, 2)))] for _ in range(count)]
    checkouts = [
        {"buyer_id": buyer, "total_rial": sum(line[2] for line in lines), "created_at": at}
        for buyer, lines, at in zip(buyer_of, lines_of, when, strict=True)
    ]
    first_checkout = (db.session.scalar(select(sa.func.max(Checkout.id))) or 0) + 1
    bulk(Checkout.__table__, checkouts)
    first_order = (db.session.scalar(select(sa.func.max(Order.id))) or 0) + 1
    orders, items = [], []
    for n, (buyer, lines, at) in enumerate(zip(buyer_of, lines_of, when, strict=True)):
        shop_id = lines[0][1]
        lines = [line for line in lines if line[1] == shop_id]  # one order per shop
        goods = sum(line[2] for line in lines)
        orders.append(
            {
                "checkout_id": first_checkout + n,
                "shop_id": shop_id,
                "buyer_id": buyer,
                "status": rng.choice(STATUSES),
                "payment_method": "card",
                "delivery_method": "post",
                "items_rial": goods,
                "total_rial": goods + 500_000,
                "receiver_name": "خریدار",
                "receiver_phone": "+989150000000",
                "created_at": at,
                "updated_at": at,
            }
        )
        items += [
            {"order_id": first_order + n, "product_id": p, "title": "کالا", "unit_price_rial": price, "quantity": 1}
            for p, _shop, price in lines
        ]
    bulk(Order.__table__, orders)
    bulk(OrderItem.__table__, items)
    db.session.commit()


def seed_fairs(rng: random.Random, fairs: int, now: datetime) -> None:
    """Fairs spread over the last year, 50 accepted producers each, three recorded booth sales each."""
    tops = list(db.session.scalars(select(Category.id).where(Category.parent_id.is_(None))))
    rows = []
    for n in range(fairs):
        starts = now - timedelta(days=18 * n + 3)
        rows.append(
            {
                "slug": f"fair-{n}",
                "title": f"بازارچه {n}",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=30),
                "applications_open_at": starts - timedelta(days=30),
                "applications_close_at": starts - timedelta(days=10),
                "status": "closed",
            }
        )
    bulk(BazaarEvent.__table__, rows)
    shop_ids = list(db.session.scalars(select(Shop.id).where(Shop.status == "approved")))
    fair_rows = [
        (fair_id, as_utc(starts))
        for fair_id, starts in db.session.execute(select(BazaarEvent.id, BazaarEvent.starts_at))
    ]
    applications = [
        {"fair_id": fair_id, "shop_id": shop_id, "category_id": rng.choice(tops), "status": "accepted"}
        for fair_id, _starts in fair_rows
        for shop_id in rng.sample(shop_ids, min(50, len(shop_ids)))
    ]
    bulk(Application.__table__, applications)
    starts_of = dict(fair_rows)
    sales = [
        {
            "application_id": application_id,
            "amount_rial": rng.randrange(5, 300) * 10_000,
            "item_count": rng.randrange(1, 5),
            "recorded_at": starts_of[fair_id] + timedelta(hours=rng.randrange(1, 29)),
        }
        for application_id, fair_id in db.session.execute(select(Application.id, Application.fair_id))
        for _ in range(3)
    ]
    bulk(InPersonSale.__table__, sales)
    db.session.commit()


def seed_searches(rng: random.Random, today: date) -> None:
    """A year of daily search roll-ups for a handful of queries."""
    rows = []
    for back in range(365):
        for query in rng.sample(QUERIES, 4):
            searches = rng.randrange(2, 30)
            zero = rng.randrange(0, searches + 1)
            rows.append(
                {
                    "day": today - timedelta(days=back),
                    "query": query,
                    "searches": searches,
                    "sessions": rng.randrange(2, searches + 2),
                    "zero_results": zero,
                    "few_results": rng.randrange(0, searches - zero + 1),
                }
            )
    bulk(SearchDaily.__table__, rows)
    db.session.commit()


def seed(args) -> None:
    rng, now = random.Random(14), utcnow()
    accounts.create_user(STAFF_PHONE, "کارشناس", PASSWORD, roles={"staff", "buyer"})
    buyers = seed_people(rng, args.producers, 300, now)
    products = seed_products(rng, now)
    seed_orders(rng, args.orders, buyers, products, now)
    seed_fairs(rng, args.fairs, now)
    seed_searches(rng, now.astimezone(TEHRAN).date())


# ------------------------------------------------------------------ timing


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"


def page(client, path: str, query: dict | None = None):
    def get():
        response = client.get(path, query_string=query or {})
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response

    return get


def measure(app, args) -> None:
    gc.collect()
    gc.freeze()  # as wsgi.py does once the app has started: long-lived objects out of full collections
    client = app.test_client()
    with app.test_request_context():
        token_page = client.get("/login").get_data(as_text=True)
    token = token_page.split('name="csrf_token" type="hidden" value="', 1)[-1].split('"', 1)[0]
    answer = client.post("/login", data={"csrf_token": token, "phone": "09153000001", "password": PASSWORD})
    if answer.status_code != 302:
        raise RuntimeError(f"staff login answered {answer.status_code}")
    with app.app_context():
        category = db.session.scalar(select(Category.id).where(Category.slug == "handicrafts"))
    with app.test_request_context():
        today = utcnow().astimezone(TEHRAN).date()
        default = impact_period.default_period(today, impact.first_producer_signup())
        twelve = impact_period.default_period(today)
    last_year = {"from": jalali_input_value(twelve.first), "to": jalali_input_value(today)}
    runs = args.runs
    for label, query in (
        (f"/staff/impact (default: {len(default.months)} Jalali months)", {}),
        ("/staff/impact (the last 12 Jalali months)", last_year),
    ):
        size = len(client.get("/staff/impact", query_string=query).data)
        times = call_times_ms(page(client, "/staff/impact", query), runs)
        print(f"  {label:<58} {summary(times)}, {size / 1024:.0f} KB of HTML")
    narrowed = {"category": category, "neighbourhood": MASHHAD_NEIGHBOURHOODS[0]}
    label = "/staff/impact?category=…&neighbourhood=…"
    print(f"  {label:<58} {summary(call_times_ms(page(client, '/staff/impact', narrowed), runs))}")
    csv_times = call_times_ms(page(client, "/staff/impact/producers.csv"), runs)
    print(f"  {'/staff/impact/producers.csv':<58} {summary(csv_times)}")
    with app.test_request_context():
        the_period, filters = default, impact_period.Filters()
        sales = impact.shop_sales(the_period, filters)
        income = impact.income(the_period, filters, sales)
        sections = {
            "sales per shop and month (2 grouped queries)": lambda: impact.shop_sales(the_period, filters),
            "funnel (1 query + the sales above)": lambda: impact.funnel(the_period, filters, sales),
            "income per category (1 grouped query) and in all": lambda: impact.income(the_period, filters, sales),
            "income tables (Python over the grouped rows)": lambda: impact_tables.income_tables(income),
            "readiness (4 queries + brand score, checklist rules)": lambda: impact_readiness.readiness(filters, today),
            "unmet demand (insights roll-ups)": lambda: impact_readiness.unmet_demand(the_period, filters),
        }
        for name, action in sections.items():
            print(f"    {name:<56} {summary(call_times_ms(action, runs))}")


# ------------------------------------------------------------------ databases


def bench_database(kind: str, args) -> None:
    print(f"\n## {'SQLite' if kind == 'sqlite' else 'PostgreSQL'}  (load average {os.getloadavg()[0]:.2f} before)")
    instance = tempfile.mkdtemp(prefix="rooyesh-bench-dashboard-")
    try:
        with database(kind, args.postgres, POSTGRES_DATABASE) as server_url:
            url = server_url or f"sqlite:///{instance}/bench.db"
            app = create_app(
                {
                    "INSTANCE_PATH": instance,
                    "SQLALCHEMY_DATABASE_URI": url,
                    "SECRET_KEY": "bench",
                    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                    "RATELIMIT_ENABLED": False,
                }
            )
            with app.app_context():
                upgrade()
                if not args.indexes:
                    for index in IMPACT_INDEXES:
                        db.session.execute(sa.text(f"DROP INDEX {index}"))
                    db.session.commit()
                started = time.perf_counter()
                log(f"{kind}: building the data set")
                seed(args)
                if kind == "postgres":
                    db.session.execute(sa.text("ANALYZE"))
                    db.session.commit()
                counts = {
                    name: db.session.scalar(select(sa.func.count()).select_from(model))
                    for name, model in (
                        ("shops", Shop),
                        ("products", Product),
                        ("orders", Order),
                        ("order lines", OrderItem),
                        ("fairs", BazaarEvent),
                        ("fair sales", InPersonSale),
                    )
                }
                print(
                    ", ".join(f"{count:,} {name}" for name, count in counts.items())
                    + f"  (built in {time.perf_counter() - started:.0f} s)"
                )
            measure(app, args)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each page and section (default 15)")
    parser.add_argument("--producers", type=int, default=1000)
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--fairs", type=int, default=20)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL server URL, without a database")
    parser.add_argument(
        "--indexes",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep migration 0017's indexes (--no-indexes: drop them, to see what they save)",
    )
    args = parser.parse_args()
    print("# The centre's impact dashboard (/staff/impact)")
    print(
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{value:.2f}' for value in os.getloadavg())}; Flask test client (no HTTP server); "
        f"{args.producers:,} producers, {args.orders:,} orders, {args.fairs} fairs; {args.runs} runs after a warm-up; "
        f"migration 0017's indexes {'kept' if args.indexes else 'DROPPED'}"
    )
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        why_not = postgres_reachable(args.postgres) if kind == "postgres" else None
        if why_not:
            print(f"\n## PostgreSQL: skipped, {args.postgres} cannot be reached ({why_not})")
            continue
        bench_database(kind, args)


if __name__ == "__main__":
    main()
