"""Queries typed in Latin letters (Finglish, English) and with dotted-letter typos, on a real index."""

import pytest

from marketplace.search import finglish, lexicon, query, readings
from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import synced
from tests.search.test_query import run


@pytest.fixture
def pantry(app, make):
    """A small catalogue of foods and crafts, indexed."""
    shop = make(ShopFactory, name="آشپزخانهٔ رقیه", neighbourhood="طلاب", status="approved")
    crafts = make(ShopFactory, name="نمد مریم", neighbourhood="گلشهر", status="approved")
    made = {
        "rosewater": ("گلاب دوآتشه قمصر", "dried-herbs", ""),
        "honey": ("عسل طبیعی کوهی", "home-food", ""),
        "herbs": ("سبزی خشک قورمه", "dried-herbs", ""),
        "kashk": ("کشک محلی", "spices-pastes", ""),
        "verjuice": ("آبغوره خانگی", "spices-pastes", ""),
        "nougat": ("گز پسته‌ای", "sweets-bread", ""),
        "sohan": ("سوهان عسلی", "sweets-bread", ""),
        "slippers": ("دمپایی نمدی", "decor", "Felted wool slippers"),
        "tablecloth": ("رومیزی گلدوزی‌شده", "needlework", ""),
        "bag": ("کیف چرمی دست‌دوز", "leather", ""),
        "flowerpot": ("گلدان سفالی", "pottery", ""),
    }
    ids = {}
    for key, (title, category, title_en) in made.items():
        owner = crafts if category in ("decor", "needlework", "leather", "pottery") else shop
        product = make(
            ProductFactory, shop=owner, title=title, title_en=title_en, category=category, status="published"
        )
        ids[key] = product.id
    synced(app)
    return ids


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("golab", "rosewater"),
        ("GOLAB", "rosewater"),
        ("asal", "honey"),
        ("sabzi khoshk", "herbs"),
        ("sabzi xoshk", "herbs"),
        ("kashk", "kashk"),
        ("gaz", "nougat"),
        ("golduzi", "tablecloth"),
        ("ab ghooreh", "verjuice"),
        ("abghoore", "verjuice"),
        ("kif charmi", "bag"),
        ("soohan", "sohan"),
    ],
)
def test_finglish_finds_the_persian_product(app, pantry, typed, expected):
    result, ids = run(app, q=typed)
    assert pantry[expected] in ids[:5], (typed, result.reading)
    assert result.reading  # read as Persian words, for the page and the insights


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("rosewater", "rosewater"),
        ("rose water", "rosewater"),
        ("Honey", "honey"),
        ("felt slippers", "slippers"),
        ("pistachio nougat", "nougat"),
        ("embroidered tablecloth", "tablecloth"),
        ("leather bag", "bag"),
        ("dried herbs", "herbs"),
        ("pistacio nougat", "nougat"),  # misspelt English: the lexicon's nearest word
        ("embroidred tablecloth", "tablecloth"),
    ],
)
def test_english_finds_the_persian_product_through_the_lexicon(app, pantry, typed, expected):
    result, ids = run(app, q=typed)
    assert pantry[expected] in ids[:5], (typed, result.reading)


def test_the_reading_is_persian_words_as_producers_write_them(app, pantry):
    assert run(app, q="golab")[0].reading == "گلاب"
    assert run(app, q="rose water")[0].reading == "گلاب"
    assert run(app, q="sabzi khoshk")[0].reading == "سبزی خشک"
    assert run(app, q="گلاب")[0].reading == ""  # typed in Persian: read as typed


def test_a_latin_word_nobody_sells_finds_nothing_and_is_not_read(app, pantry):
    result, ids = run(app, q="xylophone")
    assert ids == [] and result.reading == ""


def test_english_particles_are_not_required(app, pantry):
    _result, ids = run(app, q="honey and the")
    assert pantry["honey"] in ids[:2]  # «سوهان عسلی» is honey too


@pytest.mark.parametrize(
    ("typed", "expected", "corrected"),
    [
        # the first letter: the fuzzy pass keeps first letters (and skips words under four letters)
        ("غسل", "honey", "عسل"),
        ("جرمی", "bag", "چرمی"),
        ("گلاپ", "rosewater", "گلاب"),
        ("کز", "nougat", "گز"),
    ],
)
def test_a_dotted_letter_typo_finds_the_word_and_offers_it(app, pantry, typed, expected, corrected):
    result, ids = run(app, q=typed)
    assert pantry[expected] in ids[:2] and result.mode in ("fuzzy", "skeleton")
    assert result.suggestion == corrected


def test_dotted_variants_rank_below_the_word_as_typed(app, make, pantry):
    shop = make(ShopFactory, status="approved")
    exact = make(ProductFactory, shop=shop, title="غسل سفالی", category="pottery", status="published").id
    synced(app)
    result, ids = run(app, q="غسل")
    assert result.mode == "skeleton"  # one product is too little: the dotted twins are added…
    assert ids[0] == exact and pantry["honey"] in ids  # …ranked below the word as typed


def test_the_dotted_pass_runs_only_when_little_is_found(app, make, pantry):
    shop = make(ShopFactory, status="approved")
    for n in range(3):
        make(ProductFactory, shop=shop, title=f"کز نمونه {n}", category="decor", status="published")
    synced(app)
    result, _ids = run(app, q="کز")
    assert result.mode == "all" and result.total == 3  # «گز» is not added when the word finds enough


def test_skeleton_groups_only_dotted_twins():
    assert readings.skeleton_automaton("غسل").accept("عسل")
    assert readings.skeleton_automaton("چرم").accept("جرم") and readings.skeleton_automaton("جرم").accept("خرم")
    assert readings.skeleton_automaton("گلاب").accept("کلاپ")
    assert not readings.skeleton_automaton("عسل").accept("اسل")  # ا and ع are not dotted twins


def test_finglish_table_reads_common_spellings():
    for latin, persian in [
        ("golab", "گلاب"),
        ("ghorme", "قرمه"),
        ("ghormeh", "قورمه"),
        ("xoshk", "خشک"),
        ("morabba", "مربا"),
        ("zafaran", "زعفران"),
        ("roosari", "روسری"),
        ("somagh", "سماق"),
        ("golduzi", "گلدوز"),  # the adjectival ی, which the index stems away, may be left unread
    ]:
        assert finglish.automaton(latin).accept(persian), (latin, persian)
        assert finglish.cost(latin, persian) is not None
    assert not finglish.automaton("golab").accept("کتاب")
    assert (
        finglish.cost("golab", "گلاب") < finglish.cost("golab", "قلاب")
        if finglish.cost("golab", "قلاب") is not None
        else True
    )


def test_the_table_file_is_well_formed(tmp_path):
    table = finglish.load_table()
    assert {"a", "kh", "sh", "gh", "ch", "zh"} <= set(table)
    bad = tmp_path / "bad.tsv"
    bad.write_text("kh\teverywhere\tخ:0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        finglish.load_table(bad)


def test_lexicon_keys_are_found_in_plural_and_any_case():
    assert lexicon.lookup(["Slippers"]).english == "slipper"
    assert lexicon.lookup(["shoes"]).english == "shoe"  # not «sho», as the «oes» of tomatoes would make it
    assert lexicon.lookup(["tomatoes"]).english == "tomato"
    assert lexicon.lookup(["rosewater"]).persian[0] == "گلاب"
    assert [(first, last) for first, last, _entry in lexicon.phrases(["rose", "water", "soap"])] == [(0, 2), (2, 3)]


def suggestions(app, typed):
    with app.test_request_context():
        found = query.autocomplete(typed)
    return {item["pk"] for item in found["products"]}, {item["pk"] for item in found["shops"]}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("gola", "rosewater"), ("rosew", "rosewater"), ("hone", "honey"), ("sabz", "herbs"), ("namad", "slippers")],
)
def test_autocomplete_reads_latin_prefixes(app, pantry, typed, expected):
    products, _shops = suggestions(app, typed)
    assert pantry[expected] in products, typed


def test_autocomplete_suggests_shops_for_finglish(app, pantry):
    _products, shops = suggestions(app, "namad")
    assert shops  # «نمد مریم»


def test_the_search_page_says_how_a_latin_query_was_read(client, pantry):
    page = client.get("/search", query_string={"q": "golab"}).get_data(as_text=True)
    assert "«گلاب»" in page and "q=%DA%AF%D9%84%D8%A7%D8%A8" in page  # a link to the Persian search
    assert "دوآتشه قمصر" in page  # the product («گلاب» is highlighted in its title)
    page = client.get("/search", query_string={"q": "گلاب"}).get_data(as_text=True)
    assert "به فارسی هم جست‌وجو شد" not in page


def test_the_api_gives_the_reading(client, pantry):
    body = client.get("/api/v1/search", query_string={"q": "rosewater"}).get_json()
    assert body["reading"] == "گلاب" and body["results"][0]["title"] == "گلاب دوآتشه قمصر"
    assert client.get("/api/v1/search", query_string={"q": "گلاب"}).get_json()["reading"] is None


def test_a_latin_prefix_suggests_what_all_its_letters_spell(app, pantry):
    products, _shops = suggestions(app, "gola")
    assert pantry["rosewater"] in products and pantry["flowerpot"] not in products  # «گلا…», not every «گل…»


def test_a_misspelt_english_word_is_read_as_the_lexicon_word_it_is_near():
    assert lexicon.near("pistacio").english == "pistachio"
    assert lexicon.near("Slipers".lower()).english == "slipper"
    assert lexicon.near("embroidred").english == "embroidered"
    assert lexicon.near("xylophone") is None
    assert lexicon.near("gaz") is None  # short words are never corrected


def test_a_phrase_no_product_has_is_read_word_by_word(app, make, pantry):
    shop = make(ShopFactory, status="approved")
    box = make(ProductFactory, shop=shop, title="جعبهٔ هدیهٔ مربا", category="jams", status="published").id
    synced(app)
    assert lexicon.lookup(["gift", "box"]) is not None  # a phrase of the lexicon, whose words no product has
    result, ids = run(app, q="gift box")
    assert ids == [box] and result.reading == "هدیه جعبه"


def test_did_you_mean_offers_a_word_found_only_in_materials(app, make, pantry):
    shop = make(ShopFactory, status="approved")
    make(ProductFactory, shop=shop, title="ترشی خانگی", materials="نمک، سرکه", category="pickles", status="published")
    synced(app)
    result, ids = run(app, q="نمگ")
    assert ids and result.mode == "skeleton" and result.suggestion == "نمک"
