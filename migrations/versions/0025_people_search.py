"""people search (issue 16): the subjects of cases become searchable by name and employee number; the
subjects already linked are indexed. Data only: no table changes (the index upkeep writes new ones)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

# the text project.services.search.index writes for a subject: "Last, First number"
BACKFILL = (
    "INSERT INTO search_documents (case_id, kind, ref_id, body) "
    "SELECT case_subjects.case_id, 'subject', case_subjects.id, "
    "employees.last_name || ', ' || employees.first_name || ' ' || employees.employee_number "
    "FROM case_subjects JOIN employees ON employees.id = case_subjects.employee_id "
    "WHERE NOT EXISTS (SELECT 1 FROM search_documents AS d WHERE d.kind = 'subject' AND d.ref_id = case_subjects.id)"
)


def upgrade():
    op.execute(BACKFILL)


def downgrade():
    op.execute("DELETE FROM search_documents WHERE kind = 'subject'")
