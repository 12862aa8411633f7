"""records over time (issue 18, items 1 and 5): administrative leave periods of a case subject, legal holds
on a case, and the day and rule of a discipline record's expunction (its entry into the sealed history)

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-02 02:25:44

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legal_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('placed_by_id', sa.Integer(), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lift_reason', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("lifted_at IS NULL OR lift_reason <> ''", name=op.f('ck_legal_holds_lift_has_reason')),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_legal_holds_has_reason')),
    sa.CheckConstraint('(lifted_at IS NULL) = (lifted_by_id IS NULL)', name=op.f('ck_legal_holds_lift_complete')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_legal_holds_case_id_cases')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_legal_holds_lifted_by_id_users')),
    sa.ForeignKeyConstraint(['placed_by_id'], ['users.id'], name=op.f('fk_legal_holds_placed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_holds'))
    )
    with op.batch_alter_table('legal_holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_holds_case_id'), ['case_id'], unique=False)

    op.create_table('leave_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('paid', sa.Boolean(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_leave_periods_has_reason')),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_leave_periods_ends_after_start')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_leave_periods_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['subject_id'], ['case_subjects.id'], name=op.f('fk_leave_periods_subject_id_case_subjects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leave_periods'))
    )
    with op.batch_alter_table('leave_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leave_periods_subject_id'), ['subject_id'], unique=False)

    with op.batch_alter_table('discipline_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expunged_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('expunged_rule', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_discipline_records_expunged_on'), ['expunged_on'], unique=False)
        batch_op.create_check_constraint(
            batch_op.f('ck_discipline_records_expunction_complete'), '(expunged_on IS NULL) = (expunged_rule IS NULL)'
        )



def downgrade():
    with op.batch_alter_table('discipline_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_discipline_records_expunction_complete'), type_='check')
        batch_op.drop_index(batch_op.f('ix_discipline_records_expunged_on'))
        batch_op.drop_column('expunged_rule')
        batch_op.drop_column('expunged_on')

    with op.batch_alter_table('leave_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leave_periods_subject_id'))

    op.drop_table('leave_periods')
    with op.batch_alter_table('legal_holds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_holds_case_id'))

    op.drop_table('legal_holds')
