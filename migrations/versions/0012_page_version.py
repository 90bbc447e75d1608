"""page cache: the content version of the public pages (one row, bumped by every public write)

Revision ID: 0012_page_version
Revises: 0011_buyer_order_event_status
Create Date: 2026-12-03 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_page_version'
down_revision = '0011_buyer_order_event_status'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'page_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_page_version')),
    )
    op.execute("INSERT INTO page_version (id, version, changed_at) VALUES (1, 0, CURRENT_TIMESTAMP)")


def downgrade():
    op.drop_table('page_version')
