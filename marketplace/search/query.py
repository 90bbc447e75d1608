"""Queries: what buyers type → Whoosh queries built by hand (never parsed as query syntax), filters,
sorts, facets, "did you mean", highlights, autocomplete; a plain database query when the index is
unusable.
"""

import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from whoosh import sorting
from whoosh.query import And, Every, FuzzyTerm, NumericRange, Or, Term
from whoosh.spelling import ReaderCorrector

from ..catalog.models import Category, Product
from ..catalog.services import category_by_slug, public_products
from ..core.dates import utcnow
from ..core.money import RIAL_PER_TOMAN
from ..core.persian import normalize_text, to_latin_digits
from ..extensions import db
from ..shops.models import Shop
from .analysis import AUTOCOMPLETE_QUERY, analyze, normalize_query, query_groups
from .fallback import search_database
from .highlight import highlight
from .index import IndexUnavailable, get_index, last_applied, sync_quietly
from .models import SearchChange, SearchLog

log = logging.getLogger("marketplace.search")

PAGE_SIZE = 20
MAX_PAGE = 500
MAX_QUERY_CHARS = 200
MAX_WORDS = 12
FEW = 3
SUGGEST_LIMIT = 8
SORTS = ("relevance", "newest", "price_asc", "price_desc", "popular")
TEXT_FIELDS = ("title", "tags", "category", "description", "materials", "shop_name", "place")
# Price bands for the facet, in toman: (lower bound inclusive, upper bound exclusive or None).


@dataclass
class SearchParams:
    """What the buyer asked for; prices in toman as the UI shows them."""

    q: str = ""
    category: str = ""
    neighbourhood: str = ""
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False
    made_to_order: bool = False
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "SearchParams":
        """Parse request arguments leniently: anything malformed is ignored, never an error."""
        sort = args.get("sort", "relevance")
        return cls(
            q=_clean_text(args.get("q", ""))[:MAX_QUERY_CHARS],
            category=_clean_text(args.get("category", ""))[:40],
            neighbourhood=_clean_text(args.get("neighbourhood", ""))[:60],
            min_price=_number(args.get("min_price")),
            max_price=_number(args.get("max_price")),
            in_stock=args.get("in_stock", "") in ("1", "on", "true", "yes"),
            made_to_order=args.get("made_to_order", "") in ("1", "on", "true", "yes"),
            sort=sort if sort in SORTS else "relevance",
            page=min(max(_number(args.get("page")) or 1, 1), MAX_PAGE),
        )

    @property
    def has_filters(self) -> bool:
        return bool(
            self.category
            or self.neighbourhood
            or self.min_price is not None
            or self.max_price is not None
            or self.in_stock
            or self.made_to_order
        )

    def filters(self) -> dict:
        """The filters that are set, as logged and as link arguments."""
        values = {
            "category": self.category,
            "neighbourhood": self.neighbourhood,
            "min_price": self.min_price,
            "max_price": self.max_price,
            "in_stock": 1 if self.in_stock else None,
            "made_to_order": 1 if self.made_to_order else None,
        }
        return {key: value for key, value in values.items() if value not in (None, "")}

    def args(self, **changes) -> dict:
        """URL arguments of this search with some changed (None removes one); page resets to 1."""
        values = {"q": self.q or None, **self.filters(), "sort": None if self.sort == "relevance" else self.sort}
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "", False)}


@dataclass
class SearchResult:
    """A page of results: products (from the database, in rank order) and everything around them."""

    params: SearchParams
    total: int = 0
    products: list = field(default_factory=list)
    highlights: dict = field(default_factory=dict)  # product id → {"title": Markup, "snippet": Markup}
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    mode: str = "all"  # all | fuzzy | any | browse | database | empty
    degraded: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def page(self) -> int:
        return self.params.page


def _clean_text(value) -> str:
    """Printable text only: control characters become spaces."""
    text = str(value or "")[:10_000]
    text = "".join(" " if (ord(ch) < 32 or 127 <= ord(ch) < 160) else ch for ch in text)
    return normalize_text(text)


def _number(value) -> int | None:
    if value is None:
        return None
    digits = to_latin_digits(str(value)).replace(",", "").replace("٬", "").strip()
    if not digits.isdigit() or len(digits) > 12:
        return None
    return int(digits)


def query_words(text: str) -> list[str]:
    """The analyzed, distinct words of the buyer's text (at most MAX_WORDS)."""
    if not text.strip():
        return []
    return list(dict.fromkeys(analyze(text[:MAX_QUERY_CHARS])))[:MAX_WORDS]


# ---------------------------------------------------------------- building queries


def _word_query(word: str, fuzzy: bool):
    terms = [Term(name, word) for name in TEXT_FIELDS]
    if fuzzy and len(word) >= 4:
        distance = 2 if len(word) >= 8 else 1
        terms += [FuzzyTerm(name, word, maxdist=distance, prefixlength=1) for name in ("title", "tags", "category")]
    return Or(terms)


def word_groups(text: str) -> list[list[str]]:
    """For each word the buyer typed, the terms any of which satisfies it (the word, and the word
    written solid with its neighbour: «دست ساز» also finds «دستساز»)."""
    if not text.strip():
        return []
    return query_groups(text[:MAX_QUERY_CHARS])[:MAX_WORDS]


def _group_query(group: list[str], fuzzy: bool):
    alternatives = [_word_query(term, fuzzy) for term in dict.fromkeys(group)]
    return alternatives[0] if len(alternatives) == 1 else Or(alternatives)


def _text_query(groups: list[list[str]], mode: str):
    if mode == "any":
        return Or([_group_query(group, fuzzy=True) for group in groups])
    return And([_group_query(group, fuzzy=mode == "fuzzy") for group in groups])


def _filter_query(params: SearchParams, category: Category | None):
    parts = [Term("kind", "product")]
    if category is not None:
        parts.append(Term("category_ids", str(category.id)))
    if params.neighbourhood:
        parts.append(Term("neighbourhood", params.neighbourhood))
    if params.min_price is not None or params.max_price is not None:
        low = params.min_price * RIAL_PER_TOMAN if params.min_price is not None else None
        high = params.max_price * RIAL_PER_TOMAN if params.max_price is not None else None
        parts.append(NumericRange("price_rial", low, high))
    if params.in_stock:
        parts.append(Term("in_stock", True))
    if params.made_to_order:
        parts.append(Term("made_to_order", True))
    return And(parts)


def _sorting(sort: str):
    if sort == "newest":
        return sorting.FieldFacet("published_at", reverse=True)
    if sort == "price_asc":
        return sorting.FieldFacet("price_rial")
    if sort == "price_desc":
        return sorting.FieldFacet("price_rial", reverse=True)
    if sort == "popular":
        return sorting.MultiFacet(
            [sorting.FieldFacet("popularity", reverse=True), sorting.FieldFacet("published_at", reverse=True)]
        )
    return None


def _facets() -> sorting.Facets:
    facets = sorting.Facets()
    facets.add_facet("category", sorting.FieldFacet("category_id", maptype=sorting.Count))
    facets.add_facet("shop", sorting.FieldFacet("shop_slug", maptype=sorting.Count))
    facets.add_facet("neighbourhood", sorting.FieldFacet("neighbourhood", maptype=sorting.Count))
    facets.add_facet("availability", sorting.FieldFacet("availability", maptype=sorting.Count))
    facets.add_facet("price", sorting.FieldFacet("price_band", maptype=sorting.Count))
    return facets


# ---------------------------------------------------------------- searching


_local = threading.local()


def _searcher(app: Flask):
    """A searcher on the current index, kept per thread and refreshed when the index changed
    (opening one per query costs more than the query)."""
    ix = get_index(app)
    if app.extensions.get("search_searcher") is None:
        app.extensions["search_searcher"] = {}  # tests and recovery clear this to drop every cached searcher
        _local.searchers = {}
    cache = getattr(_local, "searchers", None)
    if cache is None:
        cache = _local.searchers = {}
    entry = cache.get(id(app))
    if entry is None or entry[0] is not ix:
        if entry is not None:
            entry[1].close()
        searcher = ix.searcher()
    else:
        searcher = entry[1]
        if not searcher.up_to_date():
            searcher = searcher.refresh()
    cache[id(app)] = (ix, searcher)
    return searcher


def _catch_up(app: Flask) -> None:
    """Apply changes committed elsewhere (a CLI import, another worker) before answering."""
    try:
        ix = get_index(app)
        newest = db.session.scalar(select(func.max(SearchChange.id))) or 0
        if newest > last_applied(ix):
            sync_quietly(app, lock_timeout=0)  # busy: someone is indexing; answer from the index as it is
    except IndexUnavailable:
        pass


def search(params: SearchParams) -> SearchResult:
    """Search public products. Falls back to the database (and says so) when the index is unusable."""
    app = current_app._get_current_object()
    result = SearchResult(params=params)
    category = category_by_slug(params.category) if params.category else None
    words = query_words(params.q)
    if not words and not params.has_filters:
        result.mode = "empty"
        return result
    try:
        _catch_up(app)
        searcher = _searcher(app)
        _search_index(searcher, params, category, words, word_groups(params.q), result)
    except Exception as error:
        if not isinstance(error, IndexUnavailable):
            log.exception("search index query failed; answering from the database")
        app.extensions.pop("search_searcher", None)
        result = SearchResult(params=params)
        search_database(params, category, result, PAGE_SIZE, MAX_WORDS)
    return result


def _search_index(
    searcher, params: SearchParams, category, words: list[str], groups: list[list[str]], result: SearchResult
) -> None:
    filter_query = _filter_query(params, category)
    sortedby = _sorting(params.sort)
    reverse = False
    options = {"filter": filter_query, "sortedby": sortedby, "reverse": reverse, "groupedby": _facets()}
    if not words:
        result.mode = "browse"
        query = Every()
        if sortedby is None:
            options["sortedby"] = sorting.FieldFacet("published_at", reverse=True)
        page = searcher.search_page(query, params.page, pagelen=PAGE_SIZE, **options)
    else:
        query = _text_query(groups, "all")
        page = searcher.search_page(query, params.page, pagelen=PAGE_SIZE, **options)
        result.mode = "all"
        if page.total < FEW:
            fuzzy = _text_query(groups, "fuzzy")
            fuzzy_page = searcher.search_page(fuzzy, params.page, pagelen=PAGE_SIZE, **options)
            if fuzzy_page.total > page.total:
                query, page, result.mode = fuzzy, fuzzy_page, "fuzzy"
        if page.total == 0 and len(words) > 1:
            query = _text_query(groups, "any")
            page = searcher.search_page(query, params.page, pagelen=PAGE_SIZE, **options)
            result.mode = "any"
        if result.mode != "all":
            result.suggestion = _suggest(searcher, words, filter_query, params.q)
    result.total = page.total
    # whoosh clamps a page past the end to the last page; a buyer asking for it gets an empty page
    ids = [hit["pk"] for hit in page] if page.pagenum == params.page else []
    result.facets = _facet_counts(page.results)
    result.products = _load_public(ids)
    terms = _matched_terms(searcher, query) if words else set()
    result.highlights = {product.id: highlight(product, terms) for product in result.products} if terms else {}


def _suggest(searcher, words: list[str], filter_query, typed: str = "") -> str | None:
    """A corrected query (each unknown word replaced by the closest indexed word) that finds products;
    the words that were fine are shown as the buyer typed them."""
    reader = searcher.reader()
    surface = {}
    for token in normalize_query(typed).split():
        analysed = analyze(token)
        if len(analysed) == 1:
            surface.setdefault(analysed[0], token)
    corrected, shown = [], []
    for word in words:
        if any(reader.doc_frequency(name, word) for name in ("title", "tags", "category")):
            corrected.append(word)
            shown.append(surface.get(word, word))
            continue
        best = None
        for name in ("title", "tags", "category"):
            corrector = ReaderCorrector(reader, name, searcher.schema[name])
            found = corrector.suggest(word, limit=1, maxdist=2 if len(word) >= 8 else 1)
            if found:
                best = found[0]
                break
        corrected.append(best or word)
        shown.append(best or surface.get(word, word))
    if corrected == words:
        return None
    hits = searcher.search(_text_query([[word] for word in corrected], "all"), filter=filter_query, limit=1)
    return " ".join(shown) if hits.scored_length() else None


def _facet_counts(results) -> dict:
    facets = {}
    for name in ("category", "shop", "neighbourhood", "availability", "price"):
        try:
            groups = results.groups(name)
        except KeyError:
            groups = {}
        facets[name] = {str(key): count for key, count in groups.items() if key not in (None, "")}
    facets["availability"] = {key: facets["availability"].get(key, 0) for key in ("in_stock", "unavailable")}
    return facets


def _load_public(ids: list[int]) -> list[Product]:
    """The products of these ids that are public right now, in the given order (the database is the truth)."""
    if not ids:
        return []
    statement = public_products().where(Product.id.in_(ids)).options(selectinload(Product.images))
    found = {product.id: product for product in db.session.scalars(statement)}
    return [found[i] for i in ids if i in found]


def _matched_terms(searcher, query) -> set[str]:
    try:
        found = query.existing_terms(searcher.reader(), expand=True)
        return {text.decode("utf-8") if isinstance(text, bytes) else str(text) for _name, text in found}
    except Exception:
        return set()


# ---------------------------------------------------------------- autocomplete


def autocomplete(text: str) -> dict:
    """Up to SUGGEST_LIMIT products, categories and shops whose words start like the buyer's."""
    app = current_app._get_current_object()
    empty = {"products": [], "categories": [], "shops": []}
    text = _clean_text(text)[:60]
    if not text.strip():
        return empty
    tokens = list(dict.fromkeys(token.text for token in AUTOCOMPLETE_QUERY(text)))[:6]
    out = {"products": [], "categories": _matching_categories(text), "shops": []}
    if not tokens:
        return out
    try:
        searcher = _searcher(app)
        query = And([Term("complete", token) for token in tokens])
        for kind, key in (("product", "products"), ("shop", "shops")):
            hits = searcher.search(query, filter=Term("kind", kind), limit=SUGGEST_LIMIT)
            out[key] = [dict(hit) for hit in hits]
    except Exception:
        log.exception("autocomplete failed")
        app.extensions.pop("search_searcher", None)
    return out


def _matching_categories(text: str) -> list[dict]:
    wanted = normalize_query(text)
    if not wanted:
        return []
    found = []
    for category in db.session.scalars(select(Category).order_by(Category.position)):
        names = (normalize_query(category.name_fa), normalize_query(category.name_en))
        if any(name.startswith(wanted) or f" {wanted}" in f" {name}" for name in names):
            found.append(category)
    return found[:SUGGEST_LIMIT]


def shop_names(slugs) -> dict[str, str]:
    """Shop slug → name, for the shop facet."""
    slugs = list(slugs)[:50]
    if not slugs:
        return {}
    return dict(db.session.execute(select(Shop.slug, Shop.name).where(Shop.slug.in_(slugs))).all())


def popular_searches(limit: int = 8, days: int = 30) -> list[str]:
    """The queries most often typed lately that found something (for the empty state)."""
    try:
        rows = db.session.execute(
            select(SearchLog.query, func.count())
            .where(SearchLog.created_at >= utcnow() - timedelta(days=days), SearchLog.result_count > 0)
            .where(SearchLog.query != "")
            .group_by(SearchLog.query)
            .order_by(func.count().desc(), SearchLog.query)
            .limit(limit)
        ).all()
    except Exception:
        db.session.rollback()
        return []
    return [row[0] for row in rows]
