"""Hostile input: how long the worst inputs take. A benchmark that prints numbers, never asserts.

The tests check that hostile text never raises and does no more database work than a real query;
the time it takes is measured here, against the budgets the tests used to assert: each analyzer
call on a hostile text within 200 ms, each request with a hostile query within 2 s, and a photo
whose header claims 48 megapixels refused within 2 s (from its header, before decoding).

    .venv/bin/python bench/hostile.py [--runs 5]
"""

import argparse
import shutil
import struct
import sys
import tempfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import call_times_ms  # noqa: E402  (bench/timing.py, beside this script)

from marketplace import create_app  # noqa: E402
from marketplace.core.images import ImageRejected, load_upload  # noqa: E402
from marketplace.search.analysis import (  # noqa: E402
    AUTOCOMPLETE,
    PERSIAN,
    analyze,
    autocomplete_words,
    normalize,
    normalize_query,
    query_groups,
)

# The texts of tests/search/test_analysis.py (HOSTILE) and tests/search/test_routes.py.
TEXTS = {
    "10k Persian characters": "کیف چرمی دست\u200cدوز " * 500,
    "10k Latin letters": "x" * 10_000,
    "10k ZWNJ": "\u200c" * 10_000,
    "10k harakat": "\u064e" * 10_000,
    "punctuation": ".,;:!?()[]{}«»،؛؟-_/\\|@#$%^&*+=~`'\"",
    "emoji": "😀👜🧵 کیف 😀",
    "control characters": "\x00\x01\x07\x1b\x7f\u2028\u2029 کیف\tچرم\r\n",
    "mixed scripts": "کیف bag сумка 包 حقيبة ١٢ 12 ۱۲",
    "bidi marks": "\u202bکیف\u202c\u200f چرم\u200e",
    "ligatures": "\ufdfc \ufefb \uff2b\uff29\uff26",
    "query syntax": "AND OR NOT title:کیف* ~~~~2 %_\\",
}
ANALYZERS = {
    "normalize": normalize,
    "normalize_query": normalize_query,
    "analyze": analyze,
    "query_groups": query_groups,
    "autocomplete (index)": lambda text: list(AUTOCOMPLETE(text, mode="index")),
    "autocomplete_words": autocomplete_words,
    "persian (positions, chars)": lambda text: list(PERSIAN(text, positions=True, chars=True, mode="index")),
}
ANALYZER_BUDGET_MS = 200
REQUEST_BUDGET_MS = 2000
HEADER_CHECK_BUDGET_MS = 2000


def worst_ms(action, runs: int) -> float:
    """The slowest of `runs` calls of `action` (after one warm-up call), in milliseconds."""
    return max(call_times_ms(action, runs))


def slowest(call, runs: int) -> tuple[str, float]:
    """(label, ms) of the text on which `call(text)` is slowest."""
    return max(
        ((label, worst_ms(lambda text=text: call(text), runs)) for label, text in TEXTS.items()), key=lambda p: p[1]
    )


def get(client, path: str, text: str) -> None:
    """One request with a hostile query and nonsense filters; it must still answer 200."""
    response = client.get(path, query_string={"q": text, "page": "x", "min_price": "abc", "sort": "evil"})
    assert response.status_code == 200, (path, response.status_code)  # a broken benchmark, not a measurement


def verdict(ms: float, budget: float) -> str:
    return f"{ms:8.1f} ms  {'within' if ms <= budget else 'OVER'} {budget:.0f} ms"


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height pixels but whose data is a few bytes."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(64))) + chunk(b"IEND", b"")
    )


def refuse_big_header() -> None:
    try:
        load_upload(png_header_only(8000, 6000), max_bytes=15 * 2**20, max_pixels=40_000_000)
    except ImageRejected as error:
        assert error.reason == "too_many_pixels", error.reason  # a broken benchmark, not a measurement
    else:
        raise SystemExit("the 48 MP header was not refused")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    print(f"analyzer calls, slowest of {args.runs} runs per text (budget {ANALYZER_BUDGET_MS} ms each)")
    for name, function in ANALYZERS.items():
        label, ms = slowest(function, args.runs)
        print(f"  {name:28} {verdict(ms, ANALYZER_BUDGET_MS)}  (worst: {label})")

    instance = tempfile.mkdtemp(prefix="rooyesh-bench-hostile-")
    try:
        app = create_app({"INSTANCE_PATH": instance, "RATELIMIT_ENABLED": False, "SEARCH_LOG_ENABLED": False})
        from flask_migrate import upgrade

        from marketplace.search import index

        with app.app_context():
            upgrade()
            index.rebuild(app)
        client = app.test_client()
        print(f"\nrequests with a hostile query, slowest of {args.runs} runs per text (budget {REQUEST_BUDGET_MS} ms)")
        for path in ("/search", "/api/v1/search", "/api/v1/autocomplete"):
            label, ms = slowest(lambda text, path=path: get(client, path, text), args.runs)
            print(f"  {path:28} {verdict(ms, REQUEST_BUDGET_MS)}  (worst: {label})")
    finally:
        shutil.rmtree(instance, ignore_errors=True)

    print("\nupload refusals")
    print(f"  {'48 MP header, refused':28} {verdict(worst_ms(refuse_big_header, args.runs), HEADER_CHECK_BUDGET_MS)}")


if __name__ == "__main__":
    main()
