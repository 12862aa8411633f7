"""search on PostgreSQL reads a stored tsvector: ranking no longer re-parses every matching text

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 08:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

EXPRESSION_INDEX = ("CREATE INDEX ix_search_documents_body_tsv ON search_documents "
                    "USING gin (to_tsvector('english', body))")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        return  # SQLite's FTS5 table (0007) already keeps its own index
    op.execute("DROP INDEX ix_search_documents_body_tsv")
    op.execute("ALTER TABLE search_documents ADD COLUMN body_tsv tsvector "
               "GENERATED ALWAYS AS (to_tsvector('english', body)) STORED")
    op.execute("CREATE INDEX ix_search_documents_body_tsv ON search_documents USING gin (body_tsv)")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX ix_search_documents_body_tsv")
    op.execute("ALTER TABLE search_documents DROP COLUMN body_tsv")
    op.execute(EXPRESSION_INDEX)
