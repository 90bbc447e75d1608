"""routes: an approved shop's edited text waits for review in shop.pending_text

Revision ID: 0007_routes
Revises: 0006_insights
Create Date: 2026-12-02 18:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_routes'
down_revision = '0006_insights'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_text', sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.drop_column('pending_text')
