"""Page throughput and weight under gunicorn: a benchmark that prints numbers, never asserts.

Starts gunicorn (2 workers, like a small production box) on a temporary instance with the demo
data, sends a bounded number of requests from a few client threads on 127.0.0.1, and prints
requests per second, median and 95th-percentile latency, and each page's HTML+CSS+JS weight.

    .venv/bin/python bench/pages.py [--requests 400] [--concurrency 8] [--workers 2]
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/c/home-food", "/shop/" + urllib.parse.quote("گلدوزی-مریم"), "/login", "/healthz"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
    return time.perf_counter() - started, len(body)


def page_weight(base: str, path: str) -> int:
    """Bytes of the HTML plus the CSS and JS it links (the font and images are counted apart)."""
    html = urllib.request.urlopen(base + path, timeout=10).read()
    total = len(html)
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        total += len(urllib.request.urlopen(base + asset.decode(), timeout=10).read())
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    instance = tempfile.mkdtemp(prefix="rooyesh-bench-")
    env = {**os.environ, "MARKETPLACE_INSTANCE": instance, "FLASK_APP": "wsgi"}
    env.pop("DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo", "load"], cwd=ROOT, env=env, check=True, capture_output=True)
    # as `make run` does: the index is built at start-up, never by a request
    subprocess.run([*flask, "search", "sync"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        font = ROOT / "static" / "fonts" / "rooyesh-sans.woff2"
        print(
            f"gunicorn {args.workers} workers, {args.concurrency} client threads, {args.requests} requests a page, "
            f"{os.cpu_count()} CPUs, SQLite"
        )
        print(f"webfont (WOFF2, cached after the first page): {font.stat().st_size / 1024:.1f} KB")
        print(f"{'page':<16} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'HTML+CSS+JS KB':>15}")
        for path in PAGES:
            for _ in range(20):  # warm up both workers
                fetch(base + path)
            started = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                timings = [t for t, _ in pool.map(fetch, [base + path] * args.requests)]
            elapsed = time.perf_counter() - started
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            shown, median = urllib.parse.unquote(path)[:16], statistics.median(timings)
            print(
                f"{shown:<16} {args.requests / elapsed:8.0f} {median * 1000:8.1f} "
                f"{p95 * 1000:8.1f} {page_weight(base, path) / 1024:15.1f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
