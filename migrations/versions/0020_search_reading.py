"""search, insights: search_log.reading and search_daily.reading, the Persian words a query typed in
Latin letters was read as ("" when searched as typed), so insights group it with its Persian equivalent

Revision ID: 0020_search_reading
Revises: 0019_product_english
Create Date: 2026-12-04 16:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0020_search_reading"
down_revision = "0019_product_english"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("search_log", "search_daily"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("reading", sa.String(length=200), nullable=False, server_default=""))


def downgrade():
    for table in ("search_daily", "search_log"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("reading")
