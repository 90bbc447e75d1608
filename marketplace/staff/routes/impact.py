"""The centre's impact dashboard (/staff/impact): the producer funnel, income per month (per
producer, neighbourhood and category), readiness and unmet demand, for a Jalali period and
optionally one category and one neighbourhood; each table beside its SVG chart and as CSV
(/staff/impact/<table>.csv with the same query string)."""

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from ...accounts.access import role_required
from ...core.charts import bar_chart
from ...core.dates import TEHRAN, jalali_input_value, utcnow
from ...core.tables import Table, csv_response, table_csv
from .. import impact, impact_readiness, impact_tables
from ..forms import ImpactFilterForm

bp = Blueprint("staff_impact", __name__, url_prefix="/staff")


@dataclass
class Choice:
    """What the filter form asked for, checked."""

    period: impact.Period
    filters: impact.Filters


def _locale() -> str:
    return str(get_locale() or "fa")


def _read_filters() -> tuple[ImpactFilterForm, Choice | None]:
    """The filter form read from the query string, and the period and filters it asks for (None
    when something typed is wrong: the form then carries the messages)."""
    form = ImpactFilterForm(formdata=request.args)
    categories = [(str(key), name) for key, name in impact.top_categories(_locale())]
    form.category.choices = [("", _("All categories")), *categories]
    form.neighbourhood.choices = [("", _("All neighbourhoods"))] + [(place, place) for place in impact.neighbourhoods()]
    if not form.validate():
        return form, None
    today = utcnow().astimezone(TEHRAN).date()
    default = impact.default_period(today)
    first, last = form.first.date or default.first, form.last.date or today
    problem = impact.period_problem(first, last)
    if problem is not None:
        form.last.errors = [problem]
        return form, None
    form.first.data, form.last.data = jalali_input_value(first), jalali_input_value(last)  # the period shown
    filters = impact.Filters(
        category_id=int(form.category.data) if form.category.data else None,
        neighbourhood=form.neighbourhood.data or None,
    )
    return form, Choice(impact.period(first, last), filters)


def _tables(choice: Choice, only: str | None = None) -> dict[str, Table]:
    """The dashboard's tables for this choice (the counting is in the services); with `only`, just
    the section holding that table is counted. Reads only: nothing is committed."""
    section = impact_tables.SECTIONS.get(only or "")
    today = utcnow().astimezone(TEHRAN).date()
    period, filters = choice.period, choice.filters
    tables: dict[str, Table] = {}
    if section in (None, "funnel", "income"):
        sales = impact.shop_sales(period, filters)
        if section in (None, "funnel"):
            every_category = impact.Filters(neighbourhood=filters.neighbourhood)
            funnel_sales = sales if filters.category_id is None else impact.shop_sales(period, every_category)
            tables["funnel"] = impact_tables.funnel_table(impact.funnel(period, filters, funnel_sales))
        if section in (None, "income"):
            tables.update(impact_tables.income_tables(impact.income(period, filters, sales, _locale())))
    if section in (None, "readiness"):
        tables.update(impact_tables.readiness_tables(impact_readiness.readiness(filters, today)))
    if section in (None, "demand"):
        tables["unmet"] = impact_tables.demand_table(impact_readiness.unmet_demand(period, filters))
    return tables


@bp.get("/impact")
@role_required("staff")
def dashboard():
    form, choice = _read_filters()
    if choice is None:
        return render_template("staff/impact.html", form=form, choice=None), 422
    tables = _tables(choice)
    rtl = _locale() == "fa"
    return render_template(
        "staff/impact.html",
        form=form,
        choice=choice,
        tables={name: impact_tables.for_page(table) for name, table in tables.items()},
        row_counts={name: len(table.rows) for name, table in tables.items()},
        charts={name: bar_chart(impact_tables.chart_of(table), rtl=rtl) for name, table in tables.items()},
        query={key: value for key, value in request.args.items() if key in ("from", "to", "category", "neighbourhood")},
        page_rows=impact_tables.PAGE_ROWS,
        demand_note=impact_readiness.DEMAND_NOTE,
    )


@bp.get("/impact/<table>.csv")
@role_required("staff")
def table_download(table: str):
    if table not in impact_tables.TABLES:
        abort(404)
    form, choice = _read_filters()
    if choice is None:
        return render_template("staff/impact.html", form=form, choice=None), 422
    return csv_response(table_csv(_tables(choice, table)[table]), f"impact-{table}.csv")
