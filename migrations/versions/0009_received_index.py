"""an index on when complaints were received: the list's date filters and the dashboard's early warning read
a window of cases instead of every case

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
        batch_op.create_index(batch_op.f('ix_cases_received_at'), ['received_at'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_received_at'))
