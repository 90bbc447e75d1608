"""Reliability with real processes on a real SQLite file (not the rolled-back test database):
concurrent writers and syncs converge, and an indexer killed mid-sync loses nothing."""

import multiprocessing
import os
import signal
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import insert, select
from sqlalchemy.exc import OperationalError

from marketplace import create_app
from marketplace.catalog.models import Category, Product
from marketplace.core.dates import utcnow
from marketplace.extensions import db
from marketplace.search import index
from marketplace.search.models import SearchChange
from marketplace.shops.models import Shop
from tests.factories import ShopFactory, UserFactory

WRITERS = 4
UPDATES = 50


def _config(instance: str) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": instance,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance, "reliability.db"),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SQLITE_BUSY_TIMEOUT_MS": 30_000,
    }


def _prepare(instance: str, products: int) -> tuple:
    """A migrated database with one approved shop and `products` published products, and an index
    built before the products came (so their changes are all pending)."""
    app = create_app(_config(instance))
    with app.app_context():
        upgrade()
        owner = UserFactory(phone="+989150000001", display_name="مریم", roles={"producer"})
        shop = ShopFactory(owner=owner, name="چرم مریم", neighbourhood="گلشهر", status="approved")
        db.session.commit()
        index.rebuild(app)
        leather = db.session.scalar(select(Category.id).where(Category.slug == "leather"))
        now = utcnow()
        rows = [
            {
                "shop_id": shop.id,
                "category_id": leather,
                "title": f"کیف چرمی {n}",
                "slug": f"kif-{n}",
                "price_rial": 1_000_000 + n,
                "stock": 1,
                "status": "published",
                "published_at": now,
                "tags": [],
            }
            for n in range(products)
        ]
        # bulk INSERT statements are not flushes: log the changes by hand, like a big import would
        db.session.execute(insert(Product), rows)
        ids = list(db.session.scalars(select(Product.id).order_by(Product.id)))
        db.session.execute(insert(SearchChange), [{"entity": "product", "entity_id": i} for i in ids])
        db.session.commit()
    return app, ids


def _writer(instance: str, product_id: int, updates: int) -> None:
    """Child: update one product `updates` times, one commit each, syncing now and then."""
    app = create_app(_config(instance))
    with app.app_context():
        for n in range(updates):
            for attempt in range(50):
                try:
                    product = db.session.get(Product, product_id)
                    product.price_rial = 2_000_000 + product_id * 1000 + n
                    product.title = f"کیف چرمی {product_id} نسخهٔ {n}"
                    product.status = "archived" if n == updates - 1 and product_id % 2 else "published"
                    db.session.commit()
                    break
                except OperationalError:
                    # SQLite's deferred BEGIN: a read transaction that turns into a write after another
                    # process committed fails at once ("database is locked"); retry it from the start
                    db.session.rollback()
                    time.sleep(0.01 * (attempt + 1))
            else:
                raise RuntimeError("could not commit")
            if n % 10 == 0:
                index.sync(app, lock_timeout=60)


def _indexer(instance: str, started) -> None:
    """Child: sync a long log (killed by the parent halfway)."""
    app = create_app(_config(instance))
    with app.app_context():
        started.set()
        index.sync(app, lock_timeout=60)


def _index_matches_database(app) -> None:
    with app.app_context():
        expected = {
            product.id: product.price_rial
            for product in db.session.scalars(
                select(Product).join(Shop).where(Product.status == "published", Shop.status == "approved")
            )
        }
        ix = index.open_index(app)
        with ix.searcher() as searcher:
            found = {f["pk"]: f["price_rial"] for f in searcher.all_stored_fields() if f.get("kind") == "product"}
        assert found == expected
        assert index.status(app)["lag"] == 0


@pytest.fixture
def spawn():
    return multiprocessing.get_context("spawn")


def test_concurrent_writers_and_syncs_converge(tmp_path, spawn):
    instance = str(tmp_path)
    app, ids = _prepare(instance, WRITERS)
    children = [spawn.Process(target=_writer, args=(instance, product_id, UPDATES)) for product_id in ids]
    for child in children:
        child.start()
    for child in children:
        child.join(120)
        assert child.exitcode == 0
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(SearchChange)) >= WRITERS * (UPDATES + 1)
        index.sync(app)
    _index_matches_database(app)


def test_indexer_killed_mid_sync_loses_nothing(tmp_path, spawn):
    instance = str(tmp_path)
    app, _ids = _prepare(instance, 3000)
    started = spawn.Event()
    child = spawn.Process(target=_indexer, args=(instance, started))
    child.start()
    assert started.wait(60)
    time.sleep(0.8)
    was_running = child.is_alive()
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)
    assert child.exitcode == -signal.SIGKILL
    with app.app_context():
        before = index.status(app)
        assert before["ok"], before  # the interrupted commit never damages the index
        if was_running:
            assert before["lag"] > 0
        index.sync(app, lock_timeout=5)  # the kernel released the dead indexer's lock
    _index_matches_database(app)
