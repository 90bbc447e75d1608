"""Staff: a fair's report (/staff/fairs/<id>/report) with its charts and CSV files, and the income
ledger of every producer across fairs (/staff/fairs/income)."""

from flask import abort, render_template, request
from flask_babel import get_locale

from ...accounts.access import role_required
from ...core.charts import bar_chart
from ...core.dates import utcnow
from ...core.tables import csv_response, table_chart, table_csv
from ...extensions import db
from .. import report_tables, reports
from ..models import BazaarEvent, FairStatus
from ..services import FAIR_STATUS_LABELS
from . import staff_bp

# Which columns of each table its chart draws.
FAIR_CHARTS = {"categories": [1, 2], "first_timers": [1, 2], "producers": [4, 5]}


@staff_bp.get("/<int:fair_id>/report")
@role_required("staff")
def report(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    locale = str(get_locale() or "fa")
    data = reports.fair_report(fair, locale)
    tables = report_tables.fair_tables(data)
    charts = {
        name: bar_chart(table_chart(tables[name], columns), rtl=locale == "fa") for name, columns in FAIR_CHARTS.items()
    }
    return render_template(
        "bazaar/staff/report.html",
        fair=fair,
        report=data,
        tables=tables,
        charts=charts,
        status_label=FAIR_STATUS_LABELS.get(FairStatus(fair.status), fair.status),
    )


@staff_bp.get("/<int:fair_id>/report/<table>.csv")
@role_required("staff")
def report_csv(fair_id: int, table: str):
    if table not in report_tables.FAIR_TABLES:
        abort(404)
    fair = db.get_or_404(BazaarEvent, fair_id)
    tables = report_tables.fair_tables(reports.fair_report(fair, str(get_locale() or "fa")))
    return csv_response(table_csv(tables[table]), f"fair-{fair.id}-{table}.csv")


@staff_bp.get("/income")
@role_required("staff")
def ledger():
    name = request.args.get("q", "")[:60]
    data = reports.income_ledger(name=name, now=utcnow())
    detail = report_tables.ledger_table(data)
    shops = report_tables.ledger_shops_table(data)
    if request.args.get("format") == "csv":
        table = shops if request.args.get("table") == "shops" else detail
        return csv_response(table_csv(table), f"fair-income-{table.name}.csv")
    return render_template(
        "bazaar/staff/ledger.html",
        ledger=data,
        query=name,
        detail=detail,
        shops=shops,
        chart=bar_chart(table_chart(shops, [2, 3]), rtl=str(get_locale() or "fa") == "fa"),
    )
