"""The fair reports' tables, built from the aggregates `reports.py` counts: `fair_tables` for one
fair's report, `ledger_shops_table` and `ledger_table` for income across fairs. What a table is and
what it becomes (the page's table, the chart beside it, the spreadsheet-safe CSV) is the generic
`core.tables`."""

from ..core.messages import lazy_gettext as _l
from ..core.tables import Column, Table
from .models import ApplicationStatus
from .reports import FairReport, Ledger, ProducerLine, Tally, percent

# ---------------------------------------------------------------- tables


def _income_columns() -> list[Column]:
    """The money columns every income table ends with (cells from `_income_cells`)."""
    return [
        Column(_l("Online during the fair"), "money"),
        Column(_l("In person"), "money"),
        Column(_l("Booth fee"), "money"),
        Column(_l("Net"), "money"),
    ]


def _income_cells(line: ProducerLine) -> list:
    """A producer line's (or a total's) cells under `_income_columns`."""
    return [line.online_rial, line.in_person_rial, line.fee_rial, line.net_rial]


# ---------------------------------------------------------------- one fair


FAIR_TABLES = ("summary", "categories", "first_timers", "producers")


def _tally_table(name: str, title, first_header, tallies: list[Tally]) -> Table:
    applied = sum(t.applied for t in tallies)
    accepted = sum(t.accepted for t in tallies)
    return Table(
        name,
        title,
        [
            Column(first_header),
            Column(_l("Applied"), "count"),
            Column(_l("Accepted"), "count"),
            Column(_l("Acceptance rate"), "percent"),
        ],
        [[tally.label, tally.applied, tally.accepted, tally.rate] for tally in tallies],
        [_l("Total"), applied, accepted, percent(accepted, applied)],
    )


def fair_tables(report: FairReport) -> dict[str, Table]:
    """The report's tables by name (FAIR_TABLES), in page order."""
    s = report.statuses
    summary = Table(
        "summary",
        _l("The fair in numbers"),
        [Column(_l("What")), Column(_l("How many"), "count"), Column(_l("Amount"), "money")],
        [
            [_l("Applications (not counting withdrawn)"), report.applied, None],
            [_l("Accepted"), report.accepted, None],
            [_l("Waitlisted"), s.get(ApplicationStatus.WAITLISTED, 0), None],
            [_l("Not accepted"), s.get(ApplicationStatus.REJECTED, 0), None],
            [_l("Withdrawn"), s.get(ApplicationStatus.WITHDRAWN, 0), None],
            [_l("Waiting for a decision"), s.get(ApplicationStatus.SUBMITTED, 0), None],
            [_l("Checked in on the day"), report.checked_in, None],
            [_l("Online orders during the fair"), report.online_orders, report.online_rial],
            [_l("… of them for pickup at the booth"), report.pickup_orders, report.pickup_rial],
            [_l("In-person sales (items sold)"), report.in_person_items, report.in_person_rial],
            [_l("Booth fees due"), None, report.totals.fee_rial],
        ],
    )
    categories = _tally_table("categories", _l("Applications by category"), _l("Category"), report.categories)
    first_timers = _tally_table(
        "first_timers", _l("First-timers and returning producers"), _l("Producers"), report.first_timers
    )
    total = report.totals
    producers = Table(
        "producers",
        _l("Totals per producer"),
        [
            Column(_l("Shop")),
            Column(_l("Booth")),
            Column(_l("Checked in"), "yesno"),
            Column(_l("Online orders"), "count"),
            *_income_columns(),
        ],
        [
            [line.shop_name, line.booth_code, line.checked_in, line.online_orders, *_income_cells(line)]
            for line in report.producers
        ],
        [_l("Total"), "", None, total.online_orders, *_income_cells(total)],
    )
    return {table.name: table for table in (summary, categories, first_timers, producers)}


# ---------------------------------------------------------------- income across fairs


def ledger_shops_table(ledger: Ledger) -> Table:
    """A row per producer: how many fairs, and her totals across them."""
    return Table(
        "shops",
        _l("Income per producer across fairs"),
        [Column(_l("Shop")), Column(_l("Fairs"), "count"), *_income_columns()],
        [[shop.shop_name, len(shop.lines), *_income_cells(shop.total)] for shop in ledger.shops],
        [_l("Total"), len(ledger.lines), *_income_cells(ledger.total)],
    )


def ledger_table(ledger: Ledger, *, with_shop: bool = True) -> Table:
    """The ledger as one table: a row per producer and fair, and the total."""
    columns = [Column(_l("Shop"))] if with_shop else []
    columns += [Column(_l("Fair")), Column(_l("Started"), "date"), *_income_columns()]
    rows: list[list] = [
        list[object]([line.shop_name] if with_shop else [])
        + [line.fair_title, line.fair_starts_at, *_income_cells(line)]
        for line in ledger.lines
    ]
    total_row = list[object]([_l("Total")] if with_shop else []) + [
        "" if with_shop else _l("Total"),
        None,
        *_income_cells(ledger.total),
    ]
    return Table("ledger", _l("Income at fairs"), columns, rows, total_row)
