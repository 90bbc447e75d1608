"""Booths: the hall's layout (zones with a grid of booths) and the automatic assignment of accepted
producers to booths with manual placement beside it. The booth map (SVG and its text list) is
drawn in `booth_map.py`.

The layout may change until the fair is closed; a closed fair keeps the map it had."""

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.notifications import notify
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..extensions import db
from .fairday import ensure_pass_code
from .models import Application, ApplicationStatus, BazaarEvent, Booth, BoothSize, FairStatus, Zone
from .services import accepted_applications

MAX_ROWS = 20
MAX_COLS = 30
ZONE_NAME_MAX = 60
_PREFIX = re.compile(r"^[A-Z0-9]{1,4}$")
# Two people fit in a medium or large booth, not a small one.
TWO_PEOPLE_SIZES = (BoothSize.MEDIUM, BoothSize.LARGE)
BOOTH_SIZE_LABELS = {
    BoothSize.SMALL: _l("Small"),
    BoothSize.MEDIUM: _l("Medium"),
    BoothSize.LARGE: _l("Large"),
}


def booth_link(application: Application) -> str:
    """Where a producer sees her booth on the map (the notification's link)."""
    return f"/dashboard/fairs/applications/{application.id}/booth"


# ---------------------------------------------------------------- layout


def _editable(fair: BazaarEvent) -> None:
    if fair.status == FairStatus.CLOSED:
        raise RuleError("", _l("This fair is closed: its booths stay as they were."))


def add_zone(
    fair: BazaarEvent, name: str, rows: int, cols: int, prefix: str, *, entrance_first_row: bool = True
) -> Zone:
    """A new zone at the end of the hall with a rows × cols grid of medium booths coded
    «<prefix>-NN» (numbered row by row from 01). The grid's four corners are marked as corners and,
    unless told otherwise, the first row as near the entrance. Codes are unique within the fair."""
    _editable(fair)
    name = normalize_text(name)[:ZONE_NAME_MAX]
    if not name:
        raise RuleError("name", _l("Give the zone a name, like «Hall A»."))
    if any(zone.name == name for zone in fair.zones):
        raise RuleError("name", _l("This fair already has a zone named «%(name)s».", name=name))
    if not 1 <= rows <= MAX_ROWS:
        raise RuleError("rows", _l("Write a number of rows from 1 to %(num)s.", num=MAX_ROWS))
    if not 1 <= cols <= MAX_COLS:
        raise RuleError("cols", _l("Write a number of booths per row from 1 to %(num)s.", num=MAX_COLS))
    prefix = to_latin_digits(normalize_text(prefix)).upper().replace(" ", "")
    if not _PREFIX.match(prefix):
        raise RuleError("prefix", _l("Write a code prefix of 1 to 4 English letters or digits, like A."))
    width = 2 if rows * cols < 100 else 3
    codes = [f"{prefix}-{number:0{width}d}" for number in range(1, rows * cols + 1)]
    taken = {booth.code for booth in fair.booths}
    if taken.intersection(codes):
        raise RuleError(
            "prefix", _l("Booth codes starting with %(prefix)s are already used in this fair.", prefix=prefix)
        )
    zone = Zone(name=name, position=max((zone.position for zone in fair.zones), default=-1) + 1)
    fair.zones.append(zone)
    corners = {(0, 0), (0, cols - 1), (rows - 1, 0), (rows - 1, cols - 1)}
    for row in range(rows):
        for col in range(cols):
            fair.booths.append(
                Booth(
                    zone=zone,
                    code=codes[row * cols + col],
                    row=row,
                    col=col,
                    size=BoothSize.MEDIUM,
                    is_corner=(row, col) in corners,
                    near_entrance=entrance_first_row and row == 0,
                )
            )
    db.session.flush()
    return zone


def update_booth(booth: Booth, size: str, has_power: bool, is_corner: bool, near_entrance: bool) -> Booth:
    """Change what a booth offers (its size and marks)."""
    _editable(booth.fair)
    if size not in set(BoothSize):
        raise RuleError("size", _l("Choose the booth's size."))
    booth.size, booth.has_power = size, bool(has_power)
    booth.is_corner, booth.near_entrance = bool(is_corner), bool(near_entrance)
    db.session.flush()
    return booth


def remove_zone(zone: Zone) -> None:
    """Remove a zone and its booths; refused while a producer is placed in one of them."""
    fair = zone.fair
    _editable(fair)
    booth_ids = [booth.id for booth in zone.booths]
    if booth_ids and db.session.scalar(select(Application.id).where(Application.booth_id.in_(booth_ids)).limit(1)):
        raise RuleError(
            "", _l("Producers are placed in zone «%(name)s». Move them out before removing it.", name=zone.name)
        )
    for booth in list(zone.booths):
        fair.booths.remove(booth)
        db.session.delete(booth)
    fair.zones.remove(zone)
    db.session.delete(zone)
    db.session.flush()


# ---------------------------------------------------------------- reading


def zones_with_booths(fair: BazaarEvent) -> list[Zone]:
    """The fair's zones in hall order, their booths loaded."""
    return list(
        db.session.scalars(
            select(Zone).where(Zone.fair_id == fair.id).options(selectinload(Zone.booths)).order_by(Zone.position)
        )
    )


def unplaced(fair: BazaarEvent) -> list[Application]:
    """Accepted applications without a booth yet."""
    return [application for application in accepted_applications(fair) if application.booth_id is None]


def free_booths(fair: BazaarEvent) -> list[Booth]:
    """Booths nobody is placed in, in hall order."""
    taken = {application.booth_id for application in accepted_applications(fair) if application.booth_id is not None}
    return [booth for zone in zones_with_booths(fair) for booth in zone.booths if booth.id not in taken]


# ---------------------------------------------------------------- assignment


def neighbours(a: Booth, b: Booth) -> bool:
    """Side by side in a row or one behind the other in a column, in the same zone."""
    return a.zone_id == b.zone_id and abs(a.row - b.row) + abs(a.col - b.col) == 1


def fits(application: Application, booth: Booth) -> bool:
    """Whether the booth meets her needs: power if she needs it, room for two if she comes with
    someone. (A table is brought to any booth, so it does not limit the choice.)"""
    if application.needs_power and not booth.has_power:
        return False
    return not (application.two_people and booth.size not in TWO_PEOPLE_SIZES)


@dataclass
class AssignmentReport:
    """What an automatic run did: how many were placed (and how many of them moved), who could not
    be placed, and the wishes it could not meet (each a sentence for staff)."""

    placed: int = 0
    changed: int = 0
    kept: int = 0  # placed by hand, left where they were
    unplaced: list[Application] = field(default_factory=list)
    problems: list = field(default_factory=list)  # lazy sentences
    same_category_pairs: int = 0


# Penalties of the greedy choice, largest first; the smallest total wins.
SAME_CATEGORY_NEIGHBOUR = 1000  # per neighbour already placed who sells the same kind of products
FIRST_TIMER_NEIGHBOUR = 300  # a first-timer beside another first-timer
UNNEEDED_POWER = 40  # keep booths with power for those who need them
UNNEEDED_ROOM = 20  # keep medium and large booths for two people
FIRST_TIMER_ENTRANCE = 30  # every other first-timer prefers a booth near the entrance
SPREAD = 8  # per step closer than SPREAD_RADIUS to the nearest first-timer
SPREAD_RADIUS = 4
OWN_BOOTH = 1  # all else equal, keep the booth she had (fewer moves, fewer messages)


def _order(application: Application) -> tuple:
    """Hardest to place first: needs power and room, then power, then room, then the rest; within
    each, first-timers first (they have the most to ask of the spots left), then by application."""
    return (
        not (application.needs_power and application.two_people),
        not application.needs_power,
        not application.two_people,
        not application.first_timer,
        application.id,
    )


def _cell(booth: Booth) -> tuple[int, int, int]:
    return booth.zone_id, booth.row, booth.col


def _next_cells(booth: Booth) -> tuple[tuple[int, int, int], ...]:
    """The grid cells beside a booth: the next booth in its row and in its column, each side."""
    zone, row, col = _cell(booth)
    return (zone, row - 1, col), (zone, row + 1, col), (zone, row, col - 1), (zone, row, col + 1)


class _Hall:
    """Who stands where during one run, kept so each cost is a few lookups: the placed producer of
    each grid cell, and each booth's distance (capped at SPREAD_RADIUS) to the nearest first-timer."""

    def __init__(self, booths: list[Booth]):
        self.booths = booths
        self.by_cell: dict[tuple[int, int, int], Application] = {}
        self.first_timer_distance = {booth.id: SPREAD_RADIUS for booth in booths}

    def place(self, application: Application, booth: Booth) -> None:
        self.by_cell[_cell(booth)] = application
        if application.first_timer:
            for other in self.booths:
                if other.zone_id == booth.zone_id:
                    steps = abs(other.row - booth.row) + abs(other.col - booth.col)
                    if steps < self.first_timer_distance[other.id]:
                        self.first_timer_distance[other.id] = steps

    def neighbours_of(self, booth: Booth) -> list[Application]:
        return [self.by_cell[cell] for cell in _next_cells(booth) if cell in self.by_cell]


def _cost(application: Application, booth: Booth, hall: _Hall, first_timer_index: int, previous: int | None) -> int:
    cost = 0
    for neighbour in hall.neighbours_of(booth):
        if application.category_id is not None and neighbour.category_id == application.category_id:
            cost += SAME_CATEGORY_NEIGHBOUR
        if application.first_timer and neighbour.first_timer:
            cost += FIRST_TIMER_NEIGHBOUR
    if booth.has_power and not application.needs_power:
        cost += UNNEEDED_POWER
    if booth.size != BoothSize.SMALL and not application.two_people:
        cost += UNNEEDED_ROOM if booth.size == BoothSize.LARGE else UNNEEDED_ROOM // 2
    if application.first_timer:
        if first_timer_index % 2 == 0 and not booth.near_entrance:
            cost += FIRST_TIMER_ENTRANCE
        cost += SPREAD * (SPREAD_RADIUS - hall.first_timer_distance[booth.id])
    if previous is not None and booth.id != previous:
        cost += OWN_BOOTH
    return cost


def assign_booths(fair: BazaarEvent) -> AssignmentReport:
    """Place every accepted producer who was not placed by hand, clearing the last automatic run.

    A deterministic greedy algorithm, one producer at a time:

    1. Producers placed by hand (`booth_locked`) keep their booth; everyone else's is cleared.
    2. The others are taken hardest first: those needing power and room for two, then power, then
       room, then the rest; within each group first-timers first (spreading them needs free
       choice), then by application number.
    3. Each takes, among the free booths that meet her needs (power when she needs it; a medium or
       large booth when two people come), the one with the lowest cost, where the cost adds up:
       a neighbour already placed (same zone, next booth in the row or the column) in her category
       (very high, so categories differ wherever some free booth allows it); for a first-timer, a
       first-timer neighbour (high) and closeness to the nearest first-timer (so they spread
       through the hall), and, for every other first-timer (the 1st, 3rd, …), a booth away from
       the entrance (so some are near it); a booth with power or room she does not need (kept
       for those who do); and, as the last word, a booth other than the one she had. Ties go to
       the first booth in hall order (zone, row, column).
    4. Whoever finds no fitting booth stays unplaced, and the report says which need ran out.

    Each producer whose booth changed is told her new code once; a re-run that leaves her booth
    as it was sends nothing. Every accepted producer gets her pass code."""
    _editable(fair)
    applications = accepted_applications(fair)
    zones = zones_with_booths(fair)
    booths = [booth for zone in zones for booth in zone.booths]
    by_id = {booth.id: booth for booth in booths}
    previous = {application.id: application.booth_id for application in applications}
    report = AssignmentReport()
    placed: dict[int, Booth] = {}  # application id → booth
    people = {application.id: application for application in applications}
    hall = _Hall(booths)
    waiting = []
    for application in applications:
        if application.booth_locked and application.booth_id in by_id:
            placed[application.id] = by_id[application.booth_id]
            hall.place(application, placed[application.id])
            report.kept += 1
        else:
            application.booth_locked = False
            application.booth = None
            waiting.append(application)
    db.session.flush()  # cleared before reassigning: the booth of one may go to another
    free = [booth for booth in booths if booth not in placed.values()]
    given_out = list(free)
    first_timers = 0
    for application in sorted(waiting, key=_order):
        options = [booth for booth in free if fits(application, booth)]
        if not options:
            report.unplaced.append(application)
            continue
        index = first_timers if application.first_timer else 0
        best = min(options, key=lambda booth: _cost(application, booth, hall, index, previous[application.id]))
        if application.first_timer:
            first_timers += 1
        free.remove(best)
        placed[application.id] = best
        hall.place(application, best)
        application.booth = best
        report.placed += 1
    db.session.flush()
    for application in applications:
        ensure_pass_code(application)
        if application.booth_id is not None and application.booth_id != previous[application.id]:
            report.changed += 1
            _tell_booth(application)
    report.problems = _shortfalls(waiting, report.unplaced, given_out)
    report.same_category_pairs = same_category_pairs(placed, people)
    return report


def _shortfalls(waiting: list[Application], unplaced: list[Application], free: list[Booth]) -> list:
    """Sentences naming what ran out for the producers left without a booth; `free` is the booths
    the run could give out."""
    problems = []
    if any(application.needs_power for application in unplaced):
        problems.append(
            _l(
                "%(num)s producer(s) need power, but only %(left)s booth(s) with power are free.",
                num=sum(1 for application in waiting if application.needs_power),
                left=sum(1 for booth in free if booth.has_power),
            )
        )
    if any(application.two_people and not application.needs_power for application in unplaced):
        problems.append(
            _l(
                "%(num)s producer(s) come with two people, but only %(left)s medium or large booth(s) are free.",
                num=sum(1 for application in waiting if application.two_people),
                left=sum(1 for booth in free if booth.size in TWO_PEOPLE_SIZES),
            )
        )
    plain = [application for application in unplaced if not application.two_people and not application.needs_power]
    if plain:
        problems.append(
            _l(
                "%(num)s producer(s) have no booth: %(wanted)s need one and %(left)s are free.",
                num=len(plain),
                wanted=len(waiting),
                left=len(free),
            )
        )
    return problems


def same_category_pairs(placed: dict[int, Booth], people: dict[int, Application]) -> int:
    """How many pairs of neighbours sell the same kind of products."""
    items = sorted(placed.items())
    count = 0
    for i, (first, booth) in enumerate(items):
        for second, other in items[i + 1 :]:
            category = people[first].category_id
            if category is not None and category == people[second].category_id and neighbours(booth, other):
                count += 1
    return count


def _tell_booth(application: Application) -> None:
    assert application.booth is not None
    notify(
        application.shop.owner,
        _l(
            "Your booth at %(fair)s: %(code)s. See it on the map and download your pass.",
            fair=application.fair.title,
            code=application.booth.code,
        ),
        booth_link(application),
    )


def place(application: Application, booth: Booth) -> Application:
    """Put a producer in a booth by hand; automatic runs keep her there."""
    fair = application.fair
    _editable(fair)
    if application.status != ApplicationStatus.ACCEPTED:
        raise RuleError("application", _l("Only accepted producers get a booth."))
    if booth.fair_id != application.fair_id:
        raise RuleError("booth", _l("This booth belongs to another fair."))
    holder = db.session.scalar(
        select(Application).where(Application.booth_id == booth.id, Application.id != application.id)
    )
    if holder is not None:
        raise RuleError(
            "booth", _l("Booth %(code)s is already taken by «%(shop)s».", code=booth.code, shop=holder.shop.name)
        )
    changed = application.booth_id != booth.id
    application.booth = booth
    application.booth_locked = True
    db.session.flush()
    ensure_pass_code(application)
    if changed:
        _tell_booth(application)
    return application


def unplace(application: Application) -> Application:
    """Take a producer out of her booth (she waits for the next automatic run or a placement)."""
    _editable(application.fair)
    application.booth = None
    application.booth_locked = False
    db.session.flush()
    return application
