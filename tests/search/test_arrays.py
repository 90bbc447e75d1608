"""The index read as arrays: the fast readers agree with Whoosh's own API, scores are Whoosh's BM25F,
deleted documents never count, and a segment's arrays are read once."""

import numpy as np
import pytest
from whoosh.query import Term

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.search import arrays, index, query
from marketplace.search.query import SearchParams
from marketplace.shops.models import Shop
from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import synced


@pytest.fixture
def segments(app, make):
    """Products indexed in three syncs (three segments), one of them changed since (a deletion)."""
    shop = make(ShopFactory, name="کارگاه نرگس", neighbourhood="طلاب", status="approved")
    first = [
        make(ProductFactory, shop=shop, title=f"کیف چرمی {n}", price_toman=100_000 + n * 1000, status="published").id
        for n in range(3)
    ]
    synced(app)
    second = [
        make(
            ProductFactory,
            shop=shop,
            title="گلیم دستباف",
            category="carpets-kilims",
            made_to_order=True,
            stock=0,
            status="published",
        ).id
    ]
    synced(app)
    with app.app_context():
        db.session.get(Product, first[0]).price_rial = 9_990_000
        db.session.commit()
    synced(app)
    return {"first": first, "second": second}


def _view(app):
    with app.app_context():
        return query._searcher(app)


def test_fast_readers_agree_with_whoosh(app, segments):
    view = _view(app)
    leaves = view.searcher.reader().leaf_readers()
    assert len(leaves) >= 2
    for leaf, _offset in leaves:
        size = leaf.doc_count_all()
        for name, dtype in arrays.NUMBER_COLUMNS.items():
            slow = np.fromiter((v or 0 for v in leaf.column_reader(name, translate=False)), dtype=dtype, count=size)
            assert np.array_equal(arrays._number_column(leaf, name, dtype, size), slow), name
        for field in query.TEXT_FIELDS:
            slow = [leaf.doc_field_length(d, field) or 0 for d in range(size)]
            assert arrays._read_lengths(leaf, field, size).tolist() == slow, field
        for field, text in (("title", "کیف"), ("kind", "product"), ("complete", "گلی")):
            ids, weights = arrays._read_postings(leaf, field, text)
            if (field, text) not in leaf:
                assert ids.size == 0
                continue
            matcher = leaf.postings(field, text)
            expected = []
            while matcher.is_active():
                expected.append((matcher.id(), matcher.weight()))
                matcher.next()
            live = [(int(i), float(w)) for i, w in zip(ids, weights, strict=True) if not leaf.is_deleted(int(i))]
            assert live == expected


def test_scores_are_whooshs_bm25f(app, segments):
    view = _view(app)
    for field, text in (("title", "کیف"), ("title", "گلیم"), ("description", "کیف")):
        ids, scores = view.scores(field, text)
        whoosh = {hit.docnum: hit.score for hit in view.searcher.search(Term(field, text), limit=None)}
        ours = {int(i): float(s) for i, s in zip(ids, scores, strict=True) if view.products[i]}
        assert ours.keys() == whoosh.keys()
        for docnum, score in whoosh.items():
            assert ours[docnum] == pytest.approx(score, rel=1e-5)


def test_deleted_documents_never_count(app, segments):
    view = _view(app)
    changed = segments["first"][0]
    assert np.count_nonzero(view.products & (view.pk == changed)) == 1
    product_documents = view.term_mask("kind", "product")  # deleted ones included
    assert np.count_nonzero(product_documents & (view.pk == changed)) == 2  # the old version, deleted
    with app.test_request_context():
        result = query.search(SearchParams(q="کیف"))
    assert result.total == 3 and sorted(p.id for p in result.products) == sorted(segments["first"])


def test_columns_carry_the_document_values(app, segments):
    view = _view(app)
    kilim = np.flatnonzero(view.products & (view.pk == segments["second"][0]))[0]
    assert view.made_to_order[kilim] == 1 and view.in_stock[kilim] == 1  # made to order is always available
    assert view.labels.names[view.neighbourhood[kilim]] == "طلاب"
    changed = np.flatnonzero(view.products & (view.pk == segments["first"][0]))[0]
    assert view.price_rial[changed] == 9_990_000


def test_a_segments_arrays_are_read_once(app, segments, make):
    before = _view(app)
    kept = {id(segment) for segment in before._segments}
    make(ProductFactory, shop=make(ShopFactory, status="approved"), title="سینی مسی", status="published")
    synced(app)
    after = _view(app)
    assert after is not before
    reused = {id(segment) for segment in after._segments} & kept
    assert reused, "unchanged segments keep their arrays"


def test_a_rebuilt_index_is_read_afresh(app, segments):
    _view(app)
    with app.app_context():
        index.rebuild(app)
        view = _view(app)
        assert len(view.searcher.reader().leaf_readers()) >= 1
        assert np.count_nonzero(view.products) == 4


@pytest.fixture
def fully_deleted_term(app, make):
    """A segment in which every document holding «کهنه» is deleted (a real index, as after a rename):
    the products are indexed, then renamed, so the old word only remains in deleted documents."""
    shop = make(ShopFactory, name="کارگاه کهنه", neighbourhood="طلاب", status="approved")
    products = [make(ProductFactory, shop=shop, title=f"کیف کهنه {n}", status="published").id for n in range(3)] + [
        make(ProductFactory, shop=shop, title="گلیم دستباف", status="published").id
    ]
    synced(app)
    with app.app_context():
        for product_id in products[:3]:
            db.session.get(Product, product_id).title = "کیف تازه"
        db.session.get(Shop, shop.id).name = "کارگاه تازه"
        db.session.commit()
    synced(app)
    with index.open_index(app).searcher() as searcher:  # Whoosh's own reader, not our arrays
        emptied = [
            leaf
            for leaf, _offset in searcher.reader().leaf_readers()
            if ("title", "کهنه") in leaf and not leaf.postings("title", "کهنه").is_active()
        ]
    assert emptied, "precondition: a segment holds the term with every one of its postings deleted"
    return products


def test_a_term_whose_postings_are_all_deleted_reads_as_no_live_document(app, fully_deleted_term):
    view = _view(app)
    for field in ("title", "shop_name"):
        ids, _scores = view.scores(field, "کهنه")
        assert not view.products[ids].any()  # read without error, nothing live
    with app.test_request_context():
        result = query.search(SearchParams(q="کهنه"))
        assert result.mode != "database" and not result.degraded and result.total == 0
        result = query.search(SearchParams(q="کیف"))
        assert result.mode == "all" and result.total == 3
        assert query.autocomplete("کهن")["products"] == []
        assert [p["pk"] for p in query.autocomplete("کیف")["products"]]


def test_a_term_fully_deleted_in_one_segment_does_not_break_a_fresh_process(app, fully_deleted_term):
    """In a fresh process nothing is cached yet: the segment's postings are read from disk."""
    arrays._cache.segments.clear()
    app.extensions.pop("search_searcher", None)
    with app.test_request_context():
        result = query.search(SearchParams(q="کهنه کیف"))
    assert result.mode != "database" and not result.degraded
