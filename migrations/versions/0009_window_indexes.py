"""indexes for the windows the dashboard reads: when complaints were received, with the facility (the list's
date filters, the clause and finding figures, early warning), and a case's allegations with their clause and
finding, so those figures count from the indexes alone

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 09:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_received_facility', ['received_at', 'facility'], unique=False)
    with op.batch_alter_table('allegations', schema=None) as batch_op:
        batch_op.create_index('ix_allegations_case_provision', ['case_id', 'clause_id', 'finding_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_allegations_case_id'))


def downgrade():
    with op.batch_alter_table('allegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allegations_case_id'), ['case_id'], unique=False)
        batch_op.drop_index('ix_allegations_case_provision')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_received_facility')
