"""the dashboard's window read from the index alone on PostgreSQL too (issue 19, item 2): the index of cases by
date received carries the case id, so the cases received in the last 12 months are read without visiting the
table (SQLite's indexes carry the row id already)

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-02 16:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_cases_received_facility', table_name='cases')
    op.create_index(
        'ix_cases_received_facility', 'cases', ['received_at', 'facility'], postgresql_include=['id']
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_cases_received_facility', table_name='cases')
    op.create_index('ix_cases_received_facility', 'cases', ['received_at', 'facility'])
