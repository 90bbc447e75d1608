"""Highlights: the buyer's words marked in titles and snippets; everything else HTML-escaped."""

import re
from functools import lru_cache

from markupsafe import Markup, escape

from .analysis import analyze


@lru_cache(maxsize=20_000)
def _analyze_word(word: str) -> frozenset:
    return frozenset(analyze(word))


_WORD = re.compile(r"[\w\u200c]+")
SNIPPET_WORDS = 24


def highlight_text(text: str, terms: set[str]) -> Markup:
    """The text HTML-escaped, with every word whose analysis meets `terms` wrapped in <mark>."""
    out = []
    position = 0
    for match in _WORD.finditer(text):
        out.append(escape(text[position : match.start()]))
        word = match.group()
        if _analyze_word(word) & terms:
            out.append(Markup("<mark>") + escape(word) + Markup("</mark>"))
        else:
            out.append(escape(word))
        position = match.end()
    out.append(escape(text[position:]))
    return Markup("").join(out)


def snippet(text: str, terms: set[str]) -> Markup:
    """About SNIPPET_WORDS words of the text around its first matching word, highlighted."""
    text = text[:1500]
    words = text.split()
    first = next((n for n, word in enumerate(words) if _analyze_word(word.strip(".,،:;!?()«»")) & terms), None)
    if first is None:
        return Markup("")
    start = max(0, first - SNIPPET_WORDS // 3)
    chunk = " ".join(words[start : start + SNIPPET_WORDS])
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return escape(prefix) + highlight_text(chunk, terms) + escape(suffix)


def highlight(product, terms: set[str]) -> dict:
    """The product's titles marked and a snippet of each description around the first matching word
    (Persian, and the English ones the English locale shows: "title_en", "snippet_en")."""
    terms = set(terms)
    return {
        "title": highlight_text(product.title, terms),
        "snippet": snippet(product.description or "", terms),
        "title_en": highlight_text(product.title_en, terms),
        "snippet_en": snippet(product.description_en, terms),
    }
