"""leave notices of their own kind (issue 18, item 1): a subject's paid leave near, at or past its limit was told
as "Deadline due" or "Deadline overdue", in the inbox and the e-mail alike; the notices already sent (their
dedupe key begins "leave:") take the new kinds, and go back on downgrade

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-02 07:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None

KINDS = ('assigned', 'submitted', 'returned', 'approved', 'deadline_due', 'deadline_overdue', 'job_failed')
LEAVE = ('leave_limit_near', 'leave_limit_over')


def _kinds(kinds):
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_known_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_known_kind'), _kinds(KINDS + LEAVE))
    op.execute("UPDATE notifications SET kind = 'leave_limit_over' WHERE dedupe_key LIKE 'leave:%' AND dedupe_key LIKE '%over'")
    op.execute(
        "UPDATE notifications SET kind = 'leave_limit_near' WHERE dedupe_key LIKE 'leave:%' AND kind = 'deadline_due'"
    )


def downgrade():
    op.execute("UPDATE notifications SET kind = 'deadline_overdue' WHERE kind = 'leave_limit_over'")
    op.execute("UPDATE notifications SET kind = 'deadline_due' WHERE kind = 'leave_limit_near'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notifications_known_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notifications_known_kind'), _kinds(KINDS))
