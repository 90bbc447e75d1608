"""Report tables and what they become: the page's tables, the bar charts beside them and the CSV
files, all from one `Table` definition so the three always show the same numbers.

A `Table` is columns with a kind ("text", "count", "money" in rial, "percent", "yesno", "date")
and rows of plain values, built from the aggregates `reports.py` counts: `fair_tables` for one
fair's report, `ledger_shops_table` and `ledger_table` for income across fairs. `table_chart` draws
some of a table's columns (money in whole toman); `table_csv` writes it as a spreadsheet-safe CSV
(UTF-8 with a byte-order mark, money in toman, no cell a spreadsheet would run as a formula)."""

import csv
import io
from dataclasses import dataclass, field

from ..core.dates import as_utc, format_jalali
from ..core.messages import lazy_gettext as _l
from ..core.money import RIAL_PER_TOMAN
from ..core.persian import to_latin_digits
from .charts import Chart
from .models import ApplicationStatus
from .reports import FairReport, Ledger, ProducerLine, Tally, percent

# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """A column of a report table: its header and how its cells read ("text", "count", "money" in
    rial, "percent" (None when there is nothing to divide by), "yesno" or "date")."""

    header: object
    kind: str = "text"


@dataclass
class Table:
    """One table of a report, shown on the page and exported as CSV."""

    name: str
    title: object
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None


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


# ---------------------------------------------------------------- charts


def table_chart(table: Table, value_columns: list[int], *, label_column: int = 0) -> Chart:
    """A bar chart of some columns of a table (money in whole toman), a bar group per row: the
    page shows the table beside it, so both always hold the same numbers."""
    money = any(table.columns[index].kind == "money" for index in value_columns)
    title = str(_l("%(title)s (Toman)", title=table.title)) if money else str(table.title)
    return Chart(
        title=title,
        series=[str(table.columns[index].header) for index in value_columns],
        rows=[
            (str(row[label_column]), [chart_value(row[index], table.columns[index].kind) for index in value_columns])
            for row in table.rows
        ],
    )


def chart_value(value, kind: str) -> int:
    """A table cell as the whole number a chart draws (money in toman)."""
    if value is None:
        return 0
    return int(value) // RIAL_PER_TOMAN if kind == "money" else int(value)


# ---------------------------------------------------------------- CSV


# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets (OWASP
# "CSV injection"); a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """Text for a CSV cell that a spreadsheet cannot run as a formula."""
    if text.startswith(FORMULA_STARTS) or text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_cell(value, kind: str) -> str:
    """One cell as CSV text: amounts as whole toman, counts as plain integers (Latin digits, so a
    spreadsheet reads them as numbers), text made formula-safe."""
    if value is None:
        return ""
    if kind == "money":
        return str(int(value) // RIAL_PER_TOMAN)
    if kind in ("count", "percent"):
        return str(int(value))
    if kind == "yesno":
        return str(_l("Yes") if value else _l("No"))
    if kind == "date":
        return to_latin_digits(format_jalali(as_utc(value), with_time=False))
    return csv_text(str(value))


def table_csv(table: Table) -> bytes:
    """The table as a CSV file: UTF-8 with a byte-order mark (so Excel shows Persian), money
    columns in toman with the unit in their header, then the rows and the total."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            csv_text(str(_l("%(column)s (Toman)", column=column.header) if column.kind == "money" else column.header))
            for column in table.columns
        ]
    )
    for row in [*table.rows, *([table.total] if table.total is not None else [])]:
        writer.writerow([csv_cell(value, column.kind) for value, column in zip(row, table.columns, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
