"""redaction suggestions as a job (issue 20, item 1): each "Suggest rectangles" is a run, found by a worker when
REDIS_URL is set, whose proposals (rectangles and the kind of what they cover, never the matched value) the
redaction page shows

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-02 12:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('suggestion_runs',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('exhibit_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('proposals', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('detectors', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_suggestion_runs_known_status')),
    sa.ForeignKeyConstraint(['exhibit_id'], ['exhibits.id'], name=op.f('fk_suggestion_runs_exhibit_id_exhibits')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_suggestion_runs_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_runs'))
    )
    with op.batch_alter_table('suggestion_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_runs_exhibit_id'), ['exhibit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('suggestion_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_runs_exhibit_id'))
    op.drop_table('suggestion_runs')
