"""The English→Persian lexicon file (marketplace/search/lexicon_en.txt) keeps its format:
`english key<TAB>persian word | persian word | ...`, `#` comments and blank lines."""

import re
from pathlib import Path

import marketplace.search

LEXICON = Path(marketplace.search.__file__).with_name("lexicon_en.txt")
ZWNJ = "\u200c"
# The Persian alphabet as producers type it (ی and ک, never ي or ك), hamza seats included; no diacritics.
LETTERS = "ءآأؤئابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
WORD = re.compile(f"[{LETTERS}]+(?:{ZWNJ}[{LETTERS}]+)*")
KEY = re.compile("[a-z]+(?: [a-z]+){0,2}")


def entries() -> list[tuple[int, str, list[str]]]:
    """(line number, key, values) of every entry line."""
    found = []
    for number, line in enumerate(LEXICON.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assert line.count("\t") == 1, f"line {number}: one tab between key and values: {line!r}"
        key, values = line.split("\t")
        found.append((number, key, [value.strip() for value in values.split("|")]))
    return found


def test_keys_are_lower_case_ascii_phrases_of_up_to_three_words_and_unique():
    seen: dict[str, int] = {}
    for number, key, _values in entries():
        assert KEY.fullmatch(key), f"line {number}: key {key!r}"
        assert key not in seen, f"line {number}: {key!r} is also on line {seen[key]}"
        seen[key] = number


def test_values_are_single_persian_words_in_canonical_letters():
    for number, key, values in entries():
        assert values and all(values), f"line {number}: empty value for {key!r}"
        assert len(values) == len(set(values)), f"line {number}: a value repeats for {key!r}"
        for value in values:
            assert "ي" not in value and "ك" not in value, f"line {number}: Arabic yeh or kaf in {value!r}"
            assert WORD.fullmatch(value), f"line {number}: {value!r} is not one Persian word"


def test_the_lexicon_is_large_enough():
    assert len(entries()) >= 300
