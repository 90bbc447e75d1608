"""Branding render times: a benchmark that prints numbers, never asserts.

Renders the logo candidates (all eight at 1024 px, then each style and font alone) and the whole
brand kit, for a short and a long Persian shop name, and prints the median of several runs.

    .venv/bin/python bench/branding.py [--runs 7] [--size 1024]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402
from timing import call_times_ms  # noqa: E402  (bench/timing.py, beside this script)

from marketplace.branding.fonts import available_fonts  # noqa: E402
from marketplace.branding.kit import KIT_ITEMS, KitInputs, render_kit  # noqa: E402
from marketplace.branding.logo import STYLES, default_fonts, render_logo, render_logo_candidates  # noqa: E402
from marketplace.branding.palette import curated  # noqa: E402

NAMES = {
    "short": "گلدوزی مریم",
    "long": "ترشی و مربای خانگی مادربزرگ از محلهٔ خواجه ربیع",
}


def median_ms(action, runs: int) -> float:
    """Median wall time of `action` over `runs` calls, in milliseconds (after one warm-up call)."""
    return statistics.median(call_times_ms(action, runs))


def sample_photo() -> Image.Image:
    """A 12-megapixel stand-in for a phone photo."""
    photo = Image.new("RGB", (4000, 3000), "#c98b4f")
    draw = ImageDraw.Draw(photo)
    for x in range(0, 4000, 250):
        draw.ellipse((x, 900, x + 900, 1800), fill="#7a3b1f" if x % 500 else "#e6c38f")
    return photo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args()

    started = time.perf_counter()
    fonts = available_fonts()
    print(f"font discovery (first call, cached after): {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"fonts: {', '.join(font.key for font in fonts)}")
    palette = curated("turquoise").palette
    photo = sample_photo()

    for label, name in NAMES.items():
        print(f"\n{label} name «{name}» ({len(name)} characters), median of {args.runs} runs")
        total = median_ms(lambda name=name: render_logo_candidates(name, palette, args.size), args.runs)
        print(f"  logo candidates, all {len(STYLES) * 2} at {args.size} px: {total:7.1f} ms")
        for face in default_fonts():
            for style in STYLES:
                each = median_ms(
                    lambda name=name, style=style, face=face: render_logo(style, name, palette, face, args.size),
                    args.runs,
                )
                print(f"    {style:9} {face.key:12} {each:7.1f} ms")
        logo = render_logo("badge", name, palette, default_fonts()[0], args.size).image
        for with_photo in (False, True):
            inputs = KitInputs(
                logo=logo,
                shop_name=name,
                tagline="سوزن‌دوزی و گلدوزی دست‌ساز، مشهد",
                contact="۰۹۱۵ ۱۲۳ ۴۵۶۷ — @golduzi.maryam",
                storefront_url="https://rooyesh.example/shop/گلدوزی-مریم",
                palette=palette,
                photo=photo if with_photo else None,
                price_text="۴۸۰٬۰۰۰ تومان" if with_photo else None,
            )
            kit = median_ms(lambda inputs=inputs: render_kit(inputs), args.runs)
            print(f"  whole kit ({len(KIT_ITEMS)} images{', 12 MP photo' if with_photo else ''}): {kit:7.1f} ms")


if __name__ == "__main__":
    main()
