"""speech screen and just cause (issue 17, items 5 and 6): the protected-speech screen of a 5.b allegation,
the supervisor's written override at approval, the seven tests of just cause with mitigating and aggravating
factors, and the employee's acknowledgement of AD 2.26 from the roster

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

OBTAINED = "obtained_how IN ('public_view', 'coworker_share', 'complainant', 'other')"
TESTS = (
    "test IN ('notice', 'reasonable_rule', 'investigation_before', 'fair_investigation', 'substantial_evidence', "
    "'equal_treatment', 'proportionate_penalty')"
)
SCREEN_ANSWERS = (
    'public_concern', 'private_citizen', 'union_activity', 'disrupts_operations', 'disrupts_relationships',
    'disrupts_discipline', 'disrupts_public_trust',
)


def upgrade():
    answers = []
    for name in SCREEN_ANSWERS:
        answers += [sa.Column(name, sa.Boolean(), nullable=False), sa.Column(f'{name}_reason', sa.Text(), nullable=False)]
    op.create_table('speech_screens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('allegation_id', sa.Integer(), nullable=False),
    *answers,
    sa.Column('obtained_how', sa.String(length=20), nullable=False),
    sa.Column('obtained_detail', sa.Text(), nullable=False),
    sa.Column('no_credentials_demanded', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.CheckConstraint(OBTAINED, name=op.f('ck_speech_screens_known_obtained_how')),
    sa.CheckConstraint('no_credentials_demanded', name=op.f('ck_speech_screens_attested')),
    sa.ForeignKeyConstraint(['allegation_id'], ['allegations.id'], name=op.f('fk_speech_screens_allegation_id_allegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_speech_screens_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speech_screens')),
    sa.UniqueConstraint('allegation_id', name=op.f('uq_speech_screens_allegation_id'))
    )
    op.create_table('just_cause_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=True),
    sa.Column('mitigating', sa.Text(), nullable=False),
    sa.Column('aggravating', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['case_subjects.id'], name=op.f('fk_just_cause_assessments_subject_id_case_subjects')),
    sa.ForeignKeyConstraint(['approval_id'], ['reviews.id'], name=op.f('fk_just_cause_assessments_approval_id_reviews')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_just_cause_assessments_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_just_cause_assessments'))
    )
    with op.batch_alter_table('just_cause_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_just_cause_assessments_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_just_cause_assessments_approval_id'), ['approval_id'], unique=False)
    op.create_table('just_cause_answers',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('test', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint(TESTS, name=op.f('ck_just_cause_answers_known_test')),
    sa.ForeignKeyConstraint(['assessment_id'], ['just_cause_assessments.id'], name=op.f('fk_just_cause_answers_assessment_id_just_cause_assessments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'test', name=op.f('pk_just_cause_answers'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speech_override', sa.Text(), nullable=True))
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ad_2_26_acknowledged_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_column('ad_2_26_acknowledged_on')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('speech_override')
    op.drop_table('just_cause_answers')
    with op.batch_alter_table('just_cause_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_just_cause_assessments_approval_id'))
        batch_op.drop_index(batch_op.f('ix_just_cause_assessments_subject_id'))
    op.drop_table('just_cause_assessments')
    op.drop_table('speech_screens')
