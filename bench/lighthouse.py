"""Lighthouse 12 on the public pages: a benchmark that prints numbers, never asserts.

Runs Lighthouse's default mobile form factor (Moto G Power, 412 px wide, DPR 1.75, simulated slow
4G) on home, a category, a product, a storefront and a search, and prints the four category scores,
LCP, the LCP element, the bytes transferred and what the "properly size images" audit says could
be saved. Lighthouse varies from run to run: `--runs 3` prints the median of each number.

    .venv/bin/python bench/lighthouse.py [--base http://127.0.0.1:8000] [--runs 1] [--keep DIR]
                                         [--pages home,category,product,storefront,search]

Without --base it builds a temporary instance with the demo data and starts gunicorn on a free
port (about a minute). Needs `npx` (Node) and Chromium (CHROME_PATH, else /usr/bin/chromium);
without them it says so and exits.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHOP = "/shop/" + urllib.parse.quote("گلدوزی-مریم")
SEARCH = "/search?q=" + urllib.parse.quote("ترشی")

from pages import gunicorn, load_demo, server_env  # noqa: E402 (bench/pages.py, beside this script)


def chrome_path() -> str | None:
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def first_product(base: str) -> str:
    """The first product link on the home page (demo product ids depend on the load order)."""
    html = urllib.request.urlopen(base + "/", timeout=10).read().decode()
    found = re.search(r'href="(/p/\d+/[^"]+)"', html)
    return found.group(1) if found else "/"


def lighthouse(url: str, chrome: str, attempts: int = 3) -> dict:
    """One Lighthouse run (mobile, simulated throttling); the parsed JSON report. Chromium now and
    then fails to start or to connect: such a run is tried again."""
    for attempt in range(1, attempts + 1):
        with tempfile.TemporaryDirectory() as folder:
            report = Path(folder) / "report.json"
            done = subprocess.run(
                [
                    "npx",
                    "-y",
                    "lighthouse@12",
                    url,
                    "--output=json",
                    f"--output-path={report}",
                    "--only-categories=" + ",".join(CATEGORIES),
                    "--chrome-flags=--headless=new --no-sandbox",
                    "--quiet",
                ],
                env={**os.environ, "CHROME_PATH": chrome},
                capture_output=True,
                text=True,
            )
            if done.returncode == 0 and report.exists():
                return json.loads(report.read_text())
            if attempt == attempts:
                raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")
    raise AssertionError("unreachable")


def summary(report: dict) -> dict:
    """The numbers printed for one run."""
    audits = report["audits"]
    element = audits.get("largest-contentful-paint-element", {}).get("details", {})
    snippet = ""
    for item in element.get("items", []):
        for row in item.get("items", []):
            node = row.get("node") or {}
            snippet = snippet or node.get("snippet", "")
    saving = (audits.get("uses-responsive-images", {}).get("details") or {}).get("overallSavingsBytes", 0)
    return {
        **{name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000,
        "kib": audits["total-byte-weight"]["numericValue"] / 1024,
        "img_save_kib": saving / 1024,
        "lcp_element": re.sub(r"\s+", " ", snippet)[:70],
    }


def median_summary(runs: list[dict]) -> dict:
    merged = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "lcp_element"}
    return {**merged, "lcp_element": runs[-1]["lcp_element"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a running server, e.g. http://127.0.0.1:8000 (else one is started)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is printed")
    parser.add_argument("--keep", help="instance folder to build (and keep) when starting a server")
    parser.add_argument("--pages", default="home,category,product,storefront,search", help="comma-separated")
    args = parser.parse_args()

    chrome = chrome_path()
    if not shutil.which("npx") or chrome is None:
        print("skipped: Lighthouse needs npx (Node.js) and Chromium (set CHROME_PATH)")
        return

    with contextlib.ExitStack() as cleanup:
        base = args.base
        if not base:  # a temporary instance with the demo data behind gunicorn (2 workers), as bench/pages.py
            instance = args.keep or tempfile.mkdtemp(prefix="rooyesh-lighthouse-")
            if not args.keep:
                cleanup.callback(shutil.rmtree, instance, ignore_errors=True)
            env = server_env(instance, None)
            load_demo(env)
            base = cleanup.enter_context(gunicorn("wsgi:app", env, workers=2))
        pages = {
            "home": "/",
            "category": "/c/home-food",
            "product": first_product(base),
            "storefront": SHOP,
            "search": SEARCH,
        }
        print(f"Lighthouse 12, mobile (simulated slow 4G), {args.runs} run(s) per page, median, against {base}")
        header = (
            f"{'page':<11} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'FCP s':>6} {'LCP s':>6} {'KiB':>6}"
            f" {'img save':>8}  LCP element"
        )
        print(header)
        print("-" * len(header))
        for name, path in pages.items():
            if name not in args.pages.split(","):
                continue
            row = median_summary([summary(lighthouse(base + path, chrome)) for _ in range(args.runs)])
            print(
                f"{name:<11} {row['performance']:>4.0f} {row['accessibility']:>4.0f} {row['best-practices']:>4.0f}"
                f" {row['seo']:>4.0f} {row['fcp_s']:>6.2f} {row['lcp_s']:>6.2f} {row['kib']:>6.0f}"
                f" {row['img_save_kib']:>8.0f}  {row['lcp_element']}"
            )


if __name__ == "__main__":
    main()
