"""What buyers look for: daily roll-ups of the search log, and the demand a producer can act on.

The raw search log is kept RETENTION_DAYS; roll_up(day) folds one Tehran calendar day of it into
SearchDaily rows (recomputed, so running it twice changes nothing), and the pages read roll-ups
for rolled-up days plus the raw log for the days after the last roll-up (usually just today).
Nothing here runs while a public page renders: roll-ups come from the CLI (cron).

A query typed in Latin letters (Finglish "golab", English "rosewater") is logged with its reading, the
Persian words search read it as («گلاب»). The pages show a query and the Latin queries read as it as one
demand, headed by the Persian text, with the Latin spellings listed (Demand.also_typed_as): demand from
abroad counts where producers look for it. A Latin query without a reading stays a row of its own.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, func, select

from ..catalog.models import Category, Product
from ..core.dates import TEHRAN, as_utc, tehran_midnight, utcnow
from ..core.persian import is_digits, normalize_text, to_latin_digits
from ..extensions import db
from ..search.analysis import analyze
from ..search.logs import MIN_VISITORS, looks_personal
from ..search.models import SearchLog
from ..shops.models import Shop
from .models import SearchDaily

RETENTION_DAYS = 90  # raw SearchLog rows older than this are pruned; roll-ups stay
FEW_RESULTS = 2  # 1–2 results is "almost nothing"
WINDOW_DAYS = 30  # top and unmet searches look this far back
RISING_MIN = 5  # a rising search needs at least this many searches this week…
RISING_FACTOR = 2  # …and this many times last week's count
LIMIT = 20


@dataclass
class Demand:
    """One query's counts over a period (summed over days and, on the page, over categories)."""

    query: str
    searches: int = 0
    sessions: int = 0  # visitors, summed over days (one person on two days counts twice)
    zero_results: int = 0
    few_results: int = 0
    peak: int = 0  # the most different visitors who typed it on one day: what the threshold checks
    reading: str = ""  # the Persian words this query, typed in Latin letters, was read as ("" if none)
    # on the page: the Latin spellings grouped into this row (read as `query`), and their searches
    also_typed_as: list[str] = field(default_factory=list)
    latin_searches: int = 0

    @property
    def unmet(self) -> int:
        """Searches that found nothing or almost nothing."""
        return self.zero_results + self.few_results

    def add(self, searches: int, sessions: int, zero: int, few: int, peak: int = 0) -> None:
        self.searches += searches
        self.sessions += sessions
        self.zero_results += zero
        self.few_results += few
        self.peak = max(self.peak, peak)


@dataclass
class Rising:
    """A query searched clearly more this week than the week before."""

    query: str
    this_week: int
    last_week: int
    also_typed_as: list[str] = field(default_factory=list)


@dataclass
class Scope:
    """The searches a producer is shown: those filtered to one of her categories (or their parent),
    and uncategorised ones sharing an analysed word with her products' titles and tags."""

    category_ids: set[int] = field(default_factory=set)
    words: set[str] = field(default_factory=set)


@dataclass
class Insights:
    """What the /insights page shows; `scoped` when it is one producer's view."""

    top: list[Demand]
    unmet: list[Demand]
    rising: list[Rising]
    scoped: bool


# ---------------------------------------------------------------- days


def today() -> date:
    """Today's date in Tehran (the day buyers and producers live in)."""
    return utcnow().astimezone(TEHRAN).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where a Tehran calendar day starts and ends (end excluded)."""
    return tehran_midnight(day), tehran_midnight(day + timedelta(days=1))


def last_rolled_day() -> date | None:
    """The newest day with roll-up rows, or None."""
    return db.session.scalar(select(func.max(SearchDaily.day)))


def pending_days(until: date | None = None) -> list[date]:
    """Days to roll up so the roll-ups reach `until` (yesterday): from the day after the last
    roll-up, or from the oldest raw log row, never further back than the retention period."""
    until = until or today() - timedelta(days=1)
    last = last_rolled_day()
    if last is not None:
        start = last + timedelta(days=1)
    else:
        oldest = db.session.scalar(select(func.min(SearchLog.created_at)))
        if oldest is None:
            return []
        start = as_utc(oldest).astimezone(TEHRAN).date()
    start = max(start, until - timedelta(days=RETENTION_DAYS))
    return [start + timedelta(days=n) for n in range((until - start).days + 1)]


# ---------------------------------------------------------------- roll-up and prune


def _category_slugs() -> dict[str, int]:
    return {slug: category_id for slug, category_id in db.session.execute(select(Category.slug, Category.id))}


def category_of(filters: dict | None, slugs: dict[str, int]) -> int | None:
    """The category filter of a logged search (a slug or an id under "category"/"category_id")."""
    if not isinstance(filters, dict):
        return None
    value = filters.get("category", filters.get("category_id"))
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else None
    if isinstance(value, int) or (isinstance(value, str) and is_digits(value)):
        return int(value) if int(value) in slugs.values() else None
    if isinstance(value, str):
        return slugs.get(value)
    return None


def _most_common(readings: Counter[str]) -> str:
    """The reading given most often (ties: the first in alphabetical order, so a recount agrees)."""
    return min(readings.items(), key=lambda item: (-item[1], item[0]))[0] if readings else ""


def _set_readings(totals: dict[tuple[str, int | None], Demand], readings: dict[str, Counter[str]]) -> None:
    """Give each query, in every category, the reading it was most often given (non-empty ones counted)."""
    for (query, _category_id), demand in totals.items():
        demand.reading = _most_common(readings.get(query, Counter()))


def _aggregate_log(start: datetime, end: datetime) -> dict[tuple[str, int | None], Demand]:
    """Raw log rows in [start, end) summed per (query, category filter), each with the reading its query
    was most often given; empty queries, and queries that may hold personal data (logged before they were
    refused), skipped. Visitors are counted per day: a visitor hash starts with its day (see
    logs.visitor_hash)."""
    slugs = _category_slugs()
    totals: dict[tuple[str, int | None], Demand] = {}
    visitors: dict[tuple[str, int | None], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    readings: dict[str, Counter[str]] = defaultdict(Counter)
    rows = db.session.execute(
        select(
            SearchLog.query, SearchLog.reading, SearchLog.filters, SearchLog.result_count, SearchLog.session_hash
        ).where(SearchLog.created_at >= start, SearchLog.created_at < end, SearchLog.query != "")
    )
    for query, reading, filters, result_count, session_hash in rows:
        if looks_personal(query) or looks_personal(reading or ""):
            continue
        key = (query, category_of(filters, slugs))
        demand = totals.setdefault(key, Demand(query))
        demand.add(1, 0, int(result_count == 0), int(0 < result_count <= FEW_RESULTS))
        visitors[key][(session_hash or "")[:8]].add(session_hash or "")
        if reading and reading != query:
            readings[query][reading] += 1
    for key, demand in totals.items():
        demand.sessions = sum(len(hashes) for hashes in visitors[key].values())
        demand.peak = max(len(hashes) for hashes in visitors[key].values())
    _set_readings(totals, readings)
    return totals


def roll_up(day: date) -> int:
    """Recompute `day`'s SearchDaily rows from the raw log (idempotent); returns how many rows. A row is
    still one (day, query, category); its reading is the query's most common non-empty reading that day."""
    db.session.execute(delete(SearchDaily).where(SearchDaily.day == day))
    totals = _aggregate_log(*day_bounds(day))
    db.session.add_all(
        SearchDaily(
            day=day,
            query=query,
            category_id=category_id,
            reading=demand.reading,
            searches=demand.searches,
            sessions=demand.sessions,
            zero_results=demand.zero_results,
            few_results=demand.few_results,
        )
        for (query, category_id), demand in totals.items()
    )
    db.session.flush()
    return len(totals)


def prune(before: datetime | None = None) -> int:
    """Delete raw search-log rows older than `before` (default: RETENTION_DAYS ago); roll-ups stay."""
    before = before or utcnow() - timedelta(days=RETENTION_DAYS)
    # A DELETE's result is a CursorResult (it has the row count); Session.execute is typed for any statement.
    result = cast(CursorResult, db.session.execute(delete(SearchLog).where(SearchLog.created_at < before)))
    return result.rowcount or 0


# ---------------------------------------------------------------- reading


def _period(first: date, last: date) -> dict[tuple[str, int | None], Demand]:
    """Counts per (query, category) for the days first..last: roll-ups where they exist, the raw
    log for the days after the last roll-up. Each query gets the reading it was given in most of its
    searches of the period ("" if it never had one)."""
    totals: dict[tuple[str, int | None], Demand] = {}
    readings: dict[str, Counter[str]] = defaultdict(Counter)
    rolled = last_rolled_day()
    if rolled is not None and rolled >= first:
        rows = db.session.execute(
            select(
                SearchDaily.query,
                SearchDaily.category_id,
                SearchDaily.reading,
                func.sum(SearchDaily.searches),
                func.sum(SearchDaily.sessions),
                func.sum(SearchDaily.zero_results),
                func.sum(SearchDaily.few_results),
                func.max(SearchDaily.sessions),  # a roll-up row is one day: its visitors that day
            )
            .where(SearchDaily.day >= first, SearchDaily.day <= min(last, rolled))
            .group_by(SearchDaily.query, SearchDaily.category_id, SearchDaily.reading)
        )
        for query, category_id, reading, searches, sessions, zero, few, peak in rows:
            if looks_personal(query) or looks_personal(reading):
                continue  # rolled up before such queries were refused
            totals.setdefault((query, category_id), Demand(query)).add(
                int(searches), int(sessions), int(zero), int(few), int(peak)
            )
            if reading:
                readings[query][reading] += int(searches)
    raw_first = first if rolled is None else max(first, rolled + timedelta(days=1))
    if raw_first <= last:
        start, end = day_bounds(raw_first)[0], day_bounds(last)[1]
        for key, demand in _aggregate_log(start, end).items():
            totals.setdefault(key, Demand(key[0])).add(
                demand.searches, demand.sessions, demand.zero_results, demand.few_results, demand.peak
            )
            if demand.reading:
                readings[key[0]][demand.reading] += demand.searches
    _set_readings(totals, readings)
    return totals


def _words(text: str, mode: str = "query") -> set[str]:
    """The analysed words of a text (the search analyzer's terms: normalised, stemmed, no stop words)."""
    return set(analyze(text, mode=mode))


def producer_scope(shop: Shop | None) -> Scope:
    """The scope of her shop: her products' categories with their parents, and their title and tag words."""
    scope = Scope()
    if shop is None:
        return scope
    rows = db.session.execute(
        select(Product.category_id, Product.title, Product.tags).where(
            Product.shop_id == shop.id, Product.status != "archived"
        )
    )
    for category_id, title, tags in rows:
        scope.category_ids.add(category_id)
        scope.words |= _words(" ".join([title or "", *(tags or [])]), mode="index")
    if scope.category_ids:
        parents = db.session.scalars(select(Category.parent_id).where(Category.id.in_(scope.category_ids)))
        scope.category_ids |= {parent for parent in parents if parent is not None}
    return scope


def _by_query(totals: dict[tuple[str, int | None], Demand], scope: Scope | None) -> dict[str, Demand]:
    """One row per demand, keyed and headed by its Persian text: the categories of each query summed,
    and a query typed in Latin letters added to the row of its reading (its spelling kept in
    also_typed_as); only what `scope` lets through (None: everything), a Latin query judged by the
    words of its reading. Counts and visitors are summed; `peak` is the largest of the merged rows'
    own peaks, never a sum (see _shown)."""
    matches: dict[str, bool] = {}
    merged: dict[str, Demand] = {}
    for (query, category_id), demand in totals.items():
        if scope is not None:
            if category_id is None:
                if query not in matches:
                    matches[query] = bool(_words(demand.reading or query) & scope.words)
                if not matches[query]:
                    continue
            elif category_id not in scope.category_ids:
                continue
        head = demand.reading or query
        row = merged.setdefault(head, Demand(head))
        row.add(demand.searches, demand.sessions, demand.zero_results, demand.few_results, demand.peak)
        if query != head and not looks_personal(query):
            row.latin_searches += demand.searches
            if query not in row.also_typed_as:
                row.also_typed_as.append(query)
    for row in merged.values():
        row.also_typed_as.sort()
    return merged


def _shown(merged: dict[str, Demand]) -> list[Demand]:
    """What may be shown, to producers and staff alike: queries that at least MIN_VISITORS different
    visitors typed on one day (what one person typed, a name or an address, stays private), and never
    one that may hold personal data.

    A merged row (a Persian query and the Latin queries read as it) is shown only when one of its
    spellings alone reached MIN_VISITORS on one day: its `peak` is the largest of theirs, never their
    sum, since one visitor who typed both «گلاب» and "golab" that day would count twice in a sum (the
    roll-ups keep no visitor hashes to tell). A demand two people reached through two spellings waits
    until one spelling has two visitors; nothing one person typed is ever shown."""
    return [demand for demand in merged.values() if demand.peak >= MIN_VISITORS and not looks_personal(demand.query)]


def _month(scope: Scope | None, on: date) -> list[Demand]:
    return _shown(_by_query(_period(on - timedelta(days=WINDOW_DAYS - 1), on), scope))


def _top(month: list[Demand], limit: int) -> list[Demand]:
    return sorted(month, key=lambda d: (-d.searches, d.query))[:limit]


def _unmet(month: list[Demand], limit: int) -> list[Demand]:
    unmet = [demand for demand in month if demand.unmet and demand.unmet * 2 >= demand.searches]
    return sorted(unmet, key=lambda d: (-d.unmet, -d.searches, d.query))[:limit]


def top_searches(scope: Scope | None = None, on: date | None = None, limit: int = LIMIT) -> list[Demand]:
    """The most searched queries of the WINDOW_DAYS days ending `on` (default today)."""
    return _top(_month(scope, on or today()), limit)


def unmet_searches(scope: Scope | None = None, on: date | None = None, limit: int = LIMIT) -> list[Demand]:
    """Queries of the last WINDOW_DAYS days that at least half the time found nothing or only one
    or two products: demand nobody meets yet."""
    return _unmet(_month(scope, on or today()), limit)


def unmet_between(first: date, last: date, scope: Scope | None = None, limit: int = LIMIT) -> list[Demand]:
    """As unmet_searches, over the days first..last (the centre's impact dashboard picks its period)."""
    return _unmet(_shown(_by_query(_period(first, last), scope)), limit)


def rising_searches(
    scope: Scope | None = None, on: date | None = None, min_count: int = RISING_MIN, limit: int = LIMIT
) -> list[Rising]:
    """Queries searched at least `min_count` times in the 7 days ending `on` and at least
    RISING_FACTOR times as often as in the 7 days before."""
    on = on or today()
    this_week = _shown(_by_query(_period(on - timedelta(days=6), on), scope))
    last_week = _by_query(_period(on - timedelta(days=13), on - timedelta(days=7)), scope)
    rising = []
    for demand in this_week:
        before = last_week[demand.query].searches if demand.query in last_week else 0
        if demand.searches >= min_count and demand.searches >= RISING_FACTOR * before:
            rising.append(Rising(demand.query, demand.searches, before, demand.also_typed_as))
    return sorted(rising, key=lambda r: (-(r.this_week - r.last_week), r.query))[:limit]


def insights_for(scope: Scope | None, on: date | None = None) -> Insights:
    """Everything the /insights page shows, for one scope (None: the whole market, for staff)."""
    on = on or today()
    month = _month(scope, on)
    return Insights(_top(month, LIMIT), _unmet(month, LIMIT), rising_searches(scope, on), scope is not None)


def clean_day(text: str) -> date:
    """A YYYY-MM-DD day typed on the command line (any digits)."""
    return date.fromisoformat(to_latin_digits(normalize_text(text)))
