"""orders: indexes for the impact dashboard's sums of the orders that went ahead (per shop and month, per category)

Revision ID: 0017_impact_indexes
Revises: 0014_drop_delivery_pickup_booth
Create Date: 2026-12-03 16:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017_impact_indexes'
down_revision = '0016_platform_settings'
branch_labels = None
depends_on = None


def upgrade():
    # status and the placed date narrow the rows; the shop and the goods value are read from the
    # index itself, so the sum per shop and month never reads the order table. bench/dashboard.py
    # (1,000 producers, 50,000 orders), SQLite: the page 180 -> 146 ms, the two grouped order queries
    # 50 -> 36 and 57 -> 37 ms. PostgreSQL scans a year of orders sequentially either way (most rows
    # qualify); the index pays off there once years of orders make the period a small part of them.
    op.create_index('ix_order_sales', 'order', ['status', 'created_at', 'shop_id', 'items_rial'])
    op.create_index('ix_order_item_sales', 'order_item', ['order_id', 'product_id', 'unit_price_rial', 'quantity'])


def downgrade():
    op.drop_index('ix_order_item_sales', table_name='order_item')
    op.drop_index('ix_order_sales', table_name='order')
