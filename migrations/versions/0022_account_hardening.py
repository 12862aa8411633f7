"""account hardening (issue 15): each authenticator step used is recorded once per account (F1), and a
pending enrolment's secret is kept sealed on the server instead of in the cookie (F11)

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-01 17:10:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0022'
down_revision = "0018"
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


def downgrade():
    with op.batch_alter_table('mfa_pending_enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mfa_pending_enrolments_user_id'))
    op.drop_table('mfa_pending_enrolments')
    op.drop_table('mfa_used_steps')
