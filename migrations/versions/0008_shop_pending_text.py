"""shops: an approved shop's edited text waits for review in shop.pending_text

Revision ID: 0008_shop_pending_text
Revises: 0007_outbox
Create Date: 2026-12-02 18:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_shop_pending_text'
down_revision = '0007_outbox'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_text', sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.drop_column('pending_text')
