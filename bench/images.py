"""Image pipeline time: a benchmark that prints numbers, never asserts.

Builds a synthetic 12-megapixel phone photo (4000×3000: gradients, shapes and grain, with EXIF and
GPS like a phone's), saves it as JPEG, PNG, WebP and HEIC, and times the whole upload pipeline
(check, decode, turn upright, strip, three WebP variants, dominant colour) on each: the median of
several runs, each into an empty uploads folder so nothing is skipped as already stored; and the
peak memory of one upload in a fresh process (its whole peak RSS, and what the upload added). The JPEG
runs twice: as process_upload does it (draft() decoding at reduced scale) and fully decoded.

    .venv/bin/python bench/images.py [--runs 5]
"""

import argparse
import io
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marketplace import config  # noqa: E402
from marketplace.core import images  # noqa: E402

SIZE = (4000, 3000)


def synthetic_photo() -> Image.Image:
    """Photo-like content: smooth colour gradients, a few soft shapes, and sensor grain."""
    width, height = SIZE
    horizontal = Image.linear_gradient("L").rotate(90).resize(SIZE)
    vertical = Image.linear_gradient("L").resize(SIZE)
    radial = Image.radial_gradient("L").resize(SIZE)
    image = Image.merge("RGB", (horizontal, vertical, radial))
    draw = ImageDraw.Draw(image)
    rnd = random.Random(7)
    for _ in range(40):
        x, y, r = rnd.randrange(width), rnd.randrange(height), rnd.randrange(80, 600)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(6))
    # Texture that survives downscaling (cloth, wood, clay), then fine sensor grain.
    texture = Image.frombytes("RGB", (width // 4, height // 4), rnd.randbytes(width * height * 3 // 16))
    image = Image.blend(image, texture.resize(SIZE, Image.Resampling.BICUBIC), 0.2)
    grain = Image.frombytes("L", SIZE, rnd.randbytes(width * height)).convert("RGB")
    return Image.blend(image, grain, 0.06)


def phone_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 1  # Orientation
    exif[0x010F] = "Bench Phone"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (36.0, 17.0, 52.0), "E", (59.0, 36.0, 21.0)
    return exif


def encoded(photo: Image.Image) -> dict[str, bytes]:
    """The photo as each accepted upload type, as a phone or a computer would send it."""
    files = {}
    for name, fmt, params in (
        ("JPEG q90", "JPEG", {"quality": 90, "exif": phone_exif()}),
        ("PNG", "PNG", {"compress_level": 6}),
        ("WebP q85", "WEBP", {"quality": 85, "exif": phone_exif()}),
        ("HEIC q80", "HEIF", {"quality": 80, "exif": phone_exif().tobytes()}),
    ):
        buffer = io.BytesIO()
        try:
            photo.save(buffer, fmt, **params)
        except (KeyError, OSError, ValueError) as error:  # e.g. a pillow-heif wheel without an encoder
            print(f"  {name}: cannot encode here ({error})")
            continue
        files[name] = buffer.getvalue()
    return files


def run_once(data: bytes, limits: dict, draft: bool) -> tuple[float, float, images.StoredImage, dict[int, int]]:
    """(decode seconds, store seconds, result, bytes of each variant) for one upload into an empty folder."""
    with tempfile.TemporaryDirectory(prefix="rooyesh-bench-images-") as folder:
        uploads = Path(folder)
        started = time.perf_counter()
        image = images.load_upload(
            data,
            max_bytes=limits["max_bytes"],
            max_pixels=limits["max_pixels"],
            draft_width=max(limits["widths"]) if draft else None,
        )
        decoded = time.perf_counter()
        stored = images.store_variants(image, uploads, limits["widths"])
        stored_at = time.perf_counter()
        sizes = {width: (uploads / path).stat().st_size for width, path in stored.variants.items()}
    return decoded - started, stored_at - decoded, stored, sizes


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _measure_in_child(data: bytes, limits: dict, draft: bool, results) -> None:
    before = _status_mb("VmRSS")
    with open("/proc/self/clear_refs", "w") as clear:  # reset the high-water mark to now (Linux)
        clear.write("5")
    run_once(data, limits, draft)
    peak = _status_mb("VmHWM")
    results.put((peak, peak - before))


def peak_memory(data: bytes, limits: dict, draft: bool) -> tuple[float, float]:
    """(peak resident MB of a fresh process running one upload, MB the upload added to it)."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_measure_in_child, args=(data, limits, draft, results))
    child.start()
    measured = results.get(timeout=120)
    child.join()
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    limits = {
        # Raised so every format is timed: a grainy 12 MP PNG is usually over the real 15 MB limit.
        "max_bytes": 200 * 1024 * 1024,
        "max_pixels": config.UPLOAD_MAX_PIXELS,
        "widths": config.IMAGE_WIDTHS,
    }
    print(f"Building a synthetic {SIZE[0]}×{SIZE[1]} photo…")
    files = encoded(synthetic_photo())
    print(f"median of {args.runs} runs; variants {config.IMAGE_WIDTHS} as WebP q80\n")
    print(
        f"{'upload':<22}{'input':>10}{'decode':>10}{'store':>10}{'total':>10}{'peak RSS':>10}{'added':>9}"
        "   variant sizes"
    )
    cases = [(name, data, True) for name, data in files.items()]
    if "JPEG q90" in files:
        cases.insert(1, ("JPEG q90, full decode", files["JPEG q90"], False))
    for name, data, draft in cases:
        decode_times, store_times = [], []
        for _ in range(args.runs):
            decode, store, stored, sizes = run_once(data, limits, draft)
            decode_times.append(decode)
            store_times.append(store)
        sizes = ", ".join(f"{width}: {size / 1024:.0f} KB" for width, size in sorted(sizes.items()))
        over = " (over the 15 MB limit)" if len(data) > config.UPLOAD_MAX_BYTES else ""
        decode, store = statistics.median(decode_times), statistics.median(store_times)
        peak, added = peak_memory(data, limits, draft)
        print(
            f"{name:<22}{len(data) / 2**20:>8.1f}MB{decode * 1000:>8.0f}ms{store * 1000:>8.0f}ms"
            f"{(decode + store) * 1000:>8.0f}ms{peak:>8.0f}MB{added:>7.0f}MB   {sizes}{over}"
        )
    print(f"\ndominant colour of the last: {stored.dominant_color}")


if __name__ == "__main__":
    main()
