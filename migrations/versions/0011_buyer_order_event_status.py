"""orders: the timeline's status columns hold "awaiting_confirmation" (21 characters)

0010 made order_event.from_status/to_status VARCHAR(20), as the shared audit mixin does; PostgreSQL
refused the first event of every offline order. SQLite never checks the length.

Revision ID: 0011_buyer_order_event_status
Revises: 0010_orders
Create Date: 2026-12-02 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_buyer_order_event_status'
down_revision = '0010_orders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('order_event', schema=None) as batch_op:
        batch_op.alter_column('from_status', existing_type=sa.String(length=20), type_=sa.String(length=24))
        batch_op.alter_column('to_status', existing_type=sa.String(length=20), type_=sa.String(length=24))


def downgrade():
    with op.batch_alter_table('order_event', schema=None) as batch_op:
        batch_op.alter_column('to_status', existing_type=sa.String(length=24), type_=sa.String(length=20))
        batch_op.alter_column('from_status', existing_type=sa.String(length=24), type_=sa.String(length=20))
