"""release review of exhibits (an append-only table of who decided, when and why, how each exhibit may go
out in a release packet), and the withdrawal of an exhibit from its case (who, when and why, on exhibits)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exhibit_release_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exhibit_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('redaction_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision IN ('redacted', 'releasable', 'withheld')", name=op.f('ck_exhibit_release_reviews_known_decision')),
    sa.CheckConstraint("decision <> 'redacted' OR redaction_id IS NOT NULL", name=op.f('ck_exhibit_release_reviews_redacted_names_its_copy')),
    sa.ForeignKeyConstraint(['exhibit_id'], ['exhibits.id'], name=op.f('fk_exhibit_release_reviews_exhibit_id_exhibits')),
    sa.ForeignKeyConstraint(['redaction_id'], ['exhibit_redactions.id'], name=op.f('fk_exhibit_release_reviews_redaction_id_exhibit_redactions')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_exhibit_release_reviews_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exhibit_release_reviews'))
    )
    with op.batch_alter_table('exhibit_release_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exhibit_release_reviews_exhibit_id'), ['exhibit_id'], unique=False)

    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_exhibits_withdrawn_by_id_users'), 'users', ['withdrawn_by_id'], ['id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_exhibits_withdrawal_complete'),
            "(withdrawn_at IS NULL AND withdrawn_by_id IS NULL AND withdrawal_reason IS NULL)"
            " OR (withdrawn_at IS NOT NULL AND withdrawn_by_id IS NOT NULL AND withdrawal_reason IS NOT NULL)",
        )


def downgrade():
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_exhibits_withdrawal_complete'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_exhibits_withdrawn_by_id_users'), type_='foreignkey')
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')

    with op.batch_alter_table('exhibit_release_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exhibit_release_reviews_exhibit_id'))

    op.drop_table('exhibit_release_reviews')
