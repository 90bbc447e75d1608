"""Producer action times in the shop wizard: a benchmark that prints numbers, never asserts.

Drives the wizard in-process (Flask's test client, a fresh SQLite instance, a cold brand cache)
the way her phone does: each form she sends, the page the redirect lands on, and each image that
page asks for. Each run uses a new producer and shop name, so nothing is served from an earlier
run's cache; the median over runs is printed, with the worst image per page.

    .venv/bin/python bench/producer_actions.py [--runs 3]
"""

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from marketplace import create_app  # noqa: E402
from marketplace.accounts import services as accounts  # noqa: E402
from marketplace.branding.palette import CURATED  # noqa: E402
from marketplace.extensions import db  # noqa: E402

PASSWORD = "saffron and turquoise"  # noqa: S105 (a bench account in a temporary database)
NAMES = ["گلدوزی مریم", "سفالگری خانگی سیدی", "ترشی و مربای خانگی مادربزرگ", "چرم دست‌دوز حمیده", "بافتنی زهرا"]
STORY = "من مریم هستم و گلدوزی روی روسری درست می‌کنم. " * 8


def timed(samples: dict, label: str, call):
    """Call, record the wall time under label (ms), return the response."""
    started = time.perf_counter()
    response = call()
    samples[label].append((time.perf_counter() - started) * 1000)
    assert response.status_code < 400, f"{label}: HTTP {response.status_code}"
    return response


def images(html: str, prefix: str) -> list[str]:
    """The src of every <img> on the page whose path starts with prefix."""
    return [
        src.replace("&amp;", "&") for src in re.findall(r'<img[^>]*\ssrc="([^"]+)"', html) if src.startswith(prefix)
    ]


def one_run(app, run: int, samples: dict) -> None:
    phone = f"+98915900{run:04d}"
    with app.app_context():
        accounts.create_user(phone, "مریم رضایی", PASSWORD, roles={"buyer", "producer"})
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"phone": phone, "password": PASSWORD})
    name = NAMES[run % len(NAMES)] + f" {run}" * (run >= len(NAMES))
    timed(
        samples,
        "name: save",
        lambda: client.post(
            "/dashboard/shop/setup/name", data={"craft": "گلدوزی", "neighbourhood": "گلشهر", "name": name}
        ),
    )
    timed(samples, "story: page", lambda: client.get("/dashboard/shop/setup/story"))
    timed(
        samples,
        "story: save",
        lambda: client.post(
            "/dashboard/shop/setup/story", data={"tagline": "گلدوزی با نقش‌های مادربزرگ", "story": STORY}
        ),
    )
    timed(samples, "colours: page", lambda: client.get("/dashboard/shop/setup/colours"))
    palette = CURATED[run % len(CURATED)]
    timed(
        samples,
        "colours: save",
        lambda: client.post(
            "/dashboard/shop/setup/colours", data={"choice": palette.code, **palette.palette.as_dict()}
        ),
    )
    page = timed(samples, "logo: page", lambda: client.get("/dashboard/shop/setup/logo")).get_data(as_text=True)
    sources = images(page, "/dashboard/shop/logo-candidates/")
    worst = 0.0
    for src in sources:
        started = time.perf_counter()
        assert client.get(src).status_code == 200
        worst = max(worst, (time.perf_counter() - started) * 1000)
    samples[f"logo: worst of {len(sources)} candidate images"].append(worst)
    candidate = re.findall(r'name="candidate" value="([^"]+)"', page)[1]
    timed(samples, "logo: choose", lambda: client.post("/dashboard/shop/setup/logo", data={"candidate": candidate}))
    page = timed(samples, "kit: page", lambda: client.get("/dashboard/shop/setup/kit")).get_data(as_text=True)
    sources = images(page, "/dashboard/shop/kit/")
    worst, total = 0.0, 0.0
    for src in sources:
        started = time.perf_counter()
        assert client.get(src).status_code == 200
        spent = (time.perf_counter() - started) * 1000
        worst, total = max(worst, spent), total + spent
    samples[f"kit: worst of {len(sources)} preview images"].append(worst)
    samples[f"kit: all {len(sources)} preview images, one after another"].append(total)
    timed(samples, "kit: continue", lambda: client.post("/dashboard/shop/setup/kit", data={}))
    timed(
        samples,
        "social: save and send",
        lambda: client.post("/dashboard/shop/setup/social", data={"instagram": "golduzi_maryam", "action": "submit"}),
    )
    timed(samples, "dashboard: page", lambda: client.get("/dashboard"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="rooyesh-bench-actions-")
    try:
        app = create_app(
            {
                "INSTANCE_PATH": instance,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/bench.db",
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "SEARCH_SYNC_AFTER_REQUEST": False,
            }
        )
        with app.app_context():
            upgrade()
        samples: dict[str, list[float]] = defaultdict(list)
        one_run(app, 99, defaultdict(list))  # warm-up: fonts, templates, imports
        for run in range(args.runs):
            one_run(app, run, samples)
        print(f"producer actions, in-process, cold brand cache, median of {args.runs} runs (ms)")
        for label, values in samples.items():
            print(f"  {label:48} {statistics.median(values):8.1f}")
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
