"""Readings: the index's real words a query word may stand for when it is not one itself — Finglish
and English typed in Latin letters, and Persian with a dotted-letter typo. Each is found by walking an
automaton over the term dictionary of the fields a product is named by (as the fuzzy pass does), so only
words that exist are ever considered, and remembered per generation of the index (`IndexArrays.remember`).
"""

from dataclasses import dataclass

from whoosh.automata.fsa import DFA
from whoosh.codec.base import Automata

from . import finglish, lexicon
from .analysis import LONGEST_PREFIX, normalize_query, stem

# The fields whose words a reading may be (a product's name, tags, category and materials; a word found
# only in descriptions is too often something else).
READING_FIELDS = ("title", "tags", "category", "materials")
FINGLISH_MAX_WORDS = 4  # Latin words of one query read as Finglish (the first ones; bounded work per query)
FINGLISH_KEEP = 3  # readings of one Latin word searched, the cheapest first
FINGLISH_MARGIN = 1.0  # …costing at most this much more than the cheapest
MAX_MATCHES = 200  # terms one automaton may match before the walk stops (bounded work per word)
SECOND_CHOICE = 0.7  # score weight of a reading that is not the cheapest
SKELETON_WEIGHT = 0.5  # score weight of a dotted-letter variant: below the word as typed
SKELETON_KEEP = 4  # variants of one word searched, the most frequent first

# Letters that differ only by their dots (or the stroke of گ), the mistakes of a small phone keyboard: a
# word's skeleton is the word with each letter replaced by its group.
DOTTED_GROUPS = ("بپتث", "جچحخ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق", "کگ")
_GROUP_OF = {letter: group for group in DOTTED_GROUPS for letter in group}


def terms_matching(reader, names, dfa, limit: int = MAX_MATCHES) -> set[tuple[str, str]]:
    """(field, term) pairs of the indexed terms the automaton accepts, at most `limit` of them. One walk
    per field of each segment: a multi-segment reader would compare every term in Python."""
    found: set[tuple[str, str]] = set()
    for leaf, _offset in reader.leaf_readers():
        for name in names:
            cursor = leaf.cursor(leaf.schema[name].spelling_fieldname(name))
            for term in Automata.find_matches(dfa, cursor):
                found.add((name, term))
                if len(found) >= limit:
                    return found
    return found


def _frequency(reader, term: str, names=READING_FIELDS) -> int:
    return sum(reader.doc_frequency(name, term) for name in names)


# ---------------------------------------------------------------- Finglish


def finglish_terms(view, word: str) -> list[tuple[str, float]]:
    """The indexed words a Latin word may be Finglish for, with their table cost, cheapest first (then
    most frequent): at most FINGLISH_KEEP, none costing FINGLISH_MARGIN more than the cheapest. The index
    holds stems, so the automaton also walks the words of names as written (the autocomplete n-grams,
    «گاوزبان» for «gavzaban») and keeps those whose stem is indexed («گاوزب»)."""

    def compute():
        reader = view.searcher.reader()
        dfa = finglish.automaton(word)
        costs: dict[str, float] = {}
        for _name, term in terms_matching(reader, READING_FIELDS, dfa):
            costs[term] = finglish.cost(word, term) or 0.0
        for _name, written in terms_matching(reader, ("complete",), dfa):
            term = stem(written)
            if term != written and term not in costs and _frequency(reader, term):
                costs[term] = finglish.cost(word, written) or 0.0
        ranked = sorted((cost, -_frequency(reader, term), term) for term, cost in costs.items())
        if not ranked:
            return []
        cheapest = ranked[0][0]
        return [(term, cost) for cost, _freq, term in ranked[:FINGLISH_KEEP] if cost <= cheapest + FINGLISH_MARGIN]

    if not finglish.readable(word):
        return []
    return view.remember(("finglish", word), compute)


def finglish_prefixes(view, typed: str) -> list[str]:
    """The indexed beginnings of product and shop names (the autocomplete n-grams) a Latin prefix being
    typed may be Finglish for, cheapest first: at most FINGLISH_KEEP, none the start of another."""

    def compute():
        reader = view.searcher.reader()
        grams = {term for _name, term in terms_matching(reader, ("complete",), finglish.automaton(typed, True))}
        # a reading that is the start of another leaves a typed letter unwritten («gola» → «گل» beside «گلا»)
        specific = {gram for gram in grams if not any(other != gram and other.startswith(gram) for other in grams)}
        ranked = sorted(
            (finglish.cost(typed, gram, True) or 0.0, -len(gram), -reader.doc_frequency("complete", gram), gram)
            for gram in specific
        )
        return [gram for *_rest, gram in ranked[:FINGLISH_KEEP]]

    typed = typed[:LONGEST_PREFIX]
    if not finglish.readable(typed):
        return []
    return view.remember(("finglish-prefix", typed), compute)


# ---------------------------------------------------------------- English


def english_prefixes(typed: str) -> list[str]:
    """Autocomplete n-grams for an English prefix: the Persian words of the lexicon's entries it begins."""
    grams = (lexicon.index_term(word) for entry in lexicon.starting_with(typed) for word in entry.persian[:2])
    return [gram[:LONGEST_PREFIX] for gram in dict.fromkeys(grams) if gram]


# ---------------------------------------------------------------- dotted letters


def skeleton_automaton(word: str) -> DFA:
    """A DFA accepting exactly the words of the same skeleton as the word: the same letters up to their
    dots, each letter of a dotted group standing for any of the group («غسل» for «عسل»)."""
    dfa = DFA(0)
    for position, letter in enumerate(word):
        for same in _GROUP_OF.get(letter, letter):
            dfa.add_transition(position, same, position + 1)
    dfa.add_final_state(len(word))
    return dfa


def skeleton_terms(view, word: str) -> list[str]:
    """Indexed words with the same skeleton as the word (the word itself excluded): a dotted-letter typo
    anywhere in it, even the first letter, which the fuzzy pass keeps. The most frequent first."""

    def compute():
        reader = view.searcher.reader()
        terms = {term for _name, term in terms_matching(reader, READING_FIELDS, skeleton_automaton(word))}
        terms.discard(word)
        return sorted(terms, key=lambda term: (-_frequency(reader, term), term))[:SKELETON_KEEP]

    if len(word) < 2 or not any(letter in _GROUP_OF for letter in word):
        return []
    return view.remember(("skeleton", word), compute)


# ---------------------------------------------------------------- a query typed in Latin letters


@dataclass
class LatinReading:
    """A query with Latin words read as Persian: the groups to match (each Latin word's group holds the
    word itself, for English titles and category names, and its Persian readings), the score weight of
    the readings that are second choices, and the query as read, in Persian words («گلاب»)."""

    groups: list[list[str]]
    weights: dict[str, float]
    text: str


def read_latin(view, typed: str, groups: list[list[str]], surface, max_words: int) -> LatinReading | None:
    """Read the Latin words of a query (None when it has none): English through the lexicon, longest
    phrase first («rose water» → «گلاب»); any other word as Finglish, for the first FINGLISH_MAX_WORDS
    such words (a word past them is searched as typed), else as misspelt English («pistacio»). Two
    neighbouring words are also read written solid («ab ghooreh», «chador namaz» → «آبغوره», «چادرنماز»),
    as Persian compounds are. English and Finglish particles («and», «va») are left out. `surface(term)`
    shows an index term as producers write it (or None)."""
    tokens = normalize_query(typed).split()[:max_words]
    if not any(finglish.is_latin(token) for token in tokens):
        return None
    latin_groups: list[list[str]] = []
    weights: dict[str, float] = {}
    shown: list[str] = []
    budget = [FINGLISH_MAX_WORDS]  # Finglish readings left for this query
    position = 0
    while position < len(tokens):
        if not finglish.is_latin(tokens[position]):
            shown.append(tokens[position])
            position += 1
            continue
        end = position
        while end < len(tokens) and finglish.is_latin(tokens[end]):
            end += 1
        run = tokens[position:end]
        spans = [span for span in _phrases_in_index(view, run) if span[2] or run[span[0]] not in lexicon.STOPWORDS]
        run_groups = []
        for first, last, entry in spans:
            group, word_shown = _read_span(view, run[first:last], entry, weights, surface, budget)
            run_groups.append(group)
            shown.append(word_shown)
        for number in range(len(spans) - 1):  # neighbours written solid
            (first, last, _entry), (after, after_last, _next) = spans[number], spans[number + 1]
            if last - first == 1 and after_last - after == 1 and after == last and budget[0] > 0:
                budget[0] -= 1
                joined = [term for term, _cost in finglish_terms(view, run[first] + run[after])]
                run_groups[number] += joined
                run_groups[number + 1] += joined
        latin_groups += [list(dict.fromkeys(group)) for group in run_groups]
        position = end
    persian_groups = [group for group in groups if not finglish.is_latin(group[0])]
    if not latin_groups and not persian_groups:
        return None
    read_any = any(len(group) > 1 for group in latin_groups)
    return LatinReading(persian_groups + latin_groups, weights, " ".join(shown) if read_any else "")


def _phrases_in_index(view, run: list[str]) -> list[tuple[int, int, lexicon.Entry | None]]:
    """The lexicon's phrases in a run of Latin words; a phrase none of whose Persian words any product
    has is read word by word instead («gift box» → «کادویی» is nowhere, «gift» and «box» are)."""
    reader = view.searcher.reader()
    spans = []
    for first, last, entry in lexicon.phrases(run):
        if entry is not None and last - first > 1 and not any(_frequency(reader, term) for term in entry.terms):
            spans += [(word, word + 1, lexicon.lookup(run[word : word + 1])) for word in range(first, last)]
        else:
            spans.append((first, last, entry))
    return spans


def _read_span(view, words: list[str], entry, weights: dict[str, float], surface, budget: list[int]):
    """The group of one lexicon phrase or Latin word (the words themselves, as English titles and
    category names hold them, and their Persian readings) and how it is shown in Persian."""
    group = [stem("".join(words))]
    if entry is not None:
        return group + list(entry.terms), entry.persian[0]
    if budget[0] <= 0:
        return group, words[0]
    budget[0] -= 1
    readings = finglish_terms(view, words[0])
    if not readings:  # not Finglish for any indexed word: perhaps misspelt English («pistacio»)
        meant = lexicon.near(words[0])
        if meant is not None:
            return group + list(meant.terms), meant.persian[0]
    for rank, (term, cost) in enumerate(readings):
        group.append(term)
        if rank and cost > readings[0][1]:
            weights[term] = SECOND_CHOICE
    return group, (surface(readings[0][0]) or readings[0][0]) if readings else words[0]
