"""purged exhibits (issue 18, item 5): when an exhibit's evidence was purged under a retention rule, the rule,
and when its files were removed from the evidence store (after the purge's commit)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-02 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('purge_rule', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('files_removed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_exhibits_purged_at'), ['purged_at'], unique=False)
        batch_op.create_check_constraint(
            batch_op.f('ck_exhibits_purge_complete'), '(purged_at IS NULL) = (purge_rule IS NULL)'
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_exhibits_files_removed_after_purge'), 'files_removed_at IS NULL OR purged_at IS NOT NULL'
        )


def downgrade():
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_exhibits_files_removed_after_purge'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_exhibits_purge_complete'), type_='check')
        batch_op.drop_index(batch_op.f('ix_exhibits_purged_at'))
        batch_op.drop_column('files_removed_at')
        batch_op.drop_column('purge_rule')
        batch_op.drop_column('purged_at')
