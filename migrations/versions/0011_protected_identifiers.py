"""protected people of a case: witnesses, inmates, other employees and others whose identifiers every release
copy and every page shown to someone who may not see the reporter must mask, with who listed and removed them

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('protected_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('inmate_number', sa.String(length=20), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('reporter', 'witness', 'inmate', 'employee', 'other')", name=op.f('ck_protected_people_known_role')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_protected_people_case_id_cases')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_protected_people_added_by_id_users')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_protected_people_removed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protected_people'))
    )
    with op.batch_alter_table('protected_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protected_people_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('protected_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protected_people_case_id'))

    op.drop_table('protected_people')
