"""Demo product photos drawn with Pillow: simple still lifes whose shapes and colours evoke the
product (a jar with a coloured fill, a kilim's lozenges, a glazed plate, cross-stitch stars…).

Deterministic: the same motif, colours, seed and view always give the same pixels, so the
pipeline stores them under the same content-hash names and a second demo load reuses the files.
Drawn at twice the size and halved, which smooths the edges cheaply.
"""

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

from . import motifs_kitchen as kitchen
from . import motifs_textile as textile
from .canvas import INK, SIZE, SURFACES, WHITE, Canvas, forget_surfaces

__all__ = ["MOTIFS", "SIZE", "SURFACES", "forget_surfaces", "label_document", "render"]


MOTIFS: dict[str, Callable] = {
    "jar": kitchen.jar,
    "pickle_jar": lambda cv, c, view: kitchen.jar(cv, c, view, pieces=True),
    "kilim": textile.kilim,
    "plate": kitchen.plate,
    "bowl": kitchen.bowl,
    "stitch": textile.stitch,
    "baluch": lambda cv, c, view: textile.stitch(cv, c, view, fabric="#1f1a24"),
    "scarf": textile.scarf,
    "knit": textile.knit,
    "knit_hat": lambda cv, c, view: textile.knit(cv, c, view, shape="hat"),
    "knit_socks": lambda cv, c, view: textile.knit(cv, c, view, shape="socks"),
    "doll": textile.doll,
    "soap": kitchen.soap,
    "bottle": kitchen.bottle,
    "cookies": kitchen.cookies,
    "herbs": kitchen.herbs,
    "wallet": textile.leather,
    "bag": lambda cv, c, view: textile.leather(cv, c, view, shape="bag"),
    "belt": lambda cv, c, view: textile.leather(cv, c, view, shape="belt"),
    "wood": textile.wood,
    "necklace": textile.necklace,
    "garment": textile.garment,
    "giftbox": kitchen.giftbox,
}


def label_document(colour: str, seed: int) -> bytes:
    """A PNG "photo" of a printed food label (ruled lines for its fields), used as demo evidence."""
    rng = random.Random(f"label:{seed}")
    image = Image.new("RGB", (720, 480), "#d9cdb8")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((40, 40, 680, 440), radius=16, fill=WHITE, outline=colour, width=6)
    draw.rectangle((40, 40, 680, 110), fill=colour)
    for row in range(6):
        y = 150 + row * 45
        draw.line((80, y, 80 + rng.randrange(260, 540), y), fill="#8a8076", width=8)
    draw.rectangle((520, 330, 640, 410), outline=INK, width=4)
    for x in range(530, 632, 9):  # a barcode-like block
        draw.line((x, 340, x, 400), fill=INK, width=rng.choice((2, 3, 5)))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def render(motif: str, colours: tuple[str, ...], seed: int, view: int = 0) -> Image.Image:
    """One SIZE×SIZE RGB photo of `motif` in `colours`; `view` 0–3 picks the arrangement."""
    rng = random.Random(f"{motif}:{seed}:{view}")
    surface = SURFACES[(seed + view) % len(SURFACES)]
    canvas = Canvas(surface, rng)
    MOTIFS[motif](canvas, tuple(colours), view % 4)
    return canvas.finish()
