"""discipline settings: where each ladder step, look-back and matrix row comes from (Sourced), the offence
class a matrix row escalates on, look-backs by bargaining unit, rules about titles, and discipline records
as imposed and as modified by an award, a settlement or a grievance

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 16:12:23

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('discipline_lookbacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ladder_id', sa.Integer(), nullable=False),
    sa.Column('step_code', sa.String(length=32), nullable=False),
    sa.Column('bargaining_unit', sa.String(length=120), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('authority', sa.String(length=200), server_default='', nullable=False),
    sa.Column('set_by', sa.String(length=200), server_default='', nullable=False),
    sa.Column('set_on', sa.Date(), nullable=True),
    sa.CheckConstraint('months > 0', name=op.f('ck_discipline_lookbacks_positive_months')),
    sa.ForeignKeyConstraint(['ladder_id'], ['discipline_ladders.id'], name=op.f('fk_discipline_lookbacks_ladder_id_discipline_ladders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discipline_lookbacks')),
    sa.UniqueConstraint('ladder_id', 'step_code', 'bargaining_unit', name=op.f('uq_discipline_lookbacks_ladder_id_step_code_bargaining_unit'))
    )
    op.create_table('discipline_title_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ladder_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('step_code', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('authority', sa.String(length=200), server_default='', nullable=False),
    sa.Column('set_by', sa.String(length=200), server_default='', nullable=False),
    sa.Column('set_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['ladder_id'], ['discipline_ladders.id'], name=op.f('fk_discipline_title_rules_ladder_id_discipline_ladders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discipline_title_rules')),
    sa.UniqueConstraint('ladder_id', 'rule', 'title', name=op.f('uq_discipline_title_rules_ladder_id_rule_title'))
    )
    with op.batch_alter_table('discipline_ladders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspension_cap_authority', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('authority', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('set_by', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('set_on', sa.Date(), nullable=True))

    with op.batch_alter_table('discipline_matrix', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offence_class', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('escalates_on', sa.String(length=16), server_default='any', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_discipline_matrix_known_escalates_on'), "escalates_on IN ('any', 'related')")
        batch_op.add_column(sa.Column('authority', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('set_by', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('set_on', sa.Date(), nullable=True))

    with op.batch_alter_table('discipline_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offence_class', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('modified_step_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('modified_suspension_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rescinded', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('modified_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('modification_source', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('modification_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('modified_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_discipline_records_modified_step_id_discipline_steps'), 'discipline_steps', ['modified_step_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_discipline_records_modified_by_id_users'), 'users', ['modified_by_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_discipline_records_positive_modified_days'), 'modified_suspension_days IS NULL OR modified_suspension_days > 0')
        batch_op.create_check_constraint(batch_op.f('ck_discipline_records_known_modification_source'), "modification_source IS NULL OR modification_source IN ('award', 'settlement', 'grievance')")
        batch_op.create_check_constraint(batch_op.f('ck_discipline_records_modification_complete'), '(modified_on IS NULL) = (modification_source IS NULL)')

    with op.batch_alter_table('discipline_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authority', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('set_by', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('set_on', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('discipline_steps', schema=None) as batch_op:
        batch_op.drop_column('set_on')
        batch_op.drop_column('set_by')
        batch_op.drop_column('authority')

    with op.batch_alter_table('discipline_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_discipline_records_modification_complete'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_discipline_records_known_modification_source'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_discipline_records_positive_modified_days'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_discipline_records_modified_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_discipline_records_modified_step_id_discipline_steps'), type_='foreignkey')
        batch_op.drop_column('modified_by_id')
        batch_op.drop_column('modification_reason')
        batch_op.drop_column('modification_source')
        batch_op.drop_column('modified_on')
        batch_op.drop_column('rescinded')
        batch_op.drop_column('modified_suspension_days')
        batch_op.drop_column('modified_step_id')
        batch_op.drop_column('offence_class')

    with op.batch_alter_table('discipline_matrix', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_discipline_matrix_known_escalates_on'), type_='check')
        batch_op.drop_column('set_on')
        batch_op.drop_column('set_by')
        batch_op.drop_column('authority')
        batch_op.drop_column('escalates_on')
        batch_op.drop_column('offence_class')

    with op.batch_alter_table('discipline_ladders', schema=None) as batch_op:
        batch_op.drop_column('suspension_cap_authority')
        batch_op.drop_column('set_on')
        batch_op.drop_column('set_by')
        batch_op.drop_column('authority')

    op.drop_table('discipline_title_rules')
    op.drop_table('discipline_lookbacks')
