"""the job queue (issue 20, item 1): how many times a packet job was started (a job whose worker died is
tried again), and the notice telling its requester that it failed

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-02 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None

KINDS = ('assigned', 'submitted', 'returned', 'approved', 'deadline_due', 'deadline_overdue')


def _kinds(kinds):
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade():
    with op.batch_alter_table('packet_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_known_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_known_kind'), _kinds(KINDS + ('job_failed',)))


def downgrade():
    op.execute("DELETE FROM notifications WHERE kind = 'job_failed'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_known_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_known_kind'), _kinds(KINDS))
    with op.batch_alter_table('packet_jobs', schema=None) as batch_op:
        batch_op.drop_column('attempts')
