"""The Whoosh index on disk: where it lives, its lock, sync of the change log, rebuild, status.

The database is the truth. `sync()` applies pending SearchChange rows in id order under a file
lock, re-reading each entity (upsert when it should be found, delete otherwise), in one Whoosh
commit that also stores the last applied change id in a "meta" document, so the index and its
position in the log always move together. `rebuild()` builds a new index directory from the
database and swaps it in by replacing a symlink (one atomic rename).
"""

import errno
import fcntl
import gc
import logging
import os
import shutil
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from flask import Flask, g
from sqlalchemy import func, select
from whoosh import index as whoosh_index

from ..catalog.models import Product
from ..core.app import current_app_object
from ..extensions import db
from ..shops.models import Shop
from .documents import SCHEMA_VERSION, load_products, make_schema, product_document, product_fairs, shop_document
from .models import SearchChange

log = logging.getLogger("marketplace.search")

META_ID = "meta"
LOCK_TIMEOUT = 30.0
BATCH = 2000
# A gap in the change ids younger than this may be a transaction still committing (PostgreSQL
# hands out ids at insert time): the recorded position stops before it, so it is applied later.
GAP_GRACE = timedelta(seconds=60)


class IndexUnavailable(Exception):
    """The index is missing or unreadable (queries fall back to the database meanwhile)."""


class LockTimeout(Exception):
    """Another process held the index lock for longer than we were willing to wait."""


# ---------------------------------------------------------------- where and under which lock


def index_path(app: Flask) -> str:
    """instance/search-index: a symlink to the current index directory (see rebuild)."""
    return os.path.join(app.instance_path, app.config["SEARCH_INDEX_FOLDER"])


@contextmanager
def index_lock(app: Flask, timeout: float = LOCK_TIMEOUT):
    """An exclusive flock beside the index: one writer (sync or rebuild) in all processes at a time.
    The kernel drops it when the holder dies, even by SIGKILL."""
    path = index_path(app).rstrip("/") + ".lock"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    raise LockTimeout(path) from error
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def index_key(app: Flask) -> str:
    """The directory the index lives in now (each rebuild makes a new one)."""
    return os.path.realpath(index_path(app))


def open_index(app: Flask):
    """The current index, or IndexUnavailable when it is missing or unreadable."""
    path = index_path(app)
    try:
        real = os.path.realpath(path)
        if not whoosh_index.exists_in(real):
            raise IndexUnavailable("missing")
        ix = whoosh_index.open_dir(real)
    except IndexUnavailable:
        raise
    except Exception as error:  # a corrupt TOC or segment shows up as many different errors
        raise IndexUnavailable(f"unreadable: {error.__class__.__name__}") from error
    if set(ix.schema.names()) != set(make_schema().names()) or schema_version(ix) != SCHEMA_VERSION:
        raise IndexUnavailable("old schema")  # built by an earlier version: rebuilt like a missing one
    return ix


def schema_version(ix) -> int:
    """The SCHEMA_VERSION the index was built with (from its "meta" document; 1 before versions were kept)."""
    with ix.searcher() as searcher:
        fields = searcher.document(id=META_ID)
    return int(fields.get("schema_version") or 1) if fields else 1


def _cached_index(app: Flask):
    """The opened index, kept per process while its directory stays the same."""
    real = index_key(app)
    cache = app.extensions.setdefault("search_index", {})
    if cache.get("path") != real or cache.get("index") is None:
        cache["index"] = open_index(app)
        cache["path"] = real
    return cache["index"]


def get_index(app: Flask):
    """The index for queries, or IndexUnavailable (callers answer from the database meanwhile).
    A request never rebuilds it: rebuild_index_if_needed() does, at start-up and in the worker."""
    try:
        return _cached_index(app)
    except IndexUnavailable:
        app.extensions.get("search_index", {}).clear()
        raise


def rebuild_index_if_needed(app: Flask, lock_timeout: float = 1.0) -> bool:
    """Rebuild the index when it is missing, unreadable, of an old schema or ahead of the change log
    (a restored backup); True when this call rebuilt it, False when the index is fine (a cheap check)
    or another process holds the lock (it is rebuilding). Called inside an app context at start-up
    (`flask search sync`) and by the background worker's loop; never in a request or by /healthz."""
    if _index_usable(app):
        return False
    try:
        with index_lock(app, lock_timeout):
            if _index_usable(app):
                return False  # another process rebuilt it while we waited for the lock
            log.warning("search index unusable: rebuilding it from the database")
            _rebuild_locked(app)
            return True
    except LockTimeout:
        return False


def _index_usable(app: Flask) -> bool:
    """The index opens, has the current schema and is not ahead of the database's change log."""
    try:
        usable = last_applied(_cached_index(app)) <= (db.session.scalar(select(func.max(SearchChange.id))) or 0)
    except IndexUnavailable:
        app.extensions.get("search_index", {}).clear()
        usable = False
    db.session.rollback()  # end the read transaction: a rebuild then reads everything afresh
    return usable


def last_applied(ix) -> int:
    """The id of the last change the index contains (0 when none)."""
    with ix.searcher() as searcher:
        return last_applied_in(searcher)


def last_applied_in(searcher) -> int:
    """The id of the last change the searcher's generation of the index contains (0 when none)."""
    fields = searcher.document(id=META_ID)
    return int(fields["last_change"]) if fields else 0


def _apply(writer, entity: str, ids: list[int]) -> None:
    """Upsert or delete the documents of these entities, as the database says now."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        if entity == "product":
            fairs = product_fairs(chunk)
            documents = {
                pk: product_document(product, fairs.get(pk, ())) for pk, product in load_products(chunk).items()
            }
        else:
            shops = db.session.scalars(select(Shop).where(Shop.id.in_(chunk)))
            documents = {shop.id: shop_document(shop) for shop in shops}
        for entity_id in chunk:
            document = documents.get(entity_id)
            if document is None:
                writer.delete_by_term("id", f"{entity}:{entity_id}")
            else:
                writer.update_document(**document)


# ---------------------------------------------------------------- sync


def _watermark(rows: list[tuple[int, datetime]], start: int) -> int:
    """The highest id up to which the log has no gap that may still fill (see GAP_GRACE)."""
    mark = start
    now = datetime.now(UTC)
    for change_id, created_at in rows:
        if change_id != mark + 1:
            created = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
            if now - created < GAP_GRACE:
                return mark
        mark = change_id
    return mark


def _log_position() -> int:
    """The newest change id a rebuild may record: below any young gap (see GAP_GRACE)."""
    newest = db.session.scalar(select(func.max(SearchChange.id))) or 0
    recent = select(SearchChange.id, SearchChange.created_at).where(SearchChange.id > newest - 1000)
    rows = db.session.execute(recent.order_by(SearchChange.id)).all()
    if not rows:
        return newest
    return _watermark([(row.id, row.created_at) for row in rows], rows[0].id - 1)


def sync(app: Flask, lock_timeout: float = LOCK_TIMEOUT, rebuild_missing: bool = True) -> int:
    """Apply every pending change to the index; returns how many changes were applied.
    A missing or unreadable index is rebuilt instead; an index ahead of the database's log (a
    restored backup, another database) too, unless `rebuild_missing` is False (the web process:
    it leaves rebuilds to start-up and the worker, see rebuild_index_if_needed)."""
    with index_lock(app, lock_timeout):
        try:
            ix = open_index(app)
        except IndexUnavailable:
            return _rebuild_locked(app) if rebuild_missing else 0
        applied = 0
        start = last_applied(ix)
        newest = db.session.scalar(select(func.max(SearchChange.id))) or 0
        if start > newest:
            log.warning("search index is ahead of the change log (%s > %s)", start, newest)
            return _rebuild_locked(app) if rebuild_missing else 0
        while True:
            rows = db.session.execute(
                select(SearchChange.id, SearchChange.entity, SearchChange.entity_id, SearchChange.created_at)
                .where(SearchChange.id > start)
                .order_by(SearchChange.id)
                .limit(BATCH)
            ).all()
            db.session.rollback()  # end the read transaction: the next batch sees newer commits
            if not rows:
                break
            mark = _watermark([(row.id, row.created_at) for row in rows], start)
            writer = ix.writer(timeout=5.0)
            try:
                for entity in ("shop", "product"):
                    ids = list(dict.fromkeys(row.entity_id for row in rows if row.entity == entity))
                    _apply(writer, entity, ids)
                writer.update_document(id=META_ID, kind="meta", last_change=mark, schema_version=SCHEMA_VERSION)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            db.session.rollback()
            applied += len(rows)
            if mark == start or len(rows) < BATCH:
                break
            start = mark
        return applied


def sync_quietly(app: Flask, lock_timeout: float = 2.0) -> None:
    """Sync in its own app context and session, never raising (the next sync catches up). Used by
    the web process, so it never rebuilds a lost index (start-up and the worker do)."""
    try:
        with app.app_context():
            sync(app, lock_timeout=lock_timeout, rebuild_missing=False)
    except LockTimeout:
        log.info("search index busy; the process holding it, or the next sync, applies the changes")
    except Exception:
        log.exception("search sync failed; the next sync will catch up")


def keep_index_current(app: Flask) -> None:
    """The worker's periodic task: rebuild a missing, unreadable or stale index, then apply pending
    changes. A busy index (another process syncing or rebuilding) is left for the next turn."""
    try:
        rebuild_index_if_needed(app)
        sync(app, lock_timeout=1.0)
    except LockTimeout:
        log.info("search index busy; the worker applies the changes at its next turn")


def init_sync(app: Flask) -> None:
    """After a request whose transaction wrote SearchChange rows, sync once the response is sent."""

    @app.after_request
    def _sync_after_response(response):
        if g.pop("search_sync_needed", False) and app.config["SEARCH_SYNC_AFTER_REQUEST"]:
            response.call_on_close(lambda: sync_quietly(app))
        return response


# ---------------------------------------------------------------- rebuild


def rebuild(app: Flask, progress=None, lock_timeout: float = LOCK_TIMEOUT) -> int:
    """Build a complete new index from the database beside the current one and swap it in;
    returns the number of documents. `progress(done, total)` is called as products are added."""
    with index_lock(app, lock_timeout):
        return _rebuild_locked(app, progress)


def _rebuild_locked(app: Flask, progress=None) -> int:
    link = index_path(app)
    parent = os.path.dirname(link)
    name = os.path.basename(link.rstrip("/"))
    # read the log position first: every change up to it is already visible to the reads below
    last_id = _log_position()
    directory = os.path.join(parent, f"{name}-{datetime.now(UTC):%Y%m%d%H%M%S%f}-{os.getpid()}")
    os.makedirs(directory)
    ix = whoosh_index.create_in(directory, make_schema())
    # One process per CPU analyses and writes its own segment; they are kept as they are (merging
    # would rewrite every posting once more, and queries read each segment's arrays once anyway).
    procs = max(1, min(os.cpu_count() or 1, 4))
    with _without_cyclic_gc():
        writer = ix.writer(limitmb=app.config["SEARCH_REBUILD_MEMORY_MB"], procs=procs, multisegment=procs > 1)
        try:
            count = _add_everything(writer, progress)
            writer.add_document(id=META_ID, kind="meta", last_change=last_id, schema_version=SCHEMA_VERSION)
        except BaseException:
            writer.cancel()
            shutil.rmtree(directory, ignore_errors=True)
            raise
        writer.commit()
    db.session.rollback()
    _swap_in(link, directory)
    app.extensions.get("search_index", {}).clear()
    return count


@contextmanager
def _without_cyclic_gc():
    """Cyclic garbage collection off while a rebuild runs: the indexing processes fork with it off, and
    their millions of posting tuples (no cycles among them) were walked again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _add_everything(writer, progress=None) -> int:
    """Add the documents of every approved shop and public product; returns how many."""
    count = 0
    shop_ids = list(db.session.scalars(select(Shop.id).where(Shop.is_public)))
    for start in range(0, len(shop_ids), 500):
        for shop in db.session.scalars(select(Shop).where(Shop.id.in_(shop_ids[start : start + 500]))):
            document = shop_document(shop)
            if document is not None:  # it may have left "approved" since its id was read
                writer.add_document(**document)
                count += 1
    product_ids = list(db.session.scalars(select(Product.id).where(Product.is_public)))
    for start in range(0, len(product_ids), 500):
        chunk = product_ids[start : start + 500]
        fairs = product_fairs(chunk)  # one question per batch, not per product
        for product in load_products(chunk).values():
            document = product_document(product, fairs.get(product.id, ()))
            if document is not None:
                writer.add_document(**document)
                count += 1
        db.session.expunge_all()
        if progress:
            progress(min(start + 500, len(product_ids)), len(product_ids))
    return count


def _swap_in(link: str, directory: str) -> None:
    """Point the symlink at the new directory with one rename, then remove the old directory."""
    old = os.path.realpath(link) if os.path.lexists(link) else None
    if os.path.isdir(link) and not os.path.islink(link):
        # an index from before symlinks (or copied in by hand): move it aside first
        aside = f"{link}-old-{os.getpid()}"
        os.rename(link, aside)
        old = aside
    temporary = f"{link}.{os.getpid()}.tmp"
    if os.path.lexists(temporary):
        os.unlink(temporary)
    os.symlink(os.path.basename(directory), temporary)
    os.replace(temporary, link)
    if old and old != os.path.realpath(link) and os.path.isdir(old):
        shutil.rmtree(old, ignore_errors=True)
    _remove_leftovers(link)


def _remove_leftovers(link: str) -> None:
    """Directories of rebuilds that died before their swap (their process is gone)."""
    parent, name = os.path.split(link.rstrip("/"))
    current = os.path.realpath(link)
    for entry in os.listdir(parent):
        path = os.path.join(parent, entry)
        if entry.startswith(f"{name}-") and os.path.isdir(path) and os.path.realpath(path) != current:
            pid = entry.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
                continue
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------- status


def status(app: Flask) -> dict:
    """Documents, last applied change id and lag (pending changes); ok False when the index is unusable."""
    newest = db.session.scalar(select(func.max(SearchChange.id))) or 0
    try:
        ix = _cached_index(app)
        last = last_applied(ix)
        documents = ix.doc_count() - 1
    except IndexUnavailable as error:
        app.extensions.get("search_index", {}).clear()
        return {"ok": False, "state": str(error), "documents": 0, "last_change": 0, "lag": newest}
    except Exception as error:
        app.extensions.get("search_index", {}).clear()
        return {"ok": False, "state": f"unreadable: {error.__class__.__name__}", "documents": 0, "lag": newest}
    lag = db.session.scalar(select(func.count()).select_from(SearchChange).where(SearchChange.id > last)) or 0
    return {"ok": True, "state": "ready", "documents": max(documents, 0), "last_change": last, "lag": lag}


def health_check() -> dict:
    """The /healthz entry for search (registered by init_search). It only reports: an unusable index
    → ok False (/healthz answers 503) until start-up or the worker rebuilds it."""
    return status(current_app_object())
