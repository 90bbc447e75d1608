"""Report tables and what they become: the page's table, the bar chart beside it and the CSV file,
all from one `Table` definition so the three always show the same numbers (the fair reports and the
centre's impact dashboard build theirs from their SQL aggregates).

A `Table` is columns with a kind ("text", "count", "money" in rial, "percent", "yesno", "date")
and rows of plain values. `table_chart` draws some of a table's columns (money in whole toman);
`table_csv` writes it as a spreadsheet-safe CSV (UTF-8 with a byte-order mark, money in toman, no
cell a spreadsheet would run as a formula); `csv_response` sends it. The page's side is
templates/_macros/tables.html."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import Response

from .charts import Chart
from .dates import as_utc, format_jalali
from .messages import lazy_gettext as _l
from .money import RIAL_PER_TOMAN
from .persian import to_latin_digits


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


def csv_bytes(rows: Iterable[Iterable[str]]) -> bytes:
    """Rows of cells already made safe (csv_text, csv_cell) as a CSV file: UTF-8 with a byte-order
    mark, so Excel shows Persian."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_csv(table: Table) -> bytes:
    """The table as a CSV file (csv_bytes): money columns in toman with the unit in their header,
    then the rows and the total."""
    header = [
        csv_text(str(_l("%(column)s (Toman)", column=column.header) if column.kind == "money" else column.header))
        for column in table.columns
    ]
    rows = [
        [csv_cell(value, column.kind) for value, column in zip(row, table.columns, strict=True)]
        for row in [*table.rows, *([table.total] if table.total is not None else [])]
    ]
    return csv_bytes([header, *rows])


def csv_response(body: bytes, filename: str) -> Response:
    """A CSV download (UTF-8 with BOM), never kept by a cache."""
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "private, no-store"},
    )
