"""The producer's income at the fairs she took part in (/dashboard/fairs/income): a chart and a
table, and the same table as CSV. She sees only her own shop's numbers."""

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user

from ...accounts.access import role_required
from ...core.charts import bar_chart
from ...core.dates import utcnow
from ...core.tables import csv_response, table_chart, table_csv
from ...shops.services import owned_shop
from .. import report_tables, reports
from . import producer_bp


@producer_bp.get("/income")
@role_required("producer")
def income():
    shop = owned_shop(current_user)
    # a producer without a shop has no fairs: an empty ledger (shop id 0 matches nothing)
    data = reports.income_ledger(shop_id=shop.id if shop is not None else 0, now=utcnow())
    table = report_tables.ledger_table(data, with_shop=False)
    if request.args.get("format") == "csv":
        return csv_response(table_csv(table), "my-fair-income.csv")
    return render_template(
        "bazaar/producer/income.html",
        shop=shop,
        ledger=data,
        table=table,
        chart=bar_chart(table_chart(table, [2, 3]), rtl=str(get_locale() or "fa") == "fa"),
    )
