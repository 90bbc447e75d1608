"""The Persian analyzer: the public cases (../shared/data/persian-search-cases.md), compounds, Whoosh use."""

import pickle

import pytest
from whoosh import fields, index
from whoosh.analysis import CompositeAnalyzer
from whoosh.qparser import QueryParser
from whoosh.query import And, Or, Term

from marketplace.search.analysis import (
    AUTOCOMPLETE,
    AUTOCOMPLETE_QUERY,
    LONGEST_PREFIX,
    MAX_QUERY_WORDS,
    MAX_TYPED_WORDS,
    PERSIAN,
    STOPWORDS,
    CompoundFilter,
    PersianNormalizeFilter,
    PersianStemFilter,
    PersianStopFilter,
    PersianTokenizer,
    analyze,
    autocomplete_words,
    index_terms,
    normalize,
    normalize_query,
    query_groups,
    stem,
)

TITLE = "کیف چرمی دست\u200cدوز زنانه"

# Rows copied from the cases file, in their escaped spelling so no confusable letter hides.
NORMALISATION = [
    ("\u0643تاب", "کتاب"),  # Arabic kaf → Persian kaf
    ("عل\u064a", "علی"),  # Arabic yeh → Persian yeh
    ("ترش\u064a", "ترشی"),  # Arabic yeh at word end
    ("موس\u0649", "موسی"),  # alef maksura → Persian yeh
    ("مرب\u0651ا", "مربا"),  # shadda removed
    ("ح\u064eذف\u0650 ا\u0650عراب", "حذف اعراب"),  # harakat removed (hazm)
    ("س\u0640\u0640لام", "سلام"),  # tatweel removed (hazm)
    ("خان\u06c0", "خانه"),  # heh with yeh above → heh
    ("خانه\u0654", "خانه"),  # hamza above removed (hazm)
    ("زاد\u06c1", "زاده"),  # heh goal → heh (Lucene)
    ("مدرس\u0629", "مدرسه"),  # teh marbuta → heh
    ("\u06f1\u06f2\u06f3\u06f4", "1234"),  # Persian digits → Latin (Lucene)
    ("\u0661\u0662\u0663\u0664", "1234"),  # Arabic-Indic digits → Latin
    ("English Test", "english test"),  # Latin lower-cased
]

STEMMING = [
    ("دوستان", "دوست"),
    ("\u06a9تابها", "کتاب"),
    ("جامدات", "جامد"),
    ("شادمان\u06cc", "شادمان"),
    ("باحالتر", "باحال"),
    ("خوبتر\u06ccن", "خوب"),
    ("\u06a9باب", "کباب"),
    ("\u06a9تاب\u06cc", "کتاب"),
    ("\u06a9تاب\u200cها", "کتاب"),
    ("\u06a9تاب\u200cها\u06cc\u06cc", "کتاب"),
    ("نان", "نان"),  # too short to strip ان
]

ANALYZER = [
    ("م\u06cc\u200cخورد", ["خورد"]),
    ("م\u064a خورد", ["خورد"]),
    ("برگ ها", ["برگ"]),
    ("برگ\u200cها", ["برگ"]),
    ("برگها", ["برگ"]),
    ("English test.", ["english", "test"]),
    ("\u06f1\u06f2\u06f3\u06f4", ["1234"]),
]

# Each must find a listing titled TITLE (the typo and the transliteration rows are the query layer's).
TITLE_QUERIES = [
    "\u0643\u064a\u0641 چرم\u064a",  # Arabic kaf and yeh
    "کیف دستدوز",  # compound without ZWNJ
    "کیف دست دوز",  # compound with a space
    "کیف\u200cهای چرمی",  # plural with ZWNJ
    "کیفهای چرم",  # plural without ZWNJ, adjective as noun
]

COMPOUNDS = ["دست\u200cساز", "دستساز", "دست ساز"]

HOSTILE = [
    "",
    "کیف چرمی دست\u200cدوز " * 500,  # 10,000 characters
    "x" * 10_000,
    "\u200c" * 10_000,
    "\u064e" * 10_000,
    ".,;:!?()[]{}«»،؛؟-_/\\|@#$%^&*+=~`'\"",
    '")(*',
    "😀👜🧵 کیف 😀",
    "\x00\x01\x07\x1b\x7f\u2028\u2029 کیف\tچرم\r\n",
    "کیف bag сумка 包 حقيبة ١٢ 12 ۱۲",
    "\u202bکیف\u202c\u200f چرم\u200e",
    "\ufdfc \ufefb \uff2b\uff29\uff26",
    "ـــ\u200c\u200d ـ",
]


# ---------------------------------------------------------------- the public cases


@pytest.mark.parametrize(("text", "expected"), NORMALISATION)
def test_normalisation_cases(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(("token", "expected"), STEMMING)
def test_stemming_cases(token, expected):
    assert stem(token) == expected


@pytest.mark.parametrize(("text", "expected"), ANALYZER)
def test_analyzer_cases(text, expected):
    assert analyze(text) == expected
    assert analyze(text, mode="index") == expected


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "\u0622\u0628 \u0623\u0633\u0628 \u0625\u0633\u0645 \u0624\u0645\u0646 \u0645\u0633\u0626\u0644\u0647",
            "اب اسب اسم ومن مسیله",
        ),
        ("\u0631\u062d\u0645\u0670\u0646", "رحمن"),  # superscript alef
        ("کتاب\u200c\u200cها", "کتاب\u200cها"),  # a run of ZWNJ is one
        ("کتاب\u200c ها \u200c", "کتاب ها"),  # a ZWNJ beside a space is a slip
        ("کیف\u00a0\u2009 چرم\u200d\u200f", "کیف چرم"),  # odd spaces, ZWJ, RLM
        ("\ufefb", "لا"),  # presentation-form ligature
        ("ＫＩＦ", "kif"),  # full-width Latin
    ],
)
def test_normalize_folds_for_matching(text, expected):
    assert normalize(text) == expected


def test_normalize_is_idempotent():
    for text, _ in NORMALISATION + [(TITLE, None), *[(query, None) for query in TITLE_QUERIES]]:
        assert normalize(normalize(text)) == normalize(text)


def test_normalize_query_is_the_logged_text():
    assert normalize_query("  \u0643\u064a\u0641\u200cها!! ۱۲ «چرمي»  ") == "کیف\u200cها 12 چرمی"
    assert normalize_query('")(*') == ""
    assert normalize_query("کیف\u200c! \u200c«چرم»") == "کیف چرم"


# ---------------------------------------------------------------- stemming


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("گلها", "گل"),  # ها may leave two letters
        ("دانشجویان", "دانشجو"),  # the gliding ی of a plural after a vowel
        ("طلایی", "طلا"),
        ("بزرگترین", "بزرگ"),
        ("بهتر", "بهتر"),  # too short to strip تر
        ("شکلات", "شکلات"),  # not a plural in ات
        ("صندلی", "صندلی"),  # not «صندل» + ی
        ("صندلی\u200cها", "صندلی"),
        ("bags", "bag"),  # English plurals are made singular (issue 15)
        ("1234", "1234"),
    ],
)
def test_stem_more(token, expected):
    assert stem(token) == expected


def test_a_solid_word_in_hay_has_both_readings():
    assert stem("نقرهای") == "نقر"  # read as a plural
    assert analyze("قهوهای", mode="index") == ["قهو", "قهوه"]
    assert analyze("کیف قهوه\u200cای") == ["کیف", "قهوه"]
    assert query_groups("کیف قهوهای") == [["کیف", "کیفقهو"], ["قهو", "قهوه", "کیفقهو"]]
    assert query_groups("کیفهای") == [["کیف", "کیفه"]]


@pytest.mark.parametrize("word", ["زعفران", "کیف", "چرم", "گلدان", "دوست", "صندلی", "تابستان"])
def test_a_word_and_its_inflections_meet(word):
    forms = [word, word + "ها", word + "\u200cها", word + "های", word + "ی"]
    assert {stem(form) for form in forms} == {stem(word)}


# ---------------------------------------------------------------- stop words


def test_stop_words_reviewed_for_a_shop():
    for affix in ["ها", "های", "هایی", "می", "نمی", "و", "از", "با", "برای", "اینکه"]:
        assert affix in STOPWORDS
    for word in ["دست", "کار", "خانه", "بزرگ", "کوچک", "نو", "جدید", "تازه", "دو", "بی", "ضد", "بدون", "سازی", "بندی"]:
        assert word not in STOPWORDS
    assert "انها" in STOPWORDS  # loaded through normalisation: «آنها» folds to «انها»


def test_stop_words_are_marked_when_not_removed():
    tokens = [(t.text, t.stopped) for t in PERSIAN("کتاب‌ها و دفتر", removestops=False, mode="index")]
    assert ("ها", True) in tokens and ("و", True) in tokens
    assert ("کتاب", False) in tokens and ("دفتر", False) in tokens


# ---------------------------------------------------------------- tokenizer


def test_harakat_never_split_a_word():
    assert analyze("کِتابِ مُرَبّا") == ["کتاب", "مربا"]
    assert analyze("کــتاب\u200d\u200fی") == ["کتاب"]


def test_character_spans_point_into_the_original_text():
    text = "«کیفِ چرمی» و دست\u200cدوز"
    tokens = [(t.text, text[t.startchar : t.endchar]) for t in PERSIAN(text, chars=True, positions=True, mode="index")]
    assert tokens == [
        ("کیف", "کیفِ"),
        ("چرم", "چرمی"),
        ("کیفچرم", "کیفِ چرمی"),
        ("دست", "دست"),
        ("دوز", "دوز"),
        ("دستدوز", "دست\u200cدوز"),
    ]


def test_positions_put_a_joined_form_on_its_second_word():
    tokens = [(t.text, t.pos) for t in PERSIAN("دست ساز چرم", positions=True, mode="index")]
    assert tokens == [("دست", 0), ("ساز", 1), ("دستساز", 1), ("چرم", 2), ("سازچرم", 2)]


def test_untokenized_value_is_one_normalised_token():
    assert [t.text for t in PersianTokenizer()("كيف\u200cها", tokenize=False)] == ["کیفها"]


def test_parts_chain_on_their_own_and_on_empty_input():
    chain = PersianTokenizer() | PersianNormalizeFilter() | PersianStopFilter() | CompoundFilter() | PersianStemFilter()
    assert [t.text for t in chain("کتاب‌ها")] == ["کتاب"]
    for analyzer in (chain, PERSIAN, AUTOCOMPLETE, AUTOCOMPLETE_QUERY):
        assert list(analyzer("")) == []
        assert list(analyzer("", mode="query")) == []


def test_filters_work_behind_another_tokenizer():
    from whoosh.analysis import SpaceSeparatedTokenizer

    chain = (
        SpaceSeparatedTokenizer()
        | PersianNormalizeFilter()
        | PersianStopFilter()
        | CompoundFilter()
        | PersianStemFilter()
    )
    assert [t.text for t in chain("دست ساز ها", mode="index")] == ["دست", "ساز", "دستساز"]


# ---------------------------------------------------------------- compounds and the title queries


def test_compound_spellings_share_a_term():
    indexed = [set(analyze(spelling, mode="index")) for spelling in COMPOUNDS]
    assert set.intersection(*indexed) == {"دستساز"}


@pytest.mark.parametrize("listing", COMPOUNDS)
@pytest.mark.parametrize("query", COMPOUNDS)
def test_compound_spellings_find_each_other(query, listing):
    indexed = set(analyze(listing, mode="index"))
    # Every group of alternatives is met: And(Or(group)) finds the listing.
    assert all(set(group) & indexed for group in query_groups(query))
    if " " not in query:
        # A solid or ZWNJ query is met by its plain terms too.
        assert set(analyze(query)) <= indexed


@pytest.mark.parametrize("query", TITLE_QUERIES)
def test_title_queries_share_all_their_words_with_the_title(query):
    indexed = set(analyze(TITLE, mode="index"))
    words = analyze(query)
    assert words and set(words) <= indexed
    assert all(set(group) & indexed for group in query_groups(query))


def test_query_groups_offer_the_solid_form():
    assert query_groups("دست ساز") == [["دست", "دستساز"], ["ساز", "دستساز"]]
    assert query_groups("گل دان") == [["گل", "گلدان"], ["دان", "گلدان"]]  # stemmed as the solid word
    assert query_groups("کتاب‌ها") == [["کتاب"]]
    assert query_groups("english test") == [["english"], ["test"]]


@pytest.mark.parametrize(
    ("listing", "query"),
    [
        ("صنایعدستی", "صنایع دستی"),
        ("زیرانداز", "زیر انداز"),
        ("جا کلیدی", "جاکلیدی"),
        ("کیف قهوه\u200cای", "کیف قهوهای"),
        ("کیف قهوهای", "کیف قهوه ای"),
        ("گلدانهای سرامیکی", "گلدان سرامیک"),
        ("روسری\u200cهای ابریشمی", "روسری ابریشم"),
        ("سفره هفت سین", "هفت\u200cسین"),
    ],
)
def test_spelling_variants_meet_through_query_groups(listing, query):
    indexed = set(analyze(listing, mode="index"))
    assert all(set(group) & indexed for group in query_groups(query))


def test_query_groups_stop_at_the_word_limit():
    assert len(query_groups(" ".join(f"w{n}" for n in range(1000)))) == MAX_QUERY_WORDS


# ---------------------------------------------------------------- Whoosh


def test_analyzers_pickle():
    for analyzer in (PERSIAN, AUTOCOMPLETE, AUTOCOMPLETE_QUERY):
        copy = pickle.loads(pickle.dumps(analyzer))  # noqa: S301 (our own bytes)
        assert copy == analyzer
        assert [t.text for t in copy(TITLE)] == [t.text for t in analyzer(TITLE)]


@pytest.fixture
def searcher(tmp_path):
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=PERSIAN, stored=True),
        complete=fields.TEXT(analyzer=AUTOCOMPLETE, phrase=False),
    )
    ix = index.create_in(str(tmp_path), schema)
    titles = {
        "bag": TITLE,
        "zwnj": "جعبه دست\u200cساز",
        "solid": "جعبه دستساز",
        "spaced": "جعبه دست ساز",
        "other": "کتاب‌های قدیمی",
    }
    with ix.writer() as writer:
        for key, title in titles.items():
            writer.add_document(id=key, title=title, complete=title)
    # Reopen from disk: the schema (and the analyzer in it) comes back unpickled.
    with index.open_dir(str(tmp_path)).searcher() as opened:
        yield opened


def _found(searcher, query):
    return {hit["id"] for hit in searcher.search(query, limit=None)}


@pytest.mark.parametrize("text", TITLE_QUERIES)
def test_title_queries_find_the_listing_in_an_index(searcher, text):
    # The query layer's pattern: every analysed word must match.
    assert _found(searcher, And([Term("title", word) for word in analyze(text)])) == {"bag"}
    assert _found(searcher, And([Or([Term("title", term) for term in group]) for group in query_groups(text)])) == {
        "bag"
    }


@pytest.mark.parametrize("text", COMPOUNDS)
def test_compound_queries_find_every_spelling_in_an_index(searcher, text):
    groups = query_groups(text)
    assert _found(searcher, And([Or([Term("title", term) for term in group]) for group in groups])) == {
        "zwnj",
        "solid",
        "spaced",
    }


def test_query_parser_uses_the_analyzer(searcher):
    parser = QueryParser("title", searcher.schema)
    assert _found(searcher, parser.parse("کتابهای")) == {"other"}
    assert _found(searcher, parser.parse("دست\u200cساز")) == {"zwnj", "solid", "spaced"}
    assert _found(searcher, parser.parse("كيف چرمي")) == {"bag"}


def test_autocomplete_prefixes(searcher):
    def complete(text):
        words = autocomplete_words(text)
        return _found(searcher, And([Or([And([Term("complete", t) for t in terms]) for terms in w]) for w in words]))

    assert complete("دست\u200cسا") == {"zwnj", "solid", "spaced"}
    assert complete("چرم") == {"bag"}
    assert complete("كي") == {"bag"}


def test_autocomplete_indexes_edge_ngrams_of_normalised_words():
    grams = [t.text for t in AUTOCOMPLETE("كيفِ", mode="index")]
    assert grams == ["کی", "کیف"]
    assert autocomplete_words("کیف" * 10) == [[(("کیف" * 10)[:12],)]]
    assert autocomplete_words("دست\u200cسا چرم") == [[("دستسا",), ("دست", "سا")], [("چرم",)]]


def test_autocomplete_joins_only_zwnj_words():
    grams = {t.text for t in AUTOCOMPLETE("دست\u200cساز چرم", mode="index")}
    assert {"دستسا", "دستساز", "سا", "چرم"} <= grams
    assert "سازچ" not in grams and "دستسازچ" not in grams


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises_and_stays_bounded(text):
    # What each call costs on these inputs is measured by bench/hostile.py, not asserted here.
    normalized = normalize(text)
    assert normalize(normalized) == normalized
    assert all(term and term == term.strip() for term in analyze(text))
    assert len(query_groups(text)) <= MAX_QUERY_WORDS
    assert all(2 <= len(gram) <= LONGEST_PREFIX for gram in (t.text for t in AUTOCOMPLETE(text, mode="index")))
    words = autocomplete_words(text)
    assert len(words) <= MAX_TYPED_WORDS
    assert all(len(parts[0]) <= LONGEST_PREFIX for alternatives in words for parts in alternatives)
    spans = [(t.startchar, t.endchar) for t in PERSIAN(text, positions=True, chars=True, mode="index")]
    assert all(0 <= start <= end <= len(text) for start, end in spans)


def test_mixed_scripts_keep_their_words():
    assert analyze("کیف bag ١٢ сумка") == ["کیف", "bag", "12", "сумка"]


# ---------------------------------------------------------------- the indexing fast path

SAMPLES = [
    *[text for text, _ in NORMALISATION + STEMMING + ANALYZER],
    TITLE,
    *TITLE_QUERIES,
    *COMPOUNDS,
    *HOSTILE,
    "کتاب\u200cهای قدیمی و نو، از آنها و برای شما",  # stop words between words
    "قهوهای نقرهای گلهای سرخ",  # the other reading of «های»
    "دست\u200cساز\u200cها سه\u200cتکه\u200cای گل دان",  # ZWNJ chains of three parts
    "ترشی و شور Pickles خوراکی خانگی Home food",  # a category path
    "کیف\u064e چرم\u0650ی ١٢ \ufdfc x_y دست\u200c\u200cدوز \u200cکیف",  # marks, digits, a ligature, loose ZWNJ
]


@pytest.mark.parametrize("analyzer", [PERSIAN, AUTOCOMPLETE], ids=["persian", "autocomplete"])
def test_the_indexing_fast_path_gives_the_chains_terms(analyzer):
    for text in SAMPLES:
        chain = [t.text for t in CompositeAnalyzer.__call__(analyzer, text, mode="index") if not t.stopped]
        assert list(index_terms(text, **analyzer.index_options)) == chain, text
        assert [t.text for t in analyzer(text, mode="index")] == chain  # the fast path, then remembered
        assert [t.text for t in analyzer(text, mode="index")] == chain
