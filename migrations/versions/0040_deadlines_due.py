"""the running deadlines, stored (issue 19, item 2): each clock not yet met of a case not closed, with its due
date and the day it starts to count as due soon, so the dashboard, the work queue and the case list's deadline
filter count them by index; written in the commit that changes a case's dated events. The rows are filled by the
application at its first read (``stored_figures`` holds no "deadlines" row yet), from the rules in force.

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-02 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deadlines_due',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('rule_code', sa.String(length=80), nullable=False),
    sa.Column('investigation', sa.Boolean(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('warn_from', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_deadlines_due_case_id_cases')),
    sa.ForeignKeyConstraint(['subject_id'], ['case_subjects.id'], name=op.f('fk_deadlines_due_subject_id_case_subjects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines_due')),
    sa.UniqueConstraint('case_id', 'subject_id', 'rule_code', name=op.f('uq_deadlines_due_case_id_subject_id_rule_code'))
    )
    with op.batch_alter_table('deadlines_due', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadlines_due_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadlines_due_due_on'), ['due_on'], unique=False)
        batch_op.create_index('ix_deadlines_due_warn_from_due_on', ['warn_from', 'due_on'], unique=False)
    op.create_table('stored_figures',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_stored_figures'))
    )


def downgrade():
    op.drop_table('stored_figures')
    with op.batch_alter_table('deadlines_due', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_due_warn_from_due_on')
        batch_op.drop_index(batch_op.f('ix_deadlines_due_due_on'))
        batch_op.drop_index(batch_op.f('ix_deadlines_due_case_id'))
    op.drop_table('deadlines_due')
