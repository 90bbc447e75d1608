"""The index read into numpy arrays: columns, postings and field lengths, for fast filters, facets, sorts
and BM25F scores.

Whoosh's collectors visit every matching document in Python to score, filter and count it, so a common
word at 100k products costs hundreds of milliseconds. Here each segment's columns, and the postings of the
terms queries use, are read once into arrays and kept per process (a segment never changes; only its
deletions do), and a search becomes a few vectorised operations over them. Scores are Whoosh's BM25F:
`whoosh.scoring.bm25` with the searcher's idf, average field lengths and B/K1.

The fast readers use the W3 codec's column and posting-block layout (whoosh-reloaded is pinned); any other
reader falls back to the public per-document API, and a test checks both give the same arrays.
"""

import threading
from collections import OrderedDict

import numpy as np
from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import bm25
from whoosh.util.numeric import byte_to_length

# Integer columns of the schema (see documents.make_schema) and their numpy types.
NUMBER_COLUMNS = {
    "pk": np.int64,
    "price_rial": np.int64,
    "published": np.int64,
    "popularity": np.int64,
    "category_id": np.int32,
    "shop_id": np.int32,
    "in_stock": np.int8,
    "made_to_order": np.int8,
}
# Scored postings kept per searcher (ids and scores: 8 bytes each), least recently used dropped first.
SCORED_BUDGET = 1_000_000
# Indexes (directories) whose arrays are kept in a process, least recently used dropped first.
INDEXES_KEPT = 4
# Values a generation remembers for the query layer (typo variants, readings of Latin words), oldest dropped first.
REMEMBERED = 2048
# Postings kept per segment (ids and weights: 8 bytes each), least recently used dropped first.
POSTINGS_BUDGET = 4_000_000
_BYTE_LENGTHS = np.array([byte_to_length(value) for value in range(256)], dtype=np.float32)
_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


class SegmentArrays:
    """One segment's columns, and the postings and field lengths read from it so far (cached)."""

    def __init__(self, leaf, labels: "Labels"):
        self.size = leaf.doc_count_all()
        self.columns = {name: _number_column(leaf, name, dtype, self.size) for name, dtype in NUMBER_COLUMNS.items()}
        self.neighbourhood = labels.codes(leaf.column_reader("neighbourhood", translate=False), self.size)
        self._postings: OrderedDict = OrderedDict()
        self._postings_held = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def postings(self, leaf, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (in this segment) containing the term, and the term's weight in each."""
        key = (field, text)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        found = _read_postings(leaf, field, text)
        with self._lock:
            self._postings[key] = found
            self._postings_held += found[0].size
            while self._postings_held > POSTINGS_BUDGET and len(self._postings) > 1:
                _, (ids, _weights) = self._postings.popitem(last=False)
                self._postings_held -= ids.size
        return found

    def lengths(self, leaf, field: str) -> np.ndarray:
        """The length of the field in every document of this segment."""
        found = self._lengths.get(field)
        if found is None:
            found = self._lengths[field] = _read_lengths(leaf, field, self.size)
        return found


class Labels:
    """Small integer codes for text column values (neighbourhoods), the same in every segment."""

    def __init__(self):
        self._codes: dict[bytes, int] = {b"": 0}
        self.names: list[str] = [""]
        self._lock = threading.Lock()

    def code(self, value: bytes) -> int:
        found = self._codes.get(value)
        if found is None:
            with self._lock:
                found = self._codes.get(value)
                if found is None:
                    found = self._codes[value] = len(self.names)
                    self.names.append(value.decode("utf-8", "replace"))
        return found

    def codes(self, reader, size: int) -> np.ndarray:
        values = np.zeros(size, dtype=np.int32)
        for docnum, value in enumerate(reader):
            if value:
                values[docnum] = self.code(value)
        return values


class _Cache:
    """SegmentArrays by segment id, per index directory; segments no longer in the index are dropped."""

    def __init__(self):
        self.segments: dict[str, dict[str, SegmentArrays]] = {}
        self.labels = Labels()
        self.lock = threading.Lock()

    def for_leaves(self, index_key: str, leaves) -> list[SegmentArrays]:
        with self.lock:
            known = self.segments.pop(index_key, None) or {}
            self.segments[index_key] = known  # the most recently used last
            while len(self.segments) > INDEXES_KEPT:  # rebuilt indexes (new directories) and test indexes
                del self.segments[next(iter(self.segments))]
        found = []
        for leaf, _offset in leaves:
            segid = leaf.segment().segment_id()
            arrays = known.get(segid)
            if arrays is None:
                arrays = SegmentArrays(leaf, self.labels)
                with self.lock:
                    known[segid] = arrays
            found.append(arrays)
        current = {leaf.segment().segment_id() for leaf, _offset in leaves}
        with self.lock:
            for segid in [segid for segid in known if segid not in current]:
                del known[segid]
        return found


_cache = _Cache()


class IndexArrays:
    """The arrays of one searcher, i.e. one generation of the index: columns over all its documents
    (global document numbers), which documents are live products and shops, and scored postings."""

    def __init__(self, searcher, index_key: str):
        self.searcher = searcher
        reader = searcher.reader()
        self._leaves = reader.leaf_readers()
        self._segments = _cache.for_leaves(index_key, self._leaves)
        self._offsets = [offset for _leaf, offset in self._leaves]
        self.size = reader.doc_count_all()
        for name in NUMBER_COLUMNS:
            setattr(self, name, self._concatenate([segment.columns[name] for segment in self._segments]))
        self.neighbourhood = self._concatenate([segment.neighbourhood for segment in self._segments])
        self.labels = _cache.labels
        live = np.ones(self.size, dtype=bool)
        for leaf, offset in self._leaves:
            if leaf.has_deletions():
                deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                live[deleted + offset] = False
        self.products = self.term_mask("kind", "product") & live
        self.shops = self.term_mask("kind", "shop") & live
        self._scored: OrderedDict = OrderedDict()
        self._scored_held = 0
        self.last_change = 0  # the id of the last change this generation contains (set by the query layer)
        self.remembered: dict = {}  # what the query layer worked out about words for this generation (remember)
        weighting = searcher.weighting
        self._bm25 = (getattr(weighting, "B", 0.75), getattr(weighting, "K1", 1.2))

    def _concatenate(self, parts: list[np.ndarray]) -> np.ndarray:
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Global document numbers containing the term, and its weight (frequency × field boost) in each."""
        ids, weights = [], []
        for (leaf, offset), segment in zip(self._leaves, self._segments, strict=True):
            segment_ids, segment_weights = segment.postings(leaf, field, text)
            if segment_ids.size:
                ids.append(segment_ids + offset if offset else segment_ids)
                weights.append(segment_weights)
        if not ids:
            return _EMPTY_IDS, _EMPTY_WEIGHTS
        return (ids[0], weights[0]) if len(ids) == 1 else (np.concatenate(ids), np.concatenate(weights))

    def term_mask(self, field: str, text: str) -> np.ndarray:
        """True for the documents containing the term (deleted ones included: callers mask with products)."""
        mask = np.zeros(self.size, dtype=bool)
        mask[self.postings(field, text)[0]] = True
        return mask

    def lengths(self, field: str) -> np.ndarray:
        """The field's length in every document."""
        parts = [
            segment.lengths(leaf, field) for (leaf, _offset), segment in zip(self._leaves, self._segments, strict=True)
        ]
        return self._concatenate(parts)

    def scores(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents containing the term and its BM25F score in each, as Whoosh's BM25F scores it."""
        key = (field, text)
        found = self._scored.get(key)
        if found is not None:
            self._scored.move_to_end(key)
        else:
            ids, weights = self.postings(field, text)
            if ids.size:
                B, K1 = self._bm25
                average = self.searcher.avg_field_length(field) or 1
                idf = self.searcher.idf(field, text)
                values = bm25(idf, weights, self.lengths(field)[ids], average, B, K1).astype(np.float32)
            else:
                values = _EMPTY_WEIGHTS
            found = self._scored[key] = (ids, values)
            self._scored_held += ids.size
            while self._scored_held > SCORED_BUDGET and len(self._scored) > 1:
                _, (dropped, _values) = self._scored.popitem(last=False)
                self._scored_held -= dropped.size
        return found

    def remember(self, key, compute):
        """A value worked out once per generation (typo variants, readings of a Latin word): kept for at
        most REMEMBERED keys, the oldest forgotten first."""
        cache = self.remembered
        if key in cache:
            return cache[key]
        value = cache[key] = compute()
        while len(cache) > REMEMBERED:
            del cache[next(iter(cache))]
        return value

    def stored(self, docnum: int) -> dict:
        """The stored fields of a document."""
        return self.searcher.stored_fields(int(docnum))


# ---------------------------------------------------------------- readers


def _number_column(leaf, name: str, dtype, size: int) -> np.ndarray:
    reader = leaf.column_reader(name, translate=False)
    fast = _fixed_column(reader, size, dtype)
    if fast is not None:
        return fast
    return np.fromiter((value or 0 for value in reader), dtype=dtype, count=size)


def _fixed_column(reader, size: int, dtype) -> np.ndarray | None:
    """A W3 numeric column read in one go: big-endian values for the first documents, the default after."""
    if type(reader) is not columns.NumericColumn.Reader:
        return None
    values = np.full(size, reader._default, dtype=dtype)
    count = min(reader._count, size)
    if count:
        data = reader._dbfile.get(reader._basepos, count * reader._fixedlen)
        values[:count] = np.frombuffer(data, dtype=np.dtype(reader._typecode).newbyteorder(">"))
    return values


def _read_lengths(leaf, field: str, size: int) -> np.ndarray:
    perdoc = getattr(leaf, "_perdoc", None)
    if isinstance(perdoc, whoosh3.W3PerDocReader):
        reader = perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
        if reader is None:
            return np.zeros(size, dtype=np.float32)
        encoded = _fixed_column(reader, size, np.uint8)
        if encoded is not None:
            return _BYTE_LENGTHS[encoded]
    return np.fromiter((leaf.doc_field_length(d, field) or 0 for d in range(size)), dtype=np.float32, count=size)


def _read_postings(leaf, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    if (field, text) not in leaf:
        return _EMPTY_IDS, _EMPTY_WEIGHTS
    matcher = leaf.postings(field, text)
    if isinstance(matcher, FilterMatcher):
        # Deleted documents are masked per generation (segments' postings are cached across generations),
        # so read every posting. The filter has already moved its child past the deleted documents at
        # the start (past all of them when every posting is deleted): rewind it.
        matcher = matcher.child
        matcher.reset()
    if isinstance(matcher, whoosh3.W3LeafMatcher):
        ids, weights = [], []
        while matcher.is_active():  # a block at a time
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int32))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
        if not ids:
            return _EMPTY_IDS, _EMPTY_WEIGHTS
        return np.concatenate(ids), np.concatenate(weights)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)
