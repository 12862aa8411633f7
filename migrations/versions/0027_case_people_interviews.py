"""case people and interviews (issue 17, items 1, 2 and 4): the complainant and victims join the people of a
case, an employee among them linked from the roster; interviews with Garrity and Weingarten, their interviewers
and recordings; and why a subject was never interviewed

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('reporter', 'witness', 'inmate', 'employee', 'other')"
ROLES_AFTER = "role IN ('reporter', 'witness', 'complainant', 'victim', 'inmate', 'employee', 'other')"


def upgrade():
    with op.batch_alter_table('protected_people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employee_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_protected_people_employee_id'), ['employee_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_protected_people_employee_id_employees'), 'employees', ['employee_id'], ['id']
        )
        batch_op.drop_constraint(batch_op.f('ck_protected_people_known_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_protected_people_known_role'), ROLES_AFTER)

    op.create_table('interviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('garrity_given', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('garrity_acknowledged', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('garrity_form_version', sa.String(length=60), nullable=True),
    sa.Column('garrity_exhibit_id', sa.Integer(), nullable=True),
    sa.Column('referred_to', sa.String(length=200), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=True),
    sa.Column('representation', sa.String(length=16), nullable=True),
    sa.Column('representative_name', sa.String(length=200), nullable=True),
    sa.Column('representative_union', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('administrative', 'criminal', 'voluntary')", name=op.f('ck_interviews_known_kind')),
    sa.CheckConstraint("representation IN ('requested', 'waived')", name=op.f('ck_interviews_known_representation')),
    sa.CheckConstraint('(subject_id IS NULL) <> (person_id IS NULL)', name=op.f('ck_interviews_one_person')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_interviews_case_id_cases')),
    sa.ForeignKeyConstraint(['subject_id'], ['case_subjects.id'], name=op.f('fk_interviews_subject_id_case_subjects')),
    sa.ForeignKeyConstraint(['person_id'], ['protected_people.id'], name=op.f('fk_interviews_person_id_protected_people')),
    sa.ForeignKeyConstraint(['garrity_exhibit_id'], ['exhibits.id'], name=op.f('fk_interviews_garrity_exhibit_id_exhibits')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_interviews_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_interviews_changed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interviews_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_person_id'), ['person_id'], unique=False)

    op.create_table('interview_interviewers',
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_interviewers_interview_id_interviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_interview_interviewers_user_id_users')),
    sa.PrimaryKeyConstraint('interview_id', 'user_id', name=op.f('pk_interview_interviewers'))
    )
    op.create_table('interview_recordings',
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('exhibit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_recordings_interview_id_interviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exhibit_id'], ['exhibits.id'], name=op.f('fk_interview_recordings_exhibit_id_exhibits')),
    sa.PrimaryKeyConstraint('interview_id', 'exhibit_id', name=op.f('pk_interview_recordings'))
    )
    op.create_table('subjects_not_interviewed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reason IN ('declined', 'unavailable', 'separated')", name=op.f('ck_subjects_not_interviewed_known_reason')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_subjects_not_interviewed_case_id_cases')),
    sa.ForeignKeyConstraint(['subject_id'], ['case_subjects.id'], name=op.f('fk_subjects_not_interviewed_subject_id_case_subjects')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_subjects_not_interviewed_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subjects_not_interviewed')),
    sa.UniqueConstraint('subject_id', name=op.f('uq_subjects_not_interviewed_subject_id'))
    )
    with op.batch_alter_table('subjects_not_interviewed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subjects_not_interviewed_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('subjects_not_interviewed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subjects_not_interviewed_case_id'))
    op.drop_table('subjects_not_interviewed')
    op.drop_table('interview_recordings')
    op.drop_table('interview_interviewers')
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviews_person_id'))
        batch_op.drop_index(batch_op.f('ix_interviews_subject_id'))
        batch_op.drop_index(batch_op.f('ix_interviews_case_id'))
    op.drop_table('interviews')
    # the old check refuses a complainant or a victim: downgrading fails while one is listed
    with op.batch_alter_table('protected_people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_protected_people_known_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_protected_people_known_role'), ROLES_BEFORE)
        batch_op.drop_constraint(batch_op.f('fk_protected_people_employee_id_employees'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_protected_people_employee_id'))
        batch_op.drop_column('employee_id')
