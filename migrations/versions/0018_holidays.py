"""state holidays as data (C.G.S. 1-4), and each deadline rule's source, warning days and the event that meets it

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('falls_on', sa.Date(), nullable=True),
    sa.Column('proclaimed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('authority', sa.String(length=200), server_default='', nullable=False),
    sa.Column('set_by', sa.String(length=200), server_default='', nullable=False),
    sa.Column('set_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holidays')),
    sa.UniqueConstraint('day', name=op.f('uq_holidays_day'))
    )

    with op.batch_alter_table('deadline_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('met_by', sa.String(length=48), server_default='', nullable=False))
        batch_op.add_column(sa.Column('warn_days', sa.Integer(), server_default='7', nullable=False))
        batch_op.add_column(sa.Column('authority', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('set_by', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('set_on', sa.Date(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_deadline_rules_non_negative_warn_days'), 'warn_days >= 0')
        batch_op.drop_constraint(batch_op.f('ck_deadline_rules_known_kind'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_deadline_rules_known_kind'), "kind IN ('due_within', 'not_before', 'due_before')"
        )


def downgrade():
    # the old check constraint refuses a 'due_before' rule: downgrading fails while one is stored
    with op.batch_alter_table('deadline_rules', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_deadline_rules_known_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_deadline_rules_known_kind'), "kind IN ('due_within', 'not_before')")
        batch_op.drop_constraint(batch_op.f('ck_deadline_rules_non_negative_warn_days'), type_='check')
        batch_op.drop_column('set_on')
        batch_op.drop_column('set_by')
        batch_op.drop_column('authority')
        batch_op.drop_column('warn_days')
        batch_op.drop_column('met_by')

    op.drop_table('holidays')
