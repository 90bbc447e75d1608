"""The English lexicon: the words buyers abroad type for these crafts and foods, and the Persian words
producers write for them (lexicon_en.txt, curated by hand), so «rosewater» also searches «گلاب»."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from whoosh.support.levenshtein import damerau_levenshtein

from .analysis import ZWNJ, english_singular, normalize, stem

LEXICON_FILE = Path(__file__).with_name("lexicon_en.txt")
LONGEST_PHRASE = 3  # words in the longest English key
MAX_PREFIX_KEYS = 4  # autocomplete: English words a typed prefix may be the start of
# English words a query may hold that are not things: left out of the reading (never required to match).
STOPWORDS = frozenset(
    "a an the and or of for with in on by to from at as made set piece pcs pc x".split()
    # Finglish particles: «va» (و), «ba» (با), «az» (از), «baraye» (برای), «ye»/«yek» (یک)
    + "va o ba az baraye ye yek ke".split()
)


@dataclass(frozen=True)
class Entry:
    """An English key and its Persian words: as producers write them, and as the index holds them."""

    english: str
    persian: tuple[str, ...]
    terms: tuple[str, ...]


def key_of(words: list[str] | tuple[str, ...]) -> str:
    """How a key is looked up: lower case, each word singular («Felt Slippers» → "felt slipper")."""
    return " ".join(english_singular(word) for word in normalize(" ".join(words)).split())


def index_term(persian: str) -> str:
    """The term the index holds for a Persian word, written solid as compounds are («دست‌ساز» → «دستساز»)."""
    return stem(normalize(persian).replace(ZWNJ, "").replace(" ", ""))


@lru_cache(maxsize=1)
def entries() -> dict[str, Entry]:
    """Every entry by key (`key_of` the English); a later line with the same key adds its words."""
    found: dict[str, Entry] = {}
    for number, line in enumerate(LEXICON_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        english, separator, persian = line.partition("\t")
        words = tuple(word.strip() for word in persian.split("|") if word.strip())
        if not separator or not english.strip() or not words:
            raise ValueError(f"{LEXICON_FILE.name} line {number}: {line!r}")
        key = key_of(english.split())
        before = found.get(key)
        words = tuple(dict.fromkeys((before.persian if before else ()) + words))
        terms = tuple(dict.fromkeys(index_term(word) for word in words))
        found[key] = Entry(english.strip().lower(), words, terms)
    return found


def lookup(words: list[str]) -> Entry | None:
    """The entry for these English words as typed (plural or singular, any case), or None."""
    return entries().get(key_of(words))


NEAR_MIN_LETTERS = 5  # shorter English words are not corrected (too many words are one letter apart)


@lru_cache(maxsize=4096)
def near(word: str) -> Entry | None:
    """The entry of a one-word key a misspelt English word was meant as («pistacio» → pistachio): one
    edit away (two from eight letters), the closest, then the shortest; None for short or unknown words.
    Keys are found by the deletions they share with the word (the SymSpell way), then measured."""
    word = english_singular(word)
    if len(word) < NEAR_MIN_LETTERS:
        return None
    allowed = 2 if len(word) >= 8 else 1
    known = entries()
    by_deletion = _keys_by_deletion()
    candidates = {key for variant in _deletions(word, allowed) for key in by_deletion.get(variant, ())}
    scored = sorted((damerau_levenshtein(key, word), len(key), key) for key in candidates)
    return known[scored[0][2]] if scored and scored[0][0] <= allowed else None


def _deletions(word: str, depth: int) -> set[str]:
    """The word and every string made from it by deleting up to `depth` letters."""
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {text[:i] + text[i + 1 :] for text in frontier for i in range(len(text))}
        found |= frontier
    return found


@lru_cache(maxsize=1)
def _keys_by_deletion() -> dict[str, list[str]]:
    """Every deletion variant of the one-word keys → the keys (two deletions from six letters: such a key
    may be two edits from a word of eight)."""
    found: dict[str, list[str]] = {}
    for key in entries():
        if " " not in key:
            for variant in _deletions(key, 2 if len(key) >= 6 else 1):
                found.setdefault(variant, []).append(key)
    return found


def phrases(words: list[str]) -> list[tuple[int, int, Entry | None]]:
    """The query's Latin words cut into the longest keys the lexicon knows, left to right:
    (first, end, entry) spans; a word it doesn't know is a span of its own with entry None."""
    spans, start = [], 0
    while start < len(words):
        for length in range(min(LONGEST_PHRASE, len(words) - start), 0, -1):
            entry = lookup(words[start : start + length])
            if entry is not None or length == 1:
                spans.append((start, start + length, entry))
                start += length
                break
    return spans


def starting_with(prefix: str) -> list[Entry]:
    """Entries whose English starts with the typed prefix (shortest first), for autocomplete."""
    prefix = " ".join(normalize(prefix).split())
    if len(prefix) < 2:
        return []
    found = [entry for key, entry in entries().items() if key.startswith(prefix) or entry.english.startswith(prefix)]
    found.sort(key=lambda entry: (len(entry.english), entry.english))
    return found[:MAX_PREFIX_KEYS]
