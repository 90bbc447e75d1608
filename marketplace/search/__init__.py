"""Search: the Persian analyzer, the change log and Whoosh index, queries, the /search page and the
`flask search` commands. Catalog and shops know nothing of this package: it listens to their flushes."""

from flask import Flask


def init_search(app: Flask) -> None:
    """Listen for changes to searchable rows, sync after requests that made some, report in
    /healthz, and have the outbox worker rebuild a lost index and apply changes made outside
    requests (imports, the shell) every few seconds."""
    from ..core import events, outbox
    from .changes import log_bulk_product_changes, register_listeners
    from .fallback import fallback_health
    from .index import health_check, init_sync, keep_index_current

    register_listeners()
    events.products_changed_in_bulk.connect(log_bulk_product_changes)
    init_sync(app)
    app.extensions.setdefault("health_checks", {})["search"] = health_check
    app.extensions["health_checks"]["search_queries"] = fallback_health  # degraded while queries fell back
    outbox.every(app, app.config["SEARCH_WORKER_SYNC_SECONDS"], "search-index")(keep_index_current)
