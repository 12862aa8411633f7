"""due process in order: the pre-disciplinary meeting record, the decision-maker (the new appointing
authority role, RCSA 5-240-1a(a)) and a departure's reason, an immediate dismissal (RCSA 5-240-8a(b)), the
report to the personnel office, and a letter's real issue date with the reason it is backdated

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = "0016"
branch_labels = None
depends_on = None

OLD_ROLES = "'investigator', 'supervisor', 'labor_relations', 'admin'"
NEW_ROLES = OLD_ROLES + ", 'appointing_authority'"


def upgrade():
    with op.batch_alter_table('labor_actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('meeting_place', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('meeting_attendees', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('union_rep_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('union_rep_union', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('union_rep_waived', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('employee_response', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('documents_given', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('departure_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('immediate_dismissal', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('immediate_dismissal_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('personnel_office_notified_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_labor_actions_decided_by_id_users'), 'users', ['decided_by_id'], ['id'])
        batch_op.create_check_constraint(
            batch_op.f('ck_labor_actions_immediate_dismissal_has_reason'),
            "NOT immediate_dismissal OR immediate_dismissal_reason <> ''",
        )

    # letters printed before this revision: their real issue day is unknown beyond the UTC day of printing,
    # so issued_on stays empty for them (shown as "not recorded") rather than guessed
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('backdated_reason', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_roles_known_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_user_roles_known_role'), f"role IN ({NEW_ROLES})")


def downgrade():
    # the old check constraint refuses the appointing authority role: downgrading fails while one is granted
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_user_roles_known_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_user_roles_known_role'), f"role IN ({OLD_ROLES})")

    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_column('backdated_reason')
        batch_op.drop_column('issued_on')

    with op.batch_alter_table('labor_actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_labor_actions_immediate_dismissal_has_reason'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_labor_actions_decided_by_id_users'), type_='foreignkey')
        for column in (
            'personnel_office_notified_on', 'immediate_dismissal_reason', 'immediate_dismissal', 'departure_reason',
            'decided_by_id', 'documents_given', 'employee_response', 'union_rep_waived', 'union_rep_union',
            'union_rep_name', 'meeting_attendees', 'meeting_place', 'meeting_time',
        ):
            batch_op.drop_column(column)
