"""directory sign-in (issue 20, item 3): where each account proves who it is (local, LDAP, OpenID Connect), its
identity there, and when the directory last said it is still active (a table of its own)

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-02 05:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade():
    # A table of its own, not columns of users: SQLite would rebuild users to add constraints, and dropping the
    # old users table would cascade to every table that refers to it.
    op.create_table('external_identities',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('external_id', sa.String(length=512), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("source IN ('ldap', 'oidc')", name=op.f('ck_external_identities_known_source')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_external_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_external_identities')),
    sa.UniqueConstraint('source', 'external_id', name=op.f('uq_external_identities_source_external_id'))
    )


def downgrade():
    op.drop_table('external_identities')
