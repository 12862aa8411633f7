"""derived hashes (issue 15): every derived file (thumbnail, print rendition, cached packet) is recorded with
the SHA-256 it had when written, and the source it was made from, so it is verified when used

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('derived_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('thumbnail', 'print', 'redacted', 'packet')", name=op.f('ck_derived_files_known_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_derived_files')),
    sa.UniqueConstraint('path', name=op.f('uq_derived_files_path'))
    )
    with op.batch_alter_table('derived_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_derived_files_source_sha256'), ['source_sha256'], unique=False)


def downgrade():
    with op.batch_alter_table('derived_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_derived_files_source_sha256'))

    op.drop_table('derived_files')
