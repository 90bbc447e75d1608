"""orders: the order timeline's statuses fit "awaiting_confirmation" (21 characters)

The audit-trail columns are 20 characters wide, enough for shops and products; an order's
"awaiting_confirmation" is longer, and PostgreSQL refused every checkout's first timeline row.

Revision ID: 0011_load_order_event_status
Revises: 0010_orders
Create Date: 2026-12-10 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_load_order_event_status'
down_revision = '0010_orders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('order_event', schema=None) as batch_op:
        batch_op.alter_column('from_status', existing_type=sa.String(length=20), type_=sa.String(length=24))
        batch_op.alter_column('to_status', existing_type=sa.String(length=20), type_=sa.String(length=24))


def downgrade():
    with op.batch_alter_table('order_event', schema=None) as batch_op:
        batch_op.alter_column('from_status', existing_type=sa.String(length=24), type_=sa.String(length=20))
        batch_op.alter_column('to_status', existing_type=sa.String(length=24), type_=sa.String(length=20))
