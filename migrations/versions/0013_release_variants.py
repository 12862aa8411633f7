"""release variants: the public (FOIA) variant, each printing's recipient and subject, and the notice to the
employee and the union before a public release (C.G.S. 1-214)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('release_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('notified_on', sa.Date(), nullable=False),
    sa.Column('notified', sa.String(length=500), nullable=False),
    sa.Column('request', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('objection_on', sa.Date(), nullable=True),
    sa.Column('objection', sa.String(length=500), nullable=True),
    sa.Column('objection_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.String(length=500), nullable=True),
    sa.Column('release_allowed', sa.Boolean(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(objection_on IS NULL) = (objection IS NULL) AND (objection_on IS NULL) = (objection_recorded_by_id IS NULL)', name=op.f('ck_release_notices_objection_complete')),
    sa.CheckConstraint('(resolved_on IS NULL OR objection_on IS NOT NULL) AND (resolved_on IS NULL) = (resolution IS NULL) AND (resolved_on IS NULL) = (release_allowed IS NULL) AND (resolved_on IS NULL) = (resolved_by_id IS NULL)', name=op.f('ck_release_notices_resolution_complete')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_release_notices_case_id_cases')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_release_notices_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['objection_recorded_by_id'], ['users.id'], name=op.f('fk_release_notices_objection_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_release_notices_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_notices'))
    )
    with op.batch_alter_table('release_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_notices_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('packet_prints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_packet_prints_subject_id_case_subjects'), 'case_subjects', ['subject_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_packet_prints_known_variant'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_packet_prints_known_variant'), "variant IN ('full', 'redacted', 'public')")

    with op.batch_alter_table('packet_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_packet_jobs_subject_id_case_subjects'), 'case_subjects', ['subject_id'], ['id'])


def downgrade():
    # the old check constraint refuses any 'public' printing: downgrading fails while one is stored
    with op.batch_alter_table('packet_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_packet_jobs_subject_id_case_subjects'), type_='foreignkey')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('recipient')

    with op.batch_alter_table('packet_prints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_packet_prints_known_variant'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_packet_prints_known_variant'), "variant IN ('full', 'redacted')")
        batch_op.drop_constraint(batch_op.f('fk_packet_prints_subject_id_case_subjects'), type_='foreignkey')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('recipient')

    with op.batch_alter_table('release_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_notices_case_id'))

    op.drop_table('release_notices')
