"""Finglish: Persian written in Latin letters («golab», «sabzi khoshk»), read back as Persian spellings.

The table in finglish.tsv says which Persian letters each Latin letter or group may stand for, where in a
word, and at what cost. A typed word becomes the set of its readings: the paths through the word along
the table's groups (`edges`). `automaton` accepts every reading, so walking it over the index's term
dictionary finds the readings that are real words without listing the others (a word of ten letters has
thousands); `cost` ranks those few. Nothing here knows the index: readings.py walks it.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from whoosh.automata.fsa import EPSILON, NFA

TABLE_FILE = Path(__file__).with_name("finglish.tsv")
PLACES = ("any", "start", "middle", "end")
VOWELS = frozenset("aeiouâāé")
LATIN_WORD = re.compile("[a-zâāé]+")
MAX_LETTERS = 16  # a longer Latin word is not read as Finglish (bounded work per word)


@dataclass(frozen=True)
class Edge:
    """Latin letters start..end of the word may be written `persian` (may be empty) at `cost`."""

    start: int
    end: int
    persian: str
    cost: float


def load_table(path: Path = TABLE_FILE) -> dict[str, list[tuple[str, tuple[tuple[str, float], ...]]]]:
    """Latin group → [(where, ((persian, cost), ...)), ...] from the table file; ValueError names a bad line."""
    table: dict[str, list[tuple[str, tuple[tuple[str, float], ...]]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        try:
            latin, where, spellings = line.split("\t")
            options = []
            for option in spellings.split():
                persian, cost = option.rsplit(":", 1)
                options.append(("" if persian == "-" else persian, float(cost)))
        except ValueError as error:
            raise ValueError(f"{path.name} line {number}: {line!r}") from error
        if where not in PLACES or not LATIN_WORD.fullmatch(latin) or not options:
            raise ValueError(f"{path.name} line {number}: {line!r}")
        table.setdefault(latin, []).append((where, tuple(options)))
    return table


TABLE = load_table()
LONGEST_GROUP = max(len(latin) for latin in TABLE)


def is_latin(word: str) -> bool:
    """A word of Latin letters only (as the analyzer leaves it: lower case)."""
    return bool(LATIN_WORD.fullmatch(word))


def _fits(where: str, start: int, end: int, length: int, prefix: bool) -> bool:
    at_start, at_end = start == 0, end == length and not prefix
    if where == "start":
        return at_start
    if where == "end":
        return at_end
    if where == "middle":
        return not at_start and not at_end
    return True


@lru_cache(maxsize=4096)
def edges(word: str, prefix: bool = False) -> tuple[Edge, ...]:
    """Every way a group of the word's letters may be written, by the table. With `prefix`, the word is
    the start of a longer one being typed: no group counts as its end."""
    found = []
    for start in range(len(word)):
        if start and word[start] == word[start - 1] and word[start] not in VOWELS:
            found.append(Edge(start, start + 1, "", 0.0))  # «morabba»: a doubled consonant is one letter
        for end in range(start + 1, min(start + LONGEST_GROUP, len(word)) + 1):
            for where, options in TABLE.get(word[start:end], ()):
                if _fits(where, start, end, len(word), prefix):
                    found.extend(Edge(start, end, persian, cost) for persian, cost in options)
    return tuple(found)


@lru_cache(maxsize=1024)
def automaton(word: str, prefix: bool = False):
    """A DFA over Persian letters accepting every reading of the word (whoosh's automata, as its fuzzy
    terms use): states 0..len(word) are the Latin letters read so far, plus one per letter of longer
    spellings."""
    nfa = NFA(0)
    state = len(word)
    for edge in edges(word, prefix):
        if not edge.persian:
            nfa.add_transition(edge.start, EPSILON, edge.end)
            continue
        source = edge.start
        for position, letter in enumerate(edge.persian):
            if position == len(edge.persian) - 1:
                target = edge.end
            else:
                state += 1
                target = state
            nfa.add_transition(source, letter, target)
            source = target
    nfa.add_final_state(len(word))
    return nfa.to_dfa()


def cost(word: str, persian: str, prefix: bool = False) -> float | None:
    """The cheapest way the table reads the Latin word as this Persian spelling, or None if it can't."""
    by_start: dict[int, list[Edge]] = {}
    for edge in edges(word, prefix):
        by_start.setdefault(edge.start, []).append(edge)
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    for start in range(len(word)):  # every edge moves forward in the word: one pass in order suffices
        for (_at, written), so_far in [(key, value) for key, value in best.items() if key[0] == start]:
            for edge in by_start.get(start, ()):
                if persian.startswith(edge.persian, written):
                    key = (edge.end, written + len(edge.persian))
                    if so_far + edge.cost < best.get(key, float("inf")):
                        best[key] = so_far + edge.cost
    return best.get((len(word), len(persian)))


def readable(word: str) -> bool:
    """A word worth reading as Finglish: Latin letters only, two to MAX_LETTERS of them."""
    return 2 <= len(word) <= MAX_LETTERS and is_latin(word)
