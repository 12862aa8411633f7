"""directory sign-in (issue 20, item 3): where each account proves who it is (local, LDAP, OpenID Connect), its
identity there, and when the directory last said it is still active

Revision ID: 0035
Revises: 0032
Create Date: 2026-12-02 05:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0035'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_source', sa.String(length=8), server_default='local', nullable=False))
        batch_op.add_column(sa.Column('external_id', sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column('directory_checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_users_known_identity_source'), "identity_source IN ('local', 'ldap', 'oidc')"
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_users_external_id_when_external'), "(identity_source = 'local') = (external_id IS NULL)"
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_users_identity_source_external_id'), ['identity_source', 'external_id']
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_identity_source_external_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_users_external_id_when_external'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_users_known_identity_source'), type_='check')
        batch_op.drop_column('directory_checked_at')
        batch_op.drop_column('external_id')
        batch_op.drop_column('identity_source')
