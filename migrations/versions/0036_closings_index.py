"""an index of the moves into each state by case and time (issue 19): when each case last closed, which the
retention run and the dashboard's purge figure read for every closed case, comes from the index alone

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-02 07:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_case_transitions_to_state_case', 'case_transitions', ['to_state', 'case_id', 'occurred_at'], unique=False
    )


def downgrade():
    op.drop_index('ix_case_transitions_to_state_case', table_name='case_transitions')
