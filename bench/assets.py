"""What a phone downloads: a benchmark that prints numbers, never asserts.

1. Each static file as it is in git, minified, and then brotli- and gzip-compressed (core/assets.py).
2. The bytes a page costs, as transferred with `Accept-Encoding: br` (and without compression): the
   HTML plus the CSS and JS it links, on a first visit (everything) and a repeat visit (the hashed
   CSS and JS come from the browser's cache, so only the HTML). The webfont is counted apart.
3. The CPU time of compressing each page's HTML per request, at gzip 6 and brotli 4, 5 and 11 (the
   median of many runs, in CPU time of this process, so other load on the machine counts less).

Runs in-process (Flask's test client) on a temporary instance with the demo data.

    .venv/bin/python bench/assets.py
"""

import gzip
import logging
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from marketplace import create_app  # noqa: E402
from marketplace.demo.services import load_demo  # noqa: E402
from marketplace.extensions import db  # noqa: E402

ASSET_LINK = re.compile(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"')


def file_sizes(app) -> None:
    print(f"{'static file':<30} {'raw':>7} {'min':>7} {'br':>7} {'gzip':>7}")
    for asset in sorted(app.extensions["assets"].by_name.values(), key=lambda asset: asset.name):
        br, gz = asset.encodings.get("br", asset.body), asset.encodings.get("gzip", asset.body)
        print(f"{asset.name:<30} {asset.source_size:7d} {len(asset.body):7d} {len(br):7d} {len(gz):7d}")


def page_cost(client, path: str, encoding: str) -> tuple[int, int, list[str]]:
    """(first visit, repeat visit) bytes of HTML+CSS+JS as sent with this Accept-Encoding, and the files."""
    headers = {"Accept-Encoding": encoding}
    response = client.get(path, headers=headers)
    sent = response.get_data()
    html = brotli.decompress(sent) if response.headers.get("Content-Encoding") == "br" else sent
    first, names = len(sent), []
    for link in ASSET_LINK.findall(html):
        asset = client.get(link.decode(), headers=headers)
        first += len(asset.get_data())
        names.append(link.decode().rsplit("/", 1)[-1])
    return first, len(sent), names


def cpu_ms(compress, body: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        compress(body)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    logging.disable(logging.WARNING)
    instance = tempfile.mkdtemp(prefix="rooyesh-bench-assets-")
    try:
        app = create_app(
            {
                "INSTANCE_PATH": instance,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/bench.db",
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade()
            load_demo()
            db.session.commit()
        client = app.test_client()
        category = "/c/home-food"
        product = re.search(r'href="(/p/[^"]+)"', client.get(category).get_data(as_text=True))
        pages = {
            "home": "/",
            "category": category,
            "product": product[1] if product else "/",
            "storefront": "/shop/" + urllib.parse.quote("گلدوزی-مریم"),
            "search": "/search?q=" + urllib.parse.quote("گلدوزی"),
            "login": "/login",
        }

        file_sizes(app)
        font = app.extensions["assets"].by_name.get("fonts/rooyesh-sans.woff2")
        if font:
            print(f"webfont {font.hashed_name}: {len(font.body)} B, once (immutable for a year)")

        print()
        print(f"{'page (bytes)':<12} {'first, br':>10} {'repeat, br':>11} {'first, none':>12}  files")
        for name, path in pages.items():
            first, repeat, names = page_cost(client, path, "br")
            plain, _, _ = page_cost(client, path, "identity")
            print(f"{name:<12} {first:10d} {repeat:11d} {plain:12d}  {' '.join(names)}")

        print()
        compressors = {
            "gzip 6": lambda body: gzip.compress(body, 6),
            "br 4": lambda body: brotli.compress(body, quality=4),
            "br 5": lambda body: brotli.compress(body, quality=5),
            "br 11": lambda body: brotli.compress(body, quality=11),
        }
        print(f"{'compressing HTML':<18} {'raw B':>7} " + " ".join(f"{label:>17}" for label in compressors))
        for name, path in pages.items():
            body = client.get(path, headers={"Accept-Encoding": "identity"}).get_data()
            cells = []
            for label, compress in compressors.items():
                ms = cpu_ms(compress, body, runs=20 if label == "br 11" else 300)
                cells.append(f"{len(compress(body)):6d} B {ms:5.2f} ms")
            print(f"{name:<18} {len(body):7d} " + " ".join(f"{cell:>17}" for cell in cells))
        print(f"per-request setting: COMPRESS_BR_LEVEL={app.config['COMPRESS_BR_LEVEL']}")
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
