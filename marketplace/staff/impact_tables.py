"""The impact dashboard's tables (core.tables.Table: the page's table, its chart and its CSV from one
definition), built from what impact.py and impact_readiness.py counted."""

from dataclasses import replace
from datetime import date

from ..bazaar.reports import percent
from ..core.charts import Chart
from ..core.messages import lazy_gettext as _l
from ..core.numerals import fa_digits
from ..core.tables import Column, Table, table_chart
from ..insights.services import Demand
from . import impact, impact_readiness
from .impact import Funnel, Income, Sums
from .impact_period import Filters, Period
from .impact_readiness import CHECKLIST_BUCKETS, SCORE_BUCKETS, Readiness

# Each table (in page order) and the section of the dashboard that counts it.
SECTIONS = {
    "funnel": "funnel",
    "months": "income",
    "producers": "income",
    "neighbourhoods": "income",
    "categories": "income",
    "brand_scores": "readiness",
    "checklist": "readiness",
    "unmet": "demand",
}
TABLES = tuple(SECTIONS)
# Rankings (biggest first) show their first rows on the page, so it stays under 100 KB at 1,000
# producers; their CSV files have every row. The other tables (the months, the funnel, the
# histograms) are short and shown whole.
RANKINGS = ("producers", "neighbourhoods", "categories", "unmet")
PAGE_ROWS = 10
CHART_ROWS = 10


def funnel_table(funnel: Funnel) -> Table:
    return Table(
        "funnel",
        _l("Producer funnel"),
        [Column(_l("Step")), Column(_l("Producers"), "count"), Column(_l("Of the step before"), "percent")],
        [[label, count, share] for _key, label, count, share in funnel.steps()],
    )


def months_table(income: Income) -> Table:
    """Everyone's income per month, with the orders and how many producers sold."""
    everyone = income.all
    rows = [
        [month.label, everyone.orders[index], everyone.online[index], everyone.fair[index], total, sellers]
        for index, (month, total, sellers) in enumerate(
            zip(income.months, everyone.per_month, income.sellers, strict=True)
        )
    ]
    return Table(
        "months",
        _l("Income per month"),
        [
            Column(_l("Month")),
            Column(_l("Online orders"), "count"),
            Column(_l("Online"), "money"),
            Column(_l("At fairs"), "money"),
            Column(_l("Total"), "money"),
            Column(_l("Producers who sold"), "count"),
        ],
        rows,
        [_l("Total"), sum(everyone.orders), sum(everyone.online), sum(everyone.fair), everyone.total, None],
    )


def _per_month_table(name: str, title, first: list[Column], income: Income, groups: list[tuple[list, Sums]]) -> Table:
    """A row per group, biggest first: its first cells, its income in all, online and at fairs, then
    per month (the page shows the columns up to the months, the CSV file every month)."""
    groups = sorted(groups, key=lambda group: (-group[1].total, [str(cell) for cell in group[0]]))
    month_columns = [Column(month.label, "money") for month in income.months]
    total = Sums.empty(len(income.months))
    for _cells, sums in groups:
        total.add(sums)

    def cells(sums: Sums) -> list[int]:
        return [sums.total, sum(sums.online), sum(sums.fair), *sums.per_month]

    return Table(
        name,
        title,
        [*first, Column(_l("Total"), "money"), Column(_l("Online"), "money"), Column(_l("At fairs"), "money")]
        + month_columns,
        [[*labels, *cells(sums)] for labels, sums in groups],
        [_l("Total"), *([""] * (len(first) - 1)), *cells(total)],
    )


def producers_table(income: Income) -> Table:
    groups = []
    for shop_id, sums in income.by_shop.items():
        shop = income.shops.get(shop_id)
        name, place = (shop.name, shop.neighbourhood) if shop else (str(shop_id), "")
        groups.append(([name, place or _l("No neighbourhood")], sums))
    return _per_month_table(
        "producers",
        _l("Income per producer"),
        [Column(_l("Shop")), Column(_l("Neighbourhood"))],
        income,
        groups,
    )


def neighbourhoods_table(income: Income) -> Table:
    groups = [([place or _l("No neighbourhood")], sums) for place, sums in income.by_neighbourhood().items()]
    return _per_month_table(
        "neighbourhoods", _l("Income per neighbourhood"), [Column(_l("Neighbourhood"))], income, groups
    )


def categories_table(income: Income) -> Table:
    groups = [
        ([income.category_names.get(category_id, "") if category_id is not None else _l("No category")], sums)
        for category_id, sums in income.by_category.items()
    ]
    return _per_month_table("categories", _l("Income per category"), [Column(_l("Category"))], income, groups)


def _histogram(name: str, title, first_header, buckets, counts: list[int]) -> Table:
    everyone = sum(counts)
    return Table(
        name,
        title,
        [Column(first_header), Column(_l("Producers"), "count"), Column(_l("Share"), "percent")],
        [
            [fa_digits(label), count, percent(count, everyone)]
            for (_lowest, label), count in zip(buckets, counts, strict=True)
        ],
        [_l("Total"), everyone, None],
    )


def readiness_tables(readiness: Readiness) -> dict[str, Table]:
    scores = _histogram("brand_scores", _l("Brand score"), _l("Score (of 100)"), SCORE_BUCKETS, readiness.scores)
    checklist = _histogram(
        "checklist", _l("Registration checklist done"), _l("Done (%)"), CHECKLIST_BUCKETS, readiness.checklist
    )
    return {"brand_scores": scores, "checklist": checklist}


def demand_table(demand: list[Demand]) -> Table:
    return Table(
        "unmet",
        _l("What buyers looked for and did not find"),
        [
            Column(_l("Search")),
            Column(_l("Searches"), "count"),
            Column(_l("Found nothing"), "count"),
            Column(_l("Found only 1–2"), "count"),
            Column(_l("Also typed as")),  # the Latin spellings read as the search (insights.Demand)
        ],
        [[row.query, row.searches, row.zero_results, row.few_results, ", ".join(row.also_typed_as)] for row in demand],
    )


def income_tables(income: Income) -> dict[str, Table]:
    """The income tables by name: per month, per producer, per neighbourhood, per category."""
    return {
        "months": months_table(income),
        "producers": producers_table(income),
        "neighbourhoods": neighbourhoods_table(income),
        "categories": categories_table(income),
    }


def dashboard_tables(
    the_period: Period, filters: Filters, *, today: date, locale: str = "fa", only: str | None = None
) -> dict[str, Table]:
    """The dashboard's tables by name, in page order; with `only` (a table's name), just the section
    holding it is counted (for its CSV file). Reads only."""
    section = SECTIONS.get(only or "")
    tables: dict[str, Table] = {}
    if section in (None, "funnel", "income"):
        sales = impact.shop_sales(the_period, filters)
        if section in (None, "funnel"):
            # whatever she sells counts for her funnel: the category filter does not apply to it
            every_category = Filters(neighbourhood=filters.neighbourhood)
            funnel_sales = sales if filters.category_id is None else impact.shop_sales(the_period, every_category)
            tables["funnel"] = funnel_table(impact.funnel(the_period, filters, funnel_sales))
        if section in (None, "income"):
            tables.update(income_tables(impact.income(the_period, filters, sales, locale)))
    if section in (None, "readiness"):
        tables.update(readiness_tables(impact_readiness.readiness(filters, today)))
    if section in (None, "demand"):
        tables["unmet"] = demand_table(impact_readiness.unmet_demand(the_period, filters))
    return tables


# Which columns of each table its chart draws (the total, in the tables of months).
CHART_COLUMNS = {
    "funnel": [1],
    "months": [4],
    "producers": [2],
    "neighbourhoods": [1],
    "categories": [1],
    "brand_scores": [1],
    "checklist": [1],
    "unmet": [1],
}


def first_rows(table: Table, limit: int = PAGE_ROWS) -> Table:
    """The table with only its first `limit` rows (the total still covers them all)."""
    return table if len(table.rows) <= limit else replace(table, rows=table.rows[:limit])


# The tables per month show their labels and totals on the page (a phone, and the page's 100 KB,
# have no room for a column per month of each); their CSV files have every month.
PAGE_COLUMNS = {"producers": 5, "neighbourhoods": 4, "categories": 4}


def for_page(table: Table) -> Table:
    """What the page shows of a table: the first PAGE_ROWS rows of a ranking, and for the tables per
    month the columns before the months (the CSV file has everything)."""
    table = first_rows(table) if table.name in RANKINGS else table
    keep = PAGE_COLUMNS.get(table.name)
    if keep is None:
        return table
    return replace(
        table,
        columns=table.columns[:keep],
        rows=[row[:keep] for row in table.rows],
        total=table.total[:keep] if table.total is not None else None,
    )


def chart_of(table: Table) -> Chart:
    """The chart beside a table: the columns CHART_COLUMNS names, of the first CHART_ROWS rows of a
    ranking, or of every row of the other tables (every month of the period)."""
    return table_chart(first_rows(table, CHART_ROWS) if table.name in RANKINGS else table, CHART_COLUMNS[table.name])
