"""accounts: password-reset codes are kept by phone, also for numbers without an account

A reset for an unknown number does the same work as one for a real account (a code is hashed and a
row written), so neither the time taken nor the answer to a wrong code tells which numbers have
accounts (issue 10 item 4).

Revision ID: 0009_reset_by_phone
Revises: 0008_shop_pending_text
Create Date: 2026-12-02 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_reset_by_phone'
down_revision = '0008_shop_pending_text'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=16), nullable=True))
    op.execute(
        'UPDATE password_reset SET phone = (SELECT "user".phone FROM "user" WHERE "user".id = password_reset.user_id)'
    )
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.alter_column('phone', existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_password_reset_phone'), ['phone'], unique=False)


def downgrade():
    op.execute('DELETE FROM password_reset WHERE user_id IS NULL')
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_phone'))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('phone')
