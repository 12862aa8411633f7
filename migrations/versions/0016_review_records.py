"""review records: a supervisor's modification of a proposed discipline is its own row beside the investigator's
proposal, and each review keeps a plain-text snapshot of what the case said when decided

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('proposal_modifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('suspension_days', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('modified_by_id', sa.Integer(), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_version', sa.Integer(), nullable=False),
    sa.CheckConstraint('suspension_days IS NULL OR suspension_days > 0', name=op.f('ck_proposal_modifications_positive_days')),
    sa.ForeignKeyConstraint(['subject_id'], ['case_subjects.id'], name=op.f('fk_proposal_modifications_subject_id_case_subjects')),
    sa.ForeignKeyConstraint(['proposal_id'], ['discipline_proposals.id'], name=op.f('fk_proposal_modifications_proposal_id_discipline_proposals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['step_id'], ['discipline_steps.id'], name=op.f('fk_proposal_modifications_step_id_discipline_steps')),
    sa.ForeignKeyConstraint(['modified_by_id'], ['users.id'], name=op.f('fk_proposal_modifications_modified_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_modifications'))
    )
    with op.batch_alter_table('proposal_modifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_modifications_subject_id'), ['subject_id'], unique=False)

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_snapshot', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('content_snapshot')

    with op.batch_alter_table('proposal_modifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_modifications_subject_id'))

    op.drop_table('proposal_modifications')
