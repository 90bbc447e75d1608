"""settings: platform_setting (commission, card currency, default delivery fees staff change) and
requirement_edit (staff edits of the registration requirement items)

Revision ID: 0016_platform_settings
Revises: 0014_drop_delivery_pickup_booth
Create Date: 2026-12-03 16:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_platform_settings'
down_revision = '0015_staff_audit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'platform_setting',
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_platform_setting_updated_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_platform_setting')),
    )
    op.create_table(
        'requirement_edit',
        sa.Column('item_code', sa.String(length=8), nullable=False),
        sa.Column('fields', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_requirement_edit_updated_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('item_code', name=op.f('pk_requirement_edit')),
    )


def downgrade():
    op.drop_table('requirement_edit')
    op.drop_table('platform_setting')
