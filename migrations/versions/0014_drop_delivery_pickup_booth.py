"""orders: drop delivery_settings.pickup_booth (booth pickup is offered while a shop has a booth at a live fair, not by a setting)

Revision ID: 0014_drop_delivery_pickup_booth
Revises: 0013_bazaar
Create Date: 2026-12-03 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_drop_delivery_pickup_booth'
down_revision = '0013_bazaar'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delivery_settings', schema=None) as batch_op:
        batch_op.drop_column('pickup_booth')


def downgrade():
    with op.batch_alter_table('delivery_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pickup_booth', sa.Boolean(), nullable=False, server_default=sa.false()))
