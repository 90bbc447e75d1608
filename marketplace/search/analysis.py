"""The Persian analyzer: search normalisation, tokenising, stop words, light stemming and compounds.

One analyzer serves indexing and querying. Whoosh pickles it into the index schema, so every part is a
module-level class or object; changing how text is analysed means `flask search rebuild`.
"""

import re
import unicodedata
from functools import lru_cache
from itertools import islice
from pathlib import Path

from whoosh.analysis import NgramFilter
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.filters import Filter
from whoosh.analysis.tokenizers import Tokenizer

ZWNJ = "\u200c"

# ---------------------------------------------------------------- normalisation

# Letters folded for matching only (storage keeps آ and hamza seats; search must not care how a word was typed).
_LETTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي Arabic yeh
        "\u0649": "\u06cc",  # ى alef maksura
        "\u0626": "\u06cc",  # ئ yeh with hamza
        "\u06cd": "\u06cc",  # ۍ yeh with tail
        "\u06ce": "\u06cc",  # ێ yeh with small v
        "\u06d0": "\u06cc",  # ې e
        "\u0643": "\u06a9",  # ك Arabic kaf
        "\u06aa": "\u06a9",  # ڪ swash kaf
        "\u0629": "\u0647",  # ة teh marbuta
        "\u06c0": "\u0647",  # ۀ heh with yeh above (the ezafe is not part of the word)
        "\u06c1": "\u0647",  # ہ heh goal
        "\u06c3": "\u0647",  # ۃ teh marbuta goal
        "\u06d5": "\u0647",  # ە ae
        "\u06be": "\u0647",  # ھ heh doachashmee
        "\u0623": "\u0627",  # أ alef with hamza above
        "\u0625": "\u0627",  # إ alef with hamza below
        "\u0671": "\u0627",  # ٱ alef wasla
        "\u0622": "\u0627",  # آ alef with madda: «آب» and «اب» are typed for the same word
        "\u0624": "\u0648",  # ؤ waw with hamza
        # Persian and Arabic-Indic digits: prices and sizes are typed in either, and in Latin.
        **{digit: str(value % 10) for value, digit in enumerate("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")},
    }
)
# Harakat, hamza above/below, superscript alef, Quranic marks and tatweel: they decorate a word, never change it.
# ZWJ, bidi controls, soft hyphen and BOM are invisible and only get in the way of matching.
_DROP = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
    "\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u00ad\ufeff]"
)
# Control characters and every other kind of space separate words.
_SPACES = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# A ZWNJ only joins letters: runs collapse, and beside a space or at an edge it is a typing slip.
_ZWNJ_RUNS = re.compile(ZWNJ + "+")
_ZWNJ_LOOSE = re.compile(f"(?:^|(?<= )){ZWNJ}|{ZWNJ}(?:$|(?= ))")


def normalize(text: str) -> str:
    """Return text folded for matching: Persian letters, no diacritics, Latin digits, lower case, single spaces.

    A ZWNJ between two letters is kept (the tokenizer splits on it); everything else invisible goes.
    """
    if not text:
        return ""
    # NFKC (not just NFC) so presentation forms, ligatures and full-width letters fold to plain letters.
    text = unicodedata.normalize("NFKC", text).translate(_LETTERS)
    text = _DROP.sub("", text).casefold()
    text = _SPACES.sub(" ", text)
    text = _ZWNJ_RUNS.sub(ZWNJ, text)
    return _ZWNJ_LOOSE.sub("", text).strip(" ")


def normalize_query(text: str) -> str:
    """Return the query as it is logged: normalised, punctuation dropped, words separated by single spaces."""
    words = (match.group().strip(ZWNJ) for match in _WORD.finditer(normalize(text)))
    return " ".join(word for word in words if word)


# ---------------------------------------------------------------- stop words


def _load_stopwords() -> frozenset[str]:
    path = Path(__file__).with_name("stopwords.txt")
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            # Folded like the text they are compared with («آنها» must catch «انها» and «آنها»).
            words.add(normalize(line).replace(ZWNJ, ""))
    return frozenset(words)


STOPWORDS = _load_stopwords()

# ---------------------------------------------------------------- stemming

_MIN_STEM = 3
# «ها» is unambiguous, so it may leave two letters («گلها» → «گل»); the other suffixes need three.
_MIN_STEM_HA = 2
_PLURAL_HA = ("هایی", "های", "ها")
# Words whose ending only looks like a suffix and which stripping would merge with an unrelated word
# («شکلات» with «شکل», «صندلی» with «صندل»), or which are adjectives in «ان» («شادمانی» → «شادمان»).
_PROTECTED = frozenset(
    """
    شادمان ایران تهران زعفران گلدان لیوان فنجان استکان قلیان سوهان دندان میدان انسان باران خیابان
    زمستان تابستان ریحان مرجان ارزان قلمدان نمکدان شمعدان
    شکلات انگشتر فیلتر
    صندلی گوشی ماهی بخاری سینی قوری کرسی شیرینی سبزی ترشی
    """.split()
)
_PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")


@lru_cache(maxsize=50_000)
def stem(token: str) -> str:
    """Strip plural (ها، ان، ات), comparative (تر، ترین) and ezafe/indefinite/adjectival ی from a Persian word.

    Stripping repeats while a suffix leaves a long enough stem («کتاب‌هایی» → «کتاب»), so a word and its
    inflected forms meet. An English plural becomes singular («slippers» → «slipper»); numbers are unchanged.
    """
    word = token.replace(ZWNJ, "")
    if not _PERSIAN_LETTER.search(word):
        return english_singular(word)
    while word not in _PROTECTED:
        shorter = _strip_suffix(word)
        if shorter == word:
            break
        word = shorter
    return word


# English plurals whose singular the rules below would miss.
_ENGLISH_IRREGULAR = {
    "scarves": "scarf",
    "knives": "knife",
    "leaves": "leaf",
    "loaves": "loaf",
    "halves": "half",
    "shelves": "shelf",
    "wives": "wife",
    "women": "woman",
    "children": "child",
    "men": "man",
    "teeth": "tooth",
    "feet": "foot",
    "cookies": "cookie",
    "brownies": "brownie",
    "veggies": "veggie",
    # «oes» is dropped whole for tomatoes and potatoes; these keep their e
    "shoes": "shoe",
    "toes": "toe",
    "canoes": "canoe",
}
_ENGLISH_PLAIN = re.compile("[a-z]+")


def english_singular(word: str) -> str:
    """The singular of an English plural (light rules, for matching only: «berries» → «berry», «dishes» →
    «dish», «slippers» → «slipper»); any other word, and words of three letters or fewer, unchanged."""
    if len(word) <= 3 or not _ENGLISH_PLAIN.fullmatch(word):
        return word
    if word in _ENGLISH_IRREGULAR:
        return _ENGLISH_IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _strip_suffix(word: str) -> str:
    """The word without its outermost suffix, or the word itself."""
    for suffix in _PLURAL_HA:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM_HA:
            return word[: -len(suffix)]
    for suffix in ("ترین", "تر", "ات"):
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    if word.endswith("ان") and len(word) - 2 >= _MIN_STEM:
        word = word[:-2]
        # «دانشجویان» → «دانشجو»: after a vowel the plural brings a gliding ی that is not part of the word.
        if word.endswith(("وی", "ای")) and len(word) - 1 >= _MIN_STEM:
            word = word[:-1]
        return word
    # After a vowel the indefinite/adjectival ی is written «یی» («طلایی» → «طلا»).
    if word.endswith(("ایی", "ویی")) and len(word) - 2 >= _MIN_STEM:
        return word[:-2]
    if word.endswith("ی") and len(word) - 1 >= _MIN_STEM:
        return word[:-1]
    return word


# ---------------------------------------------------------------- tokenizer and filters

# A word: letters and digits of any script plus the marks, joiners and controls normalisation removes, so a
# harakat or a stray RLM inside a word never splits it. The underscore separates words.
_SPAN = re.compile(
    "(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u00ad\ufeff])+"
)
_WORD = re.compile(f"(?:[^\\W_]|{ZWNJ})+")
_PLAIN_WORD = re.compile(r"[^\W_]+")


class PersianTokenizer(Tokenizer):
    """Split text into normalised words; a ZWNJ-joined word («کتاب‌ها») becomes its parts.

    Each part keeps the character span of its own letters in the original text (for highlighting), and
    `t.joined` says it was attached to the previous part by a ZWNJ (the compound filter joins those).
    """

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            text = normalize(value).replace(ZWNJ, "")
            if text:
                t.text = text
                t.original = value
                t.boost = 1.0
                t.stopped = False
                t.joined = False
                t.seq = t.first_seq = 0
                if positions:
                    t.pos = start_pos
                if chars:
                    t.startchar = start_char
                    t.endchar = start_char + len(value)
                yield t
            return
        seq = 0
        for span in _SPAN.finditer(value):
            joined = False
            offset = span.start()
            for raw in span.group().split(ZWNJ):
                # Normalising a part can, rarely, make several words (NFKC spells out some ligatures).
                for piece in _normalized_pieces(raw):
                    t.text = piece
                    t.boost = 1.0
                    t.stopped = False
                    t.joined = joined
                    t.seq = t.first_seq = seq
                    if keeporiginal:
                        t.original = raw
                    if positions:
                        t.pos = start_pos + seq
                    if chars:
                        t.startchar = start_char + offset
                        t.endchar = start_char + offset + len(raw)
                    yield t
                    seq += 1
                    joined = True
                offset += len(raw) + 1


@lru_cache(maxsize=50_000)
def _normalized_pieces(raw: str) -> tuple[str, ...]:
    """The normalised word(s) of one raw word (cached: indexing meets the same words again and again)."""
    return tuple(_PLAIN_WORD.findall(normalize(raw)))


@lru_cache(maxsize=50_000)
def _normalized_token(text: str) -> str:
    return normalize(text).replace(ZWNJ, "")


class PersianNormalizeFilter(Filter):
    """Normalise each token's text for search (for tokens that did not come from PersianTokenizer)."""

    def __call__(self, tokens):
        for t in tokens:
            text = _normalized_token(t.text)
            if text:
                t.text = text
                yield t


class PersianStopFilter(Filter):
    """Drop stop words (stopwords.txt); with removestops=False mark them stopped instead, as Whoosh expects."""

    def __call__(self, tokens):
        # The list is read from the module, not pickled into the schema: editing it needs a rebuild either way.
        for t in tokens:
            if t.text in STOPWORDS:
                if t.removestops:
                    continue
                t.stopped = True
            else:
                t.stopped = False
            yield t


class CompoundFilter(Filter):
    """Make «دست‌ساز», «دستساز» and «دست ساز» meet on the solid form «دستساز».

    Indexing: after each Persian word that directly follows another (after a space or a ZWNJ), also emit the
    two written together, at the second word's position and spanning both (and, for a ZWNJ word of three
    parts or more, the whole word written solid). Querying (mode "query"): a ZWNJ word becomes only its
    solid form, which every spelling indexes, so an all-words query finds them all; words separated by a
    space stay apart (`query_groups` gives the alternatives that also meet solid compounds).
    Put it before stemming: a joined form is stemmed as the solid word would be. `mode="query"` fixes the
    query behaviour for an analyzer that is only ever used on queries, whatever mode its caller passes.
    `spaces=False` joins only the parts of ZWNJ words when indexing (for the autocomplete n-grams, where
    space-separated pairs doubled the postings for little use).
    """

    def __init__(self, mode: str = "", spaces: bool = True):
        self.mode = mode
        self.spaces = spaces

    def __call__(self, tokens):
        chain: list[tuple] = []  # the content words of the current ZWNJ word so far, as _Part tuples
        query = foreign = last = None
        for count, t in enumerate(tokens):
            last = t
            if query is None:
                query = (self.mode or t.mode) == "query"
                foreign = not hasattr(t, "seq")
            if foreign:
                # From another tokenizer: no ZWNJ parts, and every token follows the one before.
                t.seq = t.first_seq = count
                t.joined = False
            persian = not t.stopped and bool(_PERSIAN_LETTER.match(t.text))
            attached = persian and chain and t.joined and t.seq == chain[-1][1] + 1
            if query:
                if chain and not attached:
                    yield from _emit_joined(t, chain)
                    chain = []
                if persian:
                    chain.append(_part(t))
                else:
                    yield t
                continue
            # Indexing: a space-separated neighbour counts too, but only the ZWNJ chain grows past two.
            neighbour = chain[-1] if chain and persian and t.seq == chain[-1][1] + 1 else None
            if not attached and not self.__dict__.get("spaces", True):
                neighbour = None
            if not attached:
                chain = []
            part = _part(t)  # before yielding: the filters after this one change the token
            yield t
            if neighbour is not None:
                yield from _emit_joined(t, [neighbour, part])
                if len(chain) >= 2:
                    yield from _emit_joined(t, [*chain, part])
            if persian:
                chain.append(part)
            else:
                chain = []
        if query and chain:
            yield from _emit_joined(last, chain)


def _part(t: Token) -> tuple:
    """What a joined form needs of a word: text, seq, first_seq, pos, startchar, endchar."""
    return (
        t.text,
        t.seq,
        t.first_seq,
        getattr(t, "pos", None),
        getattr(t, "startchar", None),
        t.__dict__.get("endchar"),
    )


_PART_FIELDS = ("text", "seq", "first_seq", "pos", "startchar", "endchar")


def _emit_joined(t: Token, parts: list[tuple]):
    """Yield the parts written together, on the reused token object (Whoosh's way: no copies), at the last part's
    position and spanning all of them; the token's own state is restored afterwards."""
    saved = {name: t.__dict__[name] for name in _PART_FIELDS if name in t.__dict__}
    t.text = "".join(part[0] for part in parts)
    t.seq, t.first_seq = parts[-1][1], parts[0][2]
    if t.positions:
        t.pos = parts[-1][3]
    if t.chars:
        t.startchar, t.endchar = parts[0][4], parts[-1][5]
    yield t
    t.__dict__.update(saved)


class PersianStemFilter(Filter):
    """Replace each word by its light stem (see `stem`).

    When indexing, a word in «های» written solid is also indexed under its other reading: «قهوهای» is
    «قهوه» + «ای» (brown), not the plural of «قهو»; `stem` alone cannot tell them apart.
    """

    def __call__(self, tokens):
        for t in tokens:
            if t.stopped:
                yield t
                continue
            text = t.text
            t.text = stem(text)
            yield t
            if t.mode != "query":
                other = other_reading(text)
                if other is not None:
                    t.text = other
                    yield t


def other_reading(word: str) -> str | None:
    """The stem of a solid word in «های» read as a word in «ه» + «ای» («نقرهای» → «نقره»), if it differs."""
    word = word.replace(ZWNJ, "")
    if not word.endswith("های") or len(word) < 5 or not _PERSIAN_LETTER.match(word):
        return None
    other = stem(word[:-2])
    return other if other != stem(word) else None


class TruncateFilter(Filter):
    """Cut words to `size` characters: a query word longer than the longest indexed n-gram still matches it."""

    def __init__(self, size: int = 12):
        self.size = size

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text[: self.size]
            yield t


# ---------------------------------------------------------------- analyzers


class PersianAnalyzer(CompositeAnalyzer):
    """A composed analyzer with a fast path for indexing, which is most of the cost of a rebuild.

    Indexing without positions (how every field here is indexed) runs `index_terms`, one loop that
    gives the same terms as the chain of generators (a test compares them on every sample), and
    remembers the terms of short values: category paths, shop names, neighbourhoods and tags repeat
    across thousands of products. Any other call runs the chain as usual.
    """

    REMEMBER_CHARS = 200
    REMEMBER_VALUES = 20_000

    def __init__(self, *composables, index_options: dict):
        super().__init__(*composables)
        self.index_options = index_options  # the keyword arguments of index_terms that match the chain

    def __call__(self, value, **kwargs):
        if kwargs.get("mode") != "index" or kwargs.keys() - {"mode", "boosts"}:
            return super().__call__(value, **kwargs)
        return self._indexed(value, kwargs)

    def _indexed(self, value, kwargs):
        short = len(value) <= self.REMEMBER_CHARS
        remembered = self.__dict__.setdefault("_remembered", {})
        terms = remembered.get(value) if short else None
        if terms is None:
            terms = index_terms(value, **self.index_options)
            if short:
                if len(remembered) >= self.REMEMBER_VALUES:
                    remembered.clear()
                remembered[value] = terms
        token = Token(**kwargs)
        token.stopped, token.boost = False, 1.0
        for text in terms:
            token.text = text
            yield token

    def clean(self):
        """Forget the remembered values (Whoosh calls this when a writer finishes)."""
        self.__dict__.pop("_remembered", None)
        super().clean()

    def __getstate__(self):
        # The schema is pickled into the index: the remembered terms stay out of it.
        state = dict(self.__dict__)
        state.pop("_remembered", None)
        return state


def index_terms(
    value: str, *, stops: bool = True, stems: bool = True, spaces: bool = True, grams: tuple | None = None
) -> tuple[str, ...]:
    """The terms the analyzer chain gives a value when indexing, in one loop: PersianTokenizer →
    PersianNormalizeFilter → PersianStopFilter (`stops`) → CompoundFilter (`spaces`) → PersianStemFilter
    (`stems`) or NgramFilter at the start (`grams`: the smallest and largest size)."""
    out: list[str] = []

    def emit(text: str) -> None:
        if grams is not None:
            out.extend(text[:size] for size in range(grams[0], min(grams[1], len(text)) + 1))
        elif stems:
            out.append(stem(text))
            other = other_reading(text)
            if other is not None:
                out.append(other)
        else:
            out.append(text)

    chain: list[tuple[str, int]] = []  # (text, seq) of the Persian words of the current ZWNJ word
    seq = 0
    for span in _SPAN.finditer(value):
        joined = False
        for raw in span.group().split(ZWNJ):
            for piece in _normalized_pieces(raw):
                text, this, attached_to_previous = _normalized_token(piece), seq, joined
                seq, joined = seq + 1, True
                if not text or (stops and text in STOPWORDS):
                    continue
                persian = bool(_PERSIAN_LETTER.match(text))
                follows = bool(chain) and persian and this == chain[-1][1] + 1
                attached = follows and attached_to_previous
                neighbour = chain[-1] if follows and (attached or spaces) else None
                if not attached:
                    chain = []
                emit(text)
                if neighbour is not None:
                    emit(neighbour[0] + text)
                    if len(chain) >= 2:
                        emit("".join(part[0] for part in chain) + text)
                if persian:
                    chain.append((text, this))
                else:
                    chain = []
    return tuple(out)


PERSIAN = PersianAnalyzer(
    PersianTokenizer(),
    PersianNormalizeFilter(),
    PersianStopFilter(),
    CompoundFilter(),
    PersianStemFilter(),
    index_options={},
)
# Autocomplete matches what is being typed, so no stop words and no stemming: «می» may be the start of «میز».
# ZWNJ words are also indexed written solid («دست‌ساز» → «دستساز»). Longer typed words are cut to the
# longest indexed prefix.
LONGEST_PREFIX = 12
AUTOCOMPLETE = PersianAnalyzer(
    PersianTokenizer(),
    PersianNormalizeFilter(),
    CompoundFilter(spaces=False),
    NgramFilter(2, LONGEST_PREFIX, at="start"),
    index_options={"stops": False, "stems": False, "spaces": False, "grams": (2, LONGEST_PREFIX)},
)
# What is typed in the box, word by word: a ZWNJ word stays in its parts (see autocomplete_words).
AUTOCOMPLETE_QUERY = PersianTokenizer() | PersianNormalizeFilter() | TruncateFilter(LONGEST_PREFIX)
MAX_TYPED_WORDS = 6


def autocomplete_words(text: str) -> list[list[tuple[str, ...]]]:
    """For each word typed in the search box, its alternatives, any of which must match: the word written
    solid, and for a ZWNJ word also its parts together, each the start of a word of the name
    («دست‌سا» → [(دستسا,), (دست, سا)]: it finds «دستساز», «دست‌ساز» and «دست ساز»)."""
    words: list[list[str]] = []
    for t in AUTOCOMPLETE_QUERY(text):
        if t.joined and words:
            words[-1].append(t.text)
        else:
            words.append([t.text])
    found = []
    for parts in words[:MAX_TYPED_WORDS]:
        alternatives: list[tuple[str, ...]] = [("".join(parts)[:LONGEST_PREFIX],)]
        if len(parts) > 1:
            alternatives.append(tuple(parts))
        found.append(alternatives)
    return found


def analyze(text: str, *, mode: str = "query") -> list[str]:
    """The terms PERSIAN makes of a text, in order: as a query (default) or, with mode="index", as indexed."""
    if not text:
        return []
    return [t.text for t in PERSIAN(text, mode=mode)]


MAX_QUERY_WORDS = 64


def query_groups(text: str) -> list[list[str]]:
    """For each query word, the terms any of which satisfies it: the word, and the word written solid with
    its neighbour («دست ساز» → [[دست, دستساز], [ساز, دستساز]]).

    An all-words query is And(Or(group) for each group): it also finds listings that write a spaced
    compound solid, which plain `analyze` terms would miss. A solid word in «های» also offers its other
    reading («قهوهای» → قهو or قهوه). Only the first MAX_QUERY_WORDS words count (no buyer types more).
    """
    if not text:
        return []
    tokens = islice(_QUERY_WORDS(text, mode="query"), MAX_QUERY_WORDS)
    words = [(t.text, t.first_seq, t.seq) for t in tokens]
    groups, seen = [], set()
    for index, (word, _, _) in enumerate(words):
        group = [stem(word)]
        other = other_reading(word)
        if other is not None:
            group.append(other)
        for left, right in ((index - 1, index), (index, index + 1)):
            if left < 0 or right >= len(words) or words[right][1] != words[left][2] + 1:
                continue
            first, second = words[left][0], words[right][0]
            if _PERSIAN_LETTER.match(first) and _PERSIAN_LETTER.match(second):
                # Stemmed as the solid spelling is, so «گل دان» meets «گلدان».
                joined = stem(first + second)
                if joined not in group:
                    group.append(joined)
        if tuple(group) not in seen:
            seen.add(tuple(group))
            groups.append(group)
    return groups


# The query words before stemming (query_groups joins neighbours as written).
_QUERY_WORDS = PersianTokenizer() | PersianNormalizeFilter() | PersianStopFilter() | CompoundFilter()


def typed_forms(text: str) -> dict[str, str]:
    """Each query word's stem → the word as typed (normalised): what a stem was made from."""
    if not text:
        return {}
    forms: dict[str, str] = {}
    for t in islice(_QUERY_WORDS(text, mode="query"), MAX_QUERY_WORDS):
        forms.setdefault(stem(t.text), t.text)
    return forms
