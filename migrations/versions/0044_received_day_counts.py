"""the dashboard's window figures stored by local day received (issue 19, item 2): how many cases received each
day allege each clause, have each finding at each facility, and name each employee, so a year's figures are a
sum of days. The rows are counted at the first read after this migration (no stored-figures row says so yet)

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-03 08:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0044'
down_revision = '0043'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'received_day_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('facility', sa.String(length=120), nullable=False),
        sa.Column('cases', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_received_day_counts')),
        sa.UniqueConstraint(
            'kind', 'day', 'item_id', 'facility', name=op.f('uq_received_day_counts_kind_day_item_id_facility')
        ),
    )
    op.create_index(
        'ix_received_day_counts_window', 'received_day_counts', ['kind', 'day', 'item_id', 'facility', 'cases']
    )


def downgrade():
    op.drop_index('ix_received_day_counts_window', table_name='received_day_counts')
    op.drop_table('received_day_counts')
