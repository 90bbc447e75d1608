"""shops: shop_payout, where the centre pays each producer (account holder and Sheba number)

Revision ID: 0018_shop_payout
Revises: 0014_drop_delivery_pickup_booth
Create Date: 2026-12-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_shop_payout'
down_revision = '0017_impact_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shop_payout',
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=80), nullable=False),
    sa.Column('sheba', sa.String(length=26), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], name=op.f('fk_shop_payout_shop_id_shop'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_shop_payout_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('shop_id', name=op.f('pk_shop_payout'))
    )


def downgrade():
    op.drop_table('shop_payout')
