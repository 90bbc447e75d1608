"""Demo photo motifs for food, pottery and care products: jars, plates and bowls, sweets on a tray,
herbs in a bowl, soap bars, bottles and gift boxes. Each draws one view (0: the product, 1: a
close-up, 2: another arrangement, 3: a group) in colours `c` (the first is the main colour)."""

import math

from .canvas import CREAM, INK, WHITE, Canvas, fill_texture, shade


def jar(cv: Canvas, c: tuple, view: int, pieces: bool = False) -> None:
    """A glass jar of jam, pickles or paste, a cloth cap tied with string, a paper label."""
    if view == 1:
        fill_texture(cv, c, pieces, (0, 0, 1, 1))
        cv.rect((0.2, 0.68, 0.8, 0.9), fill=CREAM, radius=0.02)
        cv.line([(0.26, 0.79), (0.74, 0.79)], fill=c[0], width=0.012)
        return
    count = {0: 1, 2: 2, 3: 3}[view]
    width = 0.42 if count == 1 else 0.6 / count
    gap = (1 - width * count) / (count + 1)
    for n in range(count):
        x0 = gap + n * (width + gap)
        cv.shadow((x0 - 0.02, 0.78, x0 + width + 0.06, 0.9))
    cv.cast_shadows()
    for n in range(count):
        x0 = gap + n * (width + gap)
        _one_jar(cv, x0, width, c[n % len(c)] if view == 3 else c[0], c, pieces)


def _one_jar(cv: Canvas, x0: float, w: float, fill: str, c: tuple, pieces: bool) -> None:
    top, bottom = 0.85 - w * 1.5, 0.85
    glass = shade(fill, 1.55)
    cv.rect((x0, top + w * 0.12, x0 + w, bottom), fill=glass, radius=w * 0.18)
    cv.rect((x0 + w * 0.05, top + w * 0.3, x0 + w * 0.95, bottom - w * 0.04), fill=fill, radius=w * 0.14)
    if pieces:
        fill_texture(cv, c, True, (x0 + w * 0.07, top + w * 0.33, x0 + w * 0.93, bottom - w * 0.07))
    cv.rect((x0 + w * 0.1, top + w * 0.36, x0 + w * 0.16, top + w * 0.56), fill=shade(glass, 1.4), radius=w * 0.03)
    cv.rect((x0 + w * 0.1, top + w * 1.1, x0 + w * 0.16, bottom - w * 0.12), fill=shade(glass, 1.4), radius=w * 0.03)
    cap = c[-1] if len(c) > 1 else "#c0392b"
    cv.rect((x0 - w * 0.04, top, x0 + w * 1.04, top + w * 0.2), fill=cap, radius=w * 0.05)
    for i in range(1, 8):  # gingham checks on the cloth cap
        x = x0 - w * 0.04 + i * w * 1.08 / 8
        cv.line([(x, top + w * 0.01), (x, top + w * 0.19)], fill=shade(cap, 1.45), width=w * 0.03)
    cv.line([(x0 - w * 0.02, top + w * 0.18), (x0 + w * 1.02, top + w * 0.18)], fill="#e8d9b5", width=w * 0.025)
    label_top = top + w * 0.62
    cv.rect((x0 + w * 0.14, label_top, x0 + w * 0.86, label_top + w * 0.42), fill=CREAM, radius=w * 0.05)
    cv.rect(
        (x0 + w * 0.18, label_top + w * 0.04, x0 + w * 0.82, label_top + w * 0.38),
        outline=fill,
        width=w * 0.012,
        radius=w * 0.04,
    )
    cx, cy = x0 + w / 2, label_top + w * 0.21
    for k in range(6):
        a = k * math.pi / 3
        cv.circle(cx + math.cos(a) * w * 0.07, cy + math.sin(a) * w * 0.07, w * 0.045, fill=shade(fill, 1.2))
    cv.circle(cx, cy, w * 0.04, fill=shade(fill, 0.7))


def plate(cv: Canvas, c: tuple, view: int) -> None:
    """Glazed pottery seen from above: a plate or bowl with a glaze ring and a painted centre."""
    if view == 2:
        return bowl(cv, c, 0)
    if view == 3:
        dishes = ((0.33, 0.38, 0.22, c[0]), (0.68, 0.62, 0.2, c[1 % len(c)]))
        for x, y, r, _colour in dishes:
            cv.shadow((x - r + 0.02, y - r + 0.03, x + r + 0.03, y + r + 0.05))
        cv.cast_shadows()
        for x, y, r, colour in dishes:
            _dish(cv, x, y, r, (colour, *c))
        return
    r = 0.36 if view == 0 else 0.6
    cv.shadow((0.5 - r + 0.02, 0.5 - r + 0.04, 0.5 + r + 0.04, 0.5 + r + 0.06))
    cv.cast_shadows()
    _dish(cv, 0.5, 0.5, r, c)


def _dish(cv: Canvas, x: float, y: float, r: float, c: tuple) -> None:
    glaze, accent = c[0], c[1 % len(c)]
    cv.circle(x, y, r, fill="#efe6d6")
    cv.circle(x, y, r * 0.97, fill=shade(glaze, 0.85))
    cv.circle(x, y, r * 0.86, fill=glaze)
    cv.circle(x, y, r * 0.8, fill=WHITE)
    cv.circle(x, y, r * 0.78, outline=accent, width=r * 0.025)
    for k in range(16):  # a ring of painted dots and petals
        a = k * math.tau / 16
        px, py = x + math.cos(a) * r * 0.66, y + math.sin(a) * r * 0.66
        cv.circle(px, py, r * 0.05, fill=glaze if k % 2 else accent)
    for k in range(8):
        a = k * math.tau / 8
        px, py = x + math.cos(a) * r * 0.28, y + math.sin(a) * r * 0.28
        cv.ellipse((px - r * 0.12, py - r * 0.12, px + r * 0.12, py + r * 0.12), fill=shade(glaze, 1.15))
    cv.circle(x, y, r * 0.16, fill=accent)
    cv.circle(x, y, r * 0.07, fill=WHITE)
    cv.arc((x - r * 0.9, y - r * 0.9, x + r * 0.9, y + r * 0.9), 200, 250, fill=shade(glaze, 1.6), width=r * 0.03)


def bowl(cv: Canvas, c: tuple, view: int) -> None:
    """A glazed bowl, vase or cup from the side, with a painted band."""
    if view == 1:
        return plate(cv, c, 1)
    count = 3 if view == 3 else 1
    for n in range(count):
        cx = 0.5 if count == 1 else 0.22 + n * 0.28
        w = 0.56 if count == 1 else 0.22
        cv.shadow((cx - w * 0.5, 0.72, cx + w * 0.62, 0.82))
    cv.cast_shadows()
    for n in range(count):
        cx = 0.5 if count == 1 else 0.22 + n * 0.28
        w = 0.56 if count == 1 else 0.22
        glaze = c[n % len(c)]
        top, bottom = 0.78 - w * 0.75, 0.78
        cv.polygon(
            [
                (cx - w / 2, top + w * 0.06),
                (cx + w / 2, top + w * 0.06),
                (cx + w * 0.3, bottom),
                (cx - w * 0.3, bottom),
            ],
            fill=glaze,
        )
        cv.rect((cx - w * 0.42, top + w * 0.22, cx + w * 0.42, top + w * 0.32), fill=c[(n + 1) % len(c)])
        for k in range(7):
            x = cx - w * 0.36 + k * w * 0.12
            cv.circle(x, top + w * 0.27, w * 0.025, fill=WHITE)
        cv.ellipse((cx - w / 2, top, cx + w / 2, top + w * 0.12), fill=shade(glaze, 0.7))
        cv.ellipse((cx - w * 0.45, top + w * 0.015, cx + w * 0.45, top + w * 0.1), fill=shade(glaze, 0.5))
        cv.line(
            [(cx - w * 0.38, top + w * 0.4), (cx - w * 0.3, bottom - w * 0.08)], fill=shade(glaze, 1.5), width=w * 0.03
        )


def cookies(cv: Canvas, c: tuple, view: int) -> None:
    """Home-baked sweets on a tray: clover-shaped nokhodchi, round cookies with a stamped pattern."""
    tray = c[-1] if len(c) > 2 else "#c9a86a"
    r_tray = 0.44 if view != 1 else 0.7
    cv.shadow((0.5 - r_tray + 0.02, 0.5 - r_tray + 0.04, 0.5 + r_tray + 0.04, 0.5 + r_tray + 0.06))
    cv.cast_shadows()
    cv.circle(0.5, 0.5, r_tray, fill=tray)
    cv.circle(0.5, 0.5, r_tray * 0.92, fill=shade(tray, 1.3))
    rng = cv.rng
    spots: list[tuple[float, float]] = []
    size = 0.06 if view != 1 else 0.1
    for _ in range(300):
        if len(spots) >= (34 if view != 1 else 14):
            break
        a, d = rng.uniform(0, math.tau), math.sqrt(rng.random()) * (r_tray * 0.9 - size)
        x, y = 0.5 + math.cos(a) * d, 0.5 + math.sin(a) * d
        if all((x - sx) ** 2 + (y - sy) ** 2 > (size * 1.9) ** 2 for sx, sy in spots):
            spots.append((x, y))
    for n, (x, y) in enumerate(spots):
        colour = c[n % max(1, len(c) - 1)]
        if view in (0, 1) or n % 2:
            for k in range(4):  # a clover of four lobes
                a = k * math.pi / 2 + math.pi / 4
                cv.circle(x + math.cos(a) * size * 0.42, y + math.sin(a) * size * 0.42, size * 0.52, fill=colour)
            cv.circle(x, y, size * 0.22, fill="#7fa650")
        else:
            cv.circle(x, y, size, fill=colour)
            for k in range(-2, 3):
                cv.line(
                    [(x + k * size * 0.3, y - size * 0.7), (x + k * size * 0.3, y + size * 0.7)],
                    fill=shade(colour, 0.8),
                    width=size * 0.08,
                )


def herbs(cv: Canvas, c: tuple, view: int) -> None:
    """Dried herbs or petals heaped in a wide bowl, some spilt on the cloth."""
    rng = cv.rng
    r = 0.4 if view in (0, 3) else 0.6 if view == 1 else 0.3
    cx, cy = (0.5, 0.5) if view != 2 else (0.42, 0.46)
    cv.shadow((cx - r + 0.02, cy - r + 0.04, cx + r + 0.04, cy + r + 0.06))
    cv.cast_shadows()
    bowl_colour = "#8a5a3b" if view != 3 else "#e8e1d0"
    cv.circle(cx, cy, r, fill=bowl_colour)
    cv.circle(cx, cy, r * 0.9, fill=shade(bowl_colour, 0.8))
    leaves = int(900 * r * r) + 40
    for _ in range(leaves):
        a, d = rng.uniform(0, math.tau), math.sqrt(rng.random()) * r * 0.86
        x, y = cx + math.cos(a) * d, cy + math.sin(a) * d
        _leaf(cv, x, y, rng.uniform(0.008, 0.018), rng.uniform(0, math.pi), shade(rng.choice(c), rng.uniform(0.7, 1.2)))
    if view == 2:
        for _ in range(60):
            x, y = rng.uniform(0.55, 0.95), rng.uniform(0.65, 0.95)
            _leaf(cv, x, y, rng.uniform(0.008, 0.016), rng.uniform(0, math.pi), rng.choice(c))
        cv.rect((0.68, 0.1, 0.92, 0.46), fill="#d9c39a", radius=0.02)
        cv.rect((0.66, 0.1, 0.94, 0.16), fill="#b99a66", radius=0.01)


def _leaf(cv: Canvas, x: float, y: float, s: float, angle: float, colour: str) -> None:
    dx, dy = math.cos(angle) * s, math.sin(angle) * s
    cv.polygon(
        [(x - dx, y - dy), (x - dy * 0.45, y + dx * 0.45), (x + dx, y + dy), (x + dy * 0.45, y - dx * 0.45)],
        fill=colour,
    )


def soap(cv: Canvas, c: tuple, view: int) -> None:
    """Handmade soap bars, stamped, with herbal specks, stacked and tied with string."""
    bars = {
        0: [(0.24, 0.42, 0.76, 0.72)],
        1: [(0.05, 0.2, 0.95, 0.8)],
        2: [(0.18, 0.5, 0.66, 0.78), (0.26, 0.3, 0.74, 0.56)],
        3: [(0.08, 0.44, 0.36, 0.7), (0.38, 0.44, 0.66, 0.7), (0.68, 0.44, 0.96, 0.7)],
    }[view]
    for box in bars:
        cv.shadow((box[0] + 0.01, box[1] + 0.04, box[2] + 0.03, box[3] + 0.05), "rect")
    cv.cast_shadows()
    for n, (x0, y0, x1, y1) in enumerate(bars):
        colour = c[n % len(c)]
        cv.rect((x0, y0 + 0.03, x1, y1), fill=shade(colour, 0.82), radius=0.03)
        cv.rect((x0, y0, x1, y1 - 0.03), fill=colour, radius=0.03)
        for _ in range(int(90 * (x1 - x0))):
            x, y = cv.rng.uniform(x0 + 0.02, x1 - 0.02), cv.rng.uniform(y0 + 0.02, y1 - 0.05)
            cv.circle(x, y, cv.rng.uniform(0.002, 0.006), fill=shade(colour, 0.6))
        cx, cy, r = (x0 + x1) / 2, (y0 + y1 - 0.03) / 2, min(x1 - x0, y1 - y0) * 0.28
        cv.circle(cx, cy, r, outline=shade(colour, 0.75), width=r * 0.08)
        for k in range(6):
            a = k * math.pi / 3
            cv.ellipse(
                (
                    cx + math.cos(a) * r * 0.45 - r * 0.2,
                    cy + math.sin(a) * r * 0.45 - r * 0.2,
                    cx + math.cos(a) * r * 0.45 + r * 0.2,
                    cy + math.sin(a) * r * 0.45 + r * 0.2,
                ),
                outline=shade(colour, 0.72),
                width=r * 0.06,
            )
    if view == 2:
        cv.line([(0.46, 0.28), (0.46, 0.8)], fill="#c8a46a", width=0.008)


def bottle(cv: Canvas, c: tuple, view: int) -> None:
    """Amber dropper bottles of oil, or a low jar of cream, with a paper label."""
    if view == 1:
        fill_texture(cv, c, False, (0, 0, 1, 1))
        return
    count = 1 if view == 0 else 2 if view == 2 else 3
    for n in range(count):
        cx = 0.5 if count == 1 else 0.3 + n * 0.4 / (count - 1)
        cv.shadow((cx - 0.12, 0.8, cx + 0.16, 0.88))
    cv.cast_shadows()
    for n in range(count):
        cx = 0.5 if count == 1 else 0.3 + n * 0.4 / (count - 1)
        k = 1.0 if count == 1 else 0.7
        glass = c[n % len(c)]
        cv.rect((cx - 0.13 * k, 0.84 - 0.42 * k, cx + 0.13 * k, 0.84), fill=glass, radius=0.04 * k)
        cv.rect((cx - 0.05 * k, 0.84 - 0.5 * k, cx + 0.05 * k, 0.84 - 0.41 * k), fill=INK, radius=0.01)
        cv.ellipse((cx - 0.045 * k, 0.84 - 0.62 * k, cx + 0.045 * k, 0.84 - 0.48 * k), fill="#2b2b2b")
        cv.rect((cx - 0.1 * k, 0.84 - 0.3 * k, cx + 0.1 * k, 0.84 - 0.12 * k), fill=CREAM, radius=0.01)
        cv.circle(cx, 0.84 - 0.21 * k, 0.04 * k, fill=c[(n + 1) % len(c)])
        cv.line(
            [(cx - 0.1 * k, 0.84 - 0.38 * k), (cx - 0.1 * k, 0.84 - 0.33 * k)], fill=shade(glass, 1.7), width=0.012 * k
        )


def giftbox(cv: Canvas, c: tuple, view: int) -> None:
    """An open gift box: a lid with a ribbon, and small things inside in the product colours."""
    cv.shadow((0.16, 0.3, 0.88, 0.9), "rect")
    cv.cast_shadows()
    cv.rect((0.16, 0.32, 0.84, 0.86), fill=c[0], radius=0.02)
    cv.rect((0.2, 0.36, 0.8, 0.82), fill=CREAM, radius=0.015)
    slots = [(0.2, 0.36, 0.5, 0.59), (0.5, 0.36, 0.8, 0.59), (0.2, 0.59, 0.5, 0.82), (0.5, 0.59, 0.8, 0.82)]
    for n, (x0, y0, x1, y1) in enumerate(slots):
        colour = c[(n + 1 + view) % len(c)]
        cv.circle((x0 + x1) / 2, (y0 + y1) / 2, 0.09, fill=shade(colour, 0.85))
        cv.circle((x0 + x1) / 2 - 0.02, (y0 + y1) / 2 - 0.02, 0.06, fill=colour)
    ribbon = c[1 % len(c)]
    cv.rect((0.16, 0.12, 0.84, 0.26), fill=shade(c[0], 1.15), radius=0.02)
    cv.rect((0.47, 0.12, 0.53, 0.26), fill=ribbon)
    cv.ellipse((0.38, 0.06, 0.5, 0.15), outline=ribbon, width=0.018)
    cv.ellipse((0.5, 0.06, 0.62, 0.15), outline=ribbon, width=0.018)
