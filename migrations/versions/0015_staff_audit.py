"""staff: the audit log (staff_action, never changed: triggers refuse UPDATE and DELETE) and
accounts: assisted sessions (assist_session)

Revision ID: 0015_staff_audit
Revises: 0014_drop_delivery_pickup_booth
Create Date: 2026-12-03 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_staff_audit'
down_revision = '0014_drop_delivery_pickup_booth'
branch_labels = None
depends_on = None

REFUSAL = 'staff_action is an audit log: its rows are never changed or deleted'


def upgrade():
    op.create_table(
        'assist_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('producer_id', sa.Integer(), nullable=False),
        sa.Column('consent_method', sa.String(length=16), nullable=False),
        sa.Column('consent_reference', sa.String(length=120), nullable=False),
        sa.Column('consent_note', sa.String(length=500), nullable=False),
        sa.Column('code_hash', sa.String(length=255), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('code_expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['producer_id'], ['user.id'], name=op.f('fk_assist_session_producer_id_user')),
        sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_assist_session_staff_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assist_session')),
    )
    with op.batch_alter_table('assist_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assist_session_producer_id'), ['producer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assist_session_staff_id'), ['staff_id'], unique=False)

    op.create_table(
        'staff_action',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('actor_name', sa.String(length=80), nullable=False),
        sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
        sa.Column('on_behalf_of_name', sa.String(length=80), nullable=False),
        sa.Column('assist_session_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=80), nullable=False),
        sa.Column('object_type', sa.String(length=40), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=True),
        sa.Column('summary', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('ip', sa.String(length=45), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_staff_action_actor_id_user')),
        sa.ForeignKeyConstraint(
            ['assist_session_id'], ['assist_session.id'], name=op.f('fk_staff_action_assist_session_id_assist_session')
        ),
        sa.ForeignKeyConstraint(['on_behalf_of_id'], ['user.id'], name=op.f('fk_staff_action_on_behalf_of_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_action')),
    )
    with op.batch_alter_table('staff_action', schema=None) as batch_op:
        for column in ('action', 'actor_id', 'assist_session_id', 'created_at', 'on_behalf_of_id'):
            batch_op.create_index(batch_op.f(f'ix_staff_action_{column}'), [column], unique=False)

    # The log is never edited: the database itself refuses, whatever code or hand sends the SQL.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            f"""
            CREATE FUNCTION staff_action_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSAL}';
            END;
            $$
            """
        )
        for event in ('UPDATE', 'DELETE'):
            op.execute(
                f'CREATE TRIGGER staff_action_no_{event.lower()} BEFORE {event} ON staff_action '
                'FOR EACH ROW EXECUTE FUNCTION staff_action_refuse_change()'
            )
        op.execute(
            'CREATE TRIGGER staff_action_no_truncate BEFORE TRUNCATE ON staff_action '
            'FOR EACH STATEMENT EXECUTE FUNCTION staff_action_refuse_change()'
        )
    else:
        for event in ('UPDATE', 'DELETE'):
            op.execute(
                f'CREATE TRIGGER staff_action_no_{event.lower()} BEFORE {event} ON staff_action '
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TABLE staff_action')  # its triggers go with it
        op.execute('DROP FUNCTION staff_action_refuse_change()')
    else:
        op.execute('DROP TRIGGER staff_action_no_update')
        op.execute('DROP TRIGGER staff_action_no_delete')
        op.drop_table('staff_action')
    with op.batch_alter_table('assist_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assist_session_staff_id'))
        batch_op.drop_index(batch_op.f('ix_assist_session_producer_id'))
    op.drop_table('assist_session')
