"""charges: clause kinds (only prohibitions are charged), charge text, numbers inferred from the OCR copy,
the elements of each chargeable clause, a finding's answer per element, and the post an allegation charges

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

KINDS = ("'prohibition', 'responsibility', 'definition', 'reminder', 'guidance', 'policy', 'authority', "
         "'procedure', 'lead_in', 'heading', 'unclassified'")


def upgrade():
    with op.batch_alter_table('clauses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='unclassified', nullable=False))
        batch_op.add_column(sa.Column('kind_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('cite_instead', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('charge_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('number_inferred', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('inferred_note', sa.Text(), server_default='', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_clauses_known_kind'), f"kind IN ({KINDS})")

    op.create_table('clause_elements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('post_fact', sa.String(length=24), nullable=True),
    sa.CheckConstraint("post_fact IS NULL OR post_fact IN ('identified_as_doc', 'on_duty', 'doc_insignia')", name=op.f('ck_clause_elements_known_post_fact')),
    sa.ForeignKeyConstraint(['clause_id'], ['clauses.id'], name=op.f('fk_clause_elements_clause_id_clauses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clause_elements')),
    sa.UniqueConstraint('clause_id', 'code', name=op.f('uq_clause_elements_clause_id_code'))
    )
    with op.batch_alter_table('clause_elements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clause_elements_clause_id'), ['clause_id'], unique=False)

    op.create_table('allegation_element_findings',
    sa.Column('allegation_id', sa.Integer(), nullable=False),
    sa.Column('element_id', sa.Integer(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['allegation_id'], ['allegations.id'], name=op.f('fk_allegation_element_findings_allegation_id_allegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['element_id'], ['clause_elements.id'], name=op.f('fk_allegation_element_findings_element_id_clause_elements')),
    sa.PrimaryKeyConstraint('allegation_id', 'element_id', name=op.f('pk_allegation_element_findings'))
    )

    with op.batch_alter_table('allegations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('post_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_allegations_post_id'), ['post_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_allegations_post_id_reported_posts'), 'reported_posts', ['post_id'], ['id'])


def downgrade():
    with op.batch_alter_table('allegations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_allegations_post_id_reported_posts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_allegations_post_id'))
        batch_op.drop_column('post_id')

    op.drop_table('allegation_element_findings')
    with op.batch_alter_table('clause_elements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clause_elements_clause_id'))
    op.drop_table('clause_elements')

    with op.batch_alter_table('clauses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_clauses_known_kind'), type_='check')
        batch_op.drop_column('inferred_note')
        batch_op.drop_column('number_inferred')
        batch_op.drop_column('charge_text')
        batch_op.drop_column('cite_instead')
        batch_op.drop_column('kind_reason')
        batch_op.drop_column('kind')
