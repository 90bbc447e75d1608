"""Sync and rebuild: the index matches the database exactly, recovers from loss and corruption."""

import os
import shutil
import threading

import pytest
from sqlalchemy import update

from marketplace.catalog.models import Product
from marketplace.core import outbox
from marketplace.core.dates import utcnow
from marketplace.extensions import db
from marketplace.search import index
from marketplace.search.models import SearchChange
from marketplace.shops.models import Shop
from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import indexed_ids, public_ids, synced


def test_sync_makes_the_index_match_the_database(app, make):
    shop = make(ShopFactory, status="approved")
    suspended = make(ShopFactory, status="suspended")
    published = make(ProductFactory, shop=shop, title="کیف چرمی", status="published").id
    make(ProductFactory, shop=shop, title="پیش‌نویس", status="draft")
    make(ProductFactory, shop=shop, title="بایگانی", status="archived")
    make(ProductFactory, shop=suspended, title="کیف شاهانه", status="published")
    synced(app)
    assert indexed_ids(app) == public_ids(app) == {published}
    assert indexed_ids(app, "shop") == {shop.id}


def test_sync_follows_status_changes_and_deletes(app, make):
    shop = make(ShopFactory, status="approved")
    first, second = (
        make(ProductFactory, shop=shop, title="کیف چرمی", status="published").id,
        make(ProductFactory, shop=shop, title="کمربند چرمی", status="published").id,
    )
    synced(app)
    assert indexed_ids(app) == {first, second}
    with app.app_context():
        db.session.get(Product, first).status = "archived"
        db.session.delete(db.session.get(Product, second))
        db.session.commit()
    synced(app)
    assert indexed_ids(app) == set()
    with app.app_context():
        db.session.get(Product, first).status = "published"
        db.session.commit()
    synced(app)
    assert indexed_ids(app) == {first}
    with app.app_context():
        db.session.get(Shop, shop.id).status = "suspended"
        db.session.commit()
    synced(app)
    assert indexed_ids(app) == public_ids(app) == set()
    assert indexed_ids(app, "shop") == set()


def test_sync_records_the_last_change_and_is_idempotent(app, make):
    make(ProductFactory, shop=make(ShopFactory, status="approved"), title="کیف چرمی", status="published")
    synced(app)
    with app.app_context():
        state = index.status(app)
        assert state["ok"] and state["lag"] == 0 and state["last_change"] > 0
        assert synced(app) == 0


def test_status_reports_lag(app, make):
    shop = make(ShopFactory, status="approved")
    synced(app)
    make(ProductFactory, shop=shop, title="کیف چرمی", status="published")
    with app.app_context():
        assert index.status(app)["lag"] >= 1


def test_rebuild_swaps_in_a_new_directory(app, make, search_index_folder):
    product_id = make(
        ProductFactory, shop=make(ShopFactory, status="approved"), title="کیف چرمی", status="published"
    ).id
    with app.app_context():
        index.rebuild(app)
        first = os.path.realpath(search_index_folder)
        index.rebuild(app)
        second = os.path.realpath(search_index_folder)
    assert os.path.islink(search_index_folder)
    assert first != second and not os.path.exists(first)
    assert indexed_ids(app) == {product_id}
    assert sorted(p.name for p in search_index_folder.parent.iterdir() if p.is_dir() and not p.is_symlink()) == [
        os.path.basename(second)
    ]


def test_missing_index_is_rebuilt_by_sync(app, make, search_index_folder):
    product_id = make(
        ProductFactory, shop=make(ShopFactory, status="approved"), title="کیف چرمی", status="published"
    ).id
    with app.app_context():
        assert index.status(app)["ok"] is False
        index.sync(app)
        assert index.status(app)["ok"] is True
    assert indexed_ids(app) == {product_id}


@pytest.mark.parametrize("damage", ["delete", "corrupt"])
def test_lost_or_corrupt_index_recovers(app, make, search_index_folder, damage):
    product_id = make(
        ProductFactory, shop=make(ShopFactory, status="approved"), title="کیف چرمی", status="published"
    ).id
    with app.app_context():
        index.rebuild(app)
    real = os.path.realpath(search_index_folder)
    if damage == "delete":
        os.unlink(search_index_folder)

        shutil.rmtree(real)
    else:
        for name in os.listdir(real):
            with open(os.path.join(real, name), "wb") as damaged:
                damaged.write(b"\x00garbage")
    app.extensions.pop("search_index", None)
    with app.app_context():
        with pytest.raises(index.IndexUnavailable):
            index.open_index(app)
        assert index.status(app)["ok"] is False
        index.sync(app)
    assert indexed_ids(app) == {product_id}


def test_index_with_an_old_schema_is_rebuilt(app, make, search_index_folder):
    """An index built by an earlier version (other fields) is not used as it is: it is rebuilt."""
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema

    product_id = make(
        ProductFactory, shop=make(ShopFactory, status="approved"), title="کیف چرمی", status="published"
    ).id
    with app.app_context():
        index.rebuild(app)
    real = os.path.realpath(search_index_folder)
    shutil.rmtree(real)
    os.makedirs(real)
    whoosh_index.create_in(real, Schema(id=ID(stored=True, unique=True)))
    app.extensions.pop("search_index", None)
    with app.app_context():
        with pytest.raises(index.IndexUnavailable, match="old schema"):
            index.get_index(app)  # a query never rebuilds it
        assert index.rebuild_index_if_needed(app) is True  # start-up or the worker does
        assert index.rebuild_index_if_needed(app) is False  # and only once
    assert indexed_ids(app) == {product_id}


def test_index_ahead_of_the_log_is_rebuilt(app, make):
    product_id = make(
        ProductFactory, shop=make(ShopFactory, status="approved"), title="کیف چرمی", status="published"
    ).id
    synced(app)
    ix = index.open_index(app)
    writer = ix.writer()
    writer.update_document(id=index.META_ID, kind="meta", last_change=10**12)
    writer.commit()
    synced(app)
    with app.app_context():
        assert index.status(app)["last_change"] < 10**12
    assert indexed_ids(app) == {product_id}


def test_lock_times_out_while_another_writer_holds_it(app):
    # flock is per open file description: a second open in the same process conflicts too
    with app.app_context(), index.index_lock(app), pytest.raises(index.LockTimeout), index.index_lock(app, 0.1):
        pass


def test_young_gap_in_the_log_is_not_skipped(app, make):
    """PostgreSQL hands out ids at insert: a transaction still open leaves a gap that later fills.
    The recorded position stops before a young gap, so that change is applied when it commits."""
    shop = make(ShopFactory, status="approved")
    late = make(ProductFactory, shop=shop, title="کیف دیرآمده", status="draft").id
    synced(app)
    with app.app_context():
        start = index.status(app)["last_change"]
        db.session.add(SearchChange(id=start + 2, entity="shop", entity_id=shop.id))  # start + 1 is "in flight"
        db.session.commit()
        index.sync(app)
        assert index.status(app)["last_change"] == start
        # the late transaction commits: a bulk UPDATE (no flush, so no automatic log row) and its change
        db.session.execute(update(Product).where(Product.id == late).values(status="published", published_at=utcnow()))
        db.session.add(SearchChange(id=start + 1, entity="product", entity_id=late))
        db.session.commit()
        index.sync(app)
        assert index.status(app)["last_change"] == start + 2
    assert indexed_ids(app) == {late}


def test_rebuild_index_if_needed(app, make, search_index_folder):
    """What start-up and the worker call: rebuilds a missing index or one ahead of the log, else nothing."""
    shop = make(ShopFactory, neighbourhood="گلشهر", status="approved")
    product_id = make(ProductFactory, shop=shop, title="کیف چرمی", status="published").id
    with app.app_context():
        assert index.rebuild_index_if_needed(app) is True  # missing
        assert index.rebuild_index_if_needed(app) is False  # usable: nothing to do
        writer = index.open_index(app).writer()
        writer.update_document(id=index.META_ID, kind="meta", last_change=10**12)  # a restored backup
        writer.commit()
        assert index.rebuild_index_if_needed(app) is True
        assert index.status(app)["last_change"] < 10**12
    assert indexed_ids(app) == {product_id}


def test_the_web_process_never_rebuilds_a_lost_index(app, make, search_index_folder):
    """After a request that changed products, the app syncs the log; with the index lost it leaves
    the rebuild to the worker (a request must stay fast)."""
    shop = make(ShopFactory, neighbourhood="گلشهر", status="approved")
    make(ProductFactory, shop=shop, title="کیف چرمی", status="published")
    index.sync_quietly(app)
    assert not os.path.lexists(search_index_folder)
    with app.app_context():
        assert index.sync(app) == 2  # `flask search sync` (start-up) rebuilds it: the shop and the product
    assert os.path.lexists(search_index_folder)


def test_the_worker_loop_rebuilds_a_lost_index_and_applies_changes(app, make, search_index_folder):
    """`flask outbox work` runs search's periodic task: a lost index comes back, and a change made
    outside any request (an import, the shell) reaches the index without a request to sync it."""
    shop = make(ShopFactory, neighbourhood="گلشهر", status="approved")
    first = make(ProductFactory, shop=shop, title="کیف چرمی", status="published").id
    stop = threading.Event()
    with app.app_context():
        outbox.every(app, 0, "test-stop-after-one-turn")(lambda app: stop.set())
        try:
            outbox.work(app, stop, poll_seconds=0)
            assert indexed_ids(app) == {first}
            second = make(ProductFactory, shop=shop, title="کیف پول", status="published").id
            stop.clear()
            outbox.work(app, stop, poll_seconds=0)
        finally:
            app.extensions["worker_tasks"].pop("test-stop-after-one-turn")
    assert indexed_ids(app) == {first, second}
