"""the steps imposed in a year read from an index (issue 19, item 2): the dashboard's figure and the list's
filter by imposed step and year scanned every labor action for its effective date

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-02 18:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_labor_actions_effective_step', 'labor_actions', ['effective_on', 'imposed_step_id', 'subject_id']
    )


def downgrade():
    op.drop_index('ix_labor_actions_effective_step', table_name='labor_actions')
