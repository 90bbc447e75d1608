"""Demo photo motifs for textiles and crafts: kilims, needlework, scarves, knitwear, dolls,
garments, jewellery, leather and wood. Each draws one view (0: the product, 1: a close-up, 2:
another arrangement, 3: a group) in colours `c` (the first is the main colour)."""

import math

from .canvas import CREAM, INK, Canvas, cross_row, shade, star


def kilim(cv: Canvas, c: tuple, view: int) -> None:
    """A flat-woven kilim: border bands, zigzags, stacked lozenges, fringes at both ends."""
    if view == 1:
        _kilim_field(cv, c, (0, 0, 1, 1), rows=3)
        return
    if view == 2:  # folded in two on the floor
        cv.shadow((0.14, 0.22, 0.9, 0.84), "rect")
        cv.cast_shadows()
        _kilim_field(cv, c, (0.12, 0.2, 0.86, 0.8), rows=2)
        cv.rect((0.12, 0.5, 0.86, 0.8), fill=shade(c[0], 0.8))
        _kilim_field(cv, c, (0.12, 0.52, 0.86, 0.8), rows=1)
        return
    x0, x1 = (0.22, 0.78) if view == 0 else (0.3, 0.7)
    cv.shadow((x0 + 0.01, 0.12, x1 + 0.03, 0.9), "rect")
    cv.cast_shadows()
    for y in (0.09, 0.87):
        for i in range(24):
            x = x0 + 0.01 + i * (x1 - x0 - 0.02) / 23
            cv.line([(x, y), (x + cv.rng.uniform(-0.006, 0.006), y + 0.04)], fill=CREAM, width=0.004)
    _kilim_field(cv, c, (x0, 0.12, x1, 0.88), rows=4)


def _kilim_field(cv: Canvas, c: tuple, box, rows: int) -> None:
    x0, y0, x1, y1 = box
    main, second, third = c[0], c[1 % len(c)], c[2 % len(c)]
    cv.rect(box, fill=main)
    band = (x1 - x0) * 0.09
    cv.rect((x0, y0, x1, y1), outline=third, width=band * 0.35)
    cv.rect((x0 + band * 0.5, y0 + band * 0.5, x1 - band * 0.5, y1 - band * 0.5), outline=CREAM, width=band * 0.15)
    for side in (x0 + band * 0.9, x1 - band * 0.9):  # zigzag borders
        points = [
            (side + (band * 0.25 if i % 2 else -band * 0.25), y0 + band + i * (y1 - y0 - 2 * band) / 20)
            for i in range(21)
        ]
        cv.line(points, fill=second, width=band * 0.14)
    inner_w, inner_h = (x1 - x0) - 3.2 * band, (y1 - y0) - 2.4 * band
    cx = (x0 + x1) / 2
    for r in range(rows):
        cy = y0 + 1.2 * band + inner_h * (r + 0.5) / rows
        half_h, half_w = inner_h / rows * 0.42, inner_w * 0.42
        for k, colour in enumerate((second, CREAM, third, main)):
            f = 1 - k * 0.24
            cv.polygon(
                [(cx, cy - half_h * f), (cx + half_w * f, cy), (cx, cy + half_h * f), (cx - half_w * f, cy)],
                fill=colour,
            )
        for dx in (-1, 1):  # small hooks beside each lozenge
            hx = cx + dx * (half_w + band * 0.45)
            cv.polygon(
                [(hx, cy - band * 0.3), (hx + band * 0.25, cy), (hx, cy + band * 0.3), (hx - band * 0.25, cy)],
                fill=second,
            )


def stitch(cv: Canvas, c: tuple, view: int, fabric: str | None = None) -> None:
    """Needlework: a cloth with cross-stitched stripes and eight-pointed stars."""
    cloth = fabric or c[-1]
    if view == 1:
        _stitch_field(cv, c, cloth, (0, 0, 1, 1), 0.11)
        return
    boxes = {
        0: [(0.16, 0.16, 0.84, 0.84)],
        2: [(0.1, 0.24, 0.62, 0.76), (0.5, 0.34, 0.9, 0.74)],
        3: [(0.08, 0.1, 0.48, 0.5), (0.52, 0.1, 0.92, 0.5), (0.3, 0.52, 0.7, 0.92)],
    }[view]
    for box in boxes:
        cv.shadow((box[0] + 0.015, box[1] + 0.02, box[2] + 0.025, box[3] + 0.03), "rect")
    cv.cast_shadows()
    for box in boxes:
        _stitch_field(cv, c, cloth, box, (box[2] - box[0]) * 0.14)


def _stitch_field(cv: Canvas, c: tuple, cloth: str, box, cell: float) -> None:
    x0, y0, x1, y1 = box
    cv.rect(box, fill=cloth, radius=0.01)
    thread = [colour for colour in c if colour != cloth] or [CREAM]
    for edge in (y0 + cell * 0.35, y1 - cell * 0.5):  # cross-stitch stripes
        cross_row(cv, x0 + cell * 0.3, x1 - cell * 0.3, edge, cell * 0.14, thread[0])
    cols = max(1, round((x1 - x0) / cell) - 1)
    rows = max(1, round((y1 - y0 - cell) / cell) - 1)
    for i in range(cols):
        for j in range(rows):
            x = x0 + (x1 - x0) * (i + 0.5) / cols
            y = y0 + cell * 0.8 + (y1 - y0 - cell * 1.6) * (j + 0.5) / rows
            star(cv, x, y, cell * 0.36, thread[(i + j) % len(thread)], shade(thread[(i + j + 1) % len(thread)], 1.1))


def scarf(cv: Canvas, c: tuple, view: int) -> None:
    """A folded scarf or shawl with a border and paisley (boteh) drops."""
    if view == 1:
        cv.rect((0, 0, 1, 1), fill=c[0])
        for i in range(5):
            for j in range(5):
                _boteh(cv, 0.1 + i * 0.2 + (0.1 if j % 2 else 0), 0.1 + j * 0.2, 0.07, c[(i + j) % len(c)], c[0])
        return
    layers = 1 if view == 0 else 3
    for n in range(layers):
        off = n * 0.09
        box = (0.14 + off, 0.2 + off * 0.6, 0.76 + off, 0.7 + off * 0.6)
        cv.shadow((box[0] + 0.02, box[1] + 0.03, box[2] + 0.03, box[3] + 0.04), "rect")
    cv.cast_shadows()
    for n in range(layers):
        colour, accent = c[n % len(c)], c[(n + 1) % len(c)]
        off = n * 0.09
        x0, y0, x1, y1 = 0.14 + off, 0.2 + off * 0.6, 0.76 + off, 0.7 + off * 0.6
        cv.rect((x0, y0, x1, y1), fill=colour, radius=0.012)
        cv.rect((x0 + 0.02, y0 + 0.02, x1 - 0.02, y1 - 0.02), outline=accent, width=0.008)
        for k in range(4):
            _boteh(cv, x0 + 0.1 + k * (x1 - x0 - 0.2) / 3, (y0 + y1) / 2, 0.05, accent, colour)
        for i in range(20):  # tassels
            x = x0 + 0.01 + i * (x1 - x0 - 0.02) / 19
            cv.line([(x, y1), (x, y1 + 0.035)], fill=accent, width=0.004)


def _boteh(cv: Canvas, x: float, y: float, r: float, colour: str, ground: str) -> None:
    cv.circle(x, y + r * 0.3, r * 0.7, fill=colour)
    cv.polygon([(x - r * 0.68, y + r * 0.2), (x + r * 0.2, y - r * 1.2), (x + r * 0.68, y + r * 0.2)], fill=colour)
    cv.circle(x, y + r * 0.35, r * 0.32, fill=ground)
    cv.circle(x, y + r * 0.35, r * 0.14, fill=colour)


def knit(cv: Canvas, c: tuple, view: int, shape: str = "scarf") -> None:
    """Knitwear: V-shaped stitches in stripes, as a scarf, hat, socks or a small doll."""
    if view == 1:
        _knit_field(cv, c, (0, 0, 1, 1), 0.045)
        return
    if shape == "doll":
        return doll(cv, c, view)
    if shape == "hat":
        cv.shadow((0.2, 0.7, 0.84, 0.86))
        cv.cast_shadows()
        cv.circle(0.5, 0.2, 0.08, fill=c[1 % len(c)])
        cv.ellipse((0.22, 0.22, 0.78, 0.86), fill=c[0])
        _knit_field(cv, c, (0.26, 0.3, 0.74, 0.62), 0.04)
        cv.rect((0.2, 0.62, 0.8, 0.8), fill=shade(c[0], 0.8), radius=0.03)
        for i in range(16):
            x = 0.22 + i * 0.036
            cv.line([(x, 0.63), (x, 0.79)], fill=shade(c[0], 0.6), width=0.008)
        return
    if shape == "socks":
        for dx in (0, 0.3):
            cv.shadow((0.18 + dx, 0.2, 0.42 + dx, 0.86), "rect")
        cv.cast_shadows()
        for dx in (0, 0.3):
            _knit_field(cv, c, (0.2 + dx, 0.16, 0.4 + dx, 0.7), 0.035)
            cv.rect((0.2 + dx, 0.62, 0.5 + dx, 0.82), fill=c[0], radius=0.08)
            cv.rect((0.2 + dx, 0.16, 0.4 + dx, 0.22), fill=c[1 % len(c)])
        return
    strips = 1 if view == 0 else 2
    starts = [0.34] if strips == 1 else [0.18, 0.52]
    for x0 in starts:
        cv.shadow((x0 + 0.01, 0.1, x0 + 0.33, 0.94), "rect")
    cv.cast_shadows()
    for n, x0 in enumerate(starts):
        _knit_field(cv, c[n:] + c[:n], (x0, 0.08, x0 + 0.3, 0.9), 0.035)
        for i in range(9):
            x = x0 + 0.01 + i * 0.035
            cv.line([(x, 0.9), (x, 0.95)], fill=c[n % len(c)], width=0.008)


def _knit_field(cv: Canvas, c: tuple, box, s: float) -> None:
    x0, y0, x1, y1 = box
    cv.rect(box, fill=shade(c[0], 0.8))
    rows = int((y1 - y0) / (s * 0.9))
    for j in range(rows):
        colour = c[(j // 4) % len(c)]
        y = y0 + j * s * 0.9
        x = x0
        while x < x1 - s * 0.1:
            cv.polygon([(x, y), (x + s * 0.5, y + s * 0.55), (x + s * 0.5, y + s), (x, y + s * 0.45)], fill=colour)
            cv.polygon(
                [(x + s, y), (x + s * 0.5, y + s * 0.55), (x + s * 0.5, y + s), (x + s, y + s * 0.45)],
                fill=shade(colour, 0.88),
            )
            x += s


def doll(cv: Canvas, c: tuple, view: int) -> None:
    """A cloth or knitted doll: a round face, a patterned dress, yarn hair."""
    count = 1 if view != 3 else 3
    for n in range(count):
        cx = 0.5 if count == 1 else 0.2 + n * 0.3
        cv.shadow((cx - 0.16, 0.82, cx + 0.2, 0.9))
    cv.cast_shadows()
    for n in range(count):
        cx, k = (0.5, 1.0) if count == 1 else (0.2 + n * 0.3, 0.6)
        dress = c[n % len(c)]
        cv.polygon([(cx, 0.38), (cx + 0.22 * k, 0.86), (cx - 0.22 * k, 0.86)], fill=dress)
        cross_row(cv, cx - 0.18 * k, cx + 0.18 * k, 0.8, 0.02 * k, c[(n + 1) % len(c)])
        for dx in (-1, 1):
            cv.line([(cx + dx * 0.06 * k, 0.44), (cx + dx * 0.2 * k, 0.6)], fill=dress, width=0.04 * k)
        cv.circle(cx, 0.3, 0.11 * k, fill="#3a2418")
        cv.circle(cx, 0.32, 0.09 * k, fill="#f1c9a5")
        cv.circle(cx - 0.03 * k, 0.31, 0.01 * k, fill=INK)
        cv.circle(cx + 0.03 * k, 0.31, 0.01 * k, fill=INK)
        cv.arc((cx - 0.03 * k, 0.32, cx + 0.03 * k, 0.37), 20, 160, fill="#b24a4a", width=0.006)
        cv.polygon([(cx - 0.12 * k, 0.28), (cx, 0.17), (cx + 0.12 * k, 0.28), (cx, 0.24)], fill=c[-1])


def garment(cv: Canvas, c: tuple, view: int) -> None:
    """A dress or tunic laid flat, with an embroidered yoke and cuffs."""
    if view == 1:
        _stitch_field(cv, c[1:] + c[:1], c[0], (0, 0, 1, 1), 0.14)
        return
    cloth, trim = c[0], c[1 % len(c)]
    cv.shadow((0.2, 0.86, 0.84, 0.98))
    cv.cast_shadows()
    cv.polygon(
        [
            (0.38, 0.12),
            (0.62, 0.12),
            (0.9, 0.3),
            (0.82, 0.42),
            (0.7, 0.34),
            (0.76, 0.92),
            (0.24, 0.92),
            (0.3, 0.34),
            (0.18, 0.42),
            (0.1, 0.3),
        ],
        fill=cloth,
    )
    cv.ellipse((0.43, 0.08, 0.57, 0.18), fill=shade(cloth, 0.75))
    cv.polygon([(0.38, 0.14), (0.62, 0.14), (0.64, 0.3), (0.5, 0.4), (0.36, 0.3)], fill=trim)
    star(cv, 0.5, 0.26, 0.05, shade(trim, 1.5), cloth)
    cross_row(cv, 0.26, 0.74, 0.87, 0.025, trim)
    for x0 in (0.1, 0.82):
        cv.line([(x0 + 0.02, 0.33), (x0 + 0.06, 0.39)], fill=trim, width=0.025)


def necklace(cv: Canvas, c: tuple, view: int) -> None:
    """Beads on a velvet cloth, with a small embroidered pendant or a stack of bracelets."""
    cv.rect((0.05, 0.05, 0.95, 0.95), fill=shade(c[-1], 0.45), radius=0.03)
    rng = cv.rng
    if view == 2:
        for n in range(3):
            x, y = 0.3 + n * 0.2, 0.5 + (n % 2) * 0.1
            cv.circle(x, y, 0.16, outline=c[n % len(c)], width=0.03)
            for k in range(18):
                a = k * math.tau / 18
                cv.circle(x + math.cos(a) * 0.16, y + math.sin(a) * 0.16, 0.012, fill=c[(n + 1) % len(c)])
        return
    r = 0.34 if view != 1 else 0.6
    cy = 0.2 if view != 1 else -0.1
    for k in range(41):
        a = math.pi * 0.1 + k * math.pi * 0.8 / 40
        x, y = 0.5 + math.cos(a) * r, cy + math.sin(a) * r
        cv.circle(x, y, 0.016 if view != 1 else 0.026, fill=c[k % len(c)] if k % 3 else shade(c[0], 1.4))
    px, py, s = 0.5, cy + r + 0.1, 0.09 if view != 1 else 0.16
    cv.rect((px - s, py - s * 0.6, px + s, py + s * 1.2), fill=c[0], radius=0.01)
    star(cv, px, py + s * 0.3, s * 0.6, c[1 % len(c)], shade(c[0], 1.5))
    for i in range(5):
        x = px - s + i * s / 2
        cv.line([(x, py + s * 1.2), (x + rng.uniform(-0.005, 0.005), py + s * 1.6)], fill=c[1 % len(c)], width=0.005)


def leather(cv: Canvas, c: tuple, view: int, shape: str = "wallet") -> None:
    """Hand-stitched leather: a wallet, a bag or a belt, with saddle stitching."""
    hide, thread = c[0], c[1 % len(c)]
    if view == 1:
        cv.rect((0, 0, 1, 1), fill=hide)
        for _ in range(400):
            x, y = cv.rng.random(), cv.rng.random()
            cv.circle(x, y, cv.rng.uniform(0.002, 0.006), fill=shade(hide, cv.rng.uniform(0.85, 1.1)))
        _stitches(cv, [(0.1, 0.3), (0.9, 0.3)], thread, 0.03)
        _stitches(cv, [(0.1, 0.7), (0.9, 0.7)], thread, 0.03)
        return
    if shape == "belt":
        cv.shadow((0.08, 0.4, 0.94, 0.64), "rect")
        cv.cast_shadows()
        cv.rect((0.08, 0.42, 0.9, 0.6), fill=hide, radius=0.02)
        _stitches(cv, [(0.12, 0.45), (0.86, 0.45)], thread, 0.018)
        _stitches(cv, [(0.12, 0.57), (0.86, 0.57)], thread, 0.018)
        cv.rect((0.7, 0.36, 0.84, 0.66), outline="#b9a77a", width=0.02, radius=0.01)
        for x in (0.3, 0.38, 0.46):
            cv.circle(x, 0.51, 0.012, fill=shade(hide, 0.5))
        return
    if shape == "bag":
        cv.shadow((0.2, 0.3, 0.86, 0.88), "rect")
        cv.cast_shadows()
        cv.arc((0.32, 0.14, 0.68, 0.5), 180, 360, fill=shade(hide, 0.8), width=0.03)
        cv.polygon([(0.22, 0.32), (0.78, 0.32), (0.84, 0.84), (0.16, 0.84)], fill=hide)
        cv.polygon([(0.22, 0.32), (0.78, 0.32), (0.76, 0.5), (0.24, 0.5)], fill=shade(hide, 0.88))
        _stitches(cv, [(0.25, 0.36), (0.75, 0.36)], thread, 0.02)
        _stitches(cv, [(0.21, 0.8), (0.79, 0.8)], thread, 0.02)
        cv.rect((0.46, 0.46, 0.54, 0.54), fill="#c8b27a", radius=0.01)
        return
    count = 1 if view == 0 else 2
    for n in range(count):
        x0 = 0.22 if count == 1 else 0.12 + n * 0.42
        cv.shadow((x0 + 0.01, 0.34, x0 + (0.58 if count == 1 else 0.38), 0.76), "rect")
    cv.cast_shadows()
    for n in range(count):
        x0 = 0.22 if count == 1 else 0.12 + n * 0.42
        w = 0.56 if count == 1 else 0.36
        colour = shade(hide, 1.35) if n else hide
        cv.rect((x0, 0.32, x0 + w, 0.72), fill=colour, radius=0.03)
        cv.polygon(
            [(x0, 0.32), (x0 + w, 0.32), (x0 + w, 0.44), (x0 + w / 2, 0.52), (x0, 0.44)], fill=shade(colour, 0.85)
        )
        _stitches(cv, [(x0 + 0.02, 0.35), (x0 + w - 0.02, 0.35)], thread, 0.016)
        _stitches(cv, [(x0 + 0.02, 0.69), (x0 + w - 0.02, 0.69)], thread, 0.016)
        cv.circle(x0 + w / 2, 0.5, 0.015, fill="#c8b27a")


def _stitches(cv: Canvas, points, colour: str, step: float) -> None:
    (x0, y0), (x1, y1) = points
    length = math.hypot(x1 - x0, y1 - y0)
    count = max(2, int(length / step))
    for i in range(count):
        t0, t1 = i / count, (i + 0.6) / count
        cv.line(
            [(x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0), (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1)],
            fill=colour,
            width=0.006,
        )


def wood(cv: Canvas, c: tuple, view: int) -> None:
    """A wooden box or tray with grain and a marquetry (khatam) star band on the lid."""
    grain, inlay = c[0], c[1 % len(c)]
    if view == 1:
        _grain(cv, grain, (0, 0, 1, 1))
        _khatam_band(cv, 0.35, 0.65, 0.0, 1.0, inlay, grain)
        return
    x0, y0, x1, y1 = (0.18, 0.3, 0.82, 0.74) if view != 2 else (0.12, 0.4, 0.88, 0.7)
    cv.shadow((x0 + 0.02, y0 + 0.06, x1 + 0.04, y1 + 0.06), "rect")
    cv.cast_shadows()
    cv.rect((x0, y0 + 0.08, x1, y1), fill=shade(grain, 0.75), radius=0.015)
    _grain(cv, grain, (x0, y0, x1, y1 - 0.08))
    _khatam_band(cv, y0 + 0.05, y1 - 0.13, x0 + 0.04, x1 - 0.04, inlay, grain)


def _grain(cv: Canvas, colour: str, box) -> None:
    x0, y0, x1, y1 = box
    cv.rect(box, fill=colour, radius=0.012)
    for k in range(int((y1 - y0) / 0.012)):
        y = y0 + 0.006 + k * 0.012
        phase = cv.rng.uniform(0, math.tau)
        points = [(x0 + (x1 - x0) * t / 20, y + math.sin(phase + t / 3) * 0.004) for t in range(21)]
        cv.line(points, fill=shade(colour, cv.rng.uniform(0.8, 0.92)), width=0.003)


def _khatam_band(cv: Canvas, y0: float, y1: float, x0: float, x1: float, inlay: str, wood_colour: str) -> None:
    cv.rect((x0, y0, x1, y1), fill=shade(wood_colour, 0.55))
    h = y1 - y0
    count = max(3, int((x1 - x0) / h))
    for i in range(count):
        cx = x0 + (x1 - x0) * (i + 0.5) / count
        star(cv, cx, (y0 + y1) / 2, h * 0.42, inlay, "#f4ecdc")
