"""account hardening (issue 15): each authenticator step used is recorded once per account (F1), and a
pending enrolment's secret is kept sealed on the server instead of in the cookie (F11), and refused requests
are counted per person, kind and minute beside one audit event (F6); role grants with their granter and
approver, and a forced password change after an administrator chose the password or granted a role (F8)

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-01 17:10:00

"""
from alembic import op
import sqlalchemy as sa



# the roles as of this revision (project.models.personnel.people.Role)
ROLE_CHECK = (
    "role IN ('investigator', 'supervisor', 'labor_relations', 'admin', 'appointing_authority')"
)

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mfa_used_steps',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mfa_used_steps_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'step', name=op.f('pk_mfa_used_steps'))
    )
    op.create_table('mfa_pending_enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('sealed_secret', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mfa_pending_enrolments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mfa_pending_enrolments')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_mfa_pending_enrolments_token_hash'))
    )
    with op.batch_alter_table('mfa_pending_enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mfa_pending_enrolments_user_id'), ['user_id'], unique=False)

    op.create_table('refusal_tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('who', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('minute', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('count > 0', name=op.f('ck_refusal_tallies_positive_count')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refusal_tallies')),
    sa.UniqueConstraint('who', 'kind', 'minute', name=op.f('uq_refusal_tallies_who_kind_minute'))
    )


    op.create_table('role_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint(ROLE_CHECK, name=op.f('ck_role_grants_known_role')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_role_grants_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_role_grants_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_grants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grants'))
    )
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grants_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_change_required', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_change_required')
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grants_user_id'))
    op.drop_table('role_grants')
    op.drop_table('refusal_tallies')
    with op.batch_alter_table('mfa_pending_enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mfa_pending_enrolments_user_id'))
    op.drop_table('mfa_pending_enrolments')
    op.drop_table('mfa_used_steps')
