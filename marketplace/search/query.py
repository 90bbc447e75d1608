"""Queries: what buyers type → analysed terms (never parsed as query syntax) matched and scored over the
index's arrays (see `arrays.py`), filters, sorts, facets, "did you mean", highlights, autocomplete; a plain
database query when the index is unusable.
"""

import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from whoosh.automata.lev import levenshtein_automaton
from whoosh.support.levenshtein import damerau_levenshtein

from ..catalog.models import Category, Product
from ..catalog.services import category_and_children_ids, category_by_slug, public_products
from ..core.app import current_app_object
from ..core.dates import utcnow
from ..core.money import RIAL_PER_TOMAN
from ..core.pagecache import do_not_store
from ..core.persian import is_digits, normalize_text, to_latin_digits
from ..extensions import db
from ..shops.models import Shop
from .analysis import analyze, autocomplete_words, normalize_query, query_groups, typed_forms
from .arrays import IndexArrays
from .documents import PRICE_BANDS
from .fallback import note_fallback, search_database
from .finglish import is_latin
from .highlight import highlight
from .index import IndexUnavailable, get_index, index_key, last_applied_in, sync_quietly
from .logs import MIN_VISITORS, looks_personal
from .models import SearchChange, SearchLog
from .readings import (
    READING_FIELDS,
    SKELETON_WEIGHT,
    english_prefixes,
    finglish_prefixes,
    read_latin,
    skeleton_terms,
    terms_matching,
)

log = logging.getLogger("marketplace.search")

PAGE_SIZE = 20
MAX_PAGE = 500
MAX_QUERY_CHARS = 200
MAX_WORDS = 12
FEW = 3
SUGGEST_LIMIT = 8
SHOP_FACETS = 20
SORTS = ("relevance", "newest", "price_asc", "price_desc", "popular")
TEXT_FIELDS = (
    "title",
    "title_en",
    "tags",
    "category",
    "description",
    "description_en",
    "materials",
    "shop_name",
    "place",
)


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
    shop: str = ""  # a shop's slug: only her products
    fair: int | None = None  # a fair's id: only the products it exhibits (the documents' `fairs` field)

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
            shop=_clean_text(args.get("shop", ""))[:140],
            fair=_number(args.get("fair")),
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
            or self.shop
            or self.fair is not None
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
            "shop": self.shop,
            "fair": self.fair,
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
    shop_names: dict = field(default_factory=dict)  # shop slug → name, for the shops in the facets
    suggestion: str | None = None
    mode: str = "all"  # all | fuzzy | skeleton | any | browse | database | empty
    degraded: bool = False
    # The Persian words a query typed in Latin letters (Finglish or English) was read as, e.g. «گلاب» for
    # "golab" or "rosewater"; "" when the query was searched as typed. Logged, so insights can group them.
    reading: str = ""

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
    if not is_digits(digits) or len(digits) > 12:
        return None
    return int(digits)


def query_words(text: str) -> list[str]:
    """The analyzed, distinct words of the buyer's text (at most MAX_WORDS)."""
    if not text.strip():
        return []
    return list(dict.fromkeys(analyze(text[:MAX_QUERY_CHARS])))[:MAX_WORDS]


# ---------------------------------------------------------------- matching and ranking (over arrays)

FUZZY_FIELDS = ("title", "tags", "category")


def word_groups(text: str) -> list[list[str]]:
    """For each word the buyer typed, the terms any of which satisfies it (the word, and the word
    written solid with its neighbour: «دست ساز» also finds «دستساز»)."""
    if not text.strip():
        return []
    return query_groups(text[:MAX_QUERY_CHARS])[:MAX_WORDS]


# Bounds on the typo work of one query (a Levenshtein automaton per word, field and segment is the costly
# part, and anyone can send twelve long random words): only the first FUZZY_MAX_WORDS words of at most
# FUZZY_MAX_LENGTH letters are looked up for typo variants and a "did you mean" correction, each keeps at
# most FUZZY_MAX_TERMS indexed words near it (closest, then most frequent), and each generation of the
# index remembers what it found for at most arrays.REMEMBERED words.
FUZZY_MIN_LENGTH = 4  # shorter words are corrected in "did you mean" but never matched with typos
FUZZY_MAX_LENGTH = 12
FUZZY_MAX_WORDS = 4
FUZZY_MAX_TERMS = 16
SURFACE_DOCUMENTS = 5  # documents read to find how a matched stem is written as a whole word
_WORD_IN_TEXT = re.compile("(?:[^\\W_]|\u200c)+")


def typo_words(words: list[str]) -> list[str]:
    """The words of a query that are looked up for typos (see the bounds above)."""
    return [word for word in dict.fromkeys(words) if len(word) <= FUZZY_MAX_LENGTH][:FUZZY_MAX_WORDS]


def _near_terms(view, word: str) -> list[tuple[str, str]]:
    """(field, term) pairs within edit distance 1 of the word (2 from 8 letters), first letter fixed, in the
    fields a typo is worth correcting in: at most FUZZY_MAX_TERMS, closest then most frequent first."""

    def compute():
        distance = 2 if len(word) >= 8 else 1
        reader = view.searcher.reader()
        found = sorted(_terms_within(reader, FUZZY_FIELDS, word, distance, 1))
        found.sort(key=lambda pair: (damerau_levenshtein(pair[1], word), -reader.doc_frequency(*pair)))
        return found[:FUZZY_MAX_TERMS]

    if len(word) > FUZZY_MAX_LENGTH:
        return []
    return view.remember(("near", word), compute)


def _fuzzy_terms(view, word: str) -> list[tuple[str, str]]:
    """The typo variants a word is also matched by (none under FUZZY_MIN_LENGTH letters)."""
    return _near_terms(view, word) if len(word) >= FUZZY_MIN_LENGTH else []


def _terms_within(reader, names, word: str, distance: int, prefix: int = 0) -> set[tuple[str, str]]:
    """(field, term) pairs of indexed terms within the edit distance of the word (the word itself excluded).
    One Levenshtein automaton for the word (building it is most of the cost), walked over each field of
    each segment (`readings.terms_matching`)."""
    dfa = levenshtein_automaton(word, distance, prefix).to_dfa()
    return {(name, term) for name, term in terms_matching(reader, names, dfa, limit=10_000) if term != word}


def _dotted_variants(view, word: str, typed: dict[str, str]) -> list[str]:
    """Indexed words differing from the word only in dots: from its stem, and from the word as typed when
    the stem lost a suffix that is part of the real word («شوهان» → «شوه», yet «سوهان» is indexed whole)."""
    variants = skeleton_terms(view, word)
    written = typed.get(word)
    if written and written != word:
        variants = list(dict.fromkeys(variants + skeleton_terms(view, written)))
    return variants


def _correction(view, word: str, typed: dict[str, str] | None = None) -> str | None:
    """How to write the indexed word nearest to a word no title, tag or category contains, as a whole word
    found in a product: the word differing only in dots («غسل» → «عسل»), else the fewest edits, then most
    frequent; never a bare stem such as «روسر»."""

    def compute():
        dotted = _dotted_variants(view, word, typed or {})
        # a dotted twin first: one slip of the same key, the likeliest of the words one edit away
        near = [(name, term) for term in dotted for name in READING_FIELDS] + _near_terms(view, word)
        for name, term in near:
            shown = _whole_word(view, name, term)
            if shown:
                return shown
        return None

    return view.remember(("correction", word, (typed or {}).get(word)), compute)


def _whole_word(view, name: str, term: str) -> str | None:
    """The term as producers wrote it in the field of live products (the most common spelling of the words
    that analyse to exactly this term), or None when no live product has it as a word of its own."""

    def compute():
        ids = view.postings(name, term)[0]
        docnums = ids[view.products[ids]][:SURFACE_DOCUMENTS]
        if not docnums.size:
            return None
        if name == "title":  # stored in the index
            texts = [view.stored(docnum).get("title", "") for docnum in docnums]
        elif name == "tags":
            pks = [int(view.pk[docnum]) for docnum in docnums]
            rows = db.session.scalars(select(Product.tags).where(Product.id.in_(pks)))
            texts = [" ".join(tags or []) for tags in rows]
        elif name == "materials":
            pks = [int(view.pk[docnum]) for docnum in docnums]
            texts = list(db.session.scalars(select(Product.materials).where(Product.id.in_(pks))))
        else:  # category: the category names (a few dozen rows)
            texts = [f"{fa} {en}" for fa, en in db.session.execute(select(Category.name_fa, Category.name_en))]
        counts: dict[str, int] = {}
        for text in texts:
            for match in _WORD_IN_TEXT.finditer(text or ""):
                word = match.group().strip("\u200c")
                if analyze(word) == [term]:
                    counts[word] = counts.get(word, 0) + 1
        return min(counts, key=lambda word: (-counts[word], len(word), word)) if counts else None

    return view.remember(("word", name, term), compute)


def _match(
    view,
    groups: list[list[str]],
    mode: str,
    weights: dict[str, float] | None = None,
    typed: dict[str, str] | None = None,
):
    """Documents matching the groups (every group in "all", "fuzzy" and "skeleton" mode, any in "any"
    mode), their summed BM25F scores, and the index terms that matched. "fuzzy" adds typo variants of the
    words typed; "skeleton" and "any" also their dotted-letter variants, scored at SKELETON_WEIGHT.
    `weights`: terms scored at a fraction (a Latin word's second-choice readings); `typed`: each word's
    stem → the word as typed (see `_dotted_variants`)."""
    scores = np.zeros(view.size, dtype=np.float32)
    matched, found = None, set()
    weights = weights or {}
    typos = set(typo_words([group[0] for group in groups])) if mode != "all" else set()
    for group in groups:
        group_mask = np.zeros(view.size, dtype=bool)
        for position, word in enumerate(dict.fromkeys(group)):
            weight = weights.get(word, 1.0)
            pairs = [(name, word, weight) for name in TEXT_FIELDS]
            if position == 0 and word in typos:  # typos of the word typed, not of the forms made from it
                pairs += [(name, term, 1.0) for name, term in _fuzzy_terms(view, word)]
                if mode in ("skeleton", "any"):
                    variants = _dotted_variants(view, word, typed or {})
                    pairs += [(name, term, SKELETON_WEIGHT) for term in variants for name in TEXT_FIELDS]
            for name, term, weight in pairs:
                ids, values = view.scores(name, term)
                if ids.size:
                    group_mask[ids] = True
                    scores[ids] += values * weight if weight != 1.0 else values
                    found.add(term)
        if matched is None:
            matched = group_mask
        elif mode == "any":
            matched |= group_mask
        else:
            matched &= group_mask
    return matched, scores, found


def _filter_mask(view, params: SearchParams, category: Category | None, shop_id: int | None = None):
    """The live products that pass the buyer's filters."""
    mask = view.products.copy()
    if params.fair is not None:
        mask &= view.term_mask("fairs", str(params.fair))
    if params.shop:
        mask &= view.shop_id == (shop_id or -1)
    if category is not None:
        mask &= np.isin(view.category_id, category_and_children_ids(category))
    if params.neighbourhood:
        code = view.labels.code(params.neighbourhood.encode())
        mask &= view.neighbourhood == code
    if params.min_price is not None:
        mask &= view.price_rial >= params.min_price * RIAL_PER_TOMAN
    if params.max_price is not None:
        mask &= view.price_rial <= params.max_price * RIAL_PER_TOMAN
    if params.in_stock:
        mask &= view.in_stock == 1
    if params.made_to_order:
        mask &= view.made_to_order == 1
    return mask


def _sort_keys(view, docnums, sort: str, scores) -> list:
    """Keys for np.lexsort, most significant last; the document number breaks ties (stable order)."""
    if sort == "newest":
        return [docnums, -view.published[docnums]]
    if sort == "price_asc":
        return [docnums, view.price_rial[docnums]]
    if sort == "price_desc":
        return [docnums, -view.price_rial[docnums]]
    if sort == "popular":
        return [docnums, -view.published[docnums], -view.popularity[docnums]]
    return [docnums, -scores[docnums]]


def _top(view, allowed, sort: str, scores, count: int):
    """The first `count` allowed documents in the chosen order."""
    docnums = np.flatnonzero(allowed)
    if docnums.size > count * 4:
        # Only documents whose primary key reaches the count-th best can be in the first `count`.
        primary = _sort_keys(view, docnums, sort, scores)[-1]
        cutoff = np.partition(primary, count - 1)[count - 1]
        docnums = docnums[primary <= cutoff]
    order = np.lexsort(_sort_keys(view, docnums, sort, scores))
    return docnums[order[:count]]


def _facet_counts(view, allowed) -> tuple[dict, dict]:
    """Counts of the allowed documents per category, shop (the 20 biggest), neighbourhood, availability
    and price band; and the names of those shops (slug → name), read from the shops' own documents."""
    docnums = np.flatnonzero(allowed)
    facets = {}
    values, counts = np.unique(view.category_id[docnums], return_counts=True)
    facets["category"] = {str(value): int(count) for value, count in zip(values, counts, strict=True) if value}
    shops = view.shop_id[docnums]
    values, counts = np.unique(shops, return_counts=True)
    biggest = np.argsort(-counts, kind="stable")[:SHOP_FACETS]
    first = {int(shop): docnums[np.argmax(shops == shop)] for shop in values[biggest]}
    facets["shop"] = {view.stored(first[int(values[i])]).get("shop_slug"): int(counts[i]) for i in biggest}
    own_documents = np.flatnonzero(view.shops & np.isin(view.shop_id, values[biggest]))
    names = {view.stored(docnum).get("shop_slug"): view.stored(docnum).get("title") for docnum in own_documents}
    values, counts = np.unique(view.neighbourhood[docnums], return_counts=True)
    facets["neighbourhood"] = {
        view.labels.names[value]: int(count) for value, count in zip(values, counts, strict=True) if value
    }
    in_stock = int(np.count_nonzero(view.in_stock[docnums]))
    facets["availability"] = {"in_stock": in_stock, "unavailable": int(docnums.size) - in_stock}
    toman = view.price_rial[docnums] // RIAL_PER_TOMAN
    facets["price"] = {}
    for low, high in PRICE_BANDS:
        inside = toman >= low if high is None else (toman >= low) & (toman < high)
        count = int(np.count_nonzero(inside))
        if count:
            facets["price"][f"{low}-{high or ''}"] = count
    return facets, names


# ---------------------------------------------------------------- searching


_local = threading.local()


def _searcher(app: Flask):
    """The searcher on the current index and its arrays, kept per thread and refreshed when the index
    changed (opening one per query costs more than the query)."""
    ix = get_index(app)
    if app.extensions.get("search_searcher") is None:
        app.extensions["search_searcher"] = {}  # tests and recovery clear this to drop every cached searcher
        _local.searchers = {}
    cache = getattr(_local, "searchers", None)
    if cache is None:
        cache = _local.searchers = {}
    entry = cache.get(id(app))
    if entry is not None and entry[0] is ix and entry[1].up_to_date():
        return entry[2]
    if entry is not None:
        entry[1].close()
    # A new searcher, not searcher.refresh(): refresh reuses the reader of a segment whose deletions changed
    # (Whoosh matches segments by id), so documents deleted since would still be found. Arrays are per
    # segment anyway (see arrays.py); only the readers are opened again.
    searcher = ix.searcher()
    view = IndexArrays(searcher, index_key(app))
    view.last_change = last_applied_in(searcher)
    cache[id(app)] = (ix, searcher, view)
    return view


def _catch_up(app: Flask):
    """The arrays of an index that has every change committed so far (a CLI import, another worker):
    pending changes are applied first, unless someone else is indexing (then the index as it is)."""
    view = _searcher(app)
    newest = db.session.scalar(select(func.max(SearchChange.id))) or 0
    if newest > view.last_change:
        sync_quietly(app, lock_timeout=0)
        view = _searcher(app)
        if newest > view.last_change:
            do_not_store()  # another process is indexing: this answer may miss the newest change
    return view


def search(
    params: SearchParams, categories: list[Category] | None = None, shops: dict[str, int] | None = None
) -> SearchResult:
    """Search public products. Falls back to the database (and says so) when the index is unusable.
    A caller that holds every category already (`catalog.services.all_categories()`, with their
    children) passes them, and the category filter costs no query; one that knows the shops it
    filters on passes them (slug → id) likewise. `params.fair` keeps a fair's products only: a
    filter like the others, so it composes with the words, the other filters, facets and sorts."""
    app = current_app_object()
    result = SearchResult(params=params)
    category = None
    if params.category and categories is not None:
        category = next((c for c in categories if c.slug == params.category), None)
    elif params.category:
        category = category_by_slug(params.category)
    shop_id = None
    if params.shop:
        shop_id = (shops or {}).get(params.shop) or db.session.scalar(select(Shop.id).where(Shop.slug == params.shop))
    words = query_words(params.q)
    if not words and not params.has_filters:
        result.mode = "empty"
        return result
    try:
        view = _catch_up(app)
        _search_index(view, params, category, words, word_groups(params.q), result, shop_id)
    except Exception as error:
        if not isinstance(error, IndexUnavailable):
            log.exception("search index query failed; answering from the database")
        note_fallback(app, "search", _reason(error))
        do_not_store()  # the database's answer is a stopgap: keep none until the index is back
        app.extensions.pop("search_searcher", None)
        result = SearchResult(params=params)
        search_database(params, category, result, PAGE_SIZE, MAX_WORDS)
    return result


def _reason(error: Exception) -> str:
    """Why a query could not use the index, for /healthz: the index's state, or the error's class."""
    return f"index {error}" if isinstance(error, IndexUnavailable) else error.__class__.__name__


def _search_index(
    view, params: SearchParams, category, words: list[str], groups, result: SearchResult, shop_id: int | None = None
) -> None:
    allowed = _filter_mask(view, params, category, shop_id)
    scores, terms = None, set()
    sort = params.sort
    if not words:
        result.mode = "browse"
        if sort == "relevance":
            sort = "newest"
    else:
        weights: dict[str, float] = {}
        latin = read_latin(view, params.q, groups, lambda term: _known_word(view, term), MAX_WORDS)
        if latin is not None:
            groups, weights, result.reading = latin.groups, latin.weights, latin.text
        matched, scores, terms = _match(view, groups, "all", weights)
        result.mode = "all"
        found = np.count_nonzero(matched & allowed)
        typed = typed_forms(params.q) if found < FEW else {}  # what the wider passes start from
        for mode in ("fuzzy", "skeleton"):  # typos, then dotted letters, while too little is found
            if found >= FEW:
                break
            wider = _match(view, groups, mode, weights, typed)
            if np.count_nonzero(wider[0] & allowed) > found:
                (matched, scores, terms), result.mode = wider, mode
                found = np.count_nonzero(matched & allowed)
        if not np.any(matched & allowed) and len(groups) > 1:
            (matched, scores, terms), result.mode = _match(view, groups, "any", weights, typed), "any"
        if result.mode != "all":
            result.suggestion = _suggest(view, words, allowed, params.q)
        allowed = allowed & matched
    result.total = int(np.count_nonzero(allowed))
    result.facets, result.shop_names = _facet_counts(view, allowed)
    first = (params.page - 1) * PAGE_SIZE
    docnums = _top(view, allowed, sort, scores, first + PAGE_SIZE)[first:] if result.total > first else []
    result.products = _load_public([int(view.pk[docnum]) for docnum in docnums])
    result.highlights = {product.id: highlight(product, terms) for product in result.products} if terms else {}


def _suggest(view, words: list[str], allowed, typed: str = "") -> str | None:
    """A corrected query (each unknown word replaced by the closest indexed word) that finds products. Every
    word shown is a whole word: as the buyer typed it when it was fine, as a product has it when corrected."""
    reader = view.searcher.reader()
    surface: dict[str, str] = {}
    for token in normalize_query(typed).split():
        analysed = analyze(token)
        if len(analysed) == 1:
            surface.setdefault(analysed[0], token)
    correctable = set(typo_words(words))
    corrected, shown = [], []
    for word in words:
        if any(reader.doc_frequency(name, word) for name in FUZZY_FIELDS):
            corrected.append(word)
            shown.append(surface.get(word) or _known_word(view, word))
            continue
        better = _correction(view, word, surface) if word in correctable else None
        if better is None:
            return None  # an unknown word stays unknown: nothing to offer
        corrected.extend(analyze(better))
        shown.append(better)
    if corrected == words or not all(shown):
        return None
    matched, _scores, _terms = _match(view, [[word] for word in corrected], "all")
    return " ".join(filter(None, shown)) if np.any(matched & allowed) else None


def _known_word(view, word: str) -> str | None:
    """An indexed word the buyer did not type as one word of its own, written as a product writes it."""
    for name in FUZZY_FIELDS:
        shown = _whole_word(view, name, word)
        if shown:
            return shown
    return None


def _load_public(ids: list[int]) -> list[Product]:
    """The products of these ids that are public right now, in the given order (the database is the truth)."""
    if not ids:
        return []
    statement = public_products(photos=joinedload).where(Product.id.in_(ids))
    found = {product.id: product for product in db.session.scalars(statement).unique()}
    return [found[i] for i in ids if i in found]


# ---------------------------------------------------------------- autocomplete


def autocomplete(text: str) -> dict:
    """Up to SUGGEST_LIMIT products, categories and shops whose words start like the buyer's: every
    typed word must begin a word of the name (a word typed in Latin letters may also begin its Persian
    readings); shorter names first (BM25F on the n-grams), then newer."""
    app = current_app_object()
    empty: dict[str, list] = {"products": [], "categories": [], "shops": []}
    text = _clean_text(text)[:60]
    if not text.strip():
        return empty
    words = autocomplete_words(text)
    out: dict[str, list] = {"products": [], "categories": _matching_categories(text), "shops": []}
    if not words:
        return out
    try:
        view = _searcher(app)
        scores = np.zeros(view.size, dtype=np.float32)
        matched = np.ones(view.size, dtype=bool)
        for alternatives in words:
            alternatives = alternatives + _latin_alternatives(view, alternatives[0][0])
            word_mask = np.zeros(view.size, dtype=bool)
            for terms in alternatives:
                terms_mask = np.ones(view.size, dtype=bool)
                for term in terms:
                    ids, values = view.scores("complete", term)
                    term_mask = np.zeros(view.size, dtype=bool)
                    term_mask[ids] = True
                    terms_mask &= term_mask
                    scores[ids] += values
                word_mask |= terms_mask
            matched &= word_mask
        for kind, key in ((view.products, "products"), (view.shops, "shops")):
            docnums = _top(view, matched & kind, "relevance", scores, SUGGEST_LIMIT)
            out[key] = [{**view.stored(docnum), "pk": int(view.pk[docnum])} for docnum in docnums]
    except Exception as error:
        if not isinstance(error, IndexUnavailable):
            log.exception("autocomplete failed")
        note_fallback(app, "autocomplete", _reason(error))
        app.extensions.pop("search_searcher", None)
    return out


def _latin_alternatives(view, typed: str) -> list[tuple[str, ...]]:
    """For a word being typed in Latin letters, the Persian name beginnings it may be: the lexicon's words
    for the English words it begins («rosew» → «گلاب»), and its Finglish readings («gola» → «گلا»)."""
    if not is_latin(typed):
        return []
    grams = english_prefixes(typed) + finglish_prefixes(view, typed)
    return [(gram,) for gram in dict.fromkeys(grams) if gram != typed]


def _matching_categories(text: str) -> list[Category]:
    wanted = normalize_query(text)
    if not wanted:
        return []
    found: list[Category] = []
    for category in db.session.scalars(select(Category).order_by(Category.position)):
        names = (normalize_query(category.name_fa), normalize_query(category.name_en))
        if any(name.startswith(wanted) or f" {wanted}" in f" {name}" for name in names):
            found.append(category)
    return found[:SUGGEST_LIMIT]


def popular_searches(limit: int = 8, days: int = 30) -> list[str]:
    """The queries most often typed lately that found something (for the empty state): only those that
    at least MIN_VISITORS different visitors typed on one day, never one that may hold personal data."""
    day = func.substr(SearchLog.session_hash, 1, 8)  # a visitor hash starts with its day (logs.visitor_hash)
    per_day = (
        select(
            SearchLog.query.label("query"),
            func.count().label("searches"),
            func.count(func.distinct(SearchLog.session_hash)).label("visitors"),
        )
        .where(SearchLog.created_at >= utcnow() - timedelta(days=days), SearchLog.result_count > 0)
        .where(SearchLog.query != "")
        .group_by(SearchLog.query, day)
        .subquery()
    )
    searches = func.sum(per_day.c.searches)
    try:
        rows = db.session.execute(
            select(per_day.c.query)
            .group_by(per_day.c.query)
            .having(func.max(per_day.c.visitors) >= MIN_VISITORS)
            .order_by(searches.desc(), per_day.c.query)
            .limit(limit * 2)  # room for the few refused below
        ).all()
    except Exception:
        db.session.rollback()
        return []
    return [row[0] for row in rows if not looks_personal(row[0])][:limit]
