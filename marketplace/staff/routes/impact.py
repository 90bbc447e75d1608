"""The centre's impact dashboard (/staff/impact): the producer funnel, income per month (per
producer, neighbourhood and category), readiness and unmet demand, for a Jalali period and
optionally one category and one neighbourhood; each table beside its SVG chart and as CSV
(/staff/impact/<table>.csv with the same query string)."""

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from ...accounts.access import role_required
from ...core.charts import bar_chart
from ...core.dates import TEHRAN, jalali_input_value, utcnow
from ...core.tables import csv_response, table_csv
from .. import impact, impact_period, impact_readiness, impact_tables
from ..forms import ImpactFilterForm

bp = Blueprint("staff_impact", __name__, url_prefix="/staff")


@dataclass
class Choice:
    """What the filter form asked for, checked."""

    period: impact_period.Period
    filters: impact_period.Filters


def _locale() -> str:
    return str(get_locale() or "fa")


def _today() -> date:
    """Today in Tehran."""
    return utcnow().astimezone(TEHRAN).date()


def _read_filters() -> tuple[ImpactFilterForm, Choice | None]:
    """The filter form read from the query string, and the period and filters it asks for (None
    when something typed is wrong: the form then carries the messages)."""
    form = ImpactFilterForm(formdata=request.args)
    categories = [(str(key), name) for key, name in impact_period.top_categories(_locale())]
    form.category.choices = [("", _("All categories")), *categories]
    form.neighbourhood.choices = [("", _("All neighbourhoods"))] + [
        (place, place) for place in impact_period.neighbourhoods()
    ]
    if not form.validate():
        return form, None
    today = _today()
    first = form.first.date or impact_period.default_period(today, impact.first_producer_signup()).first
    last = form.last.date or today
    problem = impact_period.period_problem(first, last)
    if problem is not None:
        form.last.errors = [problem]
        return form, None
    form.first.data, form.last.data = jalali_input_value(first), jalali_input_value(last)  # the period shown
    filters = impact_period.Filters(
        category_id=int(form.category.data) if form.category.data else None,
        neighbourhood=form.neighbourhood.data or None,
    )
    return form, Choice(impact_period.period(first, last), filters)


@bp.get("/impact")
@role_required("staff")
def dashboard():
    form, choice = _read_filters()
    if choice is None:
        return render_template("staff/impact.html", form=form, choice=None), 422
    tables = impact_tables.dashboard_tables(choice.period, choice.filters, today=_today(), locale=_locale())
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
    tables = impact_tables.dashboard_tables(choice.period, choice.filters, today=_today(), locale=_locale(), only=table)
    return csv_response(table_csv(tables[table]), f"impact-{table}.csv")
