"""full-text search: the searchable text of cases, posts, notes and allegations, indexed by SQLite FTS5 or a
PostgreSQL GIN index on its tsvector; existing records are indexed

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 06:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_documents', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_after_insert AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER search_fts_after_delete AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER search_fts_after_update AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
]
POSTGRES_GIN = ("CREATE INDEX ix_search_documents_body_tsv ON search_documents "
                "USING gin (to_tsvector('english', body))")
BACKFILL = [
    "INSERT INTO search_documents (case_id, kind, ref_id, body) SELECT id, 'case', id, "
    "number || ' ' || replace(number, '-', ' ') || ' ' || title || ' ' || coalesce(narrative, '') FROM cases",
    "INSERT INTO search_documents (case_id, kind, ref_id, body) SELECT case_id, 'post', id, "
    "coalesce(account_handle, '') || ' ' || coalesce(display_name, '') || ' ' || coalesce(text, '') "
    "FROM reported_posts",
    "INSERT INTO search_documents (case_id, kind, ref_id, body) SELECT case_id, 'note', id, body FROM notes",
    "INSERT INTO search_documents (case_id, kind, ref_id, body) SELECT case_id, 'allegation', id, "
    "coalesce(reasoning, '') FROM allegations",
]


def upgrade():
    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_search_documents_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('kind', 'ref_id', name=op.f('uq_search_documents_kind_ref_id'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_documents_case_id'), ['case_id'], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(POSTGRES_GIN)
    for statement in BACKFILL:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in ("search_fts_after_insert", "search_fts_after_delete", "search_fts_after_update"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP INDEX ix_search_documents_body_tsv")
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_documents_case_id'))
    op.drop_table('search_documents')
