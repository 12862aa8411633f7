"""indexes for the purge figure (issue 19, item 2): the exhibits still kept, by upload (replacing the index of
purged_at alone, which it also serves), so the dashboard and a retention run find the evidence due without reading
every case ever closed; and discipline records by case, which the purge's outcome rule asks of each candidate

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-02 12:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exhibits_purged_at'))
        batch_op.create_index('ix_exhibits_purged_at_uploaded_at', ['purged_at', 'uploaded_at'], unique=False)
    with op.batch_alter_table('discipline_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discipline_records_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('discipline_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discipline_records_case_id'))
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.drop_index('ix_exhibits_purged_at_uploaded_at')
        batch_op.create_index(batch_op.f('ix_exhibits_purged_at'), ['purged_at'], unique=False)
