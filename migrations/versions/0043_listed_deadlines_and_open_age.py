"""the dashboard's deadline and age figures read from indexes alone (issue 19, item 2): a stored clock says
whether the lists count it (labor relations' clocks once the case is approved, the investigation's before),
so counting needs no case; and open cases are indexed by state and date received, so their ages are counted
without reading each case

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-02 18:45:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None

LABOR_RELATIONS_STATES = ('approved', 'discipline')  # as services.deadlines.clocks on this date


def upgrade():
    with op.batch_alter_table('deadlines_due') as batch:
        batch.add_column(sa.Column('listed', sa.Boolean(), server_default=sa.false(), nullable=False))
    deadlines = sa.table(
        'deadlines_due', sa.column('listed', sa.Boolean()), sa.column('investigation', sa.Boolean()),
        sa.column('case_id', sa.Integer()),
    )
    cases = sa.table('cases', sa.column('id', sa.Integer()), sa.column('state', sa.String()))
    in_labor_relations = sa.select(cases.c.id).where(cases.c.state.in_(LABOR_RELATIONS_STATES))
    op.execute(
        deadlines.update()
        .where(sa.or_(deadlines.c.investigation.is_(True), deadlines.c.case_id.in_(in_labor_relations)))
        .values(listed=True)
    )
    op.create_index('ix_deadlines_due_listed', 'deadlines_due', ['listed', 'due_on', 'warn_from', 'case_id'])
    op.create_index('ix_cases_state_received', 'cases', ['state', 'received_at'])


def downgrade():
    op.drop_index('ix_cases_state_received', table_name='cases')
    op.drop_index('ix_deadlines_due_listed', table_name='deadlines_due')
    with op.batch_alter_table('deadlines_due') as batch:
        batch.drop_column('listed')
